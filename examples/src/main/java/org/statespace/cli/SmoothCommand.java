package org.statespace.cli;

import java.util.ArrayList;
import java.util.Arrays;
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
import org.statespace.capability.PosteriorDraws;
import org.statespace.capability.PosteriorSampling;
import org.statespace.capability.StateSmoothing;
import org.statespace.data.Dataset;
import org.statespace.inference.result.ResultValue;
import org.statespace.inference.result.SmoothReport;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;

@Command(name = "smooth", mixinStandardHelpOptions = true,
        description = {"Smoothed hidden-state estimates given each whole sequence.",
            "HMM: states (the state names, \"0\"..\"K-1\" when the spec gives none) and, per sequence, "
                + "posteriorProbabilities (T x K, columns in the order of states); "
                + "linear-Gaussian and non-linear: smoothedMeans, smoothedCovariances (the particle filter: "
                + "of its backward-simulated trajectories).",
            "Prints runs of the most probable state per sequence (linear-Gaussian: the first and last steps); --json or "
                + "--out R.json writes the JSON, --out R.csv a tidy table (sequence, t, posteriorProbabilities.<state> ...).",
            "With --stream (or .jsonl data) an HMM, an input-output or explicit-duration HMM, a linear-Gaussian, a structural "
                + "(local-level, local-linear-trend) or a non-linear model (ekf, ukf, particle) is smoothed over the "
                + "file in chunks, its filter spilled to a temporary file, so a sequence longer than memory is smoothed; "
                + "the output is the in-memory one's.",
            "With --draws N: N joint draws of the hidden states from their posterior given each whole sequence instead "
                + "(linear-Gaussian: the simulation smoother of Durbin & Koopman 2002; HMM, input-output and explicit-duration HMM: "
                + "forward-filter backward-sample). Sequence i uses random stream i of --seed, so the same seed gives the "
                + "same draws. The JSON has, per sequence, draws (N lists of T states: state names, or vectors of the "
                + "state's components); --out R.csv a tidy table (sequence, draw, step, state or state.0, state.1 ...); "
                + "the summary the mean, sd and 5%%/95%% quantiles over the draws (discrete: the most frequent state) at "
                + "the first and last steps. With --stream an HMM, an input-output or explicit-duration HMM, a linear-Gaussian or a "
                + "structural model draws over the file in chunks (its filter and each draw spilled to temporary files), the same "
                + "draws written as they come."})
