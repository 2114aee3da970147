package org.statespace.cli;

import java.nio.file.Path;

import picocli.CommandLine;

import org.statespace.StateSpaceModel;
import org.statespace.capability.ExpectationMaximization;
import org.statespace.data.DatasetCsv;
import org.statespace.data.SequenceReader;
import org.statespace.inference.FileExpectationMaximization;
import org.statespace.inference.FitConfiguration;
import org.statespace.inference.TrainOptions;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.SpecNode;

/**
 * {@code fit} by EM as passes over the data file ({@code --stream}, or {@code .jsonl} data): every iteration reads
 * the file again, one sequence at a time ({@link FileExpectationMaximization}), so the heap holds the statistics and
 * one sequence (an HMM, an explicit-duration HMM or a linear-Gaussian model: one chunk of it, its filter spilled to a temporary file), not
 * the dataset. For models fitted by EM (HMM, explicit-duration HMM, linear-Gaussian) from a full spec (or a template whose start needs
 * only the data's shape: a non-linear model's): other templates (their start is drawn from the data in memory),
 * restarts, validation data, checkpoints and other methods are the in-memory fit's. The fitted spec goes to {@code --out}; a line per iteration and the final line to standard
 * error (standard output without {@code --out}). A model fitted by a numerical optimiser of its likelihood (a
 * structural or non-linear model, the method the in-memory {@code Trainer} resolves for it) goes to
 * {@link StreamingOptimizer}, and so does a Markov chain (fitted in closed form: a counting pass and a scoring pass),
 * a model trained by gradient to {@link StreamingGradient}.
 */
final class StreamingFit {
    private StreamingFit() {
    }

    /** Whether {@code fit} streams: with {@code --stream}, or JSON Lines data. */
    static boolean applies(boolean stream, Path data) {
        return stream || (data != null && SequenceReader.isJsonLines(data));
    }

    static int run(FitCommand c) {
        if (StreamingGradient.applies(c)) {
            return StreamingGradient.run(c);
        }
        if (StreamingOptimizer.applies(c)) {
            return StreamingOptimizer.run(c);
        }
        CommandLine command = c.spec.commandLine();
        String why = c.validation != null ? "--validation" : c.checkpoint != null ? "--checkpoint"
                : c.resume != null ? "--resume" : c.restarts != null && c.restarts > 0 ? "--restarts"
                : c.chunk != null ? "--chunk" : c.batchSize != null ? "--batch-size" : null;
        if (why != null) {
            throw new CommandLine.ParameterException(command, why + " is not available when fit streams (--stream, or "
                    + ".jsonl data): it fits by EM passes over the file from the spec given");
        }
        if (c.method != null && !c.method.equals("em") && !c.method.equals("auto")) {
            throw new CommandLine.ParameterException(command, "--method " + c.method + ": fit streams by EM, by "
                    + "gradient or by the optimiser only (--stream, or .jsonl data)");
        }
        Cli.requireFile(c.model, "--model");
        SpecNode modelNode = SpecNode.root(Json.read(c.model), c.model.toString());
        StateSpaceModel<?, ?> initial;
        if (ModelSpecs.isTemplate(modelNode)) {
            // a template whose start needs only the data's shape (a non-linear model's) starts as in memory
            initial = StreamingOptimizer.templateStart(c, modelNode);
            if (initial == null) {
                throw new CommandLine.ParameterException(command, c.model + " is a template; fit streams from a full "
                        + "spec (a template's start is drawn from the data in memory): fit a template on a sample first");
            }
        } else {
            initial = ModelSpecs.read(modelNode);
        }
        if (!(initial instanceof ExpectationMaximization)) {
            throw new CommandLine.ParameterException(command, "a " + initial.type() + " model is not fitted by EM, so "
                    + "it cannot be fitted by passes over the file (--stream, or .jsonl data)");
        }
        SpecNode node = c.optionsNode();
        FitConfiguration config = FitConfiguration.read(node, null, initial, TrainOptions.defaults());
        int maxIterations = c.maxIterations != null ? c.maxIterations : config.options().maxIterations();
        double tolerance = c.tolerance != null ? c.tolerance : config.options().tolerance();
        if (maxIterations < 0) {
            throw new CommandLine.ParameterException(command, "--max-iterations must be at least 0, got " + maxIterations);
        }
        DatasetCsv.Columns columns = c.streamedData(command, initial);
        java.io.PrintWriter human = c.out != null ? command.getErr() : command.getOut();
        FileExpectationMaximization.Result result = FileExpectationMaximization.fit(initial,
                () -> SequenceReader.open(c.data, initial.observationSpace(), columns), config.settings(), maxIterations,
                tolerance, (iteration, ll) -> {
                    human.println("iteration " + iteration + ": log-likelihood " + ResultOutput.readable(ll));
                    human.flush();
                });
        human.println((result.converged() ? "converged" : "stopped at the iteration limit") + " after "
                + result.iterations() + " iterations: log-likelihood " + ResultOutput.readable(result.logLikelihood())
                + " over " + result.observedSteps() + " observed steps (EM passes over " + c.data + ")");
        human.flush();
        if (c.out != null) {
            Cli.writeText(c.out, Json.write(result.model().toSpec()), command.getOut());
        }
        return 0;
    }
}
