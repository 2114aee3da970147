package org.statespace.inference;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;


import org.statespace.DataException;
import org.statespace.NumericalException;
import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.capability.ClosedFormFitting;
import org.statespace.capability.Differentiable;
import org.statespace.capability.ExpectationMaximization;
import org.statespace.capability.FitSettings;
import org.statespace.capability.Initialization;
import org.statespace.capability.ParametricLikelihood;
import org.statespace.capability.SymmetryBreaking;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceSource;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.ModelTemplate;
import org.statespace.spec.SpecNode;
import org.statespace.transform.StandardizedModel;

/**
 * Fits any family from an initial model and data, the one entry point for all of them:
 * <ul>
 *   <li>closed form ({@link ClosedFormFitting}: a Markov chain's counts);</li>
 *   <li>EM ({@link ExpectationMaximization}: Baum-Welch, Shumway-Stoffer), E-steps in parallel over
 *       sequences, with restarts from {@link Initialization};</li>
 *   <li>online (stepwise) EM over pieces of the data ({@link TrainOptions.Method#ONLINE_EM}, never chosen by
 *       {@code AUTO});</li>
 *   <li>a derivative-free optimiser on a few free parameters ({@link ParametricLikelihood}: the
 *       structured linear-Gaussian models), Nelder-Mead restarted at its optimum;</li>
 *   <li>gradient descent ({@link Differentiable}: RNNs), Adam or SGD with momentum, mini-batches of
 *       sequences, clipping by global norm.</li>
 * </ul>
 * Each method is its own loop ({@code ClosedFormLoop}, {@code EmLoop}, {@code OnlineEmLoop}, {@code OptimizerLoop},
 * {@code GradientLoop}) over the pieces they share ({@code FitRun}: scoring, learning curve, early stopping,
 * checkpoints, the result), and writes its own {@code Checkpoint} record; this class only checks the input, picks the
 * method and hands over. The family settings must be the model's family's own (or {@link FitSettings#NONE}): another
 * family's are an {@link IllegalArgumentException} naming both.
 *
 * <p>Every method records a learning curve (training and validation loss per iteration, as mean negative
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
    private Trainer() {
    }

    /**
     * Fits {@code initial} to {@code training}.
     *
     * @param validation held-out data for the validation curve and early stopping, or {@code null} (then
     *                   {@link TrainOptions#validationFraction()} may split some off the training data)
     * @param settings   the family's own settings ({@link FitSettings#NONE} for its defaults)
     * @param listener   sees each iteration ({@link TrainingListener#NONE} for none)
     * @throws IllegalArgumentException when {@code settings} are another family's
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
     * @throws SpecException if the checkpoint is damaged, belongs to another fit, or holds the state of another
     *                       method (the message names the file, the method it holds and this fit's)
     */
    public static FitResult resume(Path checkpoint, StateSpaceModel<?, ?> initial, Dataset training, Dataset validation,
            TrainOptions options, FitSettings settings, TrainingListener listener) {
        if (checkpoint == null) {
            throw new IllegalArgumentException("resume needs a checkpoint file");
        }
        return logged(run(initial, training, validation, options, settings, listener, checkpoint));
    }

    /**
     * Fits by gradient descent ({@link Differentiable}: RNNs), or by the optimiser or in closed form (below), over sequences read a
     * mini-batch at a time from
     * {@code training}, such as a {@link org.statespace.data.SequenceIndex} of a file larger than memory: the heap
     * holds the index, one batch, and while scoring one sequence per thread (a long sequence the source reads in
     * chunks, {@link org.statespace.data.SequenceSource#reader}: one chunk); pieces of {@link
     * TrainOptions#chunkLength()} steps are read alone where the source indexed them
     * ({@link org.statespace.data.SequenceSource#readsPieces}). Every epoch reads the pieces in the
     * order the in-memory fit takes them, so the result is {@link #fit(StateSpaceModel, Dataset, Dataset,
     * TrainOptions, FitSettings, TrainingListener)}'s over the same sequences in memory: the same steps, parameters
     * and learning curve, bit for bit, for every head but a linear one, whose variance is re-estimated after each
     * epoch from summed per-sequence statistics ({@link org.statespace.capability.SummedRefit}, each read a chunk
     * at a time where the source has a reader, with the whole sequence's sums bit for bit), equal to the
     * in-memory re-estimate up to the order of the additions (a relative 1e-15 or so, which then moves the later
     * epochs' numbers by as little). Validation data (a second source, or {@link TrainOptions#validationFraction()}
     * of the training sequences as in memory), early stopping and checkpoints work as in memory; a checkpoint's
     * fingerprint is that of the same data in memory, so a fit checkpointed here resumes there and back.
     * Sources that hold datasets in memory are fitted as those datasets.
     *
     * <p>A model fitted by the derivative-free optimiser ({@link ParametricLikelihood}: structural and non-linear
     * models) is fitted over a source too: each point Nelder-Mead tries is scored by a pass over the source, a
     * sequence at a time and a long sequence in chunks ({@link FilterEngine#stream(StateSpaceModel, SequenceSource,
     * StepListener)}), so the heap holds the index and a chunk per thread. A pass sums the same steps in the same
     * order as in memory, so the fit is the in-memory one bit for bit: the same points, trace, learning curve and
     * fitted model. Validation data and checkpoints work as in memory (a checkpoint's fingerprint, and a
     * {@link TrainOptions#validationFraction()} split in time, read a long sequence in chunks).
     *
     * <p>A model fitted in closed form ({@link ClosedFormFitting}: a Markov chain) is fitted by one counting pass over
     * the source (a long sequence in chunks, {@link ClosedFormFitting.Counts}) and scored by a filter pass, as above:
     * the in-memory fit's model, log-likelihood and learning curve, bit for bit.
     *
     * @param validation held-out sequences, or {@code null}
     * @throws IllegalArgumentException when the model is fitted by another method than gradient descent, the
     *                                  optimiser or the closed form (or {@link TrainOptions#method()} asks for another), or it
     *                                  re-estimates from the whole training data in a way summed statistics cannot
     *                                  give
     */
    public static FitResult fit(StateSpaceModel<?, ?> initial, SequenceSource training, SequenceSource validation,
            TrainOptions options, FitSettings settings, TrainingListener listener) {
        return logged(runOver(initial, training, validation, options, settings, listener, null));
    }

    /**
     * Continues a fit over sources ({@link #fit(StateSpaceModel, SequenceSource, SequenceSource, TrainOptions,
     * FitSettings, TrainingListener)}) from a checkpoint, as {@link #resume(Path, StateSpaceModel, Dataset, Dataset,
     * TrainOptions, FitSettings, TrainingListener)} does in memory.
     */
    public static FitResult resume(Path checkpoint, StateSpaceModel<?, ?> initial, SequenceSource training,
            SequenceSource validation, TrainOptions options, FitSettings settings, TrainingListener listener) {
        if (checkpoint == null) {
            throw new IllegalArgumentException("resume needs a checkpoint file");
        }
        return logged(runOver(initial, training, validation, options, settings, listener, checkpoint));
    }

    private static FitResult runOver(StateSpaceModel<?, ?> initial, SequenceSource training, SequenceSource validation,
            TrainOptions options, FitSettings settings, TrainingListener listener, Path resumeFrom) {
        if (training.inMemory() != null && (validation == null || validation.inMemory() != null)) {
            return run(initial, training.inMemory(), validation == null ? null : validation.inMemory(), options,
                    settings, listener, resumeFrom);
        }
        TrainOptions.Method method = resolve(initial, options.method());
        if (method != TrainOptions.Method.GRADIENT && method != TrainOptions.Method.OPTIMIZER
                && method != TrainOptions.Method.CLOSED_FORM) {
            throw new IllegalArgumentException("a " + initial.type() + " model is fitted by " + method.jsonName()
                    + ", which needs its data in memory; over sequences read from a source only gradient training, "
                    + "the optimiser and the closed form run (EM by passes over a file: FileExpectationMaximization)");
        }
        if (method == TrainOptions.Method.GRADIENT) {
            GradientLoop.requireStreamable(initial);
        }
        checkFamily(initial, settings);
        if (validation == null && options.validationFraction() > 0) {
            SequenceSource[] split = training.size() >= 5
                    ? SequenceSources.bySequence(training, 1 - options.validationFraction())
                    : SequenceSources.inTime(training, 1 - options.validationFraction());
            training = split[0];
            validation = split[1];
        }
        if (FitRun.countObserved(training) == 0) {
            long steps = 0;
            for (int i = 0; i < training.size(); i++) {
                steps += training.length(i);
            }
            throw new DataException("training data: every one of its " + steps + " steps is missing, so there is "
                    + "nothing to fit");
        }
        // the fingerprint costs a pass over the data: only for a fit that writes or reads a checkpoint
        String fingerprint = options.checkpoint() != null || resumeFrom != null
                ? Checkpoint.fingerprint(initial, training, validation, options, settings) : "";
        Checkpoint resume = null;
        if (resumeFrom != null) {
            resume = Checkpoint.read(resumeFrom, method);
            if (!resume.progress().fingerprint().equals(fingerprint)) {
                throw new SpecException(resume.source(), "fingerprint", "the checkpoint was written by a fit with "
                        + "another starting model, other data, other options or other settings; resume with the same ones");
            }
            org.statespace.ObservationSpace space = initial.observationSpace();
            // the check reads the model's fit to the data: the first sequence shows the kind and dimensions (a
            // long one read in chunks: its first chunk)
            Dataset sample = Dataset.of(space.kind(), List.of(firstSample(training)),
                    space.kind() == org.statespace.data.ObservationKind.SYMBOLS ? space.symbolNames() : List.of());
            resume.check(options, initial, sample);
        }
        FitRun run = new FitRun(training, validation, options, settings,
                listener == null ? TrainingListener.NONE : listener, method, fingerprint);
        return switch (method) {
            case OPTIMIZER -> new OptimizerLoop(run).fit(initial, (OptimizerCheckpoint) resume);
            case CLOSED_FORM -> new ClosedFormLoop(run).fit(initial);
            default -> new GradientLoop(run).fit(initial, (GradientCheckpoint) resume);
        };
    }

    // the first sequence of a source, or for one it reads in chunks its first chunk
    private static Sequence firstSample(SequenceSource training) {
        if (training.length(0) > org.statespace.data.SequenceReader.DEFAULT_CHUNK_STEPS) {
            try (org.statespace.data.SequenceReader reader = training.reader(0)) {
                Sequence chunk = reader != null && reader.nextSequence() ? reader.nextChunk() : null;
                if (chunk != null) {
                    return chunk;
                }
            }
        }
        return training.sequence(0);
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
            TrainOptions options, FitSettings settings, TrainingListener listener, Path resumeFrom) {
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
        if (FitRun.countObserved(training) == 0) {
            long steps = training.sequences().stream().mapToLong(Sequence::length).sum();
            throw new DataException("training data: every one of its " + steps + " steps is missing, so there is "
                    + "nothing to fit");
        }
        TrainOptions.Method method = resolve(initial, options.method());
        checkFamily(initial, settings);
        String fingerprint = Checkpoint.fingerprint(initial, training, validation, options, settings);
        Checkpoint resume = null;
        if (resumeFrom != null) {
            resume = Checkpoint.read(resumeFrom, method);
            if (!resume.progress().fingerprint().equals(fingerprint)) {
                throw new SpecException(resume.source(), "fingerprint", "the checkpoint was written by a fit with "
                        + "another starting model, other data, other options or other settings; resume with the same ones");
            }
            resume.check(options, initial, training);
        }
        FitRun run = new FitRun(training, validation, options, settings,
                listener == null ? TrainingListener.NONE : listener, method, fingerprint);
        // Checkpoint.read gave the record of this method (another method's file is refused there)
        return switch (method) {
            case CLOSED_FORM -> new ClosedFormLoop(run).fit(initial);
            case EM -> new EmLoop(run).fit(initial, (EmCheckpoint) resume);
            case ONLINE_EM -> new OnlineEmLoop(run).fit(initial, (OnlineEmCheckpoint) resume);
            case OPTIMIZER -> new OptimizerLoop(run).fit(initial, (OptimizerCheckpoint) resume);
            case GRADIENT -> new GradientLoop(run).fit(initial, (GradientCheckpoint) resume);
            case AUTO -> throw new IllegalStateException("resolve never gives AUTO");
        };
    }

    /**
     * Refuses another family's settings: the model's family reads its own ({@link
     * org.statespace.spec.ModelType#readFitSettings}); settings of another class would be silently ignored by a family
     * without settings (a structural model) or refused late, after the first E-step, by one with them.
     */
    private static void checkFamily(StateSpaceModel<?, ?> model, FitSettings settings) {
        if (settings == FitSettings.NONE) {
            return;
        }
        if (model instanceof StandardizedModel standardized) {
            // the wrapper trains the network inside it with that network's settings
            checkFamily(standardized.inner(), settings);
            return;
        }
        FitSettings own;
        try {
            own = ModelSpecs.type(model.type()).readFitSettings(SpecNode.root(Json.object(), "fit"));
        } catch (SpecException unregistered) {
            return; // a model type outside the registry: its capabilities check what they are given
        }
        if (own.getClass() != settings.getClass()) {
            throw new IllegalArgumentException(FitSettings.mismatch(settings, model.type(),
                    own == FitSettings.NONE ? "none" : own.getClass().getSimpleName()));
        }
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
}
