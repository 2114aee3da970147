package org.statespace.kalman;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.NumericalException;
import org.statespace.numeric.Cholesky;
import org.statespace.numeric.ConjugateDensities;
import org.statespace.numeric.Validate;
import org.statespace.spec.SpecNode;
import org.statespace.spec.Suggestions;

/**
 * What an {@code lgssm} spec says about its own EM fit: a {@code "prior"} of inverse-Wishart densities on the
 * noise covariances, and a {@code "fit"} block of fixed parameters, whole ones or single entries of F and H:
 *
 * <pre>{@code
 * "prior": {"processNoise": {"scale": 0.1, "degreesOfFreedom": 3}, "observationNoise": {"scale": [[1]], "degreesOfFreedom": 2}},
 * "fit": {"fixed": ["transitionMatrix[0][1]", "observationMatrix", "initialMean"]}
 * }</pre>
 *
 * <p>Q ~ IW(Ψ, ν) makes the M-step Q = (Ψ + Σ residual second moments) / (N + ν + n + 1) (Murphy 2012, §4.6.2),
 * and with {@code diagonalProcessNoise} the diagonal of that, the maximum of the same density over diagonal
 * matrices; the same for R. With single entries of F (or H) fixed, the regression step is the generalised least squares of
 * the free entries given the current Q (R): the exact conditional maximum, so EM (as expectation-conditional
 * maximisation) still never lowers its objective. Both blocks are written back with the fitted spec.
 */
final class LgssmFitControl {

    final JsonNode priorJson;
    final JsonNode fitJson;
    final double[] processScale;        // n×n, or null
    final double processDegrees;
    final double[] observationScale;    // m×m, or null
    final double observationDegrees;
    final boolean[] fixedTransition;    // n×n entries of F
    final boolean[] fixedObservation;   // m×n entries of H
    final Set<String> fixedWhole;

    private LgssmFitControl(JsonNode priorJson, JsonNode fitJson, double[] processScale, double processDegrees,
            double[] observationScale, double observationDegrees, boolean[] fixedTransition, boolean[] fixedObservation,
            Set<String> fixedWhole) {
        this.priorJson = priorJson;
        this.fitJson = fitJson;
        this.processScale = processScale;
        this.processDegrees = processDegrees;
        this.observationScale = observationScale;
        this.observationDegrees = observationDegrees;
        this.fixedTransition = fixedTransition;
        this.fixedObservation = fixedObservation;
        this.fixedWhole = fixedWhole;
    }

