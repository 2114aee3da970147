package org.statespace.hsmm;

import java.util.Arrays;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.numeric.SpecialFunctions;
import org.statespace.spec.Json;
import org.statespace.spec.SpecNode;

/**
 * The distribution of the number of steps d &ge; 1 a state of an explicit-duration HMM lasts once entered.
 *
 * <pre>
 *   poisson            p(d) = λ^(d-1) e^(-λ) / (d-1)!                          d - 1 ~ Poisson(λ), λ = rate &gt; 0
 *   negative-binomial  p(d) = Γ(d-1+r) / (Γ(r) (d-1)!) q^r (1-q)^(d-1)         d - 1 ~ NB(r = size &gt; 0, q = probability in (0, 1])
 *   table              p(d) = probabilities[d-1], d = 1..L (L &le; maxDuration)
 *   geometric          p(d) = (1-q)^(d-1) q                                     q = probability in (0, 1]
 * </pre>
 *
 * The Poisson and negative binomial are truncated at the model's maximum duration D with the tail mass
 * folded into D: p̃(d) = p(d) for d &lt; D and p̃(D) = 1 - Σ_{d&lt;D} p(d) = P(d &ge; D). The geometric is
 * never truncated: in the expanded chain it is one slot with a self-loop (stay 1 - q, leave q), so it is
 * represented exactly. A duration acts in the expanded chain through its per-slot hazards
 * h(e) = p̃(e) / S(e) (the probability that a segment that has lasted e steps ends now) and stay
 * probabilities S(e+1) / S(e), with S(e) = Σ_{d&ge;e} p̃(d) summed from the top.
 */
public sealed interface Duration {

    /** The {@code type} of its spec. */
    String type();

    /** The number of slots of the expanded chain: D for poisson and negative-binomial, L for a table, 1 for geometric. */
    int slots(int maxDuration);

    /** p̃(1..slots) (index d-1), truncated and folded at {@code maxDuration}; for a geometric the one slot holds q. */
    double[] probabilities(int maxDuration);

    /** Free parameters, as counted for AIC and BIC. */
    int parameterCount();

    /** The spec of this duration; a fresh node on every call. */
    ObjectNode toSpec();

    /** Hazard h(e) of slot e = 1..slots (index e-1); the last slot's hazard is 1 unless the duration is geometric. */
    default double[] hazards(int maxDuration) {
        double[] p = probabilities(maxDuration);
        double[] survival = survival(p);
        double[] h = new double[p.length];
        for (int e = 0; e < p.length; e++) {
            h[e] = survival[e] > 0 ? Math.min(1, p[e] / survival[e]) : 1;
        }
        h[p.length - 1] = 1;
        return h;
    }

    /** Stay probability of slot e (index e-1): S(e+1)/S(e), 0 for the last slot unless the duration is geometric. */
    default double[] stays(int maxDuration) {
        double[] p = probabilities(maxDuration);
        double[] survival = survival(p);
        double[] s = new double[p.length];
        for (int e = 0; e + 1 < p.length; e++) {
            s[e] = survival[e] > 0 ? survival[e + 1] / survival[e] : 0;
        }
        return s;
    }

    /** S(e) = Σ_{d&ge;e} p(d), summed from the top so small tails keep their precision. */
    static double[] survival(double[] p) {
        double[] s = new double[p.length];
        double acc = 0;
        for (int e = p.length - 1; e >= 0; e--) {
            acc += p[e];
            s[e] = acc;
        }
        return s;
    }

    /**
     * A duration given by its probabilities p(d), d = 1, 2, ..., over the model's D slots: truncated at D with the
     * tail folded into D (the Poisson and the negative binomial).
     */
    sealed interface Folded extends Duration {
        /** log p(d) of the untruncated distribution. */
        double logProbability(int d);

        /** D: one slot per duration up to the maximum. */
        @Override
        default int slots(int maxDuration) {
            return maxDuration;
        }

        /** p(1..D-1), and the rest of the mass in D. */
        @Override
        default double[] probabilities(int maxDuration) {
            double[] p = new double[maxDuration];
            double sum = 0;
            for (int d = 1; d < maxDuration; d++) {
                p[d - 1] = Math.exp(logProbability(d));
                sum += p[d - 1];
            }
            p[maxDuration - 1] = Math.max(0, 1 - sum);
            return p;
        }
    }

    /** d - 1 ~ Poisson(rate), truncated at D with the tail folded into D. */
    record Poisson(double rate) implements Folded {
        public static final String TYPE = "poisson";

        public Poisson {
            if (!(rate > 0) || rate == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("a Poisson duration's rate must be positive and finite, got " + rate);
            }
        }

        /** log p(d) of the untruncated shifted Poisson. */
        @Override
        public double logProbability(int d) {
            return (d - 1) * Math.log(rate) - rate - SpecialFunctions.logGamma(d);
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public int parameterCount() {
            return 1;
        }

        @Override
        public ObjectNode toSpec() {
            ObjectNode o = Json.object();
            o.put("type", TYPE);
            o.put("rate", rate);
            return o;
        }
    }

