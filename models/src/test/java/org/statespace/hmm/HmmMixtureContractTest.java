package org.statespace.hmm;

import java.util.List;

/** The family contract for HMMs with mixture emissions (see {@link TestModels#mixture()}). */
class HmmMixtureContractTest extends HmmContract {
    @Override
    protected List<HiddenMarkovModel> models() {
        return TestModels.mixture();
    }
}
