package org.statespace.cli;

import java.io.PrintWriter;

import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;

import org.statespace.StateSpaceModel;
import org.statespace.capability.Differentiable;
import org.statespace.data.DatasetCsv;
import org.statespace.data.SequenceIndex;
import org.statespace.inference.FitConfiguration;
import org.statespace.inference.FitResult;
import org.statespace.inference.FitSummary;
import org.statespace.inference.Trainer;
import org.statespace.inference.TrainOptions;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.SpecNode;

/**
 * {@code fit --stream} by gradient descent (RNNs, or {@code --method gradient}): the data file is indexed once
 * ({@link SequenceIndex}: where each sequence starts, every value checked, so a bad line is reported before any
 * training output), then every epoch reads the sequences of each mini-batch at their offsets in the order the
 * in-memory fit takes them ({@link Trainer#fit(StateSpaceModel, org.statespace.data.SequenceSource,
 * org.statespace.data.SequenceSource, TrainOptions, org.statespace.capability.FitSettings,
 * org.statespace.inference.TrainingListener)}), so the fit equals the in-memory one for the same seed and the heap
 * holds the index and one batch. With {@code --chunk L} the index keeps where every piece of L steps starts
 * ({@link SequenceIndex#build(java.nio.file.Path, org.statespace.ObservationSpace, DatasetCsv.Columns, int)}), so
 * a batch reads its pieces alone, not their whole sequences. Validation data (indexed too), {@code --chunk}, {@code --batch-size},
 * checkpoints and {@code --resume} work as in memory; a template (its start is drawn from the data in memory) and
 * {@code --restarts} do not.
 */
final class StreamingGradient {
    private StreamingGradient() {
    }

    /**
     * Whether a streamed fit is gradient training: {@code --method gradient}, or the method left to the model and
     * the model one that trains by gradient (a template of type {@code rnn}, or a spec of a model the trainer fits
     * by gradient first).
     */
    static boolean applies(FitCommand c) {
        if ("gradient".equals(c.method)) {
            return true;
        }
        if (c.method != null && !c.method.equals("auto")) {
            return false;
        }
        Cli.requireFile(c.model, "--model");
        SpecNode node = SpecNode.root(Json.read(c.model), c.model.toString());
        if (ModelSpecs.isTemplate(node)) {
            return "rnn".equals(node.json().path("type").asText());
        }
        StateSpaceModel<?, ?> model = ModelSpecs.read(node);
        return Trainer.resolve(model, TrainOptions.Method.AUTO) == TrainOptions.Method.GRADIENT;
    }

    static int run(FitCommand c) {
        CommandLine command = c.spec.commandLine();
        String why = c.restarts != null && c.restarts > 0 ? "--restarts (gradient training makes no restarts)"
                : c.stepExponent != null ? "--step-exponent (online EM's step sizes)" : null;
        if (why != null) {
            throw new CommandLine.ParameterException(command, why + " is not available when fit streams by gradient "
                    + "(--stream, or .jsonl data)");
        }
        Cli.requireFile(c.model, "--model");
        SpecNode modelNode = SpecNode.root(Json.read(c.model), c.model.toString());
        if (ModelSpecs.isTemplate(modelNode)) {
            throw new CommandLine.ParameterException(command, c.model + " is a template; fit streams from a full spec "
                    + "(a template's start is drawn from the data in memory): fit the template to a sample in memory "
                    + "(--max-iterations 1 --out START.json), then stream from START.json");
        }
        StateSpaceModel<?, ?> initial = ModelSpecs.read(modelNode);
        if (!(initial instanceof Differentiable)) {
            throw new CommandLine.ParameterException(command, "--method gradient: a " + initial.type() + " model is "
                    + "not trained by gradient descent; it supports " + Trainer.available(initial).stream()
                            .map(TrainOptions.Method::jsonName).toList());
        }
        SpecNode node = c.optionsNode();
        FitConfiguration config = FitConfiguration.read(node, null, initial, TrainOptions.defaults());
        TrainOptions o = c.trainOptions(config.options(), false, node, initial);
        if (o.method() != TrainOptions.Method.AUTO && o.method() != TrainOptions.Method.GRADIENT) {
            throw new CommandLine.ParameterException(command, "method " + o.method().jsonName() + " (from "
                    + (c.method != null ? "--method" : c.options) + "): fit streams a " + initial.type()
                    + " model by gradient epochs only");
        }
        DatasetCsv.Columns columns = c.streamedData(command, initial);
        FitResult result;
        try (SequenceIndex training = SequenceIndex.build(c.data, initial.observationSpace(), columns,
                o.chunkLength());
                SequenceIndex validation = c.validation == null ? null
                        : SequenceIndex.build(c.validation, initial.observationSpace(), columns);
                TerminalProgress progress = TerminalProgress.forTask("fit", c.quiet)) {
            result = c.resume != null
                    ? Trainer.resume(c.resume, initial, training, validation, o, config.settings(), progress)
                    : Trainer.fit(initial, training, validation, o, config.settings(), progress);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command, e.getMessage());
        }
        if (c.report != null) {
            ObjectNode r = result.toJson();
            r.set("fittedSpec", result.model().toSpec());
            ObjectNode provenance = Cli.provenance("fit");
            provenance.put("model", c.model.toString());
            provenance.put("data", c.data.toString());
            provenance.put("stream", true);
            provenance.set("initialSpec", initial.toSpec());
            r.set("provenance", provenance);
            Cli.writeText(c.report, Json.write(r), command.getOut());
        }
        if (c.out != null) {
            Cli.writeText(c.out, Json.write(result.model().toSpec()), command.getOut());
        }
        boolean stdoutTaken = c.out != null || (c.report != null && OutputPaths.isStandardOutput(c.report));
        PrintWriter human = stdoutTaken ? command.getErr() : command.getOut();
        human.println(FitSummary.line(result));
        human.println("model: " + result.model().type() + " on " + result.observations() + " observations (gradient "
                + "epochs as passes over " + c.data + ")");
        PrintWriter err = command.getErr();
        for (String w : result.warnings()) {
            err.println("warning: " + w);
        }
        human.flush();
        err.flush();
        return 0;
    }
}
