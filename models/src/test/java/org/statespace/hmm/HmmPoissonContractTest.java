package org.statespace.hmm;

import java.util.List;

/** The family contract for HMMs with poisson emissions (see {@link TestModels#poisson()}). */
class HmmPoissonContractTest extends HmmContract {
    @Override
    protected List<HiddenMarkovModel> models() {
        return TestModels.poisson();
    }
}
