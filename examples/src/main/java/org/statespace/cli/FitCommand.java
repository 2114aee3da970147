package org.statespace.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.statespace.DataException;
import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.capability.ExpectationMaximization;
import org.statespace.capability.Initialization;
import org.statespace.data.Dataset;
import org.statespace.data.DatasetCsv;
import org.statespace.data.Sequence;
import org.statespace.inference.FilterEngine;
import org.statespace.inference.FilterOptions;
import org.statespace.inference.FitConfiguration;
import org.statespace.inference.FitResult;
import org.statespace.inference.StandardErrors;
import org.statespace.inference.Trainer;
import org.statespace.inference.TrainOptions;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.SpecNode;

@Command(name = "fit", mixinStandardHelpOptions = true,
        description = {"Fit a model to data, starting from the spec given, and write the fitted spec.",
            "--model takes a full spec or a short template that the data size and a seeded start initialises, "
                + "as in studies: {\"type\": \"hmm\", \"states\": 3, \"emission\": \"poisson\"}, "
                + "{\"type\": \"local-level\"}, {\"type\": \"rnn\", \"cell\": \"gru\", \"hiddenSize\": 16}, "
                + "{\"type\": \"markov-chain\", \"order\": 2}. A template fitted by EM (HMM, linear-Gaussian) "
                + "makes " + FitCommand.TEMPLATE_RESTARTS + " restarts from seeded starts unless --restarts says otherwise.",
            "Without --out the summary goes to standard output: a parameter table with estimates, standard errors "
                + "(observed information; HMMs and structural models) and 95%% intervals, the log-likelihood, AIC, "
                + "BIC, iterations and convergence. With --out (or --report -) it goes to standard error.",
            "The method is the model's own: closed form (Markov chain), EM (HMM, linear-Gaussian), "
                + "an optimiser (structured linear-Gaussian models) or gradient descent (RNN).",
            "--report writes how it went: the log-likelihood trace, the learning curve, AIC, BIC and the standard errors.",
            "The summary starts with one line on how it ended (converged, or stopped at the iteration limit), the "
                + "final log-likelihood, iterations, AIC and BIC; a warning line follows on standard error for a fit "
                + "that did not converge or started from a degenerate (symmetric) start. Data without an observed "
                + "value is an error.",
            "--checkpoint writes the training state as it goes; --resume continues a killed run from it and "
                + "ends with the parameters an uninterrupted run would have (online EM checkpoints every "
                + "--checkpoint-every updates, so a long pass resumes part way).",
            "--method online-em --chunk 1000 fits a long series as it would arrive: stepwise EM (Cappé & Moulines "
                + "2009; Liang & Klein 2009) on chunks of 1000 steps, the parameters updated after each; the options "
                + "file also takes stepOffset (t0, default 2) and warmUp (updates before the first M-step, default 1).",
            "An hmm or lgssm spec may carry a \"prior\" (EM then maximises the posterior; the summary and the report "
                + "give the log-posterior beside the log-likelihood) and a \"fit\" block of \"fixed\", \"tied\" and "
                + "\"bounds\" parameter paths (e.g. emission.means[0], transition[0][1]); both are written back with "
                + "the fitted spec. See examples/specs/sticky-regimes.json."})
