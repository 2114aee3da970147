package org.statespace.hmm;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.capability.FitSettings;
import org.statespace.spec.Json;

/**
 * How Baum-Welch fits an HMM (the trainer's own options, iterations, tolerance and restarts, are in
 * {@code TrainOptions}). Immutable; start from {@link #defaults()}.
 *
 * <p>The pseudo-counts are symmetric Dirichlet priors: α added to every expected count of a
 * probability vector makes the M-step the posterior mode under Dirichlet(α + 1). With any pseudo-count
 * above 0, EM increases the posterior, not the likelihood, so the likelihood trace may fall slightly.
 *
 * @param fitInitial                re-estimate the initial distribution π
 * @param fitTransition             re-estimate the transition matrix A
 * @param fitEmission               re-estimate the emission parameters
 * @param initialPseudoCount        α added to every expected count of π
 * @param transitionPseudoCount     α added to every expected count of each row of A
 * @param selfTransitionPseudoCount an extra α added to the diagonal of A only (a "sticky" prior)
 * @param emissionPseudoCount       α added to every expected count of each categorical row and of each
 *                                  state's mixture weights
 * @param covarianceFloor           the smallest eigenvalue a fitted covariance may have (&gt; 0)
 * @param rateFloor                 the smallest Poisson rate a fit may give (&gt; 0)
 */
public record HmmFitSettings(boolean fitInitial, boolean fitTransition, boolean fitEmission, double initialPseudoCount,
        double transitionPseudoCount, double selfTransitionPseudoCount, double emissionPseudoCount,
        double covarianceFloor, double rateFloor) implements FitSettings {

    /** The JSON keys of fit options that these settings read. */
    public static final List<String> KEYS = List.of("fitInitial", "fitTransition", "fitEmission",
            "initialPseudoCount", "transitionPseudoCount", "selfTransitionPseudoCount", "emissionPseudoCount",
            "covarianceFloor", "rateFloor");

    public HmmFitSettings {
        requireCount("initialPseudoCount", initialPseudoCount);
        requireCount("transitionPseudoCount", transitionPseudoCount);
        requireCount("selfTransitionPseudoCount", selfTransitionPseudoCount);
        requireCount("emissionPseudoCount", emissionPseudoCount);
        if (!(covarianceFloor > 0) || Double.isInfinite(covarianceFloor)) {
            throw new IllegalArgumentException("covarianceFloor must be positive and finite, got " + covarianceFloor);
        }
        if (!(rateFloor > 0) || Double.isInfinite(rateFloor)) {
            throw new IllegalArgumentException("rateFloor must be positive and finite, got " + rateFloor);
        }
    }

    private static void requireCount(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be finite and non-negative, got " + v);
        }
    }

    /** Fit everything, no pseudo-counts (maximum likelihood), covariance floor 1e-6, rate floor 1e-9. */
    public static HmmFitSettings defaults() {
        return new HmmFitSettings(true, true, true, 0, 0, 0, 0, 1e-6, 1e-9);
    }

    /**
     * {@code settings} if they are HMM settings, the defaults for {@link FitSettings#NONE}; another family's are an
     * error ({@link FitSettings#of}) naming it and {@code model}, the type of the model they were handed to.
     */
    static HmmFitSettings of(FitSettings settings, String model) {
        return FitSettings.of(settings, HmmFitSettings.class, defaults(), model);
    }

    public HmmFitSettings withFitInitial(boolean fit) {
        return new HmmFitSettings(fit, fitTransition, fitEmission, initialPseudoCount, transitionPseudoCount,
                selfTransitionPseudoCount, emissionPseudoCount, covarianceFloor, rateFloor);
    }

    public HmmFitSettings withFitTransition(boolean fit) {
        return new HmmFitSettings(fitInitial, fit, fitEmission, initialPseudoCount, transitionPseudoCount,
                selfTransitionPseudoCount, emissionPseudoCount, covarianceFloor, rateFloor);
    }

    public HmmFitSettings withFitEmission(boolean fit) {
        return new HmmFitSettings(fitInitial, fitTransition, fit, initialPseudoCount, transitionPseudoCount,
                selfTransitionPseudoCount, emissionPseudoCount, covarianceFloor, rateFloor);
    }

    public HmmFitSettings withInitialPseudoCount(double alpha) {
        return new HmmFitSettings(fitInitial, fitTransition, fitEmission, alpha, transitionPseudoCount,
                selfTransitionPseudoCount, emissionPseudoCount, covarianceFloor, rateFloor);
    }

    public HmmFitSettings withTransitionPseudoCount(double alpha) {
        return new HmmFitSettings(fitInitial, fitTransition, fitEmission, initialPseudoCount, alpha,
                selfTransitionPseudoCount, emissionPseudoCount, covarianceFloor, rateFloor);
    }

    public HmmFitSettings withSelfTransitionPseudoCount(double alpha) {
        return new HmmFitSettings(fitInitial, fitTransition, fitEmission, initialPseudoCount, transitionPseudoCount,
                alpha, emissionPseudoCount, covarianceFloor, rateFloor);
    }

    public HmmFitSettings withEmissionPseudoCount(double alpha) {
        return new HmmFitSettings(fitInitial, fitTransition, fitEmission, initialPseudoCount, transitionPseudoCount,
                selfTransitionPseudoCount, alpha, covarianceFloor, rateFloor);
    }

    public HmmFitSettings withCovarianceFloor(double floor) {
        return new HmmFitSettings(fitInitial, fitTransition, fitEmission, initialPseudoCount, transitionPseudoCount,
                selfTransitionPseudoCount, emissionPseudoCount, floor, rateFloor);
    }

    public HmmFitSettings withRateFloor(double floor) {
        return new HmmFitSettings(fitInitial, fitTransition, fitEmission, initialPseudoCount, transitionPseudoCount,
                selfTransitionPseudoCount, emissionPseudoCount, covarianceFloor, floor);
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("fitInitial", fitInitial);
        o.put("fitTransition", fitTransition);
        o.put("fitEmission", fitEmission);
        o.put("initialPseudoCount", initialPseudoCount);
        o.put("transitionPseudoCount", transitionPseudoCount);
        o.put("selfTransitionPseudoCount", selfTransitionPseudoCount);
        o.put("emissionPseudoCount", emissionPseudoCount);
        o.put("covarianceFloor", covarianceFloor);
        o.put("rateFloor", rateFloor);
        return o;
    }
}
