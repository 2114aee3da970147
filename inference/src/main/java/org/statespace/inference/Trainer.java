package org.statespace.inference;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;
import org.apache.commons.math3.exception.TooManyEvaluationsException;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.DataException;
import org.statespace.NumericalException;
import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.capability.ClosedFormFitting;
import org.statespace.capability.Differentiable;
import org.statespace.capability.ExpectationMaximization;
import org.statespace.capability.FitSettings;
import org.statespace.capability.GradientEvaluator;
import org.statespace.capability.Initialization;
import org.statespace.capability.ParametricLikelihood;
import org.statespace.capability.SufficientStatistics;
import org.statespace.capability.SymmetryBreaking;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;
import org.statespace.spec.ModelTemplate;

/**
 * Fits any family from an initial model and data, the one entry point for all of them:
 * <ul>
 *   <li>closed form ({@link ClosedFormFitting}: a Markov chain's counts);</li>
 *   <li>EM ({@link ExpectationMaximization}: Baum-Welch, Shumway-Stoffer), E-steps in parallel over
 *       sequences, with restarts from {@link Initialization};</li>
 *   <li>a derivative-free optimiser on a few free parameters ({@link ParametricLikelihood}: the
 *       structured linear-Gaussian models), Nelder-Mead restarted at its optimum;</li>
 *   <li>gradient descent ({@link Differentiable}: RNNs), Adam or SGD with momentum, mini-batches of
 *       sequences, clipping by global norm.</li>
 * </ul>
 * Every method records a learning curve (training and validation loss per iteration, as mean negative
 * log-likelihood per observed step) and, with validation data and a patience, stops early and keeps the
 * best-validation model. All randomness comes from {@link TrainOptions#seed()}. With
 * {@link TrainOptions#checkpoint()} set, the whole state is written every
 * {@link TrainOptions#checkpointEvery()} iterations, and {@link #resume} continues from it.
 *
 * <p>A fit ends in exactly one of three ways:
 * <ul>
 *   <li><b>converged</b>: the relative improvement of the training log-likelihood fell to
 *       {@link TrainOptions#tolerance()} (EM, the optimiser), early stopping on validation data ended it, or the
 *       closed form gave the optimum; {@link FitResult#converged()} is true;</li>
 *   <li><b>stopped</b>: {@link TrainOptions#maxIterations()} ended it first (always so for gradient training
 *       without early stopping, which has no tolerance); {@link FitResult#converged()} is false and
 *       {@link FitResult#warnings()} holds one line naming the limit and the last relative improvement;</li>
 *   <li><b>failed</b>: an exception, never a result. Training data without one observed value is a
 *       {@link DataException}; a log-likelihood that is not finite at every point tried (data beyond the range
 *       of double precision, say) is a {@link NumericalException}, never a "converged" start given back.</li>
 * </ul>
 * A start whose states are interchangeable ({@link SymmetryBreaking}: an HMM with identical transition rows
 * and emission densities) is a saddle point EM cannot leave, and its zero improvement would pass for
 * convergence. Such a start is moved, deterministically given the seed, part of the way towards a data-driven
 * random start, and a warning says so. We move it rather than refuse it: hmmlearn runs such a start as given and
 * its {@code ConvergenceMonitor} counts the zero improvement (and even the iteration limit) as convergence, which
 * is the silent answer a demanding user must not get; a refusal would also stop fits whose data-driven template
 * start happens to be symmetric (a constant series); and the moved start keeps the pooled level and scale the
 * user gave, so a user who wants their exact start can still give one whose states differ.
 */
public final class Trainer {
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
    /** Random streams {@code SYMMETRY_STREAM - r} of the seed move a degenerate start of restart r. */
    static final long SYMMETRY_STREAM = -1_000_000;

    private Trainer() {
    }

    /**
     * Fits {@code initial} to {@code training}.
     *
     * @param validation held-out data for the validation curve and early stopping, or {@code null} (then
     *                   {@link TrainOptions#validationFraction()} may split some off the training data)
     * @param settings   the family's own settings ({@link FitSettings#NONE} for none)
     * @param listener   sees each iteration ({@link TrainingListener#NONE} for none)
     */
    public static FitResult fit(StateSpaceModel<?, ?> initial, Dataset training, Dataset validation,
            TrainOptions options, FitSettings settings, TrainingListener listener) {
        return logged(run(initial, training, validation, options, settings, listener, null));
    }

    /** Restarts of an EM fit from a template by {@link #fit(ModelTemplate, Dataset)} (seeded starts beside the first). */
    public static final int TEMPLATE_RESTARTS = 4;

    /**
     * Fits a model in one call with the default options ({@link TrainOptions#defaults()}) and the family's
     * default settings; the result is typed as the model that went in.
     *
     * <pre>{@code
     * HiddenMarkovModel start = HiddenMarkovModel.of(pi, a, PoissonEmission.of(rates));
     * FittedModel<HiddenMarkovModel> fit = Trainer.fit(start, counts);
     * HiddenMarkovModel fitted = fit.model();
     * }</pre>
     *
     * @throws DataException      when the data do not fit the model (a symbol it does not know, a wrong dimension)
     *                            or have no observed value
     * @throws NumericalException when the log-likelihood is not finite at every point tried
     */
    public static <M extends StateSpaceModel<?, ?>> FittedModel<M> fit(M initial, Dataset training) {
        return fit(initial, training, TrainOptions.defaults());
    }

