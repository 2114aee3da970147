package org.statespace.inference;

import java.util.ArrayList;
import java.util.List;

import org.statespace.StateSpaceModel;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceSource;

/**
 * One fit's data, options and the pieces every method's loop shares: scoring (training log-likelihood, validation
 * loss), the learning curve and trace ({@link History}), early stopping, checkpoints, the warnings of a fit the
 * iteration limit ended, and the {@link FitResult} at the end. A loop ({@link ClosedFormLoop}, {@link EmLoop},
 * {@link OnlineEmLoop}, {@link OptimizerLoop}, {@link GradientLoop}) holds only its own iteration.
 *
 * <p>The data are in memory ({@link #training}, {@link #validation}), or, for gradient training over a file, only
 * as sources read a sequence at a time ({@link #trainingData}, {@link #validationData}; then {@link #training} and
 * {@link #validation} are null). The scoring here reads the sources, which give the in-memory datasets' own
 * numbers when they wrap them.
 */
final class FitRun {
    final Dataset training;
    final Dataset validation;
    final SequenceSource trainingData;
    final SequenceSource validationData;
    final TrainOptions options;
    final FitSettings settings;
    final TrainingListener listener;
    final long observations;
    final long validationObservations;
    final FilterEngine engine;
    final TrainOptions.Method method;
    final String fingerprint;
    private final long start = System.nanoTime();

    FitRun(Dataset training, Dataset validation, TrainOptions options, FitSettings settings, TrainingListener listener,
            TrainOptions.Method method, String fingerprint) {
        this(training, validation, SequenceSource.of(training), validation == null ? null : SequenceSource.of(validation),
                options, settings, listener, method, fingerprint);
    }

    /** A run over sources (gradient training over a file): {@link #training} and {@link #validation} are null. */
    FitRun(SequenceSource training, SequenceSource validation, TrainOptions options, FitSettings settings,
            TrainingListener listener, TrainOptions.Method method, String fingerprint) {
        this(training.inMemory(), validation == null ? null : validation.inMemory(), training, validation, options,
                settings, listener, method, fingerprint);
    }

    private FitRun(Dataset training, Dataset validation, SequenceSource trainingData, SequenceSource validationData,
            TrainOptions options, FitSettings settings, TrainingListener listener, TrainOptions.Method method,
            String fingerprint) {
        this.training = training;
        this.validation = validation;
        this.trainingData = trainingData;
        this.validationData = validationData;
        this.options = options;
        this.settings = settings;
        this.listener = listener;
        this.method = method;
        this.fingerprint = fingerprint;
        this.engine = FilterEngine.of(new FilterOptions(options.threads(), false));
        this.observations = countObserved(trainingData);
        this.validationObservations = validationData == null ? 0 : countObserved(validationData);
    }

    static long countObserved(SequenceSource d) {
        long n = 0;
        for (int i = 0; i < d.size(); i++) {
            n += d.observedSteps(i);
        }
        return n;
    }

    static long countObserved(Dataset d) {
        long n = 0;
        for (Sequence s : d.sequences()) {
            n += s.observedSteps();
        }
        return n;
    }

    double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    double logLikelihood(StateSpaceModel<?, ?> model, Dataset data) {
        return engine.stream(model, data, null).logLikelihood();
    }

    double logLikelihood(StateSpaceModel<?, ?> model, SequenceSource data) {
        return engine.stream(model, data, null).logLikelihood();
    }

    double validationLoss(StateSpaceModel<?, ?> model) {
        if (validationData == null) {
            return Double.NaN;
        }
        return -logLikelihood(model, validationData) / Math.max(1, validationObservations);
    }

    double perObservation(double logLikelihood) {
        return -logLikelihood / Math.max(1, observations);
    }

    /** Early stopping for a fresh run. */
    EarlyStopping stopper() {
        return new EarlyStopping(options.patience(), validationData != null);
    }

    /** Early stopping as a checkpoint left it. */
    EarlyStopping stopper(CheckpointProgress from) {
        return EarlyStopping.restored(options.patience(), validationData != null, from);
    }

