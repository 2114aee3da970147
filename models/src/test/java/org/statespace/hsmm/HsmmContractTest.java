package org.statespace.hsmm;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.statespace.StateSpaceModel;
import org.statespace.contract.ModelContract;
import org.statespace.data.Sequence;
import org.statespace.hsmm.HsmmTestModels.Emissions;
import org.statespace.numeric.Randoms;

/**
 * The family contract for explicit-duration HMMs: every duration type and the categorical, Gaussian and
 * Poisson emissions, sequences sampled with missing steps, the brute force enumerating every state path
 * ({@link HsmmTestModels#enumerate}).
 */
class HsmmContractTest extends ModelContract {

    @Override
    protected List<StateSpaceModel<?, ?>> tinyModels() {
        RandomGenerator r = Randoms.seeded(3);
        List<StateSpaceModel<?, ?>> out = new ArrayList<>();
        out.add(HsmmTestModels.random(r, 2, 4, Emissions.CATEGORICAL, "poisson", "table"));
        out.add(HsmmTestModels.random(r, 3, 5, Emissions.GAUSSIAN, "negative-binomial", "geometric", "poisson"));
        out.add(HsmmTestModels.random(r, 2, 3, Emissions.POISSON, "table", "negative-binomial"));
        out.add(HsmmTestModels.random(r, 3, 2, Emissions.GAUSSIAN, "geometric"));
        return out;
    }

    @Override
    protected List<Sequence> sequencesFor(StateSpaceModel<?, ?> model, RandomGenerator random) {
        List<Sequence> out = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            out.add(HsmmTestModels.withGaps((HiddenSemiMarkovModel) model, "s" + n, 1 + random.nextInt(6), random));
        }
        return out;
    }

    @Override
    protected double bruteForceLogLikelihood(StateSpaceModel<?, ?> model, Sequence sequence) {
        return HsmmTestModels.enumerate((HiddenSemiMarkovModel) model, sequence).logLikelihood();
    }
}
