package org.statespace.numeric;

/**
 * Akaike and Bayesian information criteria, lower is better: AIC = 2k - 2 log L, BIC = k log n - 2 log L,
 * with k free parameters and n observations.
 */
public final class InformationCriteria {
    private InformationCriteria() {
    }

    public static double aic(double logLikelihood, int parameters) {
        return 2.0 * parameters - 2 * logLikelihood;
    }

    public static double bic(double logLikelihood, int parameters, long observations) {
        return parameters * Math.log(observations) - 2 * logLikelihood;
    }
}
