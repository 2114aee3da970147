package org.statespace.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.statespace.StateSpaceModel;
import org.statespace.capability.DecodedPath;
import org.statespace.capability.PathDecoding;
import org.statespace.data.Dataset;
import org.statespace.inference.result.DecodeReport;

@Command(name = "decode", mixinStandardHelpOptions = true,
        description = {"The most probable hidden path (Viterbi) of each sequence.",
            "Writes states (the model's state names, \"0\"..\"K-1\" when its spec gives none) and, per sequence, "
                + "viterbiPath (the path as state names) and viterbiLogProbability, log p(path, observations).",
            "Prints the segments of each path (state, start, end, length); --json or --out R.json writes the JSON, "
                + "--out R.csv a tidy table (sequence, t, viterbiPath).",
            "With --stream (or .jsonl data) an HMM, input-output or explicit-duration HMM is decoded over the file in chunks, its backpointers "
                + "spilled to a temporary file, so a sequence longer than memory is decoded; the output is the in-memory "
                + "one's. A model with a continuous state (linear-Gaussian) has no path to decode: smooth gives its estimates."})
final class DecodeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @CommandLine.Mixin
    ModelDataOptions io;

    @CommandLine.Mixin
    DebugOption debug;

    @Option(names = "--stream", description = "read the data in chunks and write the result incrementally, so memory "
            + "does not grow with the length or number of sequences (an HMM, input-output or explicit-duration HMM; implied by .jsonl data): the Viterbi "
            + "backpointers are spilled to a temporary file (K ints a step, M for an explicit-duration HMM's M slots; deleted afterwards) and traced back on "
            + "disk; the output is the in-memory one's")
    boolean stream;

    @Override
    public Integer call() {
        if (StreamedOutput.applies(stream, io.data)) {
            return StreamingDecode.run(spec.commandLine(), io);
        }
        ResultOutput form = io.form(spec.commandLine());
        StateSpaceModel<?, ?> m = io.readModel();
        if (!(m instanceof PathDecoding decoder)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "a " + m.type() + " model has no discrete hidden path to decode");
        }
        Dataset d = io.readData(m);
        List<DecodeReport.Path> paths = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            DecodedPath path = decoder.decode(d.sequence(i));
            paths.add(new DecodeReport.Path(d.sequence(i).id(), path.path(), path.logProbability()));
        }
        DecodeReport report = new DecodeReport(Names.states(m), paths,
                Cli.provenance("decode").put("model", io.model.toString()).put("data", io.data.toString()));
        form.write(io.out, report, Summaries::decode, spec.commandLine().getOut());
        return 0;
    }
}
