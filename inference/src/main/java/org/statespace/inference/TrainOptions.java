package org.statespace.inference;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.spec.Json;

/**
 * The options every fit shares, whatever the family. Immutable; start from {@link #defaults()} and
 * change with the {@code with...} methods.
 *
 * @param method             how to fit: {@code AUTO} picks the model's own way (closed form, EM,
 *                           optimiser, gradient, in that order of preference)
 * @param maxIterations      EM iterations, optimiser iterations, or gradient epochs
 * @param tolerance          EM and optimiser stop when the log-likelihood improves by less than this,
 *                           relative to its size
 * @param restarts           extra EM or optimiser runs from seeded data-driven starts; the best is kept
 * @param seed               seeds restarts, shuffling and any other randomness of the fit
 * @param threads            threads for E-steps and validation filtering (results do not depend on it)
 * @param gradient           the step of gradient training: optimiser, learning rate, momentum, clipping
 *                           ({@link #optimizer()}, {@link #learningRate()}, {@link #momentum()}, {@link #clipNorm()})
 * @param batchSize          sequences per gradient step ({@link #withBatchSize} sets online EM's
 *                           {@link OnlineEm#batchSize()} too)
 * @param chunkLength        for gradient training and online EM, training sequences cut into pieces of at most this
 *                           many steps (each starting from the model's initial state), so a few long sequences
 *                           still give many gradient steps or online EM updates per pass; 0 keeps them whole
 * @param validationFraction when no validation data is given, the part held out of the training data
 *                           (the end of each sequence) for early stopping; 0 for none
 * @param patience           iterations without a better validation loss before stopping; 0 never stops early
 * @param checkpoint         a file to which the whole training state is written every
 *                           {@code checkpointEvery} iterations, or {@code null}
 * @param checkpointEvery    iterations between checkpoints (for online EM: updates, so that one long pass can be
 *                           resumed part way)
 * @param online             the schedule of online (stepwise) EM
 */
