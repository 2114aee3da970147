package org.statespace.cli;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.statespace.cli.ResultOutput.Table;

/**
 * The readable summaries the commands print when no {@code --out} is given, built from the same JSON
 * result the files hold, so a summary never says something the JSON does not. Long sequences are cut
 * to their first rows with a line saying how many more there are.
 */
final class Summaries {
    /** Rows of a per-sequence table (segments, steps) shown before "... more". */
    static final int MAX_ROWS = 20;
    private static final String MORE = "  (--json, or --out R.json|R.csv for every step)\n";

    private Summaries() {
    }

    static String filter(JsonNode root) {
        StringBuilder b = new StringBuilder();
        b.append("log-likelihood ").append(ResultOutput.readable(root.path("logLikelihood").asDouble()))
                .append(" over ").append(root.path("observations").asInt()).append(" observed steps (")
                .append(ResultOutput.readable(root.path("meanLogLikelihood").asDouble())).append(" per step)\n\n");
        Table t = new Table("sequence", "steps", "observed", "log-likelihood", "per step");
        int shown = 0;
        for (JsonNode s : root.path("sequences")) {
            if (shown++ == MAX_ROWS) {
                break;
            }
            JsonNode d = s.path("predictiveLogDensities");
            int observed = 0;
            for (JsonNode v : d) {
                observed += v.isNull() ? 0 : 1;
            }
            double ll = number(s.path("logLikelihood"));
            t.row(s.path("id").asText(), d.size(), observed, ll, observed == 0 ? Double.NaN : ll / observed);
        }
        t.appendTo(b, "");
        more(b, root.path("sequences").size() - MAX_ROWS, "sequences");
        return b.append(MORE).toString();
    }

    /**
     * A dataset for people ({@code sample} and {@code datasets NAME} without {@code --out}): its kind and size, a
     * table per sequence (steps, missing, and for one-dimensional numbers the mean, standard deviation, minimum and
     * maximum), per-component statistics of vectors, and the frequency of each symbol.
     */
    static String dataset(org.statespace.data.Dataset d, String title) {
        StringBuilder b = new StringBuilder(title).append('\n');
        long missing = d.totalSteps() - d.sequences().stream().mapToLong(org.statespace.data.Sequence::observedSteps).sum();
        b.append(d.kind().jsonName()).append(", dimension ").append(d.dimension())
                .append(d.inputDimension() > 0 ? ", " + d.inputDimension() + " inputs per step" : "")
                .append("; ").append(d.size()).append(d.size() == 1 ? " sequence, " : " sequences, ")
                .append(d.totalSteps()).append(" steps in all").append(missing > 0 ? ", " + missing + " missing" : "")
                .append("\n\n");
        boolean symbols = d.kind() == org.statespace.data.ObservationKind.SYMBOLS;
        boolean scalar = !symbols && d.dimension() == 1;
        Table t = scalar ? new Table("sequence", "steps", "missing", "mean", "sd", "min", "max")
                : new Table("sequence", "steps", "missing");
        int shown = 0;
        for (org.statespace.data.Sequence q : d.sequences()) {
            if (shown++ == MAX_ROWS) {
                break;
            }
            int gone = q.length() - q.observedSteps();
            if (scalar) {
                double[] m = moments(q, 0);
                t.row(q.id(), q.length(), gone, m[0], m[1], m[2], m[3]);
            } else {
                t.row(q.id(), q.length(), gone);
            }
        }
        t.appendTo(b, "");
        more(b, d.size() - MAX_ROWS, "sequences");
        if (!symbols && d.dimension() > 1) {
            b.append('\n');
            Table c = new Table("component", "mean", "sd", "min", "max");
            for (int j = 0; j < d.dimension(); j++) {
                double[] m = moments(d, j);
                c.row(j, m[0], m[1], m[2], m[3]);
            }
            c.appendTo(b, "");
        }
        if (symbols) {
            long[] counts = new long[d.alphabetSize()];
            long all = 0;
            for (org.statespace.data.Sequence q : d.sequences()) {
                for (int t2 = 0; t2 < q.length(); t2++) {
                    if (!q.isMissing(t2)) {
                        counts[q.symbol(t2)]++;
                        all++;
                    }
                }
            }
            b.append('\n');
            Table c = new Table("symbol", "count", "share");
            List<String> names = d.symbolNames();
            for (int k = 0; k < counts.length; k++) {
                c.row(k < names.size() ? names.get(k) : Integer.toString(k), counts[k],
                        all == 0 ? Double.NaN : (double) counts[k] / all);
            }
            c.appendTo(b, "");
        }
        return b.append("  (--json, or --out D.json|D.csv for the data)\n").toString();
    }

