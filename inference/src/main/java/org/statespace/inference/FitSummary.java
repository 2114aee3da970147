package org.statespace.inference;

import java.util.Locale;

/**
 * The text people read after a fit, in the spirit of statsmodels' {@code summary()}: how the fit ended, the
 * log-likelihood, AIC and BIC, then one row per parameter with its estimate, standard error and 95% interval.
 * {@code statespace fit} prints it and {@link FittedModel#summary()} returns it.
 */
public final class FitSummary {
    private FitSummary() {
    }

    /** The whole summary: {@link #line} and the model, then the table of {@code errors}. */
    public static String of(FitResult r, StandardErrors errors) {
        StringBuilder b = new StringBuilder();
        b.append(line(r)).append(System.lineSeparator());
        b.append(String.format(Locale.ROOT, "model: %s on %d observation%s", r.model().type(), r.observations(),
                r.observations() == 1 ? "" : "s")).append(System.lineSeparator());
        if (!errors.names().isEmpty()) {
            b.append(System.lineSeparator());
            for (String line : errors.table()) {
                b.append(line).append(System.lineSeparator());
            }
        }
        if (!errors.problem().isEmpty()) {
            b.append("no standard errors: ").append(errors.problem()).append(System.lineSeparator());
        } else if (!errors.note().isEmpty()) {
            b.append("standard errors from the observed information; ").append(errors.note())
                    .append(System.lineSeparator());
        } else {
            b.append("standard errors from the observed information (numerical Hessian, delta method)")
                    .append(System.lineSeparator());
        }
        if (!r.converged() && errors.available()) {
            b.append("the fit did not converge: the standard errors are taken where it stopped").append(System.lineSeparator());
        }
        return b.toString().stripTrailing();
    }

    /** One line: how the fit ended, the final log-likelihood, iterations, AIC and BIC. */
    public static String line(FitResult r) {
        String ending = r.converged() ? "converged" : "stopped at the iteration limit";
        return String.format(Locale.ROOT, "fit: %s after %d iteration%s (%s); log-likelihood %.6g (%.4g per observation), "
                + "AIC %.6g, BIC %.6g, %d parameters", ending, r.iterations(), r.iterations() == 1 ? "" : "s",
                r.method().jsonName(), r.logLikelihood(), r.logLikelihood() / Math.max(1, r.observations()), r.aic(),
                r.bic(), r.model().parameterCount())
                + (r.hasPrior() ? String.format(Locale.ROOT, "; log-posterior %.6g (log-prior %.6g; the prior's mode is "
                        + "what EM maximised)", r.logPosterior(), r.logPrior()) : "");
    }
}
