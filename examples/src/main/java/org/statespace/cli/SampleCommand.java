package org.statespace.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.statespace.Sampling;
import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;
import org.statespace.data.Datasets;
import org.statespace.data.ObservationKind;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

@Command(name = "sample", mixinStandardHelpOptions = true,
        description = {"Draw sequences from a model and write them as a dataset.",
            "Models with hidden states (HMM, explicit-duration HMM, linear-Gaussian) also write the hidden \"states\" of each sequence.",
            "Symbols and the states of an HMM or explicit-duration HMM are written by the names in the spec (JSON: with \"symbols\" and \"stateNames\" lists).",
            "Sequence i is drawn from its own random stream of the seed, so the same seed gives the same data."})
final class SampleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M.json", description = "the model spec")
    Path model;

    @Option(names = "--length", required = true, paramLabel = "T", description = "steps per sequence")
    int length;

    @Option(names = "--sequences", defaultValue = "1", paramLabel = "N", description = "how many sequences (default: ${DEFAULT-VALUE})")
    int sequences;

    @Option(names = "--seed", required = true, paramLabel = "S", description = "random seed")
    long seed;

    @Option(names = "--inputs", paramLabel = "D.json",
            description = "a dataset whose inputs drive models that take inputs (its first sequence, or one per sequence)")
    Path inputs;

    @Option(names = "--out", paramLabel = "D.json|D.csv", description = "where to write the dataset (.json or .csv; -: standard output, JSON); without it a summary")
    Path out;

    @Option(names = "--json", description = "print the dataset as JSON on standard output instead of a summary")
    boolean json;

    @CommandLine.Mixin
    DebugOption debug;

    @Override
    public Integer call() {
        ResultOutput.requireDatasetName(out, spec.commandLine());
        ResultOutput.of(out, json, spec.commandLine());   // --json with --out D.csv is a usage error
        if (length < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--length must be at least 1, got " + length);
        }
        if (sequences < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--sequences must be at least 1, got " + sequences);
        }
        StateSpaceModel<?, ?> m = Cli.readModel(model);
        Dataset inputData = null;
        int p = m.observationSpace().inputDimension();
        if (p > 0) {
            if (inputs == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "the model takes " + p + " inputs per step: give them with --inputs D.json");
            }
            inputData = Cli.readData(inputs);
            if (inputData.inputDimension() != p) {
                throw new org.statespace.DataException(inputs + ": the model takes " + p + " inputs per step, the data has "
                        + inputData.inputDimension());
            }
        }
        List<Sequence> drawn = new ArrayList<>(sequences);
        for (int i = 0; i < sequences; i++) {
            Sequence in = inputData == null ? null
                    : inputData.sequence(inputData.size() == 1 ? 0 : Math.min(i, inputData.size() - 1));
            if (in != null && in.length() < length) {
                throw new org.statespace.DataException(inputs + ": sequence '" + in.id() + "' has " + in.length()
                        + " steps of inputs, --length asks for " + length);
            }
            drawn.add(Sampling.sample(m, "s" + (i + 1), length, in, Randoms.stream(seed, i)));
        }
        Dataset data = m.observationSpace().kind() == ObservationKind.SYMBOLS
                ? Dataset.ofSymbols(drawn, m.symbolNames())
                : Dataset.of(drawn);
        // symbols and discrete hidden states are written by their names in the spec
        if (m instanceof org.statespace.hmm.HiddenMarkovModel hmm && !hmm.stateNames().isEmpty()) {
            data = data.withStateNames(hmm.stateNames());
        } else if (m instanceof org.statespace.hsmm.HiddenSemiMarkovModel hsmm && !hsmm.stateNames().isEmpty()) {
            data = data.withStateNames(hsmm.stateNames());
        }
        ObjectNode provenance = Cli.provenance("sample");
        provenance.put("seed", seed);
        provenance.put("model", model.toString());
        provenance.set("modelSpec", m.toSpec());
        if (out == null && !json) {
            Cli.writeText(null, Summaries.dataset(data, "sampled " + sequences + (sequences == 1 ? " sequence" : " sequences")
                    + " of " + length + " steps from the " + m.type() + " model " + model + " (seed " + seed + ")"),
                    spec.commandLine().getOut());
        } else if (OutputPaths.isStandardOutput(out)) {
            java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
            try {
                org.statespace.data.DatasetJson.write(data, buffer, provenance);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            spec.commandLine().getOut().print(buffer.toString(java.nio.charset.StandardCharsets.UTF_8));
            spec.commandLine().getOut().flush();
        } else {
            Datasets.write(data, out, provenance);
        }
        return 0;
    }

}
