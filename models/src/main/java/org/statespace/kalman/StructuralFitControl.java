package org.statespace.kalman;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

import org.statespace.spec.SpecNode;
import org.statespace.spec.Suggestions;

/**
 * The {@code "fit"} block of a structural model's spec: which variances the optimiser holds and which it keeps
 * within bounds. Paths are the spec's variance names:
 *
 * <pre>{@code
 * "fit": {"fixed": ["observationVariance"], "bounds": {"levelVariance": {"lower": 1, "upper": 1e4}}}
 * }</pre>
 *
 * <p>A fixed variance is no free parameter: it keeps its value bit for bit. A bound is enforced by the
 * parametrisation, not by clipping: a variance with both bounds is σ² = l + (u - l) / (1 + e^{-θ}), with only a
 * lower bound σ² = l + e^θ, with only an upper one σ² = u / (1 + e^{-θ}); so every point the optimiser tries lies
 * inside, and a bound that binds is approached as θ runs to ±∞ (the fitted variance then lies within rounding of
 * it). Read with the model and written back with the fitted spec. Immutable.
 */
final class StructuralFitControl {

    final JsonNode fitJson;
    final boolean[] fixed;   // per variance, in Form#varianceNames() order
    final double[] lower;    // 0 when none
    final double[] upper;    // +Infinity when none

    private StructuralFitControl(JsonNode fitJson, boolean[] fixed, double[] lower, double[] upper) {
        this.fitJson = fitJson;
        this.fixed = fixed;
        this.lower = lower;
        this.upper = upper;
    }

    /** The {@code "fit"} block of {@code spec} checked against the variances given; null when the spec has none. */
    static StructuralFitControl read(SpecNode spec, List<String> names, double[] variances) {
        if (!spec.has("fit")) {
            return null;
        }
        SpecNode f = spec.field("fit");
        f.requireObject("fixed", "bounds");
        int k = names.size();
        boolean[] fixed = new boolean[k];
        double[] lower = new double[k];
        double[] upper = new double[k];
        Arrays.fill(upper, Double.POSITIVE_INFINITY);
        if (f.has("fixed")) {
            for (SpecNode e : f.field("fixed").elements()) {
                fixed[index(e, null, e.asText().trim(), names)] = true;
            }
        }
        if (f.has("bounds")) {
            SpecNode bounds = f.field("bounds");
            for (String name : bounds.fieldNames()) {
                int i = index(bounds, name, name, names);
                SpecNode b = bounds.field(name);
                b.requireObject("lower", "upper");
                if (!b.has("lower") && !b.has("upper")) {
                    throw b.error("a bound needs \"lower\", \"upper\" or both");
                }
                if (b.has("lower")) {
                    lower[i] = b.field("lower").asDoubleAtLeast(0);
                    if (Double.isInfinite(lower[i])) {
                        throw b.errorAt("lower", "must be finite, got " + lower[i]);
                    }
                }
                if (b.has("upper")) {
                    upper[i] = b.field("upper").asDouble();
                    if (!(upper[i] > lower[i])) {
                        throw b.errorAt("upper", "must be greater than the lower bound " + lower[i] + ", got " + upper[i]);
                    }
                }
                if (fixed[i]) {
                    throw b.error(name + " is also in \"fixed\"; a fixed variance takes no bounds");
                }
                double v = variances[i];
                if (!(v >= lower[i] && v <= upper[i])) {
                    throw spec.errorAt(name, "the starting value " + v + " lies outside its bounds [" + lower[i] + ", "
                            + upper[i] + "] in \"fit\"");
                }
            }
        }
        return new StructuralFitControl(f.json().deepCopy(), fixed, lower, upper);
    }

    private static int index(SpecNode where, String field, String name, List<String> names) {
        int i = names.indexOf(name);
        if (i < 0) {
            String hint = Suggestions.nearest(name, names).map(s -> "; the nearest valid path is \"" + s + "\"")
                    .orElse("; valid paths are " + String.join(", ", names));
            String problem = "\"" + name + "\" names no variance of this model" + hint;
            throw field == null ? where.error(problem) : where.errorAt(field, problem);
        }
        return i;
    }

    boolean bounded(int i) {
        return lower[i] > 0 || upper[i] < Double.POSITIVE_INFINITY;
    }

    /** The variance at the optimiser's θ. */
    double variance(int i, double theta) {
        double l = lower[i];
        double u = upper[i];
        if (u == Double.POSITIVE_INFINITY) {
            return l + Math.exp(theta);
        }
        return l + (u - l) / (1 + Math.exp(-theta));
    }

    /** The θ of a variance (finite: a variance on its bound maps just inside, so the optimiser can start there). */
    double theta(int i, double variance) {
        double l = lower[i];
        double u = upper[i];
        if (u == Double.POSITIVE_INFINITY) {
            return Math.log(Math.max(variance - l, Math.ulp(Math.max(l, Double.MIN_NORMAL)) * 4));
        }
        double p = Math.min(1 - 1e-12, Math.max(1e-12, (variance - l) / (u - l)));
        return Math.log(p / (1 - p));
    }

    /** The name of the free parameter of variance {@code name}. */
    String parameterName(int i, String name) {
        if (lower[i] > 0 && upper[i] == Double.POSITIVE_INFINITY) {
            return "log(" + name + " - " + lower[i] + ")";
        }
        if (upper[i] < Double.POSITIVE_INFINITY) {
            return "logit " + name + " in [" + lower[i] + ", " + upper[i] + "]";
        }
        return "log " + name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StructuralFitControl c && Objects.equals(fitJson, c.fitJson);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(fitJson);
    }
}