    /** The blocks of an lgssm spec for a model of n states and m observed components; null when it has neither. */
    static LgssmFitControl read(SpecNode spec, int n, int m, List<String> presentParameters) {
        if (!spec.has("prior") && !spec.has("fit")) {
            return null;
        }
        double[] q = null;
        double nuQ = 0;
        double[] r = null;
        double nuR = 0;
        JsonNode priorJson = null;
        if (spec.has("prior")) {
            SpecNode p = spec.field("prior");
            priorJson = p.json().deepCopy();
            p.requireObject("processNoise", "observationNoise");
            if (p.has("processNoise")) {
                SpecNode node = p.field("processNoise");
                q = scale(node, n);
                nuQ = degrees(node, n);
            }
            if (p.has("observationNoise")) {
                SpecNode node = p.field("observationNoise");
                r = scale(node, m);
                nuR = degrees(node, m);
            }
        }
        boolean[] fixedF = new boolean[n * n];
        boolean[] fixedH = new boolean[m * n];
        Set<String> whole = new LinkedHashSet<>();
        JsonNode fitJson = null;
        if (spec.has("fit")) {
            SpecNode f = spec.field("fit");
            fitJson = f.json().deepCopy();
            f.requireObject("fixed");
            List<String> valid = new ArrayList<>(presentParameters);
            for (int i = 0; i < n; i++) {
                valid.add("transitionMatrix[" + i + "]");
                for (int j = 0; j < n; j++) {
                    valid.add("transitionMatrix[" + i + "][" + j + "]");
                }
            }
            for (int i = 0; i < m; i++) {
                valid.add("observationMatrix[" + i + "]");
                for (int j = 0; j < n; j++) {
                    valid.add("observationMatrix[" + i + "][" + j + "]");
                }
            }
            if (f.has("fixed")) {
                for (SpecNode e : f.field("fixed").elements()) {
                    String path = e.asText().trim();
                    if (!valid.contains(path)) {
                        String hint = Suggestions.nearest(path, valid).map(s -> "; the nearest valid path is \"" + s + "\"")
                                .orElse("; valid paths are the parameter names (" + String.join(", ", presentParameters)
                                        + ") and entries such as \"transitionMatrix[0][1]\"");
                        throw e.error("\"" + path + "\" names no parameter of this model" + hint);
                    }
                    if (!path.contains("[")) {
                        whole.add(path);
                        continue;
                    }
                    String[] parts = path.replace("]", "").split("\\[");
                    boolean transition = parts[0].equals("transitionMatrix");
                    boolean[] mask = transition ? fixedF : fixedH;
                    int row = Integer.parseInt(parts[1]);
                    for (int j = 0; j < n; j++) {
                        if (parts.length == 2 || Integer.parseInt(parts[2]) == j) {
                            mask[row * n + j] = true;
                        }
                    }
                }
            }
            // single entries that cover a whole matrix are that matrix fixed
            if (allTrue(fixedF)) {
                whole.add("transitionMatrix");
            }
            if (allTrue(fixedH)) {
                whole.add("observationMatrix");
            }
        }
        return new LgssmFitControl(priorJson, fitJson, q, nuQ, r, nuR, fixedF, fixedH, whole);
    }

    private static boolean allTrue(boolean[] a) {
        for (boolean b : a) {
            if (!b) {
                return false;
            }
        }
        return a.length > 0;
    }

    private static double[] scale(SpecNode node, int size) {
        node.requireObject("scale", "degreesOfFreedom");
        SpecNode s = node.field("scale");
        if (s.json().isNumber()) {
            double psi = s.asPositive();
            double[] out = new double[size * size];
            for (int i = 0; i < size; i++) {
                out[i * size + i] = psi;
            }
            return out;
        }
        double[][] m = s.asSquareMatrix(size);
        Validate.positiveDefinite(s, m);
        return Validate.pack(m);
    }

    private static double degrees(SpecNode node, int size) {
        SpecNode d = node.field("degreesOfFreedom");
        double nu = d.asDouble();
        if (!(nu > size - 1) || Double.isInfinite(nu)) {
            throw d.error("must be finite and greater than " + (size - 1) + " (the dimension less 1) for a proper "
                    + "inverse-Wishart prior, got " + nu);
        }
        return nu;
    }

    boolean hasPrior() {
        return priorJson != null;
    }

