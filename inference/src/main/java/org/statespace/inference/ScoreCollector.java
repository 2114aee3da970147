package org.statespace.inference;

import java.util.Arrays;
import java.util.random.RandomGenerator;

import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.data.Support;
import org.statespace.distribution.Categorical;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.distribution.Scores;
import org.statespace.numeric.Randoms;

/**
 * A {@link StepListener} that scores every one-step prediction of a streaming filter run with the proper
 * scores of {@link Scores}, from a first step per sequence on (the held-out end), and sums them into
 * {@link ProperScores}; steps in the diffuse period of an exact diffuse start are left out (and counted).
 * It also keeps each scored step's log score and CRPS, in dataset order, for a
 * paired test between two models run over the same data ({@link org.statespace.study.PairedTest}).
 *
 * <p>The log score follows the dataset's {@link Support}: on counts a prediction that is not
 * integer-valued is scored by the discretised log score (univariate observations only; NaN for a
 * vector, whose rectangle mass under a correlated density is not computed), an integer-valued one by its
 * log mass; on real data and symbols by the log density or mass the filter reports. The randomised PIT
 * of sequence i draws from {@code Randoms.stream(seed, i)}, so the results do not depend on the thread
 * count.
 *
 * <pre>{@code
 * ScoreCollector scores = new ScoreCollector(data, firstStep, Scores.defaultCoverageLevels(), seed);
 * FilterEngine.of(options).stream(model, data, scores);
 * ProperScores summary = scores.scores();
 * }</pre>
 *
 * <p>Calls for different sequences may come from different threads; each sequence has its own
 * accumulator, combined in dataset order by {@link #scores()}.
 */
public final class ScoreCollector implements StepListener {
    /** Bins of the PIT histogram. */
    public static final int PIT_BINS = 10;

    private final Support support;
    private final int[] firstStep;
    private final double[] levels;
    private final Accumulator[] sequences;
    private final boolean[][] skip;

    /**
     * @param data      the dataset the filter runs over (its support picks the log score)
     * @param firstStep per sequence, the first step to score (0 for whole sequences)
     * @param levels    central interval levels for coverage, each in (0, 1)
     * @param seed      seed of the uniforms of the randomised PIT
     */
    public ScoreCollector(Dataset data, int[] firstStep, double[] levels, long seed) {
        this(data, firstStep, levels, seed, null);
    }

    /**
     * The same, leaving out also the steps t with {@code skip[i][t]} of sequence i (counted by
     * {@link #skippedSteps()}): a study passes the diffuse steps of every model it compares, so that all
     * are scored on the same steps.
     *
     * @param skip per sequence, steps not to score (a row may be shorter than its sequence, or null); or null
     */
    public ScoreCollector(Dataset data, int[] firstStep, double[] levels, long seed, boolean[][] skip) {
        if (skip != null && skip.length != data.size()) {
            throw new IllegalArgumentException("skip has " + skip.length + " rows for " + data.size() + " sequences");
        }
        this.skip = skip;
        if (firstStep.length != data.size()) {
            throw new IllegalArgumentException("firstStep has " + firstStep.length + " entries for " + data.size()
                    + " sequences");
        }
        for (double level : levels) {
            if (!(level > 0 && level < 1)) {
                throw new IllegalArgumentException("a coverage level must be in (0, 1), got " + level);
            }
        }
        this.support = data.support();
        this.firstStep = firstStep.clone();
        this.levels = levels.clone();
        this.sequences = new Accumulator[data.size()];
        for (int i = 0; i < sequences.length; i++) {
            sequences[i] = new Accumulator(levels.length, Randoms.stream(seed, i));
        }
    }

    /** Scores every step of every sequence, at the default coverage levels, with seed 0 for the PIT. */
    public static ScoreCollector wholeSequences(Dataset data) {
        return new ScoreCollector(data, new int[data.size()], Scores.defaultCoverageLevels(), 0);
    }

    /** The name of the log score used: see {@link ProperScores#logScore()}. */
    public String logScoreName() {
        return switch (support) {
            case COUNTS -> "discretised log score";
            case SYMBOLS -> "log mass";
            case REAL -> "log density";
        };
    }

    @Override
    public void onStep(int sequenceIndex, Sequence sequence, int t, PredictiveDistribution predicted,
            double logDensity) {
        onStep(sequenceIndex, sequence, t, predicted, logDensity, false);
    }

