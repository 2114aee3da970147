package org.statespace.inference;

import java.util.Arrays;
import java.util.Locale;

import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.exception.TooManyIterationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

import org.statespace.NumericalException;
import org.statespace.StateSpaceModel;
import org.statespace.capability.ParametricLikelihood;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceReader;
import org.statespace.data.SequenceSource;

/**
 * A derivative-free optimiser on a few free parameters ({@link ParametricLikelihood}: the structured
 * linear-Gaussian models): Commons Math's Nelder-Mead on the free parameters' unconstrained scale, restarted once at
 * its optimum (a collapsed simplex can stop short). One trace entry and curve point per Nelder-Mead iteration (the
 * best point so far). Its checkpoint ({@link OptimizerCheckpoint}) keeps the best point and the pass, not the
 * simplex, so a resumed fit reaches the same optimum within its tolerance.
 *
 * <p>The objective is scored through the run's {@link FitRun#trainingData}: the data in memory, or a file read by
 * offsets ({@link org.statespace.data.SequenceIndex}) where each candidate's log-likelihood is a pass over the file,
 * a sequence at a time and a long sequence in chunks ({@link FilterEngine#stream(StateSpaceModel, SequenceSource,
 * StepListener)}), so the heap does not grow with the data. The pass sums the same steps in the same order as the
 * in-memory run, so both fits take the same points and give the same trace, bit for bit.
 */
final class OptimizerLoop {
    /**
     * Nelder-Mead stops only when no vertex moves by more than this on the optimiser's (unconstrained) scale,
     * or the likelihood is flat along the coordinates that still move ({@link #flatAlong}).
     */
    static final double POINT_TOLERANCE = 1e-7;

    /**
     * Whether the objective is flat along coordinate {@code i} at {@code at}: a whole unit step either way (on
     * the optimiser's scale: a factor e on a variance) changes it by at most {@code tolerance} relative to its
     * value (1 absolute when the value is smaller than 1), the value test the fit converges by. Two
     * evaluations; a point that is not finite is not flat.
     */
    static boolean flatAlong(org.apache.commons.math3.analysis.MultivariateFunction f, PointValuePair at, int i,
            double tolerance) {
        double value = at.getValue();
        double allowed = tolerance * Math.max(1, Math.abs(value));
        for (double step : new double[] {1, -1}) {
            double[] probe = at.getPoint();
            probe[i] += step;
            double v = f.value(probe);
            if (!(Math.abs(v - value) <= allowed)) {
                return false;
            }
        }
        return true;
    }

    private final FitRun run;

    OptimizerLoop(FitRun run) {
        this.run = run;
    }

