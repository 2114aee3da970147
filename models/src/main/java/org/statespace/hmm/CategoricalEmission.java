package org.statespace.hmm;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.DataException;
import org.statespace.ObservationSpace;
import org.statespace.capability.SufficientStatistics;
import org.statespace.data.ObservedRows;
import org.statespace.data.Sequence;
import org.statespace.distribution.Categorical;
import org.statespace.numeric.Validate;
import org.statespace.spec.Json;
import org.statespace.spec.SpecNode;

/**
 * Categorical emissions: state k emits symbol m with probability B_km (K×M, rows sum to 1).
 *
 * <pre>{@code
 * {"type": "categorical", "symbols": ["1", "2", "3", "4", "5", "6"],
 *  "probabilities": [[0.1667, ...], [0.1, 0.1, 0.1, 0.1, 0.1, 0.5]]}
 * }</pre>
 *
 * {@code symbols} (names of the M symbols) is optional. Parameters: K(M-1).
 */
public final class CategoricalEmission implements EmissionModel {
    static final String TYPE = "categorical";

    private final int states;
    private final int symbols;
    private final List<String> names;
    private final double[] probabilities;    // K×M
    private final double[] logProbabilities; // K×M

    CategoricalEmission(int states, int symbols, List<String> names, double[] probabilities) {
        this.states = states;
        this.symbols = symbols;
        this.names = List.copyOf(names);
        this.probabilities = probabilities;
        this.logProbabilities = new double[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            logProbabilities[i] = Math.log(probabilities[i]);
        }
    }

    /** Emissions with probabilities B (K rows of M, each a probability vector within 1e-9). */
    public static CategoricalEmission of(double[][] probabilities) {
        return of(List.of(), probabilities);
    }

    /** Emissions with symbol names (M of them, or empty for none). */
    public static CategoricalEmission of(List<String> symbolNames, double[][] probabilities) {
        if (probabilities.length == 0 || probabilities[0].length == 0) {
            throw new IllegalArgumentException("probabilities must be a non-empty K×M matrix");
        }
        int m = probabilities[0].length;
        for (int k = 0; k < probabilities.length; k++) {
            if (probabilities[k].length != m) {
                throw new IllegalArgumentException("probabilities[" + k + "] has " + probabilities[k].length
                        + " entries, expected " + m);
            }
            Checks.probabilities("probabilities[" + k + "]", probabilities[k]);
        }
        if (!symbolNames.isEmpty() && symbolNames.size() != m) {
            throw new IllegalArgumentException(symbolNames.size() + " symbol names for " + m + " symbols");
        }
        return new CategoricalEmission(probabilities.length, m, symbolNames, Validate.pack(probabilities));
    }

