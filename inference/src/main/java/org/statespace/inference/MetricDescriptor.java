package org.statespace.inference;

import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The one table of the scores a run or a study reports: each score's key in the results (results.json
 * {@code metrics}, {@code scores}, {@code mean}, {@code sd}), its table header, its axis label, the title of its
 * comparison chart (when it is charted) and which way is better. The study's proper scores also say how to read
 * them off {@link ProperScores}. Tables, charts and the study's score list are all read from here, in this order.
 */
public enum MetricDescriptor {
    MEAN_LOG_LIKELIHOOD("meanLogLikelihood", "log-lik/obs", "log-likelihood per observation (nats)",
            "Held-out predictive log-likelihood per observation (higher is better)", Direction.HIGHER, null),
    MEAN_LOG_SCORE("meanLogScore", "log score", "the dataset's log score per observation (nats)",
            "Held-out log score per observation: the dataset's own (log density, discretised log score on counts, "
                    + "log mass on symbols; higher is better)", Direction.HIGHER, ProperScores::meanLogScore),
    CRPS("crps", "CRPS", "continuous ranked probability score (units of the data)", "Held-out CRPS (lower is better)",
            Direction.LOWER, ProperScores::meanCrps),
    BRIER("brier", "Brier", "Brier score of the symbol predictions", null, Direction.LOWER,
            ProperScores::meanBrierScore),
    MSE("mse", "MSE", "mean squared error (squared units of the data)",
            "Held-out mean squared error of the point prediction (lower is better)", Direction.LOWER, null),
    MAE("mae", "MAE", "mean absolute error (units of the data)", null, Direction.LOWER, null),
    ACCURACY("accuracy", "accuracy", "fraction of symbols predicted right",
            "Held-out accuracy of the most probable symbol (higher is better)", Direction.HIGHER, null),
    COVERAGE_50("coverage50", "cov 50%", "fraction inside the central 50% interval", null, Direction.NEITHER, null),
    COVERAGE_80("coverage80", "cov 80%", "fraction inside the central 80% interval", null, Direction.NEITHER, null),
    COVERAGE_90("coverage90", "cov 90%", "fraction inside the central 90% interval",
            "Coverage of the 90% predictive interval (0.9 is calibrated)", Direction.NEITHER, null),
    COVERAGE_95("coverage95", "cov 95%", "fraction inside the central 95% interval", null, Direction.NEITHER, null),
    // the study's proper scores: the dataset's own log score (above), calibration, coverage, errors
    PIT_DISTANCE("pitDistance", "PIT KS", "Kolmogorov-Smirnov distance of the PIT values from uniform", null,
            Direction.LOWER, ProperScores::pitDistance),
    /** Coverage at the study's levels: the three below are the default levels; others get their own keys. */
    COVERAGE_AT_50("coverageAt50", "cov 50%", "fraction inside the central 50% interval", null, Direction.NEITHER,
            null),
    COVERAGE_AT_80("coverageAt80", "cov 80%", "fraction inside the central 80% interval", null, Direction.NEITHER,
            null),
    COVERAGE_AT_95("coverageAt95", "cov 95%", "fraction inside the central 95% interval",
            "Coverage of the 95% predictive interval (0.95 is calibrated)", Direction.NEITHER, null),
    MSE_OF_MEAN("mseOfMean", "MSE mean", "mean squared error of the predictive mean",
            "Held-out mean squared error of the predictive mean (lower is better)", Direction.LOWER,
            ProperScores::meanSquaredErrorOfMean),
    MAE_OF_MEDIAN("maeOfMedian", "MAE median", "mean absolute error of the predictive median", null, Direction.LOWER,
            ProperScores::meanAbsoluteErrorOfMedian);

    /** Which way a score is better. */
    public enum Direction {
        HIGHER, LOWER, NEITHER
    }

    private final String key;
    private final String header;
    private final String label;
    private final String chartTitle;
    private final Direction direction;
    private final ToDoubleFunction<ProperScores> properScore;

    MetricDescriptor(String key, String header, String label, String chartTitle, Direction direction,
            ToDoubleFunction<ProperScores> properScore) {
        this.key = key;
        this.header = header;
        this.label = label;
        this.chartTitle = chartTitle;
        this.direction = direction;
        this.properScore = properScore;
    }

    /** The key in the results. */
    public String key() {
        return key;
    }

    /** The table header. */
    public String header() {
        return header;
    }

    /** The axis label, with its unit. */
    public String label() {
        return label;
    }

    /** The title of its comparison chart; empty when it is not charted. */
    public Optional<String> chartTitle() {
        return Optional.ofNullable(chartTitle);
    }

    public Direction direction() {
        return direction;
    }

    /** Whether a study reads it off {@link ProperScores} (the coverage at the study's levels included). */
    public boolean isProperScore() {
        return properScore != null || isStudyCoverage();
    }

    /** Whether it is the coverage of one of the study's interval levels. */
    public boolean isStudyCoverage() {
        return key.startsWith("coverageAt");
    }

    /** Its value in {@code scores}; for a proper score other than coverage (which depends on the levels). */
    public double of(ProperScores scores) {
        if (properScore == null) {
            throw new IllegalArgumentException(key + " is not read off the proper scores by name");
        }
        return properScore.applyAsDouble(scores);
    }

    /** The descriptor with that key. */
    public static Optional<MetricDescriptor> byKey(String key) {
        for (MetricDescriptor d : values()) {
            if (d.key.equals(key)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
