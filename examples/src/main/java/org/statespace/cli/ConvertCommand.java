package org.statespace.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.rnn.Layer;
import org.statespace.rnn.RnnModel;
import org.statespace.spec.ModelSpecs;
import org.statespace.translate.ToRnn;

@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Rewrite a model exactly as a model of another family.",
            "--to rnn: a Markov chain, an HMM (any emission), an lgssm or a structural model becomes an "
                + "rnn spec whose hidden state is the filter's belief (an hmm cell's predicted state probabilities, a "
                + "kalman cell's predicted mean and covariance) and whose belief head is the model's predictive "
                + "distribution: the same log-likelihood on any data (check with 'statespace equivalent'), and a "
                + "network that trains by gradient descent like any rnn.",
            "An exact diffuse start becomes the kalman cell's diffuseStates (it runs the same exact diffuse "
                + "recursion), a feedthrough matrix its observation shift. Refused with the reason: other model types.",
            "Without --out: a summary of the converted network on standard output."})
final class ConvertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M.json", description = "the model spec to convert")
    Path model;

    @Option(names = "--to", required = true, paramLabel = "FAMILY", description = "the family to convert to: rnn")
    String to;

    @Option(names = "--out", paramLabel = "R.json", description = "write the converted spec here (- for standard output)")
    Path out;

    @CommandLine.Mixin
    DebugOption debug;

    @Override
    public Integer call() {
        if (!"rnn".equals(to)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--to " + to
                    + ": the only family a model converts to is rnn");
        }
        if (out != null && !OutputPaths.isStandardOutput(out)) {
            String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            if (!name.endsWith(".json")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--out " + out
                        + ": a converted model is a JSON spec; name a .json file or give - for standard output");
            }
        }
        StateSpaceModel<?, ?> source = Cli.readModel(model);
        RnnModel rnn;
        try {
            rnn = ToRnn.translate(source);
        } catch (SpecException e) {
            throw e.withSource(model.toString());
        }
        ObjectNode json = ModelSpecs.toJson(rnn);
        if (out != null) {
            Cli.writeJson(out, json, spec.commandLine().getOut());
            return 0;
        }
        Cli.writeText(null, summary(source, rnn), spec.commandLine().getOut());
        return 0;
    }

    private String summary(StateSpaceModel<?, ?> source, RnnModel rnn) {
        Layer layer = rnn.architecture().layer(0);
        StringBuilder b = new StringBuilder();
        b.append(model).append(": ").append(source.type()).append(" -> rnn\n");
        b.append("  layer 0: ").append(layer.cell().jsonName()).append(' ').append(layer.hiddenSize());
        if (layer.emission() != null) {
            b.append(" states, ").append(layer.emission().kind().jsonName()).append(" emission");
            if (layer.emission().components() > 1) {
                b.append(" of ").append(layer.emission().components()).append(" components");
            }
        } else {
            b.append(" states (mean and covariance").append(layer.diffuseStates().isEmpty() ? "" : ", diffuse part")
                    .append(layer.feedthrough() > 0 ? ", observation shift" : "").append(": ").append(layer.stateSize())
                    .append(" numbers)");
            if (!layer.diffuseStates().isEmpty()) {
                b.append(", exact diffuse start on states ").append(layer.diffuseStates());
            }
        }
        b.append('\n');
        b.append("  head: belief over ").append(rnn.architecture().head().outputSize())
                .append(rnn.architecture().head().symbolic() ? " symbols" : " real components").append('\n');
        b.append("  input: ").append(rnn.architecture().inputSize()).append(" (previous observation")
                .append(rnn.observationSpace().inputDimension() > 0 ? " and " + rnn.observationSpace().inputDimension() + " inputs" : "")
                .append(")\n");
        b.append("  parameters: ").append(rnn.parameterCount()).append('\n');
        b.append("Same log-likelihood as the source on any data; write it with --out R.json and check with\n");
        b.append("  statespace equivalent ").append(model).append(" R.json --data D.json\n");
        return b.toString();
    }
}
