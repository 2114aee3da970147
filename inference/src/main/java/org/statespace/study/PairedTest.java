package org.statespace.study;

import java.util.random.RandomGenerator;

import org.statespace.numeric.SpecialFunctions;

/**
 * Whether two models' scores on the same held-out steps differ by more than chance: a test of
 * E[d_t] = 0 for the paired per-step differences d_t = score_A(t) - score_B(t) (a positive mean favours A
 * for a higher-is-better score such as the log score). Three ways, all two-sided:
 *
 * <ul>
 * <li>{@link #dieboldMariano(double[], int)} (Diebold and Mariano 1995): S = d̄ / √(σ̂²/T) against the
 * standard normal, p = 2Φ(-|S|), with the long-run variance σ̂² estimated by Newey and West (1987):
 * σ̂² = γ̂_0 + 2 Σ_{k=1}^{L} (1 - k/(L+1)) γ̂_k, γ̂_k = (1/T) Σ_{t=k+1}^{T} (d_t - d̄)(d_{t-k} - d̄)
 * (Bartlett weights keep σ̂² &gt;= 0). Default truncation lag L = ⌊T^(1/3)⌋ ({@link #dieboldMariano(double[])}),
 * which grows slower than T as the consistency of the estimator needs. With L = 0 it is the paired
 * z-statistic d̄ / √(γ̂_0/T), i.e. the paired t-statistic times √(T/(T-1)).</li>
 * <li>{@link #blockBootstrap} (moving blocks, Künsch 1989): T steps rebuilt from blocks of b consecutive
 * differences drawn with replacement, R times; the standard error is the spread of the R resampled
 * means and p = (1 + #{|d̄*_r - d̄| &gt;= |d̄|}) / (R + 1), the centred bootstrap distribution standing in
 * for the null (Hall and Wilson 1991).</li>
 * <li>{@link #sequenceBootstrap}: the same with whole held-out sequences as the blocks, for studies with
 * several independent sequences; the resampled statistic is the pooled mean over all their steps.</li>
 * </ul>
 *
 * @param method         "diebold-mariano", "block-bootstrap" or "sequence-bootstrap"
 * @param observations   T, the number of paired differences
 * @param meanDifference d̄
 * @param standardError  the standard error of d̄ (HAC or bootstrap)
 * @param statistic      d̄ / standard error
 * @param pValue         two-sided p-value
 * @param lag            the HAC truncation lag L, or the bootstrap block length b (0 for sequences)
 * @param replicates     bootstrap resamples R (0 for Diebold-Mariano)
 */
