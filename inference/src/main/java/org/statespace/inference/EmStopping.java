package org.statespace.inference;

import org.statespace.NumericalException;
import org.statespace.capability.ExpectationMaximization;

/**
 * EM's objective and stopping rule, one copy for the in-memory loop ({@link EmLoop}) and the passes over a file
 * ({@link FileExpectationMaximization}): the objective is the log-likelihood, plus the log-prior for a model with
 * a prior; EM has converged when, after at least one M-step, it rose by no more than {@code tolerance} times its
 * size.
 */
final class EmStopping {
    private EmStopping() {
    }

    /**
     * The objective of the E-step just taken under {@code em}.
     *
     * @throws NumericalException naming the iteration when the log-likelihood or the log-prior is not finite
     */
    static double objective(ExpectationMaximization em, double logLikelihood, int updates) {
        if (!Double.isFinite(logLikelihood)) {
            throw new NumericalException("EM iteration " + updates + ": the log-likelihood is " + logLikelihood);
        }
        if (!em.hasPrior()) {
            return logLikelihood;
        }
        double objective = logLikelihood + em.logPrior();
        if (!Double.isFinite(objective)) {
            throw new NumericalException("EM iteration " + updates + ": the log-prior is " + em.logPrior());
        }
        return objective;
    }

    /** Whether EM stops here: after an M-step, the objective rose by at most tolerance·|objective|. */
    static boolean converged(int updates, double objective, double previous, double tolerance) {
        return updates > 0 && objective - previous <= tolerance * Math.abs(objective);
    }
}