    FitResult fit(StateSpaceModel<?, ?> initial, OptimizerCheckpoint resume) {
        TrainOptions options = run.options;
        SequenceSource training = run.trainingData;
        ParametricLikelihood start = (ParametricLikelihood) initial;
        FitRun.History history;
        int[] iteration = {0};
        double[] best = {Double.NEGATIVE_INFINITY};
        double[][] bestPoint = {start.freeParameters()};
        int firstPass = 0;
        if (resume != null) {
            history = run.resumed(resume.progress());
            iteration[0] = resume.progress().iteration();
            best[0] = resume.bestValue();
            bestPoint[0] = resume.bestPoint();
            firstPass = resume.pass();
        } else {
            history = run.startingAt(initial);
        }
        MultivariateFunction negativeLogLikelihood = p -> {
            double ll;
            try {
                ll = run.logLikelihood(start.withFreeParameters(p), training);
            } catch (NumericalException e) {
                return Double.MAX_VALUE;
            }
            if (!Double.isFinite(ll)) {
                return Double.MAX_VALUE;
            }
            if (ll > best[0]) {
                best[0] = ll;
                bestPoint[0] = p.clone();
            }
            return -ll;
        };
        ObjectiveFunction objective = new ObjectiveFunction(negativeLogLikelihood);
        // Converged when every vertex's value changes by less than the tolerance (relative) and its
        // position by less than POINT_TOLERANCE: on a flat likelihood the values settle long before the
        // point does (the Nile local-level optimum is flat to 1e-8 over 0.03% of the variances). A
        // coordinate that still moves is settled too when the likelihood no longer depends on it: an optimum
        // on the boundary of the parameter space (a variance of 0, which lies at minus infinity on the
        // optimiser's log scale: the Lake Huron, lynx or sunspot series as a local level, whose observation
        // variance goes to 0) is approached step by step forever, and only this test ends such a fit.
        SimpleValueChecker checker = new SimpleValueChecker(options.tolerance(), 1e-12) {
            @Override
            public boolean converged(int it, PointValuePair previous, PointValuePair current) {
                if (!super.converged(it, previous, current)) {
                    return false;
                }
                double[] a = previous.getPoint();
                double[] b = current.getPoint();
                for (int i = 0; i < a.length; i++) {
                    if (Math.abs(a[i] - b[i]) > POINT_TOLERANCE
                            && !flatAlong(negativeLogLikelihood, current, i, options.tolerance())) {
                        return false;
                    }
                }
                return true;
            }
        };
        int[] currentPass = {firstPass};
        // one trace entry and curve point per Nelder-Mead iteration, and a checkpoint when due
        Runnable record = () -> {
            iteration[0]++;
            StateSpaceModel<?, ?> m = start.withFreeParameters(bestPoint[0]);
            LearningCurve.Point p = history.add(iteration[0], best[0], m);
            run.listener.onIteration(iteration[0], options.maxIterations(), p);
            if (run.checkpointDue(iteration[0])) {
                // the optimiser does not stop early: its early stopping state stays empty
                run.save(new OptimizerCheckpoint(run.progress(iteration[0], m, history, new EarlyStopping(0, false)),
                        bestPoint[0], best[0], currentPass[0]));
            }
        };
        double[] x = bestPoint[0].clone();
        boolean converged = true;
        // Nelder-Mead, restarted once at its optimum (a collapsed simplex can stop short)
        for (int pass = firstPass; pass < 2; pass++) {
            currentPass[0] = pass;
            double[] steps = new double[x.length];
            Arrays.fill(steps, pass == 0 ? 1.0 : 0.1);
            SimplexOptimizer optimizer = new SimplexOptimizer(checker) {
                @Override
                protected void incrementIterationCount() {
                    super.incrementIterationCount();
                    record.run();
                }
            };
            try {
                PointValuePair r = optimizer.optimize(new MaxEval(Math.max(100, options.maxIterations() * 20)),
                        new MaxIter(options.maxIterations()), objective, GoalType.MINIMIZE,
                        new InitialGuess(x), new NelderMeadSimplex(steps));
                x = r.getPoint();
            } catch (TooManyEvaluationsException | TooManyIterationsException e) {
                x = bestPoint[0];
                converged = false;
            }
        }
        double ll = best[0];
        if (!Double.isFinite(ll)) {
            // every point tried scored NaN or -Infinity: the optimiser compared equal values and stopped,
            // which is no optimum; the start would come back unchanged
            throw new NumericalException("the log-likelihood was not finite at the start (" + history.trace.get(0)
                    + ") nor at any of the " + iteration[0] + " iterations' points the optimiser tried; the "
                    + "data may lie beyond the range of double precision for this model (observations of "
                    + "magnitude " + String.format(Locale.ROOT, "%.3g", largestMagnitude(training))
                    + ")");
        }
        StateSpaceModel<?, ?> fitted = start.withFreeParameters(bestPoint[0]);
        return run.result(fitted, history, iteration[0], converged, ll,
                run.stopWarnings(converged, history.values(), "iteration"));
    }

    /**
     * The largest finite |observation| in the data (0 when there is none); a sequence the source reads in chunks
     * ({@link SequenceSource#reader}) is read a chunk at a time.
     */
    static double largestMagnitude(SequenceSource data) {
        double max = 0;
        for (int i = 0; i < data.size(); i++) {
            SequenceReader reader = data.inMemory() == null ? data.reader(i) : null;
            if (reader == null) {
                max = largest(data.sequence(i), 0, max);
                continue;
            }
            try (reader) {
                int seen = 0;
                while (reader.nextSequence()) {
                    for (Sequence chunk = reader.nextChunk(); chunk != null; chunk = reader.nextChunk()) {
                        max = largest(chunk, seen, max);
                        seen = chunk.length();
                    }
                    seen = 0;
                }
            }
        }
        return max;
    }

    // the largest of max and the finite |values| of steps from .. of a sequence (a chunk: its window)
    private static double largest(Sequence s, int from, double max) {
        for (int t = from; t < s.length(); t++) {
            for (int j = 0; j < s.dimension(); j++) {
                double v = s.value(t, j);
                if (Double.isFinite(v)) {
                    max = Math.max(max, Math.abs(v));
                }
            }
        }
        return max;
    }
}