    /** Mean, sample sd, min and max of component j over the observed values of a sequence. */
    private static double[] moments(org.statespace.data.Sequence q, int j) {
        return moments(List.of(q), j);
    }

    private static double[] moments(org.statespace.data.Dataset d, int j) {
        return moments(d.sequences(), j);
    }

    private static double[] moments(List<org.statespace.data.Sequence> sequences, int j) {
        long n = 0;
        double mean = 0;
        double m2 = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (org.statespace.data.Sequence q : sequences) {
            for (int t = 0; t < q.length(); t++) {
                double v = q.value(t, j);
                if (Double.isNaN(v)) {
                    continue;
                }
                n++;
                double delta = v - mean;      // Welford
                mean += delta / n;
                m2 += delta * (v - mean);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        }
        return new double[] {mean, n > 1 ? Math.sqrt(m2 / (n - 1)) : Double.NaN, min, max};
    }

    static String decode(JsonNode root) {
        StringBuilder b = new StringBuilder();
        for (JsonNode s : root.path("sequences")) {
            List<String> path = new ArrayList<>();
            s.path("viterbiPath").forEach(n -> path.add(n.asText()));
            b.append("sequence ").append(s.path("id").asText()).append(": ").append(path.size())
                    .append(" steps, log p(path, observations) ")
                    .append(ResultOutput.readable(number(s.path("viterbiLogProbability")))).append('\n');
            Table t = new Table("state", "start", "end", "length");
            int segments = 0;
            for (int start = 0; start < path.size();) {
                int end = start;
                while (end + 1 < path.size() && path.get(end + 1).equals(path.get(start))) {
                    end++;
                }
                if (segments++ < MAX_ROWS) {
                    t.row(path.get(start), start, end, end - start + 1);
                }
                start = end + 1;
            }
            t.appendTo(b, "  ");
            more(b, segments - MAX_ROWS, "segments");
            b.append('\n');
        }
        return b.append("start and end are steps (0-based, inclusive)\n").append(MORE).toString();
    }

    static String smooth(JsonNode root) {
        StringBuilder b = new StringBuilder();
        b.append("log-likelihood ").append(ResultOutput.readable(number(root.path("logLikelihood")))).append("\n\n");
        List<String> states = new ArrayList<>();
        root.path("states").forEach(n -> states.add(n.asText()));
        for (JsonNode s : root.path("sequences")) {
            b.append("sequence ").append(s.path("id").asText()).append('\n');
            JsonNode posterior = s.path("posteriorProbabilities");
            if (posterior.isArray() && !states.isEmpty()) {
                // runs of the most probable state, with the mean posterior probability of that state over the run
                Table t = new Table("most probable", "start", "end", "length", "mean probability");
                int segments = 0;
                int start = 0;
                while (start < posterior.size()) {
                    int k = argmax(posterior.get(start));
                    int end = start;
                    double sum = posterior.get(start).get(k).asDouble();
                    while (end + 1 < posterior.size() && argmax(posterior.get(end + 1)) == k) {
                        end++;
                        sum += posterior.get(end).get(k).asDouble();
                    }
                    if (segments++ < MAX_ROWS) {
                        t.row(states.get(k), start, end, end - start + 1, sum / (end - start + 1));
                    }
                    start = end + 1;
                }
                t.appendTo(b, "  ");
                more(b, segments - MAX_ROWS, "segments");
            } else if (s.path("smoothedMeans").isArray()) {
                JsonNode means = s.path("smoothedMeans");
                JsonNode cov = s.path("smoothedCovariances");
                int n = means.size() == 0 ? 0 : width(means.get(0));
                Table t = new Table("t", "component", "mean", "sd");
                for (int step : firstAndLast(means.size())) {
                    if (step < 0) {
                        t.row("...", "", "", "");
                        continue;
                    }
                    for (int i = 0; i < n; i++) {
                        double m = component(means.get(step), i);
                        double v = cov.isArray() ? cov.get(step).get(i).get(i).asDouble() : Double.NaN;
                        t.row(step, i, m, Math.sqrt(v));
                    }
                }
                t.appendTo(b, "  ");
            }
            b.append('\n');
        }
        return b.append(MORE).toString();
    }

    static String forecast(JsonNode root) {
        StringBuilder b = new StringBuilder();
        List<String> symbols = new ArrayList<>();
        root.path("symbols").forEach(n -> symbols.add(n.asText()));
        for (JsonNode s : root.path("sequences")) {
            b.append("sequence ").append(s.path("id").asText()).append(": forecast ").append(root.path("steps").asInt())
                    .append(" steps ahead\n");
            JsonNode rows = s.path("forecast");
            Table t;
            if (!symbols.isEmpty()) {
                int top = Math.min(3, symbols.size());
                String[] header = new String[1 + 2 * top];
                header[0] = "step";
                for (int r = 0; r < top; r++) {
                    header[1 + 2 * r] = new String[] {"most probable", "second", "third"}[r];
                    header[2 + 2 * r] = "p";
                }
                t = new Table(header);
                for (JsonNode row : rows) {
                    JsonNode p = row.path("probabilities");
                    Integer[] order = new Integer[p.size()];
                    for (int i = 0; i < order.length; i++) {
                        order[i] = i;
                    }
                    java.util.Arrays.sort(order, (x, y) -> Double.compare(p.get(y).asDouble(), p.get(x).asDouble()));
                    Object[] cells = new Object[header.length];
                    cells[0] = row.path("step").asInt();
                    for (int r = 0; r < top; r++) {
                        cells[1 + 2 * r] = symbols.get(order[r]);
                        cells[2 + 2 * r] = p.get(order[r]).asDouble();
                    }
                    t.row(cells);
                }
            } else {
                int dim = rows.size() == 0 ? 0 : rows.get(0).path("mean").size();
                t = dim > 1 ? new Table("step", "component", "mean", "sd", "50% from", "50% to", "90% from", "90% to")
                        : new Table("step", "mean", "sd", "50% from", "50% to", "90% from", "90% to");
                for (JsonNode row : rows) {
                    for (int j = 0; j < dim; j++) {
                        List<Object> cells = new ArrayList<>();
                        cells.add(row.path("step").asInt());
                        if (dim > 1) {
                            cells.add(j);
                        }
                        cells.add(row.path("mean").get(j).asDouble());
                        cells.add(Math.sqrt(row.path("variance").get(j).asDouble()));
                        for (String f : new String[] {"lower50", "upper50", "lower90", "upper90"}) {
                            cells.add(row.path(f).get(j).asDouble());
                        }
                        t.row(cells.toArray());
                    }
                }
            }
            t.appendTo(b, "  ");
            b.append('\n');
        }
        return b.append(symbols.isEmpty() ? "intervals are central: 50% from the 25% to the 75% quantile, 90% from 5% to 95%\n" : "")
                .append(MORE).toString();
    }

    private static void more(StringBuilder b, int more, String what) {
        if (more > 0) {
            b.append("  ... ").append(more).append(" more ").append(what).append('\n');
        }
    }

    /** The steps to show of a sequence of length n: the first three and the last three, -1 for the gap. */
    private static List<Integer> firstAndLast(int n) {
        List<Integer> steps = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            if (t < 3 || t >= n - 3) {
                steps.add(t);
            } else if (t == 3) {
                steps.add(-1);
            }
        }
        return steps;
    }

    private static int argmax(JsonNode p) {
        int best = 0;
        for (int i = 1; i < p.size(); i++) {
            if (p.get(i).asDouble() > p.get(best).asDouble()) {
                best = i;
            }
        }
        return best;
    }

    private static int width(JsonNode v) {
        return v.isArray() ? v.size() : 1;
    }

    private static double component(JsonNode v, int i) {
        return v.isArray() ? v.get(i).asDouble() : v.asDouble();
    }

    /** A number of the result; the strings "NaN", "Infinity", "-Infinity" as the values they name. */
    private static double number(JsonNode v) {
        if (v.isTextual()) {
            return switch (v.asText()) {
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> Double.NaN;
            };
        }
        return v.isNumber() ? v.asDouble() : Double.NaN;
    }
}