    /** The M-step's noise covariance under the prior: (Ψ + sum) / (count + ν + d + 1), only the diagonal if asked. */
    static void posteriorMode(double[] sum, double count, double[] psi, double nu, int d, boolean diagonal, double[] out) {
        double denominator = count + nu + d + 1;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                out[i * d + j] = diagonal && i != j ? 0 : (sum[i * d + j] + psi[i * d + j]) / denominator;
            }
        }
    }

    /** Whether the parameter {@code name} is held whole, by these blocks or by the fit settings. */
    boolean isFixed(String name, KalmanFitSettings settings) {
        return settings.isFixed(name) || fixedWhole.contains(name);
    }

    /** Whether some but not all entries of F (transition) or H are fixed: the regression becomes a GLS. */
    boolean partlyFixed(boolean transition) {
        boolean[] mask = transition ? fixedTransition : fixedObservation;
        boolean any = false;
        for (boolean b : mask) {
            any |= b;
        }
        return any && !fixedWhole.contains(transition ? "transitionMatrix" : "observationMatrix");
    }

    void writeTo(ObjectNode spec) {
        if (priorJson != null) {
            spec.set("prior", priorJson.deepCopy());
        }
        if (fitJson != null) {
            spec.set("fit", fitJson.deepCopy());
        }
    }

    /** log IW(Q | Ψ_Q, ν_Q) + log IW(R | Ψ_R, ν_R) for the priors given; 0 without. */
    double logPrior(double[] processNoise, int n, double[] observationNoise, int m) {
        double lp = 0;
        if (processScale != null) {
            lp += ConjugateDensities.logInverseWishart(processNoise, processScale, processDegrees, n);
        }
        if (observationScale != null) {
            lp += ConjugateDensities.logInverseWishart(observationNoise, observationScale, observationDegrees, m);
        }
        return lp;
    }

    /**
     * The free entries of Θ (rows×k; the first n columns the matrix whose entries {@code fixedMatrix} marks, then
     * inputs and offset with {@code free} per column) that maximise the expected complete-data log-likelihood given
     * the noise covariance {@code noise}: Σ_{i'} W_{ii'} (Θ S_zz - S_yz)_{i'a} = 0 at every free (i, a), W = noise⁻¹.
     */
    static void generalisedLeastSquares(double[] theta, int rows, int k, int n, boolean[] fixedMatrix, boolean[] present,
            boolean[] free, double[] syz, double[] szz, double[] noise, String what) {
        List<int[]> unknowns = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            for (int a = 0; a < k; a++) {
                boolean isFree = a < n ? free[a] && !fixedMatrix[i * n + a] : free[a];
                if (isFree) {
                    unknowns.add(new int[] {i, a});
                }
            }
        }
        int u = unknowns.size();
        if (u == 0) {
            return;
        }
        double[] w = inverse(noise, rows, what);
        // the known part of Θ: fixed or not free but present entries; the unknowns start at 0
        double[] known = theta.clone();
        for (int[] e : unknowns) {
            known[e[0] * k + e[1]] = 0;
        }
        for (int a = 0; a < k; a++) {
            if (!present[a]) {
                for (int i = 0; i < rows; i++) {
                    known[i * k + a] = 0;
                }
            }
        }
        double[] h = new double[u * u];
        double[] rhs = new double[u];
        for (int x = 0; x < u; x++) {
            int i = unknowns.get(x)[0];
            int a = unknowns.get(x)[1];
            for (int y = 0; y < u; y++) {
                int i2 = unknowns.get(y)[0];
                int b = unknowns.get(y)[1];
                h[x * u + y] = w[i * rows + i2] * szz[b * k + a];
            }
            double sum = 0;
            for (int i2 = 0; i2 < rows; i2++) {
                double inner = syz[i2 * k + a];
                for (int b = 0; b < k; b++) {
                    inner -= known[i2 * k + b] * szz[b * k + a];
                }
                sum += w[i * rows + i2] * inner;
            }
            rhs[x] = sum;
        }
        double[] lower = new double[u * u];
        try {
            Cholesky.factor(h, u, lower);
        } catch (RuntimeException e) {
            throw new NumericalException("EM: the free " + what + " parameters are not identified by the data (" + e.getMessage()
                    + "); hold more of them fixed");
        }
        Cholesky.solve(lower, u, rhs);
        for (int x = 0; x < u; x++) {
            theta[unknowns.get(x)[0] * k + unknowns.get(x)[1]] = rhs[x];
        }
    }

    private static double[] inverse(double[] a, int d, String what) {
        double[] lower = new double[d * d];
        try {
            Cholesky.factor(a, d, lower);
        } catch (RuntimeException e) {
            throw new NumericalException("EM: the " + what + " noise covariance is singular, so single fixed entries of the "
                    + what + " matrix cannot be weighted (" + e.getMessage() + ")");
        }
        double[] out = new double[d * d];
        Cholesky.inverse(lower, d, new double[d], out);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LgssmFitControl c && Objects.equals(priorJson, c.priorJson) && Objects.equals(fitJson, c.fitJson);
    }

    @Override
    public int hashCode() {
        return Objects.hash(priorJson, fitJson);
    }
}
