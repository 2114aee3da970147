package org.statespace.hmm;

import java.util.List;

/** The family contract for HMMs with gaussian emissions (see {@link TestModels#gaussian()}). */
class HmmGaussianContractTest extends HmmContract {
    @Override
    protected List<HiddenMarkovModel> models() {
        return TestModels.gaussian();
    }
}
