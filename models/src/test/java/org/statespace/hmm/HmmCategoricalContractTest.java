package org.statespace.hmm;

import java.util.List;

/** The family contract for HMMs with categorical emissions (see {@link TestModels#categorical()}). */
class HmmCategoricalContractTest extends HmmContract {
    @Override
    protected List<HiddenMarkovModel> models() {
        return TestModels.categorical();
    }
}
