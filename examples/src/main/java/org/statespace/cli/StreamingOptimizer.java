package org.statespace.cli;

import java.io.PrintWriter;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;

import org.statespace.DataException;
import org.statespace.ObservationSpace;
import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;
import org.statespace.data.DatasetCsv;
import org.statespace.data.ObservationKind;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceIndex;
import org.statespace.data.SequenceReader;
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

/**
 * {@code fit --stream} of a model the trainer fits by its derivative-free optimiser (the structural models, a
 * non-linear model with a named parameter free or run by the particle filter, or {@code --method optimizer}): the
 * data file is indexed once ({@link SequenceIndex}: where each sequence starts, every value checked), then every
 * point Nelder-Mead tries is scored by a pass over the file, a sequence at a time and a long sequence in chunks
 * ({@link Trainer#fit(StateSpaceModel, org.statespace.data.SequenceSource, org.statespace.data.SequenceSource,
 * TrainOptions, org.statespace.capability.FitSettings, org.statespace.inference.TrainingListener)}), and so is
 * every point of the standard errors' numerical Hessian ({@link StandardErrors#of(StateSpaceModel,
 * org.statespace.data.SequenceSource, FilterEngine, org.statespace.capability.FitSettings)}). The heap holds the
 * index (20 bytes a sequence) and a chunk per thread, not the data. A pass sums the same steps in the same order as
 * the in-memory fit, so the fitted spec, the trace, the learning curve and the standard errors are the in-memory
 * {@code fit}'s bit for bit, and the summary, report and {@code --out} are written as it writes them. Validation
 * data (indexed too), checkpoints and {@code --resume} work as in memory. A template whose start the family draws
 * from the data's shape alone (a non-linear model's: its template is its spec) starts as in memory; one whose start
 * is drawn from the data's values (a structural model's variances) is refused in one line.
 *
 * <p>A model fitted in closed form (a Markov chain from a full spec) runs here too: one counting pass over the
 * indexed file and a scoring pass, the in-memory {@code fit}'s numbers and output bit for bit. A Markov chain's
 * template (its alphabet is the data's symbols) is refused as above.
 */
final class StreamingOptimizer {
    private StreamingOptimizer() {
    }

    /**
     * Whether a streamed fit runs the optimiser or the closed form: a full spec whose method ({@code --method},
     * else the options file's, else the model's own) is one of them, or {@code --method optimizer} with any spec.
     */
    static boolean applies(FitCommand c) {
        if ("optimizer".equals(c.method)) {
            return true;
        }
        if (c.method != null && !c.method.equals("auto") && !c.method.equals("closed-form")) {
            return false;
        }
        Cli.requireFile(c.model, "--model");
        SpecNode node = SpecNode.root(Json.read(c.model), c.model.toString());
        StateSpaceModel<?, ?> model;
        if (ModelSpecs.isTemplate(node)) {
            try {
                model = ModelSpecs.read(node); // a non-linear model's template is its spec
            } catch (SpecException e) {
                return false;
            }
        } else {
            model = ModelSpecs.read(node);
        }
        TrainOptions.Method method = c.method == null ? TrainOptions.Method.AUTO : TrainOptions.Method.fromJson(c.method);
        if (c.method == null && c.options != null) {
            Cli.requireFile(c.options, "--options");
            method = FitConfiguration.read(SpecNode.root(Json.read(c.options), c.options.toString()), null, model,
                    TrainOptions.defaults()).options().method();
        }
        return indexed(Trainer.resolve(model, method));
    }

    // the methods this fit runs over an index of the file
    private static boolean indexed(TrainOptions.Method method) {
        return method == TrainOptions.Method.OPTIMIZER || method == TrainOptions.Method.CLOSED_FORM;
    }