    /**
     * Fits a model in one call with the given options and the family's default settings:
     * {@code Trainer.fit(start, data, TrainOptions.defaults().withMaxIterations(500).withSeed(7))}.
     */
    public static <M extends StateSpaceModel<?, ?>> FittedModel<M> fit(M initial, Dataset training,
            TrainOptions options) {
        Dataset aligned = initial.observationSpace().align(training, "training data");
        FitSettings settings = FitConfiguration.defaults(initial).settings();
        FitResult result = fit(initial, aligned, null, options, settings, TrainingListener.NONE);
        return typed(initial.getClass(), result, aligned);
    }

    /**
     * Sizes a template by the data, starts it from a draw seeded by {@link TrainOptions#seed()} (0 by default)
     * and fits it, with {@link #TEMPLATE_RESTARTS} restarts for a model fitted by EM (as {@code statespace fit}
     * does for a template), in one call: hmmlearn's {@code GaussianHMM(n_components=2).fit(X)} is
     *
     * <pre>{@code
     * FittedModel<HiddenMarkovModel> fit = Trainer.fit(HiddenMarkovModel.gaussian(2), data);
     * }</pre>
     *
     * @throws DataException when the family does not apply to such data (a Poisson HMM of symbols, say)
     */
    public static <M extends StateSpaceModel<?, ?>> FittedModel<M> fit(ModelTemplate<M> template, Dataset training) {
        return fit(template, training, null);
    }

    /**
     * Sizes a template by the data and fits it with the given options (their restarts as given, none by default):
     * {@code Trainer.fit(RnnModel.gru(16), data, TrainOptions.defaults().withMaxIterations(50))}.
     */
    public static <M extends StateSpaceModel<?, ?>> FittedModel<M> fit(ModelTemplate<M> template, Dataset training,
            TrainOptions options) {
        TrainOptions o = options == null ? TrainOptions.defaults() : options;
        M start = template.start(training, Randoms.seeded(o.seed()));
        if (options == null && start instanceof Initialization && start instanceof ExpectationMaximization) {
            o = o.withRestarts(TEMPLATE_RESTARTS);
        }
        Dataset aligned = start.observationSpace().align(training, "training data");
        FitSettings settings = FitConfiguration.defaults(start).settings();
        FitResult result = fit(start, aligned, null, o, settings, TrainingListener.NONE);
        return typed(template.modelClass(), result, aligned);
    }

    private static <M extends StateSpaceModel<?, ?>> FittedModel<M> typed(Class<?> type, FitResult result,
            Dataset training) {
        if (!type.isInstance(result.model())) {
            throw new IllegalStateException("a fit of a " + type.getSimpleName() + " returned a "
                    + result.model().getClass().getSimpleName());
        }
        @SuppressWarnings("unchecked")
        M model = (M) result.model();
        return new FittedModel<>(model, result, training);
    }

    /**
     * Continues a fit from a checkpoint that {@link TrainOptions#checkpoint()} made it write: with the same
     * starting model, data, options and settings (checked by a fingerprint; only {@code maxIterations}
     * may differ), it ends with the parameters of an uninterrupted run (the optimiser, whose simplex is
     * not saved, restarts at the best point so far and reaches the same optimum within its tolerance).
     * It goes on writing checkpoints to {@link TrainOptions#checkpoint()} if that is set.
     *
     * @throws SpecException if the checkpoint is damaged or belongs to another fit
     */
    public static FitResult resume(Path checkpoint, StateSpaceModel<?, ?> initial, Dataset training, Dataset validation,
            TrainOptions options, FitSettings settings, TrainingListener listener) {
        return logged(run(initial, training, validation, options, settings, listener, Checkpoint.read(checkpoint)));
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Trainer.class);

