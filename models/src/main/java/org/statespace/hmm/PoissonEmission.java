package org.statespace.hmm;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.DataException;
import org.statespace.ObservationSpace;
import org.statespace.capability.SufficientStatistics;
import org.statespace.data.ObservedRows;
import org.statespace.data.Sequence;
import org.statespace.distribution.Poisson;
import org.statespace.numeric.SpecialFunctions;
import org.statespace.numeric.Validate;
import org.statespace.spec.Json;
import org.statespace.spec.SpecNode;

/**
 * Poisson emissions: in state k, component j of o is an independent count ~ Poisson(λ_kj).
 *
 * <pre>{@code
 * {"type": "poisson", "rates": [[1.5], [12.0]]}
 * }</pre>
 *
 * {@code rates} is K×d, all positive. Parameters: K·d. A missing component is left out of the density
 * (its marginal is 1) and out of the rate's M-step.
 */
public final class PoissonEmission implements EmissionModel {
    static final String TYPE = "poisson";

    private final int states;
    private final int d;
    private final double[] rates;    // K×d
    private final double[] logRates; // K×d

    PoissonEmission(int states, int d, double[] rates) {
        this.states = states;
        this.d = d;
        this.rates = rates;
        this.logRates = new double[rates.length];
        for (int i = 0; i < rates.length; i++) {
            logRates[i] = Math.log(rates[i]);
        }
    }

    /** Rates K×d, all positive and finite. */
    public static PoissonEmission of(double[][] rates) {
        if (rates.length == 0 || rates[0].length == 0) {
            throw new IllegalArgumentException("rates must be a non-empty K×d matrix");
        }
        int d = rates[0].length;
        for (int k = 0; k < rates.length; k++) {
            if (rates[k].length != d) {
                throw new IllegalArgumentException("rates[" + k + "] has " + rates[k].length + " entries, expected " + d);
            }
            for (int j = 0; j < d; j++) {
                Checks.positive("rates[" + k + "][" + j + "]", rates[k][j]);
            }
        }
        return new PoissonEmission(rates.length, d, Validate.pack(rates));
    }

