package org.statespace.capability;

import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;

/** A model whose maximum-likelihood (or MAP) fit has a closed form, such as a Markov chain's counts. */
public interface ClosedFormFitting {

    /** The fitted model of the same structure as this one, from all sequences of {@code data}. */
    StateSpaceModel<?, ?> fitClosedForm(Dataset data, FitSettings settings);
}
