package org.statespace.capability;

import org.statespace.StateSpaceModel;

/**
 * A model with a few free parameters fitted by maximising the likelihood with a numerical optimiser
 * (the structured linear-Gaussian models, whose free parameters are variances). Parameters are given on
 * an unconstrained scale (log-variances), so the optimiser may move them freely.
 */
public interface ParametricLikelihood {

    /** The free parameters on their unconstrained scale. */
    double[] freeParameters();

    /** Their names, for reports ({@code "log observationVariance"}). */
    String[] freeParameterNames();

    /** The model with these free parameters. */
    StateSpaceModel<?, ?> withFreeParameters(double[] parameters);
}