final class SmoothCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @CommandLine.Mixin
    ModelDataOptions io;

    @CommandLine.Mixin
    DebugOption debug;

    @Option(names = "--draws", paramLabel = "N",
            description = "draw N joint samples of the hidden states from their posterior instead of the smoothed moments")
    Integer draws;

    @Option(names = "--seed", paramLabel = "S", description = "random seed of --draws (default: 0)")
    Long seed;

    @Option(names = "--stream", description = "read the data in chunks and write the result incrementally, so memory "
            + "does not grow with the length or number of sequences (an HMM, an input-output or explicit-duration HMM, a "
            + "linear-Gaussian, structural or non-linear model; implied by .jsonl data): each sequence's filter is spilled to a temporary file (HMM: 2K+1+d "
            + "numbers a step; explicit-duration HMM: M+K+1+d over its M slots; linear-Gaussian: 3n+3n^2+m+p; "
            + "extended or unscented filter: 2n+3n^2+m+p; particle filter: N(n+1)+m+p+n+n^2; deleted afterwards) and read back in reverse; the output "
            + "is the in-memory one's; with --draws, the draws are too (each draw's states spilled as well)")
    boolean stream;

    /** The model as a smoother, or the usage error a model without hidden states is, in memory and streamed alike. */
    static StateSmoothing smoother(CommandLine command, StateSpaceModel<?, ?> m) {
        if (!(m instanceof StateSmoothing smoother)) {
            throw new CommandLine.ParameterException(command, "a " + m.type() + " model has no hidden states to smooth");
        }
        return smoother;
    }

    @Override
    public Integer call() {
        if (StreamedOutput.applies(stream, io.data)) {
            if (draws != null) {
                if (draws < 1) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--draws must be at least 1, got "
                            + draws);
                }
                return StreamingDraws.run(spec.commandLine(), io, draws, seed == null ? 0 : seed);
            }
            return StreamingSmooth.run(spec.commandLine(), io);
        }
        ResultOutput form = io.form(spec.commandLine());
        if (draws == null && seed != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seed " + seed
                    + " seeds the posterior draws: give --draws N too");
        }
        if (draws != null && draws < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--draws must be at least 1, got " + draws);
        }
        StateSpaceModel<?, ?> m = io.readModel();
        if (draws != null) {
            return sample(form, m);
        }
        StateSmoothing smoother = smoother(spec.commandLine(), m);
        Dataset d = io.readData(m);
        List<SmoothReport.Run> runs = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            runs.add(SmoothReport.Run.of(d.sequence(i).id(), smoother.smoothStates(d.sequence(i))));
        }
        SmoothReport report = SmoothReport.of(Names.states(m), runs,
                Cli.provenance("smooth").put("model", io.model.toString()).put("data", io.data.toString()));
        form.write(io.out, report, Summaries::smooth, spec.commandLine().getOut());
        return 0;
    }

    // ------------------------------------------------------------------------------------------------ --draws

    private Integer sample(ResultOutput form, StateSpaceModel<?, ?> m) {
        if (!(m instanceof PosteriorSampling sampler)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--draws " + draws + ": a " + m.type()
                    + " model has no hidden states to draw from their posterior");
        }
        Dataset d = io.readData(m);
        long s = seed == null ? 0 : seed;
        // the draws are written here, under the smooth result's marker (the typed SmoothReport holds smoothed tracks)
        ObjectNode root = Json.object().put("result", SmoothReport.KIND).put("version", ResultValue.VERSION);
        List<String> names = Names.putStates(root, m);
        root.put("draws", draws);
        root.put("seed", s);
        ArrayNode seqs = root.putArray("sequences");
        List<PosteriorDraws> all = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            PosteriorDraws x = sampler.samplePosterior(d.sequence(i), draws, Randoms.stream(s, i));
            all.add(x);
            ObjectNode o = seqs.addObject();
            o.put("id", d.sequence(i).id());
            ArrayNode list = o.putArray("draws");
            for (int k = 0; k < x.count(); k++) {
                ArrayNode path = list.addArray();
                for (int t = 0; t < x.length(); t++) {
                    if (x.discrete()) {
                        path.add(names.get(x.state(k, t)));
                    } else {
                        ArrayNode v = path.addArray();
                        for (int j = 0; j < x.dimension(); j++) {
                            v.add(x.value(k, t, j));
                        }
                    }
                }
            }
        }
        root.set("provenance", Cli.provenance("smooth").put("model", io.model.toString()).put("data", io.data.toString())
                .put("draws", draws).put("seed", s));
        var stdout = spec.commandLine().getOut();
        switch (form) {
            case CSV -> Cli.writeText(io.out, drawsCsv(d, all, names), stdout);
            case JSON -> Cli.writeJson(io.out, root, stdout);
            default -> Cli.writeText(null, drawsSummary(d, all, names, s), stdout);
        }
        return 0;
    }

    /** sequence, draw, step, then state (a name, or one component) or state.0, state.1, ... */
    static String drawsCsv(Dataset d, List<PosteriorDraws> all, List<String> names) {
        StringBuilder b = new StringBuilder();
        drawsCsvHeader(b, all.isEmpty() ? 1 : all.get(0).dimension());
        double[] step = new double[all.isEmpty() ? 1 : all.get(0).dimension()];
        for (int i = 0; i < all.size(); i++) {
            PosteriorDraws x = all.get(i);
            String id = ResultOutput.quote(d.sequence(i).id());
            for (int k = 0; k < x.count(); k++) {
                for (int t = 0; t < x.length(); t++) {
                    for (int j = 0; j < x.dimension(); j++) {
                        step[j] = x.value(k, t, j);
                    }
                    drawsCsvRow(b, id, k, t, step, 0, x.dimension(), x.discrete(), names);
                }
            }
        }
        return b.toString();
    }

    /** The CSV's header line for states of {@code dimension} numbers. */
    static void drawsCsvHeader(StringBuilder b, int dimension) {
        b.append("sequence,draw,step");
        if (dimension == 1) {
            b.append(",state");
        } else {
            for (int j = 0; j < dimension; j++) {
                b.append(",state.").append(j);
            }
        }
        b.append('\n');
    }

    /** One line of the CSV: the (quoted) id, draw k, step t, the state's name or its numbers at values[offset ..]. */
    static void drawsCsvRow(StringBuilder b, String quotedId, int k, int t, double[] values, int offset, int dimension,
            boolean discrete, List<String> names) {
        b.append(quotedId).append(',').append(k).append(',').append(t);
        for (int j = 0; j < dimension; j++) {
            b.append(',').append(discrete ? ResultOutput.quote(names.get((int) values[offset + j]))
                    : ResultOutput.number(values[offset + j]));
        }
        b.append('\n');
    }

    /** Component i of the state at step t in draw d: a {@link PosteriorDraws}, or the edge steps a stream keeps. */
    @FunctionalInterface
    interface DrawValues {
        double value(int draw, int t, int i);
    }

    /** Per sequence, the first and last three steps: mean, sd, 5% and 95% over the draws, or the most frequent state. */
    static String drawsSummary(Dataset d, List<PosteriorDraws> all, List<String> names, long seed) {
        StringBuilder b = new StringBuilder();
        drawsSummaryHead(b, all.isEmpty() ? 0 : all.get(0).count(), seed);
        for (int i = 0; i < all.size(); i++) {
            PosteriorDraws x = all.get(i);
            drawsSummarySequence(b, i == 0, d.sequence(i).id(), x.count(), x.length(), x.dimension(), x.discrete(),
                    x::value, names);
        }
        return drawsSummaryEnd(b);
    }

    /** The summary's first line: the number of draws per sequence (0 for no sequence) and the seed. */
    static void drawsSummaryHead(StringBuilder b, int count, long seed) {
        b.append(count).append(count == 1 ? " posterior draw" : " posterior draws").append(" per sequence, seed ")
                .append(seed).append("\n\n");
    }

    /** One sequence's table of the summary; only the first and last three steps of {@code x} are read. */
    static void drawsSummarySequence(StringBuilder b, boolean first, String id, int count, int length, int dimension,
            boolean discrete, DrawValues x, List<String> names) {
        b.append(first ? "" : "\n").append("sequence ").append(id).append('\n');
        ResultOutput.Table table = discrete ? new ResultOutput.Table("t", "most frequent", "share")
                : new ResultOutput.Table("t", "component", "mean", "sd", "5%", "95%");
        for (int t = 0; t < length; t++) {
            if (t >= 3 && t < length - 3) {
                if (t == 3) {
                    table.row(discrete ? new Object[] {"...", "", ""} : new Object[] {"...", "", "", "", "", ""});
                }
                continue;
            }
            if (discrete) {
                int[] counts = new int[names.size()];
                for (int k = 0; k < count; k++) {
                    counts[(int) x.value(k, t, 0)]++;
                }
                int best = 0;
                for (int j = 1; j < counts.length; j++) {
                    best = counts[j] > counts[best] ? j : best;
                }
                table.row(t, names.get(best), counts[best] / (double) count);
                continue;
            }
            double[] v = new double[count];
            for (int j = 0; j < dimension; j++) {
                double sum = 0;
                for (int k = 0; k < count; k++) {
                    v[k] = x.value(k, t, j);
                    sum += v[k];
                }
                double mean = sum / v.length;
                double ss = 0;
                for (double e : v) {
                    ss += (e - mean) * (e - mean);
                }
                Arrays.sort(v);
                table.row(t, j, mean, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : Double.NaN,
                        quantile(v, 0.05), quantile(v, 0.95));
            }
        }
        table.appendTo(b, "  ");
    }

    /** The summary's last line appended; the text returned. */
    static String drawsSummaryEnd(StringBuilder b) {
        return b.append("  (--json, or --out R.json|R.csv for every draw)\n").toString();
    }

    // The p-quantile of sorted values, linear between order statistics (R's type 7).
    private static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
