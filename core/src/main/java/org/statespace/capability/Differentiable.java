package org.statespace.capability;

import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;

/**
 * A model trained by gradient descent on a flat parameter vector (an RNN). The optimiser loop (SGD,
 * Adam, clipping, batches, early stopping) belongs to the trainer; the family gives the parameters and
 * an exact gradient.
 */
public interface Differentiable {

    /** A copy of the flat parameter vector. */
    double[] parameters();

    /** The model with the same structure and these parameters. */
    StateSpaceModel<?, ?> withParameters(double[] parameters);

    /**
     * The model with these parameters at the end of a pass of gradient steps over {@code training}. A
     * family may re-estimate here, in closed form given the others, parameters that the gradient does not
     * move (an RNN's linear-head variance from the training residuals). By default
     * {@link #withParameters(double[])}.
     */
    default StateSpaceModel<?, ?> withParameters(double[] parameters, Dataset training) {
        return withParameters(parameters);
    }

    /** A fresh gradient workspace for this structure; {@code settings} may set truncation and loss. */
    GradientEvaluator gradientEvaluator(FitSettings settings);
}