    /**
     * Scores the step unless it comes before the sequence's first step, is missing, or lies in the diffuse
     * period of an exact diffuse start (counted by {@link #diffuseSteps()} instead).
     */
    @Override
    public void onStep(int sequenceIndex, Sequence sequence, int t, PredictiveDistribution predicted,
            double logDensity, boolean diffuse) {
        if (t < firstStep[sequenceIndex] || sequence.isMissing(t)) {
            return;
        }
        Accumulator a = sequences[sequenceIndex];
        if (diffuse) {
            a.diffuse.add(t);
            return;
        }
        if (skip != null && skip[sequenceIndex] != null && t < skip[sequenceIndex].length && skip[sequenceIndex][t]) {
            a.skipped++;
            return;
        }
        int d = sequence.dimension();
        double logScore = logDensity;
        if (support == Support.COUNTS && !Scores.isIntegerValued(predicted)) {
            logScore = d == 1 ? Scores.discretisedLogScore(predicted, 0, sequence.value(t, 0)) : Double.NaN;
        }
        a.logScores.add(logScore);
        if (support == Support.SYMBOLS) {
            if (predicted instanceof Categorical c) {
                a.brier += Scores.brierScore(c, sequence.symbol(t));
            } else {
                a.brier = Double.NaN;
            }
            a.crps.add(Double.NaN);
            return;
        }
        double crps = 0;
        for (int j = 0; j < d; j++) {
            double y = sequence.value(t, j);
            if (Double.isNaN(y)) {
                continue;
            }
            crps += Scores.crps(predicted, j, y);
            a.pits.add(Scores.pit(predicted, j, y, a.random));
            for (int l = 0; l < levels.length; l++) {
                if (Scores.covers(predicted, j, y, levels[l])) {
                    a.covered[l]++;
                }
            }
            double e = Scores.meanError(predicted, j, y);
            a.squared += e * e;
            a.absolute += Math.abs(Scores.medianError(predicted, j, y));
            a.components++;
        }
        a.crps.add(crps);
    }

    /** The scores summed over every sequence so far. */
    public ProperScores scores() {
        long steps = 0;
        long components = 0;
        double logScore = 0;
        double crps = 0;
        double brier = 0;
        double squared = 0;
        double absolute = 0;
        long[] covered = new long[levels.length];
        for (Accumulator a : sequences) {
            steps += a.logScores.size;
            for (int k = 0; k < a.logScores.size; k++) {
                logScore += a.logScores.values[k];
                crps += a.crps.values[k];
            }
            brier += a.brier;
            squared += a.squared;
            absolute += a.absolute;
            components += a.components;
            for (int l = 0; l < levels.length; l++) {
                covered[l] += a.covered[l];
            }
        }
        double nan = Double.NaN;
        boolean symbols = support == Support.SYMBOLS;
        double[] pits = pitValues();
        double[] coverage = new double[levels.length];
        for (int l = 0; l < levels.length; l++) {
            coverage[l] = components == 0 ? nan : covered[l] / (double) components;
        }
        return new ProperScores(steps, logScoreName(), steps == 0 ? nan : logScore / steps,
                symbols || steps == 0 ? nan : crps / steps, symbols && steps > 0 ? brier / steps : nan,
                pits.length == 0 ? nan : Scores.kolmogorovSmirnovDistance(pits),
                pits.length == 0 ? new long[PIT_BINS] : Scores.pitHistogram(pits, PIT_BINS), levels, coverage,
                components == 0 ? nan : squared / components, components == 0 ? nan : absolute / components);
    }

    /**
     * Observed steps from the first step on that were not scored because they lay in the diffuse period of
     * an exact diffuse start ({@link org.statespace.DiffusePhase}).
     */
    public long diffuseSteps() {
        long n = 0;
        for (Accumulator a : sequences) {
            n += a.diffuse.size;
        }
        return n;
    }

    /** Per sequence, the steps of {@link #diffuseSteps()} in increasing order. */
    public int[][] diffuseStepsBySequence() {
        int[][] out = new int[sequences.length][];
        for (int i = 0; i < out.length; i++) {
            double[] v = sequences[i].diffuse.toArray();
            out[i] = new int[v.length];
            for (int k = 0; k < v.length; k++) {
                out[i][k] = (int) v[k];
            }
        }
        return out;
    }

    /** Observed steps from the first step on left out because the caller's skip mask named them. */
    public long skippedSteps() {
        long n = 0;
        for (Accumulator a : sequences) {
            n += a.skipped;
        }
        return n;
    }

    /** The log score of every scored step, sequence by sequence in dataset order. */
    public double[] stepLogScores() {
        return concatenate(true);
    }

    /** The CRPS of every scored step (summed over its observed components; NaN for symbols), in dataset order. */
    public double[] stepCrps() {
        return concatenate(false);
    }

    /** The log scores of the scored steps of sequence i. */
    public double[] stepLogScores(int sequenceIndex) {
        return sequences[sequenceIndex].logScores.toArray();
    }

    /** The PIT values of every observed component scored, in dataset order. */
    public double[] pitValues() {
        int n = 0;
        for (Accumulator a : sequences) {
            n += a.pits.size;
        }
        double[] out = new double[n];
        int at = 0;
        for (Accumulator a : sequences) {
            System.arraycopy(a.pits.values, 0, out, at, a.pits.size);
            at += a.pits.size;
        }
        return out;
    }

    private double[] concatenate(boolean logScores) {
        int n = 0;
        for (Accumulator a : sequences) {
            n += a.logScores.size;
        }
        double[] out = new double[n];
        int at = 0;
        for (Accumulator a : sequences) {
            DoubleList list = logScores ? a.logScores : a.crps;
            System.arraycopy(list.values, 0, out, at, list.size);
            at += list.size;
        }
        return out;
    }

    private static final class Accumulator {
        final DoubleList logScores = new DoubleList();
        final DoubleList crps = new DoubleList();
        final DoubleList pits = new DoubleList();
        final long[] covered;
        final RandomGenerator random;
        double brier;
        double squared;
        double absolute;
        long components;
        final DoubleList diffuse = new DoubleList();
        long skipped;

        Accumulator(int levels, RandomGenerator random) {
            this.covered = new long[levels];
            this.random = random;
        }
    }

    private static final class DoubleList {
        double[] values = new double[16];
        int size;

        void add(double v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        double[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
