package org.statespace.capability;

import java.util.List;

import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;

/**
 * A model fitted by expectation-maximisation: Baum-Welch for an HMM, Shumway-Stoffer for a
 * linear-Gaussian model. The loop (iterations, tolerance, restarts, checkpoints) belongs to the trainer;
 * the family gives the two kernels.
 */
public interface ExpectationMaximization {

    /** A zeroed accumulator for this model's expected sufficient statistics. */
    SufficientStatistics newStatistics();

    /**
     * E-step for one sequence under this model: adds its expected statistics into {@code statistics}
     * and returns its log-likelihood.
     */
    double expectation(Sequence sequence, SufficientStatistics statistics);

    /**
     * M-step: the model that maximises the expected complete-data log-likelihood (plus any prior the
     * settings define) given the accumulated statistics. Never lowers the likelihood of the data the
     * statistics came from.
     */
    StateSpaceModel<?, ?> maximization(SufficientStatistics statistics, FitSettings settings);

    /**
     * Whether this model carries a prior over its parameters (a spec's {@code "prior"}): EM then maximises the
     * log-posterior log p(data | θ) + {@link #logPrior()}, and the trainer records both.
     */
    default boolean hasPrior() {
        return false;
    }

    /** log p(θ) of this model's parameters under its prior; 0 without one. */
    default double logPrior() {
        return 0;
    }

    /**
     * What EM cannot estimate from {@code training} and so leaves where it starts, one sentence each naming the
     * parameter and the data that leave it open: a regression coefficient whose regressor is constant (or a
     * combination of the others) over the training data is not identified, so the M-step holds it at its
     * current value instead of failing, as R's {@code lm} reports an aliased coefficient. A fit adds these to
     * its warnings. Empty by default.
     */
    default List<String> fitNotes(Dataset training) {
        return List.of();
    }
}
