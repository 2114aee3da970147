package org.statespace.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.statespace.ObservationSpace;
import org.statespace.Recurrence;
import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;
import org.statespace.data.ObservationKind;
import org.statespace.data.Sequence;
import org.statespace.distribution.Categorical;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.spec.Json;

@Command(name = "equivalent", mixinStandardHelpOptions = true,
        description = {"Check step by step that two models give the same predictive distributions on a dataset.",
            "At every step of every sequence both models predict the next observation; compared are the log score of "
                + "the observation (when it is not missing), and the predictive probability of every symbol or the "
                + "predictive mean and variance of every component. A difference is |a - b| / max(1, |a|, |b|): "
                + "relative, absolute below 1.",
            "Prints the largest difference and where (sequence, step, quantity, both values), then the verdict. "
                + "Exit 0 when every difference is within --tolerance, 1 otherwise (and for bad input)."})
final class EquivalentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A.json", description = "the first model spec")
    Path first;

    @Parameters(index = "1", paramLabel = "B.json", description = "the second model spec")
    Path second;

    @Option(names = "--data", required = true, paramLabel = "D.json|D.csv", description = "the dataset both models run on")
    Path data;

    @Option(names = "--tolerance", paramLabel = "T", description = "the largest difference that counts as equal "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "1e-10")
    double tolerance;

    @Option(names = "--json", description = "print the result as JSON instead of the summary")
    boolean json;

    @CommandLine.Mixin
    DebugOption debug;

    /** The largest difference seen so far and where. */
    private static final class Largest {
        double difference = -1;
        String quantity = "";
        String sequence = "";
        int step = -1;
        double a;
        double b;

        void offer(double x, double y, String what, String id, int t) {
            double d = Math.abs(x - y) / Math.max(1, Math.max(Math.abs(x), Math.abs(y)));
            if (Double.isNaN(d)) {
                d = Double.isNaN(x) && Double.isNaN(y) ? 0 : Double.POSITIVE_INFINITY;
            }
            if (x == y) {
                d = 0; // equal infinities too
            }
            if (d > difference) {
                difference = d;
                quantity = what;
                sequence = id;
                step = t;
                a = x;
                b = y;
            }
        }
    }

    @Override
    public Integer call() {
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tolerance must be a finite number >= 0, got "
                    + tolerance);
        }
        StateSpaceModel<?, ?> a = Cli.readModel(first);
        StateSpaceModel<?, ?> b = Cli.readModel(second);
        requireSameObservations(a, b);
        Dataset forA = Cli.readData(data, a);
        Dataset forB = Cli.readData(data, b);
        int[] symbolOfB = symbolMap(a, b);
        Largest largest = new Largest();
        double totalA = 0;
        double totalB = 0;
        long steps = 0;
        for (int i = 0; i < forA.size(); i++) {
            Sequence sa = forA.sequence(i);
            Sequence sb = forB.sequence(i);
            List<double[]> pa = run(a, sa);
            List<double[]> pb = run(b, sb);
            String id = sa.id();
            for (int t = 0; t < sa.length(); t++) {
                double[] x = pa.get(t);
                double[] y = pb.get(t);
                if (!sa.isMissing(t)) {
                    largest.offer(x[0], y[0], "log score", id, t);
                    totalA += x[0];
                    totalB += y[0];
                }
                if (symbolOfB != null) {
                    for (int k = 0; k < x.length - 1; k++) {
                        largest.offer(x[1 + k], y[1 + symbolOfB[k]], "probability of " + symbolName(a, k), id, t);
                    }
                } else {
                    int d = (x.length - 1) / 2;
                    for (int j = 0; j < d; j++) {
                        largest.offer(x[1 + j], y[1 + j], "mean[" + j + "]", id, t);
                        largest.offer(x[1 + d + j], y[1 + d + j], "variance[" + j + "]", id, t);
                    }
                }
                steps++;
            }
        }
        Largest total = new Largest();
        total.offer(totalA, totalB, "log-likelihood", "", -1);
        boolean equal = largest.difference <= tolerance && total.difference <= tolerance;
        ObjectNode root = Json.object();
        root.put("equivalent", equal);
        Json.number(root, "tolerance", tolerance);
        root.put("steps", steps);
        ObjectNode ll = root.putObject("logLikelihood");
        Json.number(ll, "a", totalA);
        Json.number(ll, "b", totalB);
        Json.number(ll, "difference", total.difference);
        ObjectNode worst = root.putObject("largestDifference");
        Json.number(worst, "difference", Math.max(0, largest.difference));
        if (largest.step >= 0) {
            worst.put("sequence", largest.sequence);
            worst.put("step", largest.step);
            worst.put("quantity", largest.quantity);
            putValue(worst, "a", largest.a);
            putValue(worst, "b", largest.b);
        }
        ObjectNode provenance = Cli.provenance("equivalent");
        provenance.put("a", first.toString());
        provenance.put("b", second.toString());
        provenance.put("data", data.toString());
        root.set("provenance", provenance);
        if (json) {
            Cli.writeJson(null, root, spec.commandLine().getOut());
        } else {
            Cli.writeText(null, summary(equal, largest, totalA, totalB, total.difference, steps), spec.commandLine().getOut());
        }
        return equal ? 0 : 1;
    }

    private static void putValue(ObjectNode o, String field, double v) {
        if (Double.isFinite(v)) {
            Json.number(o, field, v);
        } else {
            o.put(field, Double.toString(v));
        }
    }

    private String summary(boolean equal, Largest largest, double totalA, double totalB, double totalDifference, long steps) {
        StringBuilder b = new StringBuilder();
        b.append("A: ").append(first).append('\n');
        b.append("B: ").append(second).append('\n');
        b.append(String.format(Locale.ROOT, "%d steps of %s; log-likelihood A %.12g, B %.12g (difference %.3g)%n", steps, data,
                totalA, totalB, totalDifference));
        if (largest.step >= 0) {
            b.append(String.format(Locale.ROOT, "largest difference %.3g: %s at sequence '%s', step %d (A %.15g, B %.15g)%n",
                    largest.difference, largest.quantity, largest.sequence, largest.step, largest.a, largest.b));
        }
        b.append(equal ? String.format(Locale.ROOT, "equivalent within %.3g%n", tolerance)
                : String.format(Locale.ROOT, "NOT equivalent: differences above %.3g%n", tolerance));
        return b.toString();
    }

    // The two models must predict the same kind of observation, of the same size, from the same inputs.
    private void requireSameObservations(StateSpaceModel<?, ?> a, StateSpaceModel<?, ?> b) {
        ObservationSpace x = a.observationSpace();
        ObservationSpace y = b.observationSpace();
        boolean symbols = x.kind() == ObservationKind.SYMBOLS;
        if (x.kind() != y.kind() || x.dimension() != y.dimension() || x.inputDimension() != y.inputDimension()
                || (symbols && x.size() != y.size())) {
            throw new SpecException(second.toString(), "", "the two models predict different observations: " + first + " "
                    + describe(x) + ", " + second + " " + describe(y));
        }
    }

    private static String describe(ObservationSpace s) {
        String what = s.kind() == ObservationKind.SYMBOLS ? s.size() + " symbols" : s.dimension() + "-dimensional reals";
        return what + (s.inputDimension() > 0 ? " with " + s.inputDimension() + " inputs" : "");
    }

    // B's symbol index of each of A's symbols, by name when both name them; null for real observations
    private int[] symbolMap(StateSpaceModel<?, ?> a, StateSpaceModel<?, ?> b) {
        if (a.observationSpace().kind() != ObservationKind.SYMBOLS) {
            return null;
        }
        int m = a.observationSpace().size();
        int[] map = new int[m];
        List<String> na = a.symbolNames();
        List<String> nb = b.symbolNames();
        for (int k = 0; k < m; k++) {
            map[k] = k;
            if (!na.isEmpty() && !nb.isEmpty()) {
                map[k] = nb.indexOf(na.get(k));
                if (map[k] < 0) {
                    throw new SpecException(second.toString(), "", "has no symbol \"" + na.get(k) + "\" that " + first
                            + " has; the symbols are " + nb);
                }
            }
        }
        return map;
    }

    private static String symbolName(StateSpaceModel<?, ?> m, int k) {
        return m.symbolNames().isEmpty() ? "symbol " + k : "\"" + m.symbolNames().get(k) + "\"";
    }

    // per step: the log score, then the symbol probabilities or the d means and d variances
    private static List<double[]> run(StateSpaceModel<?, ?> m, Sequence s) {
        List<double[]> out = new ArrayList<>(s.length());
        Recurrence.workspace(m).run(s, (t, state, predicted, logDensity) -> out.add(moments(predicted, logDensity)));
        return out;
    }

    private static double[] moments(PredictiveDistribution p, double logDensity) {
        if (p instanceof Categorical c) {
            double[] v = new double[1 + c.size()];
            v[0] = logDensity;
            for (int k = 0; k < c.size(); k++) {
                v[1 + k] = c.probability(k);
            }
            return v;
        }
        int d = p.dimension();
        double[] v = new double[1 + 2 * d];
        v[0] = logDensity;
        for (int j = 0; j < d; j++) {
            v[1 + j] = p.mean(j);
            v[1 + d + j] = p.variance(j);
        }
        return v;
    }
}