    /** d - 1 ~ NegativeBinomial(size r, success probability q), truncated at D with the tail folded into D. */
    record NegativeBinomial(double size, double probability) implements Folded {
        public static final String TYPE = "negative-binomial";

        public NegativeBinomial {
            if (!(size > 0) || size == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("a negative-binomial duration's size must be positive and finite, got "
                        + size);
            }
            if (!(probability > 0 && probability <= 1)) {
                throw new IllegalArgumentException("a negative-binomial duration's probability must be in (0, 1], got "
                        + probability);
            }
        }

        /** log p(d) of the untruncated shifted negative binomial. */
        @Override
        public double logProbability(int d) {
            int x = d - 1;
            double tail = x == 0 ? 0 : x * Math.log1p(-probability);
            return SpecialFunctions.logGamma(x + size) - SpecialFunctions.logGamma(size)
                    - SpecialFunctions.logGamma(x + 1.0) + size * Math.log(probability) + tail;
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public int parameterCount() {
            return 2;
        }

        @Override
        public ObjectNode toSpec() {
            ObjectNode o = Json.object();
            o.put("type", TYPE);
            o.put("size", size);
            o.put("probability", probability);
            return o;
        }
    }

    /** A non-parametric table p(1..L), L &le; D. */
    record Table(double[] values) implements Duration {
        public static final String TYPE = "table";

        public Table {
            values = values.clone();
            if (values.length < 1) {
                throw new IllegalArgumentException("a duration table needs at least one entry");
            }
            double sum = 0;
            for (int i = 0; i < values.length; i++) {
                if (!(values[i] >= 0 && values[i] <= 1)) {
                    throw new IllegalArgumentException("duration probabilities[" + i + "] must be in [0, 1], got " + values[i]);
                }
                sum += values[i];
            }
            if (Math.abs(sum - 1) > 1e-9) {
                throw new IllegalArgumentException("duration probabilities sum to " + sum + ", expected 1");
            }
        }

        @Override
        public double[] values() {
            return values.clone();
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public int slots(int maxDuration) {
            return values.length;
        }

        @Override
        public double[] probabilities(int maxDuration) {
            return values.clone();
        }

        @Override
        public int parameterCount() {
            return values.length - 1;
        }

        @Override
        public ObjectNode toSpec() {
            ObjectNode o = Json.object();
            o.put("type", TYPE);
            o.set("probabilities", Json.vector(values));
            return o;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Table t && Arrays.equals(values, t.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "Table" + Arrays.toString(values);
        }
    }

    /** p(d) = (1-q)^(d-1) q, exact (one slot with a self-loop in the expanded chain). */
    record Geometric(double probability) implements Duration {
        public static final String TYPE = "geometric";

        public Geometric {
            if (!(probability > 0 && probability <= 1)) {
                throw new IllegalArgumentException("a geometric duration's probability must be in (0, 1], got " + probability);
            }
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public int slots(int maxDuration) {
            return 1;
        }

        @Override
        public double[] probabilities(int maxDuration) {
            return new double[] {probability};
        }

        @Override
        public double[] hazards(int maxDuration) {
            return new double[] {probability};
        }

        @Override
        public double[] stays(int maxDuration) {
            return new double[] {1 - probability};
        }

        @Override
        public int parameterCount() {
            return 1;
        }

        @Override
        public ObjectNode toSpec() {
            ObjectNode o = Json.object();
            o.put("type", TYPE);
            o.put("probability", probability);
            return o;
        }
    }

    /** Reads one entry of {@code "durations"}; a table longer than {@code maxDuration} is an error at its path. */
    static Duration read(SpecNode node, int maxDuration, boolean normalize) {
        String type = node.field("type").asChoice(HsmmFields.DURATION_TYPE.choiceArray());
        switch (type) {
            case Poisson.TYPE -> {
                node.requireObject(HsmmFields.POISSON);
                return new Poisson(node.field("rate").asPositive());
            }
            case NegativeBinomial.TYPE -> {
                node.requireObject(HsmmFields.NEGATIVE_BINOMIAL);
                double size = node.field("size").asPositive();
                SpecNode q = node.field("probability");
                double p = q.asPositive();
                if (!(p <= 1)) {
                    throw q.error("must be in (0, 1], got " + p);
                }
                return new NegativeBinomial(size, p);
            }
            case Table.TYPE -> {
                node.requireObject(HsmmFields.TABLE);
                SpecNode pn = node.field("probabilities");
                double[] p = pn.asVector();
                if (p.length < 1 || p.length > maxDuration) {
                    throw pn.error("has " + p.length + " entries, expected 1.." + maxDuration + " (maxDuration)");
                }
                p = org.statespace.numeric.Validate.probabilities(pn, p, normalize);
                return new Table(p);
            }
            default -> {
                node.requireObject(HsmmFields.GEOMETRIC);
                SpecNode q = node.field("probability");
                double p = q.asPositive();
                if (!(p <= 1)) {
                    throw q.error("must be in (0, 1], got " + p);
                }
                return new Geometric(p);
            }
        }
    }
}
