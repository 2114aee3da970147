package org.statespace.inference;

import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;


/**
 * Scores a stored filter run: the metrics of {@link Metrics} over the steps of each sequence from a
 * given step on (so that a model filtered through a sequence's training part is scored only on its
 * held-out end, every prediction made from the whole past).
 */
public final class Evaluation {
    private Evaluation() {
    }

    /**
     * @param run       a stored run with summaries
     * @param firstStep per sequence, the first step to score (0 for whole sequences)
     * @param data      the observations the run saw (for the errors)
     */
    public static Metrics score(FilterResult run, int[] firstStep, Dataset data, int parameters,
            double aic, double bic, double fitSeconds) {
        long steps = 0;
        double logLikelihood = 0;
        long components = 0;
        double squared = 0;
        double absolute = 0;
        long inside50 = 0;
        long inside90 = 0;
        long correct = 0;
        boolean symbolic = false;
        for (int i = 0; i < run.sequences().size(); i++) {
            SequenceTrace trace = run.sequence(i);
            var sequence = data.sequence(i);
            symbolic = trace.symbolCount() > 0;
            for (int t = firstStep[i]; t < trace.length(); t++) {
                if (!trace.observed(t)) {
                    continue;
                }
                steps++;
                logLikelihood += trace.logDensity(t);
                if (symbolic) {
                    if ((int) trace.point(t, 0) == sequence.symbol(t)) {
                        correct++;
                    }
                    continue;
                }
                for (int j = 0; j < trace.dimension(); j++) {
                    double y = sequence.value(t, j);
                    if (Double.isNaN(y)) {
                        continue;
                    }
                    components++;
                    double e = y - trace.point(t, j);
                    squared += e * e;
                    absolute += Math.abs(e);
                    double[] i50 = trace.interval(t, j, 0.5);
                    double[] i90 = trace.interval(t, j, 0.9);
                    if (y >= i50[0] && y <= i50[1]) {
                        inside50++;
                    }
                    if (y >= i90[0] && y <= i90[1]) {
                        inside90++;
                    }
                }
            }
        }
        double nan = Double.NaN;
        double mean = steps == 0 ? nan : logLikelihood / steps;
        double filterSeconds = run.seconds();
        if (symbolic) {
            return new Metrics(steps, mean, nan, nan, steps == 0 ? nan : (double) correct / steps, -mean, nan, nan,
                    parameters, aic, bic, fitSeconds, filterSeconds);
        }
        double n = components;
        return new Metrics(steps, mean, components == 0 ? nan : squared / n, components == 0 ? nan : absolute / n,
                nan, nan, components == 0 ? nan : inside50 / n, components == 0 ? nan : inside90 / n, parameters, aic,
                bic, fitSeconds, filterSeconds);
    }

    /**
     * Runs the model over the data once more, streaming, and scores each prediction from
     * {@code firstStep[i]} on with the proper scores ({@link ScoreCollector}): the collector holds the
     * summary ({@link ScoreCollector#scores()}) and the per-step scores for a paired test.
     *
     * @param levels central interval levels for coverage (e.g.
     *               {@link org.statespace.distribution.Scores#defaultCoverageLevels()})
     * @param seed   seed of the randomised PIT
     */
    public static ScoreCollector properScores(FilterEngine engine, StateSpaceModel<?, ?> model, Dataset data,
            int[] firstStep, double[] levels, long seed) {
        return properScores(engine, model, data, firstStep, levels, seed, null);
    }

    /**
     * The same, leaving out the steps {@code skip} names as well (see
     * {@link ScoreCollector#ScoreCollector(Dataset, int[], double[], long, boolean[][])}).
     */
    public static ScoreCollector properScores(FilterEngine engine, StateSpaceModel<?, ?> model, Dataset data,
            int[] firstStep, double[] levels, long seed, boolean[][] skip) {
        ScoreCollector collector = new ScoreCollector(data, firstStep, levels, seed, skip);
        engine.stream(model, data, collector);
        return collector;
    }
}