    /** The part of a checkpoint every method shares, for this run at {@code iteration}. */
    CheckpointProgress progress(int iteration, StateSpaceModel<?, ?> model, History history, EarlyStopping stopper) {
        return new CheckpointProgress("", fingerprint, iteration, model.toSpec(), history.trace, history.curve,
                stopper.best == null ? null : stopper.best.toSpec(), stopper.bestLoss, stopper.sinceBest);
    }

    boolean checkpointDue(long iteration) {
        return options.checkpoint() != null && iteration % options.checkpointEvery() == 0;
    }

    void save(Checkpoint c) {
        c.write(options.checkpoint());
    }

    /** A fresh history whose first entry is {@code start} scored on the training (and validation) data. */
    History startingAt(StateSpaceModel<?, ?> start) {
        History h = new History(new LearningCurve(), new ArrayList<>());
        h.add(0, logLikelihood(start, trainingData), start);
        return h;
    }

    /** An empty history (EM scores its start in its first E-step). */
    History empty() {
        return new History(new LearningCurve(), new ArrayList<>());
    }

    /** The history a checkpoint holds. */
    History resumed(CheckpointProgress from) {
        return new History(new LearningCurve(from.curve().points()), new ArrayList<>(from.trace()));
    }

    /**
     * The training log-likelihood per iteration and the learning curve, grown together. A point's validation loss is
     * that of the model given (NaN without validation data).
     */
    final class History {
        final LearningCurve curve;
        final List<Double> trace;

        private History(LearningCurve curve, List<Double> trace) {
            this.curve = curve;
            this.trace = trace;
        }

        LearningCurve.Point add(int iteration, double logLikelihood, StateSpaceModel<?, ?> model) {
            trace.add(logLikelihood);
            LearningCurve.Point p = new LearningCurve.Point(iteration, perObservation(logLikelihood),
                    validationLoss(model), seconds());
            curve.add(p);
            return p;
        }

        double last() {
            return trace.get(trace.size() - 1);
        }

        double[] values() {
            return trace.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    /**
     * The model early stopping kept and its training log-likelihood: the last one's {@code lastLogLikelihood} when it
     * is the last, else scored again.
     */
    double keptLogLikelihood(StateSpaceModel<?, ?> kept, StateSpaceModel<?, ?> last, double lastLogLikelihood) {
        return kept == last ? lastLogLikelihood : logLikelihood(kept, trainingData);
    }

    /** The result of a one-start fit (restarts: only the final log-likelihood). */
    FitResult result(StateSpaceModel<?, ?> model, History history, int iterations, boolean converged,
            double logLikelihood, List<String> warnings) {
        return new FitResult(model, method, history.curve, history.values(), iterations, converged, logLikelihood,
                observations, new double[] {logLikelihood}, seconds(), options, settings, warnings);
    }

    /**
     * The one-line warning of a fit the iteration limit ended: the limit, and how much the last iteration
     * still improved the training log-likelihood relative to its value. Empty for a converged fit.
     */
    List<String> stopWarnings(boolean converged, double[] trace, String unit) {
        if (converged) {
            return List.of();
        }
        String last = "";
        if (trace.length >= 2) {
            double a = trace[trace.length - 2];
            double b = trace[trace.length - 1];
            last = String.format(java.util.Locale.ROOT, "; the last %s changed the log-likelihood by %.3g relative",
                    unit, (b - a) / Math.abs(b));
        }
        return List.of("not converged: stopped at the iteration limit (maxIterations " + options.maxIterations()
                + ")" + (method == TrainOptions.Method.GRADIENT ? "" : " before the tolerance " + options.tolerance()
                + " was met") + last);
    }

    /** The warning that the start of {@code restart} was degenerate and moved. */
    String symmetryNote(int restart, String why) {
        return (restart == 0 ? "the start" : "the start of restart " + restart) + " was degenerate, " + why
                + "; EM started instead from it moved part of the way towards a data-driven random start "
                + "(seed " + options.seed() + ")";
    }
}