    /**
     * The library prints nothing; a fit's end goes to the SLF4J log at debug, its warnings (also in
     * {@link FitResult#warnings()}) at info.
     */
    private static FitResult logged(FitResult r) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} fit by {} {} after {} iterations: log-likelihood {} on {} observations, {} s", r.model().type(),
                    r.method().jsonName(), r.status(), r.iterations(), r.logLikelihood(), r.observations(), r.seconds());
        }
        for (String w : r.warnings()) {
            LOG.info("{} fit: {}", r.model().type(), w);
        }
        return r;
    }

    private static FitResult run(StateSpaceModel<?, ?> initial, Dataset training, Dataset validation,
            TrainOptions options, FitSettings settings, TrainingListener listener, Checkpoint resume) {
        training = initial.observationSpace().align(training, "training data");
        if (validation == null && options.validationFraction() > 0) {
            Dataset.Split split = training.size() >= 5
                    ? training.splitBySequence(1 - options.validationFraction())
                    : training.splitInTime(1 - options.validationFraction());
            training = split.training();
            validation = split.heldOut();
        }
        if (validation != null) {
            validation = initial.observationSpace().align(validation, "validation data");
        }
        if (Run.countObserved(training) == 0) {
            long steps = training.sequences().stream().mapToLong(Sequence::length).sum();
            throw new DataException("training data: every one of its " + steps + " steps is missing, so there is "
                    + "nothing to fit");
        }
        TrainOptions.Method method = resolve(initial, options.method());
        String fingerprint = Checkpoint.fingerprint(initial, training, validation, options, settings);
        if (resume != null) {
            if (!resume.method.equals(method.jsonName())) {
                throw new SpecException(resume.source, "method", "the checkpoint is of a " + resume.method + " fit, this fit is "
                        + method.jsonName());
            }
            if (!resume.fingerprint.equals(fingerprint)) {
                throw new SpecException(resume.source, "fingerprint", "the checkpoint was written by a fit with another "
                        + "starting model, other data, other options or other settings; resume with the same ones");
            }
            resume.check(method, options, initial, training);
        }
        Run run = new Run(training, validation, options, settings, listener == null ? TrainingListener.NONE : listener,
                method, fingerprint, resume);
        return switch (method) {
            case CLOSED_FORM -> run.closedForm((ClosedFormFitting) initial, initial);
            case EM -> run.expectationMaximization(initial);
            case OPTIMIZER -> run.optimize(initial);
            case GRADIENT -> run.gradient(initial);
            case ONLINE_EM -> run.onlineExpectationMaximization(initial);
            case AUTO -> throw new IllegalStateException();
        };
    }

    /** The method AUTO picks for a model, or the requested one if the model supports it. */
    public static TrainOptions.Method resolve(StateSpaceModel<?, ?> model, TrainOptions.Method requested) {
        List<TrainOptions.Method> available = available(model);
        if (available.isEmpty()) {
            throw new SpecException("", "fit", "a " + model.type() + " model cannot be fitted");
        }
        if (requested == TrainOptions.Method.AUTO) {
            return available.get(0);
        }
        if (!available.contains(requested)) {
            throw new SpecException("", "fit.method", "a " + model.type() + " model cannot be fitted by "
                    + requested.jsonName() + (requested == TrainOptions.Method.ONLINE_EM ? " (online EM needs expected "
                    + "sufficient statistics: HMM, explicit-duration HMM, linear-Gaussian)" : "") + "; it supports "
                    + available.stream().map(TrainOptions.Method::jsonName).toList());
        }
        return requested;
    }

    /** The methods a model supports, in order of preference. */
    public static List<TrainOptions.Method> available(StateSpaceModel<?, ?> model) {
        List<TrainOptions.Method> out = new ArrayList<>();
        if (model instanceof ClosedFormFitting) {
            out.add(TrainOptions.Method.CLOSED_FORM);
        }
        if (model instanceof ExpectationMaximization) {
            out.add(TrainOptions.Method.EM);
        }
        if (model instanceof ParametricLikelihood) {
            out.add(TrainOptions.Method.OPTIMIZER);
        }
        if (model instanceof Differentiable) {
            out.add(TrainOptions.Method.GRADIENT);
        }
        if (model instanceof ExpectationMaximization em && em.newStatistics().blendable()) {
            out.add(TrainOptions.Method.ONLINE_EM); // last: AUTO picks batch EM
        }
        return out;
    }

    // One fit's data, options and helpers.
    private static final class Run {
        final Dataset training;
        final Dataset validation;
        final TrainOptions options;
        final FitSettings settings;
        final TrainingListener listener;
        final long observations;
        final long validationObservations;
        final FilterEngine engine;
        final TrainOptions.Method method;
        final String fingerprint;
        final Checkpoint resume;
        final long start = System.nanoTime();

        Run(Dataset training, Dataset validation, TrainOptions options, FitSettings settings, TrainingListener listener,
                TrainOptions.Method method, String fingerprint, Checkpoint resume) {
            this.training = training;
            this.validation = validation;
            this.options = options;
            this.settings = settings;
            this.listener = listener;
            this.method = method;
            this.fingerprint = fingerprint;
            this.resume = resume;
            this.engine = FilterEngine.of(new FilterOptions(options.threads(), false));
            this.observations = countObserved(training);
            this.validationObservations = validation == null ? 0 : countObserved(validation);
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

        double validationLoss(StateSpaceModel<?, ?> model) {
            if (validation == null) {
                return Double.NaN;
            }
            return -logLikelihood(model, validation) / Math.max(1, validationObservations);
        }

        double perObservation(double logLikelihood) {
            return -logLikelihood / Math.max(1, observations);
        }

        /** A checkpoint of this run, with the parts every method shares filled in. */
        Checkpoint checkpoint(int iteration, StateSpaceModel<?, ?> model, List<Double> trace, LearningCurve curve,
                EarlyStopping stopper) {
            Checkpoint c = new Checkpoint();
            c.method = method.jsonName();
            c.fingerprint = fingerprint;
            c.iteration = iteration;
            c.model = model.toSpec();
            c.trace = new ArrayList<>(trace);
            c.curve = new LearningCurve(curve.points());
            c.stopperBest = stopper.best == null ? null : stopper.best.toSpec();
            c.stopperBestLoss = stopper.bestLoss;
            c.stopperSinceBest = stopper.sinceBest;
            return c;
        }

        boolean checkpointDue(int iteration) {
            return options.checkpoint() != null && iteration % options.checkpointEvery() == 0;
        }

        void save(Checkpoint c) {
            c.write(options.checkpoint());
        }

        EarlyStopping stopperFrom(Checkpoint c) {
            EarlyStopping s = new EarlyStopping(options.patience(), validation != null);
            s.best = c.stopperBest == null ? null : Checkpoint.model(c.stopperBest);
            s.bestLoss = c.stopperBestLoss;
            s.sinceBest = c.stopperSinceBest;
            return s;
        }

        FitResult closedForm(ClosedFormFitting fitter, StateSpaceModel<?, ?> initial) {
            LearningCurve curve = new LearningCurve();
            double ll0 = logLikelihood(initial, training);
            curve.add(new LearningCurve.Point(0, perObservation(ll0), validationLoss(initial), seconds()));
            StateSpaceModel<?, ?> fitted = fitter.fitClosedForm(training, settings);
            double ll = logLikelihood(fitted, training);
            if (!Double.isFinite(ll)) {
                throw new NumericalException("the fitted model's log-likelihood on the training data is " + ll);
            }
            LearningCurve.Point p = new LearningCurve.Point(1, perObservation(ll), validationLoss(fitted), seconds());
            curve.add(p);
            listener.onIteration(1, 1, p);
            return new FitResult(fitted, TrainOptions.Method.CLOSED_FORM, curve, new double[] {ll0, ll}, 1, true, ll,
                    observations, new double[] {ll}, seconds(), options, settings, List.of());
        }

        // ------------------------------------------------------------------------------------------
        // EM

        FitResult expectationMaximization(StateSpaceModel<?, ?> initial) {
            FitResult best = null;
            List<String> notes = new ArrayList<>();
            List<Double> finals = new ArrayList<>();
            List<ObjectNode> finished = new ArrayList<>();
            int first = 0;
            if (resume != null) {
                if (initial instanceof SymmetryBreaking sb) {
                    // restart 0 ran from the moved start before the checkpoint; say again why it was moved
                    sb.symmetry(training).ifPresent(why -> notes.add(symmetryNote(0, why)));
                }
                for (ObjectNode r : resume.finishedRestarts) {
                    FitResult done = restartFromJson(r);
                    finished.add(r);
                    finals.add(done.logLikelihood());
                    if (best == null || betterThan(done, best)) {
                        best = done;
                    }
                }
                first = resume.restart;
            }
            for (int r = first; r <= options.restarts(); r++) {
                FitResult result;
                if (resume != null && r == resume.restart) {
                    result = emFrom(Checkpoint.model(resume.model), r, finished, resume);
                } else {
                    StateSpaceModel<?, ?> start = initial;
                    if (r > 0) {
                        if (!(initial instanceof Initialization init)) {
                            throw new SpecException("", "fit.restarts", "a " + initial.type()
                                    + " model cannot draw starting points, so it cannot restart");
                        }
                        RandomGenerator random = Randoms.stream(options.seed(), r);
                        start = init.initialize(training, random, settings);
                    }
                    if (start instanceof SymmetryBreaking sb) {
                        var why = sb.symmetry(training);
                        if (why.isPresent()) {
                            start = sb.brokenSymmetry(training, Randoms.stream(options.seed(), SYMMETRY_STREAM - r),
                                    settings);
                            notes.add(symmetryNote(r, why.get()));
                        }
                    }
                    result = emFrom(start, r, finished, null);
                }
                finished.add(restartToJson(result));
                finals.add(result.logLikelihood());
                if (best == null || betterThan(result, best)) {
                    best = result;
                }
            }
            double[] restartValues = finals.stream().mapToDouble(Double::doubleValue).toArray();
            notes.addAll(stopWarnings(best.converged(), best.logLikelihoodTrace(), "iteration"));
            return new FitResult(best.model(), best.method(), best.curve(), best.logLikelihoodTrace(),
                    best.iterations(), best.converged(), best.logLikelihood(), observations, restartValues, seconds(),
                    options, settings, notes, best.logPosteriorTrace(), best.logPrior());
        }

        private String symmetryNote(int restart, String why) {
            return (restart == 0 ? "the start" : "the start of restart " + restart) + " was degenerate, " + why
                    + "; EM started instead from it moved part of the way towards a data-driven random start "
                    + "(seed " + options.seed() + ")";
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

        private ObjectNode restartToJson(FitResult r) {
            ObjectNode o = Json.object();
            o.set("model", r.model().toSpec());
            Json.extendedNumber(o, "logLikelihood", r.logLikelihood());
            o.set("curve", r.curve().toJson());
            o.set("trace", Json.vector(r.logLikelihoodTrace()));
            if (r.hasPrior()) {
                o.set("posteriorTrace", Json.vector(r.logPosteriorTrace()));
            }
            o.put("iterations", r.iterations());
            o.put("converged", r.converged());
            return o;
        }

        private FitResult restartFromJson(ObjectNode o) {
            double[] trace = new double[o.get("trace").size()];
            for (int i = 0; i < trace.length; i++) {
                trace[i] = o.get("trace").get(i).asDouble();
            }
            double ll = Json.doubleValue(o.get("logLikelihood"), "checkpoint", "finishedRestarts[].logLikelihood");
            StateSpaceModel<?, ?> m = Checkpoint.model((ObjectNode) o.get("model"));
            double[] posterior = new double[o.path("posteriorTrace").size()];
            for (int i = 0; i < posterior.length; i++) {
                posterior[i] = o.get("posteriorTrace").get(i).asDouble();
            }
            double logPrior = m instanceof ExpectationMaximization e && e.hasPrior() ? e.logPrior() : Double.NaN;
            return new FitResult(m, TrainOptions.Method.EM,
                    LearningCurve.fromJson(o.get("curve")), trace, o.get("iterations").asInt(),
                    o.get("converged").asBoolean(), ll, observations, new double[] {ll}, seconds(), options, settings,
                    List.of(), posterior, logPrior);
        }

        private boolean betterThan(FitResult a, FitResult b) {
            if (validation != null) {
                double va = a.curve().points().stream().mapToDouble(LearningCurve.Point::validationLoss).min().orElse(Double.NaN);
                double vb = b.curve().points().stream().mapToDouble(LearningCurve.Point::validationLoss).min().orElse(Double.NaN);
                if (!Double.isNaN(va) && !Double.isNaN(vb)) {
                    return va < vb;
                }
            }
            if (a.hasPrior() && b.hasPrior()) {
                return a.logPosterior() > b.logPosterior();   // MAP EM: the best restart is the best posterior
            }
            return a.logLikelihood() > b.logLikelihood();
        }

        /**
         * One EM run from {@code start} (restart {@code restart}), or from the state of {@code from}. The
         * loop's state between iterations (the model to take the next E-step on, the updates made, the
         * last log-likelihood, trace, curve and early stopping) is what a checkpoint holds.
         */
        private FitResult emFrom(StateSpaceModel<?, ?> start, int restart, List<ObjectNode> finished, Checkpoint from) {
            StateSpaceModel<?, ?> model = start;
            LearningCurve curve = from == null ? new LearningCurve() : new LearningCurve(from.curve.points());
            List<Double> trace = from == null ? new ArrayList<>() : new ArrayList<>(from.trace);
            // with a prior EM maximises the log-posterior: it is traced beside the log-likelihood and ends the fit
            List<Double> posterior = from == null ? new ArrayList<>() : new ArrayList<>(from.posteriorTrace);
            double previous = from == null ? Double.NEGATIVE_INFINITY : from.previous;
            boolean converged = false;
            int updates = from == null ? 0 : from.iteration;
            EarlyStopping stopper = from == null ? new EarlyStopping(options.patience(), validation != null) : stopperFrom(from);
            int max = options.maxIterations();
            while (true) {
                if (!(model instanceof ExpectationMaximization em)) {
                    throw new IllegalStateException(model.type() + " lost its EM capability");
                }
                SufficientStatistics stats = eStep(em);
                double ll = stats.logLikelihood();
                if (!Double.isFinite(ll)) {
                    throw new NumericalException("EM iteration " + updates + ": the log-likelihood is " + ll);
                }
                trace.add(ll);
                double objective = ll;
                if (em.hasPrior()) {
                    objective = ll + em.logPrior();
                    if (!Double.isFinite(objective)) {
                        throw new NumericalException("EM iteration " + updates + ": the log-prior is " + em.logPrior());
                    }
                    posterior.add(objective);
                }
                LearningCurve.Point p = new LearningCurve.Point(updates, perObservation(ll), validationLoss(model), seconds());
                curve.add(p);
                if (updates > 0) {
                    listener.onIteration(updates, max, p);
                }
                stopper.offer(model, p.validationLoss());
                if (updates > 0 && objective - previous <= options.tolerance() * Math.abs(objective)) {
                    converged = true;
                    break;
                }
                if (stopper.shouldStop()) {
                    converged = true;
                    break;
                }
                if (updates >= max) {
                    break;
                }
                previous = objective;
                model = em.maximization(stats, settings);
                updates++;
                if (checkpointDue(updates)) {
                    Checkpoint c = checkpoint(updates, model, trace, curve, stopper);
                    c.posteriorTrace = new ArrayList<>(posterior);
                    c.restart = restart;
                    c.previous = previous;
                    c.finishedRestarts.addAll(finished);
                    save(c);
                }
            }
            StateSpaceModel<?, ?> kept = stopper.best(model);
            double finalLl = kept == model ? trace.get(trace.size() - 1) : logLikelihood(kept, training);
            double logPrior = kept instanceof ExpectationMaximization e && e.hasPrior() ? e.logPrior() : Double.NaN;
            return new FitResult(kept, TrainOptions.Method.EM, curve, trace.stream().mapToDouble(Double::doubleValue).toArray(),
                    updates, converged, finalLl, observations, new double[] {finalLl}, seconds(), options, settings,
                    List.of(), posterior.stream().mapToDouble(Double::doubleValue).toArray(), logPrior);
        }

        private SufficientStatistics eStep(ExpectationMaximization em) {
            return expectation(em, training.sequences(), options.threads());
        }

        // ------------------------------------------------------------------------------------------
        // online EM

        /**
         * Passes over the data in order (sequence by sequence, each cut into chunks of
         * {@link TrainOptions#chunkLength()} steps), one {@link OnlineExpectationMaximization} update per
         * {@link TrainOptions.OnlineEm#batchSize()} pieces, the whole data's log-likelihood after each pass. A pass
         * that improves it by no more than the tolerance (relative) ends the fit as converged. Checkpoints count
         * updates, so a long single pass resumes part way; they hold the running statistics, k and the model.
         */
        FitResult onlineExpectationMaximization(StateSpaceModel<?, ?> initial) {
            if (options.restarts() > 0) {
                throw new SpecException("", "fit.restarts", "online EM runs from one start; restarts " + options.restarts()
                        + " need method em (or give restarts 0)");
            }
            List<Sequence> pieces = onlinePieces(training, options.chunkLength());
            long total = 0;
            for (Sequence s : pieces) {
                total += s.length();
            }
            int perUpdate = options.online().batchSize();
            int updatesPerPass = (pieces.size() + perUpdate - 1) / perUpdate;
            LearningCurve curve;
            List<Double> trace;
            EarlyStopping stopper;
            OnlineExpectationMaximization online;
            List<String> notes = new ArrayList<>();
            int firstEpoch;
            int firstBatch;
            if (resume != null) {
                if (initial instanceof SymmetryBreaking sb) {
                    sb.symmetry(training).ifPresent(why -> notes.add(symmetryNote(0, why)));
                }
                online = OnlineExpectationMaximization.restore(Checkpoint.model(resume.model), options.online(), settings,
                        total, options.threads(), resume.updates, resume.statistics);
                curve = new LearningCurve(resume.curve.points());
                trace = new ArrayList<>(resume.trace);
                stopper = stopperFrom(resume);
                firstEpoch = resume.iteration + 1;
                firstBatch = resume.position;
            } else {
                StateSpaceModel<?, ?> start = initial;
                if (start instanceof SymmetryBreaking sb) {
                    var why = sb.symmetry(training);
                    if (why.isPresent()) {
                        start = sb.brokenSymmetry(training, Randoms.stream(options.seed(), SYMMETRY_STREAM), settings);
                        notes.add(symmetryNote(0, why.get()));
                    }
                }
                curve = new LearningCurve();
                trace = new ArrayList<>();
                double ll0 = logLikelihood(start, training);
                trace.add(ll0);
                curve.add(new LearningCurve.Point(0, perObservation(ll0), validationLoss(start), seconds()));
                stopper = new EarlyStopping(options.patience(), validation != null);
                stopper.offer(start, curve.last().validationLoss());
                online = OnlineExpectationMaximization.start(start, options.online(), settings, total, options.threads());
                firstEpoch = 1;
                firstBatch = 0;
            }
            int passes = options.maxIterations();
            boolean converged = false;
            int epoch;
            for (epoch = firstEpoch; epoch <= passes; epoch++) {
                for (int b = epoch == firstEpoch ? firstBatch : 0; b < updatesPerPass; b++) {
                    online.update(pieces.subList(b * perUpdate, Math.min(pieces.size(), (b + 1) * perUpdate)));
                    listener.onUpdate(b + 1, updatesPerPass);
                    if (options.checkpoint() != null && online.updates() % options.checkpointEvery() == 0) {
                        Checkpoint c = checkpoint(epoch - 1, online.model(), trace, curve, stopper);
                        c.updates = online.updates();
                        c.position = b + 1;
                        c.statistics = online.statistics();
                        save(c);
                    }
                }
                StateSpaceModel<?, ?> current = online.model();
                double ll = logLikelihood(current, training);
                if (!Double.isFinite(ll)) {
                    throw new NumericalException("online EM pass " + epoch + ": the training log-likelihood is " + ll);
                }
                double previous = trace.get(trace.size() - 1);
                trace.add(ll);
                LearningCurve.Point p = new LearningCurve.Point(epoch, perObservation(ll), validationLoss(current), seconds());
                curve.add(p);
                listener.onIteration(epoch, passes, p);
                stopper.offer(current, p.validationLoss());
                if (stopper.shouldStop() || ll - previous <= options.tolerance() * Math.abs(ll)) {
                    converged = true;
                    break;
                }
            }
            StateSpaceModel<?, ?> last = online.model();
            StateSpaceModel<?, ?> kept = stopper.best(last);
            double finalLl = kept == last ? trace.get(trace.size() - 1) : logLikelihood(kept, training);
            double[] values = trace.stream().mapToDouble(Double::doubleValue).toArray();
            notes.addAll(stopWarnings(converged, values, "pass"));
            return new FitResult(kept, TrainOptions.Method.ONLINE_EM, curve, values, Math.min(epoch, passes), converged,
                    finalLl, observations, new double[] {finalLl}, seconds(), options, settings, notes);
        }

        // ------------------------------------------------------------------------------------------
        // optimiser

        FitResult optimize(StateSpaceModel<?, ?> initial) {
            ParametricLikelihood start = (ParametricLikelihood) initial;
            LearningCurve curve;
            List<Double> trace;
            int[] iteration = {0};
            double[] best = {Double.NEGATIVE_INFINITY};
            double[][] bestPoint = {start.freeParameters()};
            int firstPass = 0;
            if (resume != null) {
                curve = new LearningCurve(resume.curve.points());
                trace = new ArrayList<>(resume.trace);
                iteration[0] = resume.iteration;
                best[0] = resume.bestValue;
                bestPoint[0] = resume.bestPoint.clone();
                firstPass = resume.pass;
            } else {
                curve = new LearningCurve();
                trace = new ArrayList<>();
                double ll0 = logLikelihood(initial, training);
                trace.add(ll0);
                curve.add(new LearningCurve.Point(0, perObservation(ll0), validationLoss(initial), seconds()));
            }
            org.apache.commons.math3.analysis.MultivariateFunction negativeLogLikelihood = p -> {
                double ll;
                try {
                    ll = logLikelihood(start.withFreeParameters(p), training);
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
                trace.add(best[0]);
                LearningCurve.Point p = new LearningCurve.Point(iteration[0], perObservation(best[0]),
                        validation == null ? Double.NaN : validationLoss(m), seconds());
                curve.add(p);
                listener.onIteration(iteration[0], options.maxIterations(), p);
                if (checkpointDue(iteration[0])) {
                    Checkpoint c = checkpoint(iteration[0], m, trace, curve, new EarlyStopping(0, false));
                    c.bestPoint = bestPoint[0].clone();
                    c.bestValue = best[0];
                    c.pass = currentPass[0];
                    save(c);
                }
            };
            double[] x = bestPoint[0].clone();
            boolean converged = true;
            // Nelder-Mead, restarted once at its optimum (a collapsed simplex can stop short)
            for (int pass = firstPass; pass < 2; pass++) {
                currentPass[0] = pass;
                double[] steps = new double[x.length];
                java.util.Arrays.fill(steps, pass == 0 ? 1.0 : 0.1);
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
                } catch (TooManyEvaluationsException | org.apache.commons.math3.exception.TooManyIterationsException e) {
                    x = bestPoint[0];
                    converged = false;
                }
            }
            double ll = best[0];
            if (!Double.isFinite(ll)) {
                // every point tried scored NaN or -Infinity: the optimiser compared equal values and stopped,
                // which is no optimum; the start would come back unchanged
                throw new NumericalException("the log-likelihood was not finite at the start (" + trace.get(0)
                        + ") nor at any of the " + iteration[0] + " iterations' points the optimiser tried; the "
                        + "data may lie beyond the range of double precision for this model (observations of "
                        + "magnitude " + String.format(java.util.Locale.ROOT, "%.3g", largestMagnitude(training))
                        + ")");
            }
            StateSpaceModel<?, ?> fitted = start.withFreeParameters(bestPoint[0]);
            double[] values = trace.stream().mapToDouble(Double::doubleValue).toArray();
            return new FitResult(fitted, TrainOptions.Method.OPTIMIZER, curve, values, iteration[0], converged, ll,
                    observations, new double[] {ll}, seconds(), options, settings,
                    stopWarnings(converged, values, "iteration"));
        }

        // ------------------------------------------------------------------------------------------
        // gradient

        /**
         * Epochs of mini-batch gradient steps. Epoch e shuffles with stream e of the seed, so a run
         * continued from a checkpoint (parameters, optimiser moments, epoch) draws what an uninterrupted
         * one would; the gradient evaluator is always built from the starting model.
         */
        FitResult gradient(StateSpaceModel<?, ?> initial) {
            Differentiable model = (Differentiable) initial;
            double[] theta = model.parameters();
            double[] grad = new double[theta.length];
            GradientEvaluator evaluator = model.gradientEvaluator(settings);
            GradientStep step = new GradientStep(options.optimizer(), theta.length, options.learningRate(),
                    options.momentum());
            LearningCurve curve;
            List<Double> trace;
            EarlyStopping stopper;
            StateSpaceModel<?, ?> current;
            int firstEpoch;
            if (resume != null) {
                if (resume.theta == null || resume.theta.length != theta.length) {
                    throw new SpecException("", "gradient", "the checkpoint holds no parameter vector of this model's size");
                }
                System.arraycopy(resume.theta, 0, theta, 0, theta.length);
                System.arraycopy(resume.first, 0, step.first, 0, step.first.length);
                System.arraycopy(resume.second, 0, step.second, 0, step.second.length);
                step.steps = resume.steps;
                curve = new LearningCurve(resume.curve.points());
                trace = new ArrayList<>(resume.trace);
                stopper = stopperFrom(resume);
                current = Checkpoint.model(resume.model);
                firstEpoch = resume.iteration + 1;
            } else {
                curve = new LearningCurve();
                trace = new ArrayList<>();
                double ll0 = logLikelihood(initial, training);
                trace.add(ll0);
                curve.add(new LearningCurve.Point(0, perObservation(ll0), validationLoss(initial), seconds()));
                stopper = new EarlyStopping(options.patience(), validation != null);
                stopper.offer(initial, curve.last().validationLoss());
                current = initial;
                firstEpoch = 1;
            }
            List<Sequence> sequences = chunks(training.sequences(), options.chunkLength());
            int n = sequences.size();
            int epochs = options.maxIterations();
            boolean stoppedEarly = false;
            int epoch;
            for (epoch = firstEpoch; epoch <= epochs; epoch++) {
                int[] order = permutation(n, Randoms.stream(options.seed(), epoch));
                for (int from = 0; from < n; from += options.batchSize()) {
                    List<Sequence> batch = new ArrayList<>(options.batchSize());
                    for (int i = from; i < Math.min(n, from + options.batchSize()); i++) {
                        batch.add(sequences.get(order[i]));
                    }
                    double loss = evaluator.evaluate(theta, batch, grad);
                    if (!Double.isFinite(loss)) {
                        throw new NumericalException("epoch " + epoch + ": the training loss is " + loss
                                + " (lower the learning rate or turn on clipping)");
                    }
                    GradientStep.clip(grad, options.clipNorm());
                    step.apply(theta, grad);
                }
                current = model.withParameters(theta, training);
                double ll = logLikelihood(current, training);
                trace.add(ll);
                LearningCurve.Point p = new LearningCurve.Point(epoch, perObservation(ll), validationLoss(current), seconds());
                curve.add(p);
                listener.onIteration(epoch, epochs, p);
                stopper.offer(current, p.validationLoss());
                if (stopper.shouldStop()) {
                    stoppedEarly = true;
                    break;
                }
                if (checkpointDue(epoch)) {
                    Checkpoint c = checkpoint(epoch, current, trace, curve, stopper);
                    c.theta = theta.clone();
                    c.first = step.first.clone();
                    c.second = step.second.clone();
                    c.steps = step.steps;
                    save(c);
                }
            }
            StateSpaceModel<?, ?> kept = stopper.best(current);
            double finalLl = kept == current ? trace.get(trace.size() - 1) : logLikelihood(kept, training);
            if (!Double.isFinite(finalLl)) {
                throw new NumericalException("epoch " + Math.min(epoch, epochs) + ": the training log-likelihood is "
                        + finalLl);
            }
            double[] values = trace.stream().mapToDouble(Double::doubleValue).toArray();
            return new FitResult(kept, TrainOptions.Method.GRADIENT, curve, values, Math.min(epoch, epochs), stoppedEarly,
                    finalLl, observations, new double[] {finalLl}, seconds(), options, settings,
                    stopWarnings(stoppedEarly, values, "epoch"));
        }
    }

    /**
     * The E-step over {@code sequences}: each sequence's statistics in parallel, then merged in order into a fresh
     * accumulator, so the result does not depend on the thread count.
     */
    static SufficientStatistics expectation(ExpectationMaximization em, List<Sequence> sequences, int threads) {
        int n = sequences.size();
        SufficientStatistics[] perSequence = new SufficientStatistics[n];
        Parallel.forEach(n, threads, () -> null, (w, i) -> {
            SufficientStatistics s = em.newStatistics();
            em.expectation(sequences.get(i), s);
            perSequence[i] = s;
        });
        SufficientStatistics total = em.newStatistics();
        for (SufficientStatistics s : perSequence) {
            total.merge(s);
        }
        return total;
    }

    /** The largest finite |observation| in the data (0 when there is none). */
    static double largestMagnitude(Dataset data) {
        double max = 0;
        for (Sequence s : data.sequences()) {
            for (double v : s.observations()) {
                if (Double.isFinite(v)) {
                    max = Math.max(max, Math.abs(v));
                }
            }
        }
        return max;
    }

    /** The pieces online EM takes its batches from: {@link #chunks}, without empty sequences. */
    static List<Sequence> onlinePieces(Dataset training, int chunkLength) {
        return chunks(training.sequences(), chunkLength).stream().filter(s -> s.length() > 0).toList();
    }

    /** The sequences cut into pieces of at most {@code length} steps (all of them whole when 0). */
    static List<Sequence> chunks(List<Sequence> sequences, int length) {
        if (length <= 0) {
            return sequences;
        }
        List<Sequence> out = new ArrayList<>();
        for (Sequence s : sequences) {
            if (s.length() <= length) {
                out.add(s);
                continue;
            }
            for (int from = 0; from < s.length(); from += length) {
                out.add(s.slice(s.id() + "@" + from, from, Math.min(s.length(), from + length)));
            }
        }
        return out;
    }

    /** Fisher-Yates shuffle of 0..n-1. */
    static int[] permutation(int n, RandomGenerator random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Tracks the best validation loss; stops after {@code patience} offers without improvement. */
    private static final class EarlyStopping {
        private final int patience;
        private final boolean active;
        StateSpaceModel<?, ?> best;
        double bestLoss = Double.POSITIVE_INFINITY;
        int sinceBest;

        EarlyStopping(int patience, boolean hasValidation) {
            this.patience = patience;
            this.active = hasValidation;
        }

        void offer(StateSpaceModel<?, ?> model, double validationLoss) {
            if (!active || Double.isNaN(validationLoss)) {
                return;
            }
            if (validationLoss < bestLoss) {
                bestLoss = validationLoss;
                best = model;
                sinceBest = 0;
            } else {
                sinceBest++;
            }
        }

        boolean shouldStop() {
            return active && patience > 0 && sinceBest >= patience;
        }

        StateSpaceModel<?, ?> best(StateSpaceModel<?, ?> last) {
            return active && best != null ? best : last;
        }
    }
}
