package org.statespace.inference;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.spec.Json;

/**
 * Proper scores of a model's one-step predictions over held-out steps, as a {@link ScoreCollector} sums
 * them (formulas in {@link org.statespace.distribution.Scores}). Quantities that do not apply are NaN:
 * CRPS, PIT, coverage and errors for symbols, the Brier score for real values and counts.
 *
 * @param steps                     observed steps scored
 * @param logScore                  which log score: "log density" (real data), "discretised log score"
 *                                  (counts: the log of the mass the prediction gives to [y - 1/2, y + 1/2])
 *                                  or "log mass" (symbols)
 * @param meanLogScore              its mean per step, nats (higher is better)
 * @param meanCrps                  mean CRPS per step, summed over the observed components (lower is
 *                                  better, in the units of the data)
 * @param meanBrierScore            mean Brier score of symbol predictions (lower is better)
 * @param pitDistance               Kolmogorov-Smirnov distance of the PIT values from uniform (0 is
 *                                  calibrated; randomised PIT for integer-valued predictions)
 * @param pitHistogram              PIT counts in equal bins of [0, 1]
 * @param coverageLevels            the nominal levels of the central intervals
 * @param coverage                  the fraction of observed components inside each
 * @param meanSquaredErrorOfMean    mean of (y - predictive mean)² over observed components
 * @param meanAbsoluteErrorOfMedian mean of |y - predictive median| over observed components
 */
public record ProperScores(long steps, String logScore, double meanLogScore, double meanCrps, double meanBrierScore,
        double pitDistance, long[] pitHistogram, double[] coverageLevels, double[] coverage,
        double meanSquaredErrorOfMean, double meanAbsoluteErrorOfMedian) {

    public ProperScores {
        pitHistogram = pitHistogram.clone();
        coverageLevels = coverageLevels.clone();
        coverage = coverage.clone();
        if (coverage.length != coverageLevels.length) {
            throw new IllegalArgumentException(coverageLevels.length + " coverage levels but " + coverage.length
                    + " coverages");
        }
    }

    @Override
    public long[] pitHistogram() {
        return pitHistogram.clone();
    }

    @Override
    public double[] coverageLevels() {
        return coverageLevels.clone();
    }

    @Override
    public double[] coverage() {
        return coverage.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProperScores p && steps == p.steps && logScore.equals(p.logScore)
                && Double.compare(meanLogScore, p.meanLogScore) == 0 && Double.compare(meanCrps, p.meanCrps) == 0
                && Double.compare(meanBrierScore, p.meanBrierScore) == 0
                && Double.compare(pitDistance, p.pitDistance) == 0
                && java.util.Arrays.equals(pitHistogram, p.pitHistogram)
                && java.util.Arrays.equals(coverageLevels, p.coverageLevels)
                && java.util.Arrays.equals(coverage, p.coverage)
                && Double.compare(meanSquaredErrorOfMean, p.meanSquaredErrorOfMean) == 0
                && Double.compare(meanAbsoluteErrorOfMedian, p.meanAbsoluteErrorOfMedian) == 0;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(steps, logScore, meanLogScore, meanCrps, java.util.Arrays.hashCode(coverage));
    }

    @Override
    public String toString() {
        return "ProperScores[steps=" + steps + ", " + logScore + "=" + meanLogScore + ", crps=" + meanCrps
                + ", brier=" + meanBrierScore + ", pitDistance=" + pitDistance + ", coverage="
                + java.util.Arrays.toString(coverage) + " at " + java.util.Arrays.toString(coverageLevels) + "]";
    }

    /** The observed coverage of the central interval at {@code level}, NaN when that level was not counted. */
    public double coverageAt(double level) {
        for (int i = 0; i < coverageLevels.length; i++) {
            if (coverageLevels[i] == level) {
                return coverage[i];
            }
        }
        return Double.NaN;
    }

    /**
     * As JSON: coverage as {@code {"0.5": ..., "0.8": ...}}; a score that does not apply (NaN) is left out,
     * an infinite one written as {@link Json#optionalNumber} does.
     */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("steps", steps);
        o.put("logScore", logScore);
        Json.optionalNumber(o, "meanLogScore", meanLogScore);
        Json.optionalNumber(o, "meanCrps", meanCrps);
        Json.optionalNumber(o, "meanBrierScore", meanBrierScore);
        Json.optionalNumber(o, "pitDistance", pitDistance);
        ArrayNode histogram = o.putArray("pitHistogram");
        for (long c : pitHistogram) {
            histogram.add(c);
        }
        ObjectNode covered = o.putObject("coverage");
        for (int i = 0; i < coverageLevels.length; i++) {
            Json.optionalNumber(covered, Double.toString(coverageLevels[i]), coverage[i]);
        }
        Json.optionalNumber(o, "meanSquaredErrorOfMean", meanSquaredErrorOfMean);
        Json.optionalNumber(o, "meanAbsoluteErrorOfMedian", meanAbsoluteErrorOfMedian);
        return o;
    }
}
