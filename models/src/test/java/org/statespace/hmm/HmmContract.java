package org.statespace.hmm;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.statespace.StateSpaceModel;
import org.statespace.contract.ModelContract;
import org.statespace.data.Sequence;

/**
 * The family contract for HMMs of one emission type: sequences are sampled from the model with missing
 * steps (and missing components of vectors); the brute force enumerates every hidden path with
 * independently computed densities ({@link BruteForce}).
 */
abstract class HmmContract extends ModelContract {

    protected abstract List<HiddenMarkovModel> models();

    @Override
    protected List<StateSpaceModel<?, ?>> tinyModels() {
        return new ArrayList<>(models());
    }

    @Override
    protected List<Sequence> sequencesFor(StateSpaceModel<?, ?> model, RandomGenerator random) {
        HiddenMarkovModel hmm = (HiddenMarkovModel) model;
        List<Sequence> out = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            out.add(TestModels.withGaps(hmm, "s" + n, 1 + random.nextInt(6), random));
        }
        return out;
    }

    @Override
    protected double bruteForceLogLikelihood(StateSpaceModel<?, ?> model, Sequence sequence) {
        return BruteForce.enumerate((HiddenMarkovModel) model, sequence).logLikelihood();
    }
}