    static int run(FitCommand c) {
        CommandLine command = c.spec.commandLine();
        Cli.requireFile(c.model, "--model");
        SpecNode modelNode = SpecNode.root(Json.read(c.model), c.model.toString());
        boolean template = ModelSpecs.isTemplate(modelNode);
        StateSpaceModel<?, ?> initial = template ? readable(modelNode) : ModelSpecs.read(modelNode);
        if (initial == null) {
            throw templateRefused(c);
        }
        SpecNode node = c.optionsNode();
        FitConfiguration config = FitConfiguration.read(node, template ? modelNode : null, initial,
                TrainOptions.defaults());
        TrainOptions o = c.trainOptions(config.options(), template, node, initial);
        if (template) {
            initial = templateStart(c, modelNode, initial, o.seed());
            if (initial == null) {
                throw templateRefused(c);
            }
        }
        if (!indexed(Trainer.resolve(initial, o.method()))) {
            throw new CommandLine.ParameterException(command, "method " + o.method().jsonName() + " (from "
                    + (c.method != null ? "--method" : c.options) + "): this fit streams a " + initial.type()
                    + " model by the optimiser or in closed form only");
        }
        DatasetCsv.Columns columns = c.streamedData(command, initial);
        FitResult result;
        StandardErrors errors;
        try (SequenceIndex training = SequenceIndex.build(c.data, initial.observationSpace(), columns);
                SequenceIndex validation = c.validation == null ? null
                        : SequenceIndex.build(c.validation, initial.observationSpace(), columns)) {
            if (training.observedSteps() == 0) {
                throw new DataException(c.data + ": every one of its " + training.steps() + " steps is missing, so "
                        + "there is nothing to fit");
            }
            try (TerminalProgress progress = TerminalProgress.forTask("fit", c.quiet)) {
                result = c.resume != null
                        ? Trainer.resume(c.resume, initial, training, validation, o, config.settings(), progress)
                        : Trainer.fit(initial, training, validation, o, config.settings(), progress);
            }
            errors = StandardErrors.of(result.model(), training,
                    FilterEngine.of(FilterOptions.defaults().withThreads(o.threads())), config.settings());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command, e.getMessage());
        }
        if (c.report != null) {
            ObjectNode r = result.toJson();
            r.set("standardErrors", errors.toJson());
            r.set("fittedSpec", result.model().toSpec());
            ObjectNode provenance = Cli.provenance("fit");
            provenance.put("model", c.model.toString());
            provenance.put("data", c.data.toString());
            provenance.put("stream", true);
            if (template) {
                provenance.set("template", modelNode.json());
            }
            provenance.set("initialSpec", initial.toSpec());
            r.set("provenance", provenance);
            Cli.writeText(c.report, Json.write(r), command.getOut());
        }
        if (c.out != null) {
            Cli.writeText(c.out, Json.write(result.model().toSpec()), command.getOut());
        }
        boolean stdoutTaken = c.out != null || (c.report != null && OutputPaths.isStandardOutput(c.report));
        PrintWriter human = stdoutTaken ? command.getErr() : command.getOut();
        human.println(FitCommand.table(result, errors));
        PrintWriter err = command.getErr();
        for (String w : result.warnings()) {
            err.println("warning: " + w);
        }
        human.flush();
        err.flush();
        return 0;
    }

    private static CommandLine.ParameterException templateRefused(FitCommand c) {
        return new CommandLine.ParameterException(c.spec.commandLine(), c.model + " is a template whose start is drawn "
                + "from the data in memory; fit streams from a full spec: fit the template to a sample in memory "
                + "(--max-iterations 1 --out START.json), then stream from START.json");
    }

    // the template read as a spec, or null when it is not one
    private static StateSpaceModel<?, ?> readable(SpecNode template) {
        try {
            return ModelSpecs.read(template);
        } catch (SpecException e) {
            return null;
        }
    }

    /**
     * The start of a template whose family draws it from the data's shape alone ({@link ModelSpecs#template(SpecNode,
     * Dataset, java.util.function.Function, java.util.random.RandomGenerator)} without asking for rows: a non-linear
     * model's template is its spec, checked against the data's kind and dimension), the shape read from the first
     * chunk of the file's first sequence; the start the in-memory {@code fit} makes. Null when the family needs the
     * data's rows (a structural model's variances come from the data's moments) or the template is not a spec.
     *
     * The seed is the in-memory {@code fit}'s: {@code --seed}, else the options file's, else the default.
     */
    static StateSpaceModel<?, ?> templateStart(FitCommand c, SpecNode template) {
        StateSpaceModel<?, ?> sized = readable(template);
        long seed = c.seed != null ? c.seed : TrainOptions.defaults().seed();
        if (c.seed == null && c.options != null) {
            Cli.requireFile(c.options, "--options");
            JsonNode options = Json.read(c.options);
            if (options.isObject() && options.has("seed")) {
                seed = options.get("seed").asLong();
            }
        }
        return templateStart(c, template, sized, seed);
    }

    private static StateSpaceModel<?, ?> templateStart(FitCommand c, SpecNode template, StateSpaceModel<?, ?> sized,
            long seed) {
        if (sized == null) {
            return null;
        }
        Cli.requireFile(c.data, "--data");
        ModelDataOptions io = new ModelDataOptions();
        io.data = c.data;
        ObservationSpace space = sized.observationSpace();
        Sequence first;
        try (SequenceReader r = SequenceReader.open(c.data, space, io.csvColumns(c.spec.commandLine(), sized))) {
            first = r.nextSequence() ? r.nextChunk() : null;
        }
        if (first == null) {
            throw new DataException(c.data + ": no sequence to fit");
        }
        Dataset shape = Dataset.of(space.kind(), List.of(first),
                space.kind() == ObservationKind.SYMBOLS ? space.symbolNames() : List.of());
        try {
            return ModelSpecs.template(template, shape, m -> {
                throw new RowsNeeded();
            }, Randoms.seeded(seed)).orElse(null);
        } catch (RowsNeeded e) {
            return null;
        }
    }

    // the family asked for the data's rows: its start needs the data in memory
    private static final class RowsNeeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RowsNeeded() {
            super(null, null, false, false);
        }
    }
}