    static CategoricalEmission read(SpecNode e, int states, boolean normalize) {
        e.requireObject(HmmFields.CATEGORICAL);
        SpecNode p = e.field("probabilities");
        double[][] rows = p.asMatrix();
        if (rows.length != states) {
            throw p.error("expected " + states + " rows (one per state), got " + rows.length);
        }
        rows = Validate.stochasticRows(p, rows, normalize);
        List<String> names = List.of();
        if (e.has("symbols")) {
            SpecNode s = e.field("symbols");
            names = s.asDistinctTextList();
            if (names.size() != rows[0].length) {
                throw s.error(names.size() + " symbol names, but the probability rows have " + rows[0].length
                        + " entries");
            }
        }
        return new CategoricalEmission(states, rows[0].length, names, Validate.pack(rows));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public int stateCount() {
        return states;
    }

    /** M. */
    public int symbolCount() {
        return symbols;
    }

    @Override
    public List<String> symbolNames() {
        return names;
    }

    /** B_km. */
    public double probability(int state, int symbol) {
        return probabilities[state * symbols + symbol];
    }

    /** B as K rows of M (a copy). */
    public double[][] probabilities() {
        return Validate.unpack(probabilities, states, symbols);
    }

    @Override
    public ObservationSpace observationSpace() {
        return ObservationSpace.symbols(symbols, names);
    }

    /** K(M - 1). */
    @Override
    public int parameterCount() {
        return states * (symbols - 1);
    }

    @Override
    public ObjectNode toSpec() {
        ObjectNode o = Json.object();
        o.put("type", TYPE);
        if (!names.isEmpty()) {
            ArrayNode a = o.putArray("symbols");
            names.forEach(a::add);
        }
        o.set("probabilities", Json.matrix(probabilities, states, symbols));
        return o;
    }

    @Override
    public Categorical stateDistribution(int state) {
        Categorical c = new Categorical(symbols);
        c.set(probabilities, state * symbols);
        return c;
    }

    /** The predictive distribution Σ_k w_k B_k of a state distribution {@code w}, into {@code out}. */
    void mix(double[] weights, Categorical out) {
        for (int m = 0; m < symbols; m++) {
            double p = 0;
            for (int k = 0; k < states; k++) {
                p += weights[k] * probabilities[k * symbols + m];
            }
            out.set(m, p);
        }
    }

    /** Symbol index of step t, -1 when missing. */
    int symbolAt(Sequence sequence, int t) {
        double v = sequence.value(t, 0);
        if (Double.isNaN(v)) {
            return -1;
        }
        if (v != Math.rint(v) || v < 0 || v >= symbols) {
            String shown = v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
            throw new DataException("sequence '" + sequence.id() + "', step " + t + ": symbol " + shown
                    + " outside the emission's symbols 0.." + (symbols - 1));
        }
        return (int) v;
    }

    @Override
    public Workspace newWorkspace() {
        return new Workspace() {
            @Override
            public void logDensities(Sequence sequence, int t, double[] out, int offset) {
                int o = symbolAt(sequence, t);
                if (o < 0) {
                    Arrays.fill(out, offset, offset + states, 0);
                    return;
                }
                for (int k = 0; k < states; k++) {
                    out[offset + k] = logProbabilities[k * symbols + o];
                }
            }

            @Override
            public void sample(int state, RandomGenerator random, double[] out, int offset) {
                double u = random.nextDouble();
                double c = 0;
                int base = state * symbols;
                int last = -1;
                for (int m = 0; m < symbols; m++) {
                    double p = probabilities[base + m];
                    if (p > 0) {
                        last = m;
                    }
                    c += p;
                    if (u < c) {
                        out[offset] = m;
                        return;
                    }
                }
                out[offset] = last; // rounding left u above the row's total
            }

            @Override
            public void accumulate(EmissionModel.Statistics statistics, Sequence sequence, int t, double[] weights,
                    int offset) {
                int o = symbolAt(sequence, t);
                if (o < 0) {
                    return;
                }
                Stats s = (Stats) statistics;
                for (int k = 0; k < states; k++) {
                    s.counts[k * symbols + o] += weights[offset + k];
                }
            }
        };
    }

    /** Expected symbol counts per state. */
    static final class Stats implements EmissionModel.Statistics {
        final int states;
        final int symbols;
        final double[] counts;

        Stats(int states, int symbols) {
            this.states = states;
            this.symbols = symbols;
            counts = new double[states * symbols];
        }

        @Override
        public void merge(EmissionModel.Statistics other) {
            Stats o = (Stats) other;
            for (int i = 0; i < counts.length; i++) {
                counts[i] += o.counts[i];
            }
        }

        @Override
        public double responsibility(int state) {
            double s = 0;
            for (int m = 0; m < symbols; m++) {
                s += counts[state * symbols + m];
            }
            return s;
        }

        @Override
        public void blend(double keep, EmissionModel.Statistics other, double add) {
            SufficientStatistics.blend(counts, keep, ((Stats) other).counts, add);
        }

        @Override
        public double[] toArray() {
            return counts.clone();
        }

        @Override
        public void setFrom(double[] values) {
            SufficientStatistics.split(values, counts);
        }
    }

    @Override
    public Statistics newStatistics() {
        return new Stats(states, symbols);
    }

    /** B_km = (n_km + α) / (n_k + Mα); a row without counts or pseudo-counts is kept. */
    @Override
    public CategoricalEmission maximize(Statistics statistics, HmmFitSettings settings) {
        Stats s = (Stats) statistics;
        double[] next = probabilities.clone();
        for (int k = 0; k < states; k++) {
            Checks.normalizeRow(s.counts, k * symbols, symbols, settings.emissionPseudoCount(), 0, -1, next);
        }
        return new CategoricalEmission(states, symbols, names, next);
    }

    /** Rows half the observed symbol frequencies, half a Dirichlet(1, ..., 1) draw. */
    @Override
    public CategoricalEmission initialize(ObservedRows data, RandomGenerator random, HmmFitSettings settings) {
        long[] counts = data.symbolCounts(symbols);
        double[] frequencies = new double[symbols];
        double total = 0;
        for (int m = 0; m < symbols; m++) {
            frequencies[m] = counts[m];
            total += counts[m];
        }
        for (int m = 0; m < symbols; m++) {
            frequencies[m] = total > 0 ? frequencies[m] / total : 1.0 / symbols;
        }
        double[] alpha = new double[symbols];
        Arrays.fill(alpha, 1);
        double[] next = new double[states * symbols];
        for (int k = 0; k < states; k++) {
            Starts.dirichlet(random, alpha, next, k * symbols);
            for (int m = 0; m < symbols; m++) {
                next[k * symbols + m] = 0.5 * frequencies[m] + 0.5 * next[k * symbols + m];
            }
        }
        return new CategoricalEmission(states, symbols, names, next);
    }

    // the packed K×M probabilities and the names, owned: for HmmFitControl's M-steps (never modified there)
    double[] probabilitiesArray() {
        return probabilities;
    }

    List<String> namesList() {
        return names;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CategoricalEmission c && states == c.states && symbols == c.symbols
                && names.equals(c.names) && Arrays.equals(probabilities, c.probabilities);
    }

    @Override
    public int hashCode() {
        return Objects.hash(states, symbols, names, Arrays.hashCode(probabilities));
    }

    @Override
    public String toString() {
        return "categorical(K=" + states + ", M=" + symbols + ")";
    }
}
