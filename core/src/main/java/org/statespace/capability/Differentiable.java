package org.statespace.capability;

import org.statespace.StateSpaceModel;

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

    /** A fresh gradient workspace for this structure; {@code settings} may set truncation and loss. */
    GradientEvaluator gradientEvaluator(FitSettings settings);
}