public record PairedTest(String method, int observations, double meanDifference, double standardError,
        double statistic, double pValue, int lag, int replicates) {

    /** The Diebold-Mariano test with the truncation lag ⌊T^(1/3)⌋. */
    public static PairedTest dieboldMariano(double[] differences) {
        return dieboldMariano(differences, defaultLag(differences.length));
    }

    /** ⌊T^(1/3)⌋, at most T - 1. */
    public static int defaultLag(int observations) {
        return Math.max(0, Math.min(observations - 1, (int) Math.floor(Math.cbrt(observations))));
    }

    /**
     * The Diebold-Mariano test with a Newey-West variance truncated at {@code lag}. When every
     * difference is the same, σ̂² is 0: the statistic is 0 with p = 1 if they are all 0, else ±∞ with p = 0.
     *
     * @throws IllegalArgumentException with fewer than 2 differences, a non-finite one, or a lag outside
     *                                  0..T-1
     */
    public static PairedTest dieboldMariano(double[] differences, int lag) {
        int n = checked(differences);
        if (lag < 0 || lag >= n) {
            throw new IllegalArgumentException("the HAC lag must be in 0.." + (n - 1) + ", got " + lag);
        }
        double mean = mean(differences);
        double variance = autocovariance(differences, mean, 0);
        for (int k = 1; k <= lag; k++) {
            variance += 2 * (1 - k / (lag + 1.0)) * autocovariance(differences, mean, k);
        }
        double standardError = Math.sqrt(Math.max(0, variance) / n);
        double statistic = ratio(mean, standardError);
        return new PairedTest("diebold-mariano", n, mean, standardError, statistic, normalPValue(statistic), lag, 0);
    }

    /**
     * The moving-block bootstrap with blocks of {@code blockLength} steps and {@code replicates} resamples
     * drawn from {@code random}.
     */
    public static PairedTest blockBootstrap(double[] differences, int blockLength, int replicates,
            RandomGenerator random) {
        int n = checked(differences);
        if (blockLength < 1 || blockLength > n) {
            throw new IllegalArgumentException("the block length must be in 1.." + n + ", got " + blockLength);
        }
        checkReplicates(replicates);
        double mean = mean(differences);
        double[] means = new double[replicates];
        int starts = n - blockLength + 1;
        for (int r = 0; r < replicates; r++) {
            double sum = 0;
            int filled = 0;
            while (filled < n) {
                int start = random.nextInt(starts);
                int take = Math.min(blockLength, n - filled);
                for (int i = 0; i < take; i++) {
                    sum += differences[start + i];
                }
                filled += take;
            }
            means[r] = sum / n;
        }
        return fromResamples("block-bootstrap", n, mean, means, blockLength);
    }

    /**
     * The bootstrap over whole sequences: each resample draws as many sequences as given, with replacement,
     * and takes the mean over all their steps.
     *
     * @param differencesBySequence the paired differences of each held-out sequence (at least two
     *                              sequences, none empty)
     */
    public static PairedTest sequenceBootstrap(double[][] differencesBySequence, int replicates,
            RandomGenerator random) {
        int sequences = differencesBySequence.length;
        if (sequences < 2) {
            throw new IllegalArgumentException("a bootstrap over sequences needs at least 2 sequences, got " + sequences);
        }
        checkReplicates(replicates);
        double[] sums = new double[sequences];
        int[] lengths = new int[sequences];
        double total = 0;
        int n = 0;
        for (int s = 0; s < sequences; s++) {
            double[] d = differencesBySequence[s];
            if (d.length == 0) {
                throw new IllegalArgumentException("sequence " + s + " has no differences");
            }
            for (int t = 0; t < d.length; t++) {
                if (!Double.isFinite(d[t])) {
                    throw new IllegalArgumentException("sequence " + s + ", difference " + t + " is " + d[t]
                            + ", expected a finite number");
                }
                sums[s] += d[t];
            }
            lengths[s] = d.length;
            total += sums[s];
            n += d.length;
        }
        double mean = total / n;
        double[] means = new double[replicates];
        for (int r = 0; r < replicates; r++) {
            double sum = 0;
            long count = 0;
            for (int i = 0; i < sequences; i++) {
                int s = random.nextInt(sequences);
                sum += sums[s];
                count += lengths[s];
            }
            means[r] = sum / count;
        }
        return fromResamples("sequence-bootstrap", n, mean, means, 0);
    }

    /** Whether the difference is significant at {@code level}: p &lt; level. */
    public boolean significantAt(double level) {
        return pValue < level;
    }

    private static PairedTest fromResamples(String method, int n, double mean, double[] means, int lag) {
        int replicates = means.length;
        double centre = 0;
        for (double m : means) {
            centre += m;
        }
        centre /= replicates;
        double spread = 0;
        int extreme = 0;
        for (double m : means) {
            spread += (m - centre) * (m - centre);
            if (Math.abs(m - mean) >= Math.abs(mean)) {
                extreme++;
            }
        }
        double standardError = Math.sqrt(spread / (replicates - 1));
        double p = (1.0 + extreme) / (replicates + 1.0);
        return new PairedTest(method, n, mean, standardError, ratio(mean, standardError), p, lag, replicates);
    }

    private static void checkReplicates(int replicates) {
        if (replicates < 2) {
            throw new IllegalArgumentException("a bootstrap needs at least 2 replicates, got " + replicates);
        }
    }

    private static int checked(double[] differences) {
        if (differences.length < 2) {
            throw new IllegalArgumentException("a paired test needs at least 2 differences, got " + differences.length);
        }
        for (int t = 0; t < differences.length; t++) {
            if (!Double.isFinite(differences[t])) {
                throw new IllegalArgumentException("difference " + t + " is " + differences[t]
                        + ", expected a finite number (leave unscored steps out)");
            }
        }
        return differences.length;
    }

    private static double mean(double[] d) {
        double s = 0;
        for (double v : d) {
            s += v;
        }
        return s / d.length;
    }

    private static double autocovariance(double[] d, double mean, int k) {
        double s = 0;
        for (int t = k; t < d.length; t++) {
            s += (d[t] - mean) * (d[t - k] - mean);
        }
        return s / d.length;
    }

    private static double ratio(double mean, double standardError) {
        if (standardError > 0) {
            return mean / standardError;
        }
        return mean == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, mean);
    }

    // 2Φ(-|s|) = erfc(|s|/√2)
    private static double normalPValue(double statistic) {
        return Math.min(1, SpecialFunctions.erfc(Math.abs(statistic) / Math.sqrt(2)));
    }
}