public record TrainOptions(Method method, int maxIterations, double tolerance, int restarts, long seed, int threads,
        Gradient gradient, int batchSize, int chunkLength, double validationFraction, int patience, Path checkpoint,
        int checkpointEvery, OnlineEm online) {

    /**
     * How a model is fitted. {@code ONLINE_EM} is stepwise EM (Cappé &amp; Moulines 2009; Liang &amp; Klein 2009)
     * for the models that have EM: the data cut into pieces of {@link #chunkLength()} steps, the parameters updated
     * after every {@link OnlineEm#batchSize()} pieces; it is never picked by {@code AUTO}.
     */
    public enum Method {
        AUTO, CLOSED_FORM, EM, OPTIMIZER, GRADIENT, ONLINE_EM;

        /** The JSON name: auto, closed-form, em, optimizer, gradient, online-em. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Method fromJson(String s) {
            for (Method m : values()) {
                if (m.jsonName().equals(s)) {
                    return m;
                }
            }
            throw new IllegalArgumentException(s);
        }
    }

    /** The first-order optimiser of gradient training ({@link GradientStep}); JSON names {@code adam}, {@code sgd}. */
    public enum Optimizer {
        /** Adam (Kingma and Ba 2015), β1 = 0.9, β2 = 0.999, ε = 1e-8, with bias correction. */
        ADAM,
        /** Stochastic gradient descent with momentum {@link TrainOptions#momentum()}. */
        SGD;

        /** The JSON name: adam, sgd. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The optimiser of that JSON name.
         *
         * @throws IllegalArgumentException naming the value and the allowed names
         */
        public static Optimizer fromJson(String s) {
            for (Optimizer o : values()) {
                if (o.jsonName().equals(s)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("optimizer must be one of " + String.join(", ", names()) + ", got \""
                    + s + "\"");
        }

        /** The JSON names, in order: adam, sgd. */
        public static List<String> names() {
            return java.util.Arrays.stream(values()).map(Optimizer::jsonName).toList();
        }
    }

    /**
     * The step of gradient training ({@link GradientStep}), the options only gradient training reads (the batch size
     * and chunk length stay in {@link TrainOptions}: online EM reads them too).
     *
     * @param optimizer    {@link Optimizer#ADAM} or {@link Optimizer#SGD} (with momentum)
     * @param learningRate the step size
     * @param momentum     SGD momentum (Adam uses β1 = 0.9, β2 = 0.999)
     * @param clipNorm     gradients whose global norm exceeds this are scaled down to it; 0 turns clipping off
     */
    public record Gradient(Optimizer optimizer, double learningRate, double momentum, double clipNorm) {
        public Gradient {
            if (optimizer == null) {
                throw new IllegalArgumentException("optimizer must be given");
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learningRate must be positive, got " + learningRate);
            }
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
            }
            if (!(clipNorm >= 0)) {
                throw new IllegalArgumentException("clipNorm must be non-negative, got " + clipNorm);
            }
        }

        /** Adam with rate 0.01, SGD momentum 0.9, clipping at 5. */
        public static Gradient defaults() {
            return new Gradient(Optimizer.ADAM, 0.01, 0.9, 5);
        }

        public Gradient withOptimizer(Optimizer o) {
            return new Gradient(o, learningRate, momentum, clipNorm);
        }

        public Gradient withLearningRate(double rate) {
            return new Gradient(optimizer, rate, momentum, clipNorm);
        }

        public Gradient withMomentum(double m) {
            return new Gradient(optimizer, learningRate, m, clipNorm);
        }

        public Gradient withClipNorm(double norm) {
            return new Gradient(optimizer, learningRate, momentum, norm);
        }
    }

    /**
     * The schedule of online (stepwise) EM. After update k = 0, 1, 2, ... (k counts the updates before it) the running
     * statistics become s &larr; (1 &minus; η_k) s + η_k &#349;_k with η_k = (k + t0)^&minus;α, &#349;_k the expected
     * statistics of the update's batch scaled to the size of the whole training data; the first update takes its
     * batch's statistics as they are (there is nothing before it to keep). The M-step runs on s after every update
     * once {@code warmUp} updates have been gathered.
     *
     * @param stepExponent α, in (0.5, 1] (the range where Σ η_k diverges and Σ η_k² converges); default 0.6, the
     *                     exponent of Cappé &amp; Moulines's experiments
     * @param stepOffset   t0 &ge; 0, which slows the early decay; default 2, Liang &amp; Klein's η_k = (k + 2)^&minus;α
     * @param warmUp       updates gathered before the first M-step (the parameters stay as given meanwhile); default 1
     * @param batchSize    pieces (whole sequences, or chunks of {@link #chunkLength()} steps) per update; default 1
     */
    public record OnlineEm(double stepExponent, double stepOffset, int warmUp, int batchSize) {
        public OnlineEm {
            if (!(stepExponent > 0.5 && stepExponent <= 1)) {
                throw new IllegalArgumentException("stepExponent must be in (0.5, 1], got " + stepExponent);
            }
            if (!(stepOffset >= 0) || Double.isInfinite(stepOffset)) {
                throw new IllegalArgumentException("stepOffset must be a non-negative number, got " + stepOffset);
            }
            if (warmUp < 0) {
                throw new IllegalArgumentException("warmUp must be non-negative, got " + warmUp);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
            }
        }

        /** α = 0.6, t0 = 2, one update of warm-up, one piece per update. */
        public static OnlineEm defaults() {
            return new OnlineEm(0.6, 2, 1, 1);
        }

        /** η_k = (k + t0)^&minus;α for the update after k earlier ones. */
        public double stepSize(long k) {
            return Math.pow(k + stepOffset, -stepExponent);
        }

        public OnlineEm withStepExponent(double a) {
            return new OnlineEm(a, stepOffset, warmUp, batchSize);
        }

        public OnlineEm withStepOffset(double t0) {
            return new OnlineEm(stepExponent, t0, warmUp, batchSize);
        }

        public OnlineEm withWarmUp(int updates) {
            return new OnlineEm(stepExponent, stepOffset, updates, batchSize);
        }

        public OnlineEm withBatchSize(int pieces) {
            return new OnlineEm(stepExponent, stepOffset, warmUp, pieces);
        }
    }

    /** The keys of fit options that the trainer reads (the rest belong to the family). */
    public static final List<String> KEYS = List.of("method", "maxIterations", "epochs", "tolerance", "restarts",
            "seed", "optimizer", "learningRate", "momentum", "batchSize", "chunkLength", "clipNorm", "validationFraction",
            "patience", "checkpointEvery", "stepExponent", "stepOffset", "warmUp");

    public TrainOptions {
        if (method == null) {
            throw new IllegalArgumentException("method must be given");
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be at least 1, got " + maxIterations);
        }
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("tolerance must be non-negative, got " + tolerance);
        }
        if (restarts < 0) {
            throw new IllegalArgumentException("restarts must be non-negative, got " + restarts);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (gradient == null) {
            throw new IllegalArgumentException("gradient must be given");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        if (chunkLength < 0) {
            throw new IllegalArgumentException("chunkLength must be non-negative, got " + chunkLength);
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction must be in [0, 1), got " + validationFraction);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be non-negative, got " + patience);
        }
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpointEvery must be at least 1, got " + checkpointEvery);
        }
        if (online == null) {
            throw new IllegalArgumentException("online must be given");
        }
    }

    /**
     * AUTO, 100 iterations, tolerance 1e-8, no restarts, seed 0, all cores, Adam with rate 0.01, SGD
     * momentum 0.9, batches of 16 whole sequences, clipping at 5, no validation split, patience 10, no
     * checkpoint, {@link OnlineEm#defaults()}.
     */
    public static TrainOptions defaults() {
        return new TrainOptions(Method.AUTO, 100, 1e-8, 0, 0, Runtime.getRuntime().availableProcessors(),
                Gradient.defaults(), 16, 0, 0, 10, null, 1, OnlineEm.defaults());
    }

    public TrainOptions withMethod(Method m) {
        return new TrainOptions(m, maxIterations, tolerance, restarts, seed, threads, gradient,
                batchSize, chunkLength, validationFraction, patience, checkpoint, checkpointEvery, online);
    }

    public TrainOptions withMaxIterations(int n) {
        return new TrainOptions(method, n, tolerance, restarts, seed, threads, gradient,
                batchSize, chunkLength, validationFraction, patience, checkpoint, checkpointEvery, online);
    }

    public TrainOptions withTolerance(double tol) {
        return new TrainOptions(method, maxIterations, tol, restarts, seed, threads, gradient,
                batchSize, chunkLength, validationFraction, patience, checkpoint, checkpointEvery, online);
    }

    public TrainOptions withRestarts(int n) {
        return new TrainOptions(method, maxIterations, tolerance, n, seed, threads, gradient,
                batchSize, chunkLength, validationFraction, patience, checkpoint, checkpointEvery, online);
    }

    public TrainOptions withSeed(long s) {
        return new TrainOptions(method, maxIterations, tolerance, restarts, s, threads, gradient,
                batchSize, chunkLength, validationFraction, patience, checkpoint, checkpointEvery, online);
    }

    public TrainOptions withThreads(int n) {
        return new TrainOptions(method, maxIterations, tolerance, restarts, seed, n, gradient,
                batchSize, chunkLength, validationFraction, patience, checkpoint, checkpointEvery, online);
    }

    public TrainOptions withOptimizer(Optimizer o) {
        return new TrainOptions(method, maxIterations, tolerance, restarts, seed, threads, gradient.withOptimizer(o),
                batchSize, chunkLength, validationFraction, patience, checkpoint, checkpointEvery, online);
    }

    /**
     * The optimiser of that JSON name ({@link Optimizer#fromJson}).
     *
     * @throws IllegalArgumentException naming the value and the allowed names
     */
    public TrainOptions withOptimizer(String name) {
        return withOptimizer(Optimizer.fromJson(name));
    }

    public TrainOptions withLearningRate(double rate) {
        return new TrainOptions(method, maxIterations, tolerance, restarts, seed, threads, gradient.withLearningRate(rate),
                batchSize, chunkLength, validationFraction, patience, checkpoint, checkpointEvery, online);
    }

    public TrainOptions withMomentum(double m) {
        return new TrainOptions(method, maxIterations, tolerance, restarts, seed, threads, gradient.withMomentum(m),
                batchSize, chunkLength, validationFraction, patience, checkpoint, checkpointEvery, online);
    }

    /** Sequences (or chunks) per gradient step and per online-EM update alike. */
    public TrainOptions withBatchSize(int n) {
        return new TrainOptions(method, maxIterations, tolerance, restarts, seed, threads, gradient,
                n, chunkLength, validationFraction, patience, checkpoint, checkpointEvery, online.withBatchSize(n));
    }

    public TrainOptions withChunkLength(int n) {
        return new TrainOptions(method, maxIterations, tolerance, restarts, seed, threads, gradient,
                batchSize, n, validationFraction, patience, checkpoint, checkpointEvery, online);
    }

    public TrainOptions withClipNorm(double norm) {
        return new TrainOptions(method, maxIterations, tolerance, restarts, seed, threads, gradient.withClipNorm(norm),
                batchSize, chunkLength, validationFraction, patience, checkpoint, checkpointEvery, online);
    }

    public TrainOptions withValidationFraction(double f) {
        return new TrainOptions(method, maxIterations, tolerance, restarts, seed, threads, gradient,
                batchSize, chunkLength, f, patience, checkpoint, checkpointEvery, online);
    }

    public TrainOptions withPatience(int n) {
        return new TrainOptions(method, maxIterations, tolerance, restarts, seed, threads, gradient,
                batchSize, chunkLength, validationFraction, n, checkpoint, checkpointEvery, online);
    }

    public TrainOptions withCheckpoint(Path file, int every) {
        return new TrainOptions(method, maxIterations, tolerance, restarts, seed, threads, gradient,
                batchSize, chunkLength, validationFraction, patience, file, every, online);
    }

    public TrainOptions withOnline(OnlineEm schedule) {
        return new TrainOptions(method, maxIterations, tolerance, restarts, seed, threads, gradient,
                batchSize, chunkLength, validationFraction, patience, checkpoint, checkpointEvery, schedule);
    }

    /** The gradient optimiser ({@link Gradient#optimizer()}). */
    public Optimizer optimizer() {
        return gradient.optimizer();
    }

    /** The gradient step size ({@link Gradient#learningRate()}). */
    public double learningRate() {
        return gradient.learningRate();
    }

    /** SGD momentum ({@link Gradient#momentum()}). */
    public double momentum() {
        return gradient.momentum();
    }

    /** Gradient clipping by global norm, 0 for none ({@link Gradient#clipNorm()}). */
    public double clipNorm() {
        return gradient.clipNorm();
    }

    public TrainOptions withGradient(Gradient g) {
        return new TrainOptions(method, maxIterations, tolerance, restarts, seed, threads, g,
                batchSize, chunkLength, validationFraction, patience, checkpoint, checkpointEvery, online);
    }

    /** The options as JSON for provenance (threads and checkpoint file left out: they do not change results). */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("method", method.jsonName());
        o.put("maxIterations", maxIterations);
        o.put("tolerance", tolerance);
        o.put("restarts", restarts);
        o.put("seed", seed);
        o.put("optimizer", optimizer().jsonName());
        o.put("learningRate", learningRate());
        o.put("momentum", momentum());
        o.put("batchSize", batchSize);
        o.put("chunkLength", chunkLength);
        o.put("clipNorm", clipNorm());
        o.put("validationFraction", validationFraction);
        o.put("patience", patience);
        if (method == Method.ONLINE_EM) {
            // only then: the fingerprints of other fits (and so their checkpoints) stay as they were
            o.put("stepExponent", online.stepExponent());
            o.put("stepOffset", online.stepOffset());
            o.put("warmUp", online.warmUp());
            o.put("onlineBatchSize", online.batchSize());
        }
        return o;
    }
}
