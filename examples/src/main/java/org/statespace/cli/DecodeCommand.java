package org.statespace.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.statespace.StateSpaceModel;
import org.statespace.capability.DecodedPath;
import org.statespace.capability.PathDecoding;
import org.statespace.data.Dataset;
import org.statespace.spec.Json;

@Command(name = "decode", mixinStandardHelpOptions = true,
        description = {"The most probable hidden path (Viterbi) of each sequence.",
            "Writes states (the model's state names, \"0\"..\"K-1\" when its spec gives none) and, per sequence, "
                + "viterbiPath (the path as state names) and viterbiLogProbability, log p(path, observations).",
            "Prints the segments of each path (state, start, end, length); --json or --out R.json writes the JSON, "
                + "--out R.csv a tidy table (sequence, t, viterbiPath)."})
final class DecodeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @CommandLine.Mixin
    ModelDataOptions io;

    @CommandLine.Mixin
    DebugOption debug;

    @Override
    public Integer call() {
        ResultOutput form = io.form(spec.commandLine());
        StateSpaceModel<?, ?> m = io.readModel();
        if (!(m instanceof PathDecoding decoder)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "a " + m.type() + " model has no discrete hidden path to decode");
        }
        Dataset d = io.readData(m);
        ObjectNode root = Json.object();
        List<String> names = Names.putStates(root, m);
        ArrayNode seqs = root.putArray("sequences");
        for (int i = 0; i < d.size(); i++) {
            DecodedPath path = decoder.decode(d.sequence(i));
            ObjectNode s = seqs.addObject();
            s.put("id", d.sequence(i).id());
            s.set("viterbiPath", Names.path(path.path(), names));
            Json.number(s, "viterbiLogProbability", path.logProbability());
        }
        root.set("provenance", Cli.provenance("decode").put("model", io.model.toString()).put("data", io.data.toString()));
        form.write(io.out, root, () -> Summaries.decode(root), spec.commandLine().getOut());
        return 0;
    }
}