    static PoissonEmission read(SpecNode e, int states) {
        e.requireObject(HmmFields.POISSON);
        SpecNode r = e.field("rates");
        List<SpecNode> rows = r.elements();
        if (rows.size() != states) {
            throw r.error("expected " + states + " rows (one per state), got " + rows.size());
        }
        int d = rows.get(0).asVector().length;
        double[] rates = new double[states * d];
        for (int k = 0; k < states; k++) {
            List<SpecNode> row = rows.get(k).elements();
            if (row.size() != d) {
                throw rows.get(k).error("expected " + d + " rates like row 0, got " + row.size());
            }
            for (int j = 0; j < d; j++) {
                rates[k * d + j] = row.get(j).asPositive();
            }
        }
        return new PoissonEmission(states, d, rates);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public int stateCount() {
        return states;
    }

    /** d. */
    public int dimension() {
        return d;
    }

    /** λ_kj. */
    public double rate(int state, int component) {
        return rates[state * d + component];
    }

    /** The rates as K rows of d (a copy). */
    public double[][] rates() {
        return Validate.unpack(rates, states, d);
    }

    @Override
    public ObservationSpace observationSpace() {
        return ObservationSpace.reals(d);
    }

    @Override
    public int parameterCount() {
        return states * d;
    }

    @Override
    public ObjectNode toSpec() {
        ObjectNode o = Json.object();
        o.put("type", TYPE);
        o.set("rates", Json.matrix(rates, states, d));
        return o;
    }

    @Override
    public Poisson stateDistribution(int state) {
        Poisson p = new Poisson(d);
        p.set(rates, state * d);
        return p;
    }

    @Override
    public Workspace newWorkspace() {
        return new Work();
    }

    private final class Work implements Workspace {
        private final double[] counts = new double[d];
        private final double[] logFactorials = new double[d];
        private final int[] observed = new int[d];

        // loads the observed counts of step t; returns how many components are observed
        private int load(Sequence sequence, int t) {
            int n = 0;
            for (int j = 0; j < d; j++) {
                double y = sequence.value(t, j);
                if (Double.isNaN(y)) {
                    continue;
                }
                if (!(y >= 0) || y != Math.rint(y)) {
                    throw new DataException("sequence '" + sequence.id() + "', step " + t + ", component " + j
                            + ": " + y + " is not a count (a non-negative integer) for a Poisson emission");
                }
                observed[n] = j;
                counts[n] = y;
                logFactorials[n] = SpecialFunctions.logFactorial(y);
                n++;
            }
            return n;
        }

        @Override
        public void logDensities(Sequence sequence, int t, double[] out, int offset) {
            int n = load(sequence, t);
            for (int k = 0; k < states; k++) {
                double s = 0;
                for (int a = 0; a < n; a++) {
                    int i = k * d + observed[a];
                    s += counts[a] * logRates[i] - rates[i] - logFactorials[a];
                }
                out[offset + k] = s;
            }
        }

        @Override
        public void sample(int state, RandomGenerator random, double[] out, int offset) {
            for (int j = 0; j < d; j++) {
                out[offset + j] = Poisson.sampleCount(random, rates[state * d + j]);
            }
        }

        @Override
        public void accumulate(EmissionModel.Statistics statistics, Sequence sequence, int t, double[] weights,
                int offset) {
            int n = load(sequence, t);
            Stats s = (Stats) statistics;
            for (int k = 0; k < states; k++) {
                double w = weights[offset + k];
                s.responsibility[k] += n > 0 ? w : 0;
                for (int a = 0; a < n; a++) {
                    int i = k * d + observed[a];
                    s.weights[i] += w;
                    s.sums[i] += w * counts[a];
                }
            }
        }
    }

    /** Per state and component: Σ γ over steps where it was observed, and Σ γ y. */
    static final class Stats implements EmissionModel.Statistics {
        final double[] weights;
        final double[] sums;
        final double[] responsibility;

        Stats(int states, int d) {
            weights = new double[states * d];
            sums = new double[states * d];
            responsibility = new double[states];
        }

        @Override
        public void merge(EmissionModel.Statistics other) {
            Stats o = (Stats) other;
            GaussianEmission.Stats.add(weights, o.weights);
            GaussianEmission.Stats.add(sums, o.sums);
            GaussianEmission.Stats.add(responsibility, o.responsibility);
        }

        @Override
        public double responsibility(int state) {
            return responsibility[state];
        }

        @Override
        public void blend(double keep, EmissionModel.Statistics other, double add) {
            Stats o = (Stats) other;
            SufficientStatistics.blend(weights, keep, o.weights, add);
            SufficientStatistics.blend(sums, keep, o.sums, add);
            SufficientStatistics.blend(responsibility, keep, o.responsibility, add);
        }

        @Override
        public double[] toArray() {
            return SufficientStatistics.concat(weights, sums, responsibility);
        }

        @Override
        public void setFrom(double[] values) {
            SufficientStatistics.split(values, weights, sums, responsibility);
        }
    }

    @Override
    public Statistics newStatistics() {
        return new Stats(states, d);
    }

    /** λ_kj = Σ γ y / Σ γ over the steps where component j was observed, at least the rate floor. */
    @Override
    public PoissonEmission maximize(Statistics statistics, HmmFitSettings settings) {
        Stats s = (Stats) statistics;
        double[] next = rates.clone();
        for (int i = 0; i < next.length; i++) {
            if (s.weights[i] > 0) {
                double rate = s.sums[i] / s.weights[i];
                if (Double.isFinite(rate)) {
                    next[i] = Math.max(rate, settings.rateFloor());
                }
            }
        }
        return new PoissonEmission(states, d, next);
    }

    /**
     * k-means++ centroids of the observed count vectors, each at least max(rate floor, 10⁻³ × the
     * component's mean count) so that no start is degenerate.
     */
    @Override
    public PoissonEmission initialize(ObservedRows data, RandomGenerator random, HmmFitSettings settings) {
        double[][] points = Starts.points(data, states, random);
        Starts.Clusters clusters = Starts.kMeans(points, states, random);
        double[] mean = Starts.mean(Starts.all(points), d);
        double[] next = new double[states * d];
        for (int k = 0; k < states; k++) {
            for (int j = 0; j < d; j++) {
                next[k * d + j] = Math.max(clusters.centroids()[k][j], Math.max(settings.rateFloor(), 1e-3 * mean[j]));
            }
        }
        return new PoissonEmission(states, d, next);
    }

    // the packed K×d rates, owned: for the constrained and MAP M-steps of HmmFitControl (never modified there)
    double[] ratesArray() {
        return rates;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PoissonEmission p && states == p.states && d == p.d && Arrays.equals(rates, p.rates);
    }

    @Override
    public int hashCode() {
        return Objects.hash(states, d, Arrays.hashCode(rates));
    }

    @Override
    public String toString() {
        return "poisson(K=" + states + ", d=" + d + ")";
    }
}