final class FitCommand implements Callable<Integer> {
    /** Restarts of an EM fit from a template when neither --restarts nor the options file give them. */
    static final int TEMPLATE_RESTARTS = 4;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "INIT.json",
            description = "the starting model: a full spec, or a template such as {\"type\": \"local-level\"}")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "D.json|D.csv", description = "the training data")
    Path data;

    @Option(names = "--out", paramLabel = "FITTED.json",
            description = "where to write the fitted spec (- for standard output); without it only the summary is printed")
    Path out;

    @Option(names = "--report", paramLabel = "R.json", description = "where to write the fit report (- for standard output)")
    Path report;

    @Option(names = "--options", paramLabel = "FIT.json",
            description = "fit options as JSON: maxIterations, tolerance, restarts, method, and the family's own "
                    + "(e.g. pseudoCount); command-line options override them")
    Path options;

    @Option(names = "--validation", paramLabel = "V.json", description = "held-out data for the validation curve and early stopping")
    Path validation;

    @Option(names = "--seed", paramLabel = "S",
            description = "seed for a template's start, restarts and other randomness (default: 0)")
    Long seed;

    @Option(names = "--max-iterations", paramLabel = "N", description = "iterations or epochs")
    Integer maxIterations;

    @Option(names = "--tolerance", paramLabel = "TOL", description = "relative log-likelihood improvement that ends EM")
    Double tolerance;

    @Option(names = "--restarts", paramLabel = "R",
            description = "extra runs from seeded starting points; the best is kept (default: 0, or "
                    + TEMPLATE_RESTARTS + " for a template fitted by EM)")
    Integer restarts;

    @Option(names = "--method", paramLabel = "METHOD",
            description = "auto, closed-form, em, optimizer, gradient or online-em (stepwise EM for the models EM fits: "
                    + "parameters updated after every --batch-size pieces of --chunk steps; --max-iterations counts passes)")
    String method;

    @Option(names = "--chunk", paramLabel = "STEPS",
            description = "cut sequences into pieces of at most this many steps (online EM, gradient training)")
    Integer chunk;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "pieces per online-EM update (default 1) or per gradient step (default 16)")
    Integer batchSize;

    @Option(names = "--step-exponent", paramLabel = "A",
            description = "online EM's step sizes (k + t0)^-A, A in (0.5, 1] (default 0.6; t0 is the options "
                    + "file's stepOffset, default 2)")
    Double stepExponent;

    @Option(names = "--threads", paramLabel = "N", description = "threads (default: all cores)")
    Integer threads;

    @Option(names = "--checkpoint", paramLabel = "CK.json",
            description = "write the whole training state to this file every --checkpoint-every iterations (atomically)")
    Path checkpoint;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "1",
            description = "iterations (online EM: updates) between checkpoints (default: ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Option(names = "--resume", paramLabel = "CK.json",
            description = "continue the fit from a checkpoint (same --model, --data and options); "
                    + "it goes on checkpointing to the same file unless --checkpoint names another")
    Path resume;

    @Option(names = "--quiet", description = "no progress bar (there is none anyway when standard error is not a terminal)")
    boolean quiet;

    @Option(names = "--stream", description = "fit by passes over the data file, from a full spec; implied by .jsonl "
            + "data. EM (HMM, input-output HMM, linear-Gaussian; no restarts, validation or checkpoints): each sequence "
            + "is read in chunks, its filter spilled to a temporary file (HMM: 2K+1+d numbers a step; linear-Gaussian: "
            + "3n+3n^2+m+p; deleted afterwards), so one sequence longer than memory is fitted with the in-memory fit's "
            + "iterates (an input-output HMM's transition statistics, p+1+K^2 numbers a step, are spilled too). "
            + "Gradient (RNN, or --method gradient; CSV or JSON Lines): the file is indexed once (20 bytes a "
            + "sequence; a bad value is reported with its line before training starts), then each epoch reads every "
            + "mini-batch's sequences at their offsets in the in-memory fit's order, so the fit is the in-memory one "
            + "(a linear head's variance to rounding); --validation, --chunk, --batch-size, --checkpoint and --resume "
            + "work, --restarts does not; each sequence is read whole, so the longest must fit in memory, except with "
            + "--chunk L in a file of a step a line (CSV, JSON Lines of steps): the index then keeps where each piece "
            + "of L steps starts (12 bytes a piece) and reads one piece at a time, and a long sequence is scored in "
            + "chunks, so one long series is fitted in a heap that does not grow with its length (a linear head's "
            + "variance re-estimate still reads each sequence whole). Optimiser (the structural models, a non-linear "
            + "model the optimiser fits, or --method optimizer; CSV or JSON Lines): the file is indexed once, then "
            + "every point Nelder-Mead tries, and every point of the standard errors' Hessian, is scored by a pass over "
            + "it, a long sequence in chunks, so the heap does not grow with the data and the fit is the in-memory one "
            + "bit for bit; --validation, --checkpoint and --resume work. Closed form (a Markov chain): one counting "
            + "pass over the indexed file and a scoring pass, the in-memory fit bit for bit; --validation works")
    boolean stream;

    @CommandLine.Mixin
    DebugOption debug;

    @Override
    public Integer call() {
        if (StreamingFit.applies(stream, data)) {
            return StreamingFit.run(this);
        }
        Cli.requireFile(model, "--model");
        SpecNode modelNode = SpecNode.root(Json.read(model), model.toString());
        boolean template = ModelSpecs.isTemplate(modelNode);
        SpecNode node = optionsNode();
        StateSpaceModel<?, ?> initial;
        Dataset training;
        if (template) {
            Dataset raw = Cli.readData(data);
            long startSeed = seed != null ? seed
                    : node.json().isObject() && node.has("seed") ? node.field("seed").asLong() : TrainOptions.defaults().seed();
            try {
                initial = ModelSpecs.template(modelNode, raw, Randoms.seeded(startSeed));
            } catch (DataException e) {
                throw new DataException(model + ": the template does not apply to " + data + ": " + e.getMessage());
            }
            training = initial.observationSpace().align(raw, data.toString());
        } else {
            try {
                initial = ModelSpecs.read(modelNode);
            } catch (SpecException e) {
                throw templateLike(modelNode) ? templateError(modelNode, e) : e;
            }
            training = Cli.readData(data, initial);
        }
        if (training.sequences().stream().mapToLong(Sequence::observedSteps).sum() == 0) {
            long steps = training.sequences().stream().mapToLong(Sequence::length).sum();
            throw new DataException(data + ": every one of its " + steps + " steps is missing, so there is nothing to fit");
        }
        Dataset held = validation == null ? null : Cli.readData(validation, initial);
        TrainOptions base = TrainOptions.defaults();
        FitConfiguration config = FitConfiguration.read(node, template ? modelNode : null, initial, base);
        TrainOptions o = trainOptions(config.options(), template, node, initial);
        FitResult result;
        try (TerminalProgress progress = TerminalProgress.forTask("fit", quiet)) {
            if (resume != null) {
                Cli.requireFile(resume, "--resume");
                result = Trainer.resume(resume, initial, training, held, o, config.settings(), progress);
            } else {
                result = Trainer.fit(initial, training, held, o, config.settings(), progress);
            }
        }
        String fitted = Json.write(result.model().toSpec());
        StandardErrors errors = StandardErrors.of(result.model(), training,
                FilterEngine.of(FilterOptions.defaults().withThreads(o.threads())), config.settings());
        if (report != null) {
            ObjectNode r = result.toJson();
            r.set("standardErrors", errors.toJson());
            r.set("fittedSpec", result.model().toSpec());
            ObjectNode provenance = Cli.provenance("fit");
            provenance.put("model", model.toString());
            provenance.put("data", data.toString());
            if (template) {
                provenance.set("template", modelNode.json());
            }
            provenance.set("initialSpec", initial.toSpec());
            r.set("provenance", provenance);
            Cli.writeText(report, Json.write(r), spec.commandLine().getOut());
        }
        if (out != null) {
            Cli.writeText(out, fitted, spec.commandLine().getOut());
        }
        // people read the summary on standard output unless a file there (--out - or --report -) takes it
        boolean stdoutTaken = out != null || (report != null && OutputPaths.isStandardOutput(report));
        PrintWriter human = stdoutTaken ? spec.commandLine().getErr() : spec.commandLine().getOut();
        human.println(table(result, errors));
        PrintWriter err = spec.commandLine().getErr();
        for (String w : result.warnings()) {
            err.println("warning: " + w);
        }
        human.flush();
        err.flush();
        return 0;
    }

    /** The --options file's spec, or an empty one without --options. */
    SpecNode optionsNode() {
        if (options == null) {
            return SpecNode.root(Json.object(), "fit options");
        }
        Cli.requireFile(options, "--options");
        return SpecNode.root(Json.read(options), options.toString());
    }

    /**
     * A streamed fit's files: --data (and --validation and --resume, when given) must exist; returns the columns of
     * --data that hold {@code initial}'s observations (a CSV file's, or none for JSON).
     */
    DatasetCsv.Columns streamedData(CommandLine command, StateSpaceModel<?, ?> initial) {
        Cli.requireFile(data, "--data");
        ModelDataOptions io = new ModelDataOptions();
        io.data = data;
        DatasetCsv.Columns columns = io.csvColumns(command, initial);
        if (validation != null) {
            Cli.requireFile(validation, "--validation");
        }
        if (resume != null) {
            Cli.requireFile(resume, "--resume");
        }
        return columns;
    }

    /**
     * The options of the fit: the options file's ({@code fromFile}), with the command line's over them.
     *
     * @throws CommandLine.ParameterException naming the option whose value is out of range
     */
    TrainOptions trainOptions(TrainOptions fromFile, boolean template, SpecNode node, StateSpaceModel<?, ?> initial) {
        TrainOptions o = fromFile;
        try {
            if (seed != null) {
                o = o.withSeed(seed);
            }
            if (maxIterations != null) {
                o = o.withMaxIterations(maxIterations);
            }
            if (tolerance != null) {
                o = o.withTolerance(tolerance);
            }
            if (method != null) {
                o = o.withMethod(method(method));
            }
            if (restarts != null) {
                o = o.withRestarts(restarts);
            } else if (template && !(node.json().isObject() && node.has("restarts"))
                    && initial instanceof Initialization && initial instanceof ExpectationMaximization
                    && o.method() != TrainOptions.Method.ONLINE_EM) {
                // EM finds a local maximum: a template's fit tries a few seeded starts unless told otherwise
                o = o.withRestarts(TEMPLATE_RESTARTS);
            }
            if (threads != null) {
                o = o.withThreads(threads);
            }
            if (chunk != null) {
                if (chunk < 1) {
                    throw new IllegalArgumentException("--chunk must be at least 1 step, got " + chunk);
                }
                o = o.withChunkLength(chunk);
            }
            if (batchSize != null) {
                if (batchSize < 1) {
                    throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
                }
                o = o.withBatchSize(batchSize);
            }
            if (stepExponent != null) {
                if (!(stepExponent > 0.5 && stepExponent <= 1)) {
                    throw new IllegalArgumentException("--step-exponent must be in (0.5, 1] (online EM's step sizes "
                            + "(k + t0)^-A), got " + stepExponent);
                }
                o = o.withOnline(o.online().withStepExponent(stepExponent));
            }
            if (checkpointEvery < 1) {
                throw new IllegalArgumentException("--checkpoint-every must be at least 1, got " + checkpointEvery);
            }
            Path target = checkpoint != null ? checkpoint : resume;
            if (target != null) {
                o = o.withCheckpoint(target, checkpointEvery);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        return o;
    }

    private static TrainOptions.Method method(String name) {
        for (TrainOptions.Method m : TrainOptions.Method.values()) {
            if (m.jsonName().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("--method must be one of " + String.join(", ",
                java.util.Arrays.stream(TrainOptions.Method.values()).map(TrainOptions.Method::jsonName).toList())
                + "; got \"" + name + "\"");
    }

    /**
     * Whether a spec that is not a template (it has a field no template has) still reads as meant to be one:
     * a template field holding a number or text, as {@code "states": 3} or {@code "emission": "poisson"}
     * (in a full spec these are a list and an object; a Markov chain's {@code "order"} is a number in both).
     */
    private static boolean templateLike(SpecNode spec) {
        if (!spec.json().isObject() || !spec.json().path("type").isTextual()) {
            return false;
        }
        String type = spec.json().get("type").asText();
        if (!ModelSpecs.typeNames().contains(type)) {
            return false;
        }
        for (String field : ModelSpecs.type(type).templateFields()) {
            com.fasterxml.jackson.databind.JsonNode v = spec.json().get(field);
            if (v != null && v.isValueNode() && !field.equals("order")) {
                return true;
            }
        }
        return false;
    }

    /** The template reader's own error for a template-like spec (an unknown field named against the template's fields). */
    private static SpecException templateError(SpecNode spec, SpecException fullSpecError) {
        String type = spec.json().get("type").asText();
        try {
            List<String> allowed = new java.util.ArrayList<>(List.of("type"));
            allowed.addAll(ModelSpecs.type(type).templateFields());
            spec.requireObject(allowed.toArray(new String[0]));
        } catch (SpecException e) {
            return e;
        }
        return fullSpecError;
    }

    /**
     * The summary for people, in the spirit of statsmodels' {@code summary()}: the {@link #summary} line (how
     * the fit ended, log-likelihood, AIC, BIC), the model and the data size, then a table of the parameters with standard errors and
     * 95% intervals (or the reason there are none).
     */
    static String table(FitResult r, StandardErrors errors) {
        return org.statespace.inference.FitSummary.of(r, errors);
    }

    /** One line for people: how the fit ended, the final log-likelihood, iterations, AIC and BIC. */
    static String summary(FitResult r) {
        return org.statespace.inference.FitSummary.line(r);
    }
}
