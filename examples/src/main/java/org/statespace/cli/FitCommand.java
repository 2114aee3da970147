package org.statespace.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
                + "ends with the parameters an uninterrupted run would have.",
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

    @Option(names = "--method", paramLabel = "METHOD", description = "auto, closed-form, em, optimizer or gradient")
    String method;

    @Option(names = "--threads", paramLabel = "N", description = "threads (default: all cores)")
    Integer threads;

    @Option(names = "--checkpoint", paramLabel = "CK.json",
            description = "write the whole training state to this file every --checkpoint-every iterations (atomically)")
    Path checkpoint;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "1",
            description = "iterations between checkpoints (default: ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Option(names = "--resume", paramLabel = "CK.json",
            description = "continue the fit from a checkpoint (same --model, --data and options); "
                    + "it goes on checkpointing to the same file unless --checkpoint names another")
    Path resume;

    @Option(names = "--quiet", description = "no progress bar (there is none anyway when standard error is not a terminal)")
    boolean quiet;

    @CommandLine.Mixin
    DebugOption debug;

    @Override
    public Integer call() {
        Cli.requireFile(model, "--model");
        SpecNode modelNode = SpecNode.root(Json.read(model), model.toString());
        boolean template = ModelSpecs.isTemplate(modelNode);
        SpecNode node;
        if (options != null) {
            Cli.requireFile(options, "--options");
            node = SpecNode.root(Json.read(options), options.toString());
        } else {
            node = SpecNode.root(Json.object(), "fit options");
        }
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
        FitConfiguration config = FitConfiguration.read(node, initial, base);
        TrainOptions o = config.options();
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
            if (restarts != null) {
                o = o.withRestarts(restarts);
            } else if (template && !(node.json().isObject() && node.has("restarts"))
                    && initial instanceof Initialization && initial instanceof ExpectationMaximization) {
                // EM finds a local maximum: a template's fit tries a few seeded starts unless told otherwise
                o = o.withRestarts(TEMPLATE_RESTARTS);
            }
            if (threads != null) {
                o = o.withThreads(threads);
            }
            if (method != null) {
                o = o.withMethod(TrainOptions.Method.fromJson(method));
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
                FilterEngine.of(FilterOptions.defaults().withThreads(o.threads())));
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
        StringBuilder b = new StringBuilder();
        b.append(summary(r)).append(System.lineSeparator());
        b.append(String.format(Locale.ROOT, "model: %s on %d observation%s", r.model().type(), r.observations(),
                r.observations() == 1 ? "" : "s")).append(System.lineSeparator());
        if (!errors.names().isEmpty()) {
            b.append(System.lineSeparator());
            for (String line : errors.table()) {
                b.append(line).append(System.lineSeparator());
            }
        }
        if (!errors.problem().isEmpty()) {
            b.append("no standard errors: ").append(errors.problem()).append(System.lineSeparator());
        } else if (!errors.note().isEmpty()) {
            b.append("standard errors from the observed information; ").append(errors.note())
                    .append(System.lineSeparator());
        } else {
            b.append("standard errors from the observed information (numerical Hessian, delta method)")
                    .append(System.lineSeparator());
        }
        if (!r.converged() && errors.available()) {
            b.append("the fit did not converge: the standard errors are taken where it stopped").append(System.lineSeparator());
        }
        return b.toString().stripTrailing();
    }

    /** One line for people: how the fit ended, the final log-likelihood, iterations, AIC and BIC. */
    static String summary(FitResult r) {
        String ending = r.converged() ? "converged" : "stopped at the iteration limit";
        return String.format(Locale.ROOT, "fit: %s after %d iteration%s (%s); log-likelihood %.6g (%.4g per observation), "
                + "AIC %.6g, BIC %.6g, %d parameters", ending, r.iterations(), r.iterations() == 1 ? "" : "s",
                r.method().jsonName(), r.logLikelihood(), r.logLikelihood() / Math.max(1, r.observations()), r.aic(),
                r.bic(), r.model().parameterCount())
                + (r.hasPrior() ? String.format(Locale.ROOT, "; log-posterior %.6g (log-prior %.6g; the prior's mode is "
                        + "what EM maximised)", r.logPosterior(), r.logPrior()) : "");
    }
}
