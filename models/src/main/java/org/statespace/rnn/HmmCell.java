package org.statespace.rnn;

import java.util.Arrays;

import org.statespace.numeric.Cholesky;
import org.statespace.numeric.SpecialFunctions;

/**
 * The kernels of an HMM cell (layer of {@link Cell#HMM}) for one row: its emission log-densities and their
 * gradients, the forward-filter step and its backward step. Equations, with h the predicted belief over K
 * states, e_k = log b_k(o_{t-1}) and Z the K × K transition logits the layer's pre-activations hold:
 *
 * <pre>
 *   h_0   = softmax(initial logits)                                  (step 0: no observation yet)
 *   α_k   = h_{t-1,k} exp(e_k) / Σ_i h_{t-1,i} exp(e_i)              (α = h_{t-1} when o_{t-1} is missing)
 *   A_ij  = exp(Z_ij) / Σ_j' exp(Z_ij')                              (softmax rows)
 *   h_t   = Aᵀ α
 * </pre>
 *
 * and the head's loss -log Σ_k h_{t,k} exp(e_k(o_t)). Backward: dα_i = Σ_j A_ij dh_j; dZ_ij = A_ij (α_i dh_j -
 * Σ_j' A_ij' α_i dh_j'); dh_{t-1,k} += E_k / c (dα_k - Σ_i α_i dα_i) and de_k = α_k (dα_k - Σ_i α_i dα_i) with
 * E_k = exp(e_k - max e), c = Σ h_k E_k (no division by h, so a zero belief is fine). Immutable offsets plus
 * a {@link Scratch} per thread.
 */
final class HmmCell {
    final int layer;
    final int states;
    final BeliefEmission emission;
    final int observed;       // M symbols or d components
    final int initialLogits;  // offsets in the flat parameter vector
    final int logits;         // categorical logits, Poisson log-rates, or mixture weight logits
    final int means;
    final int cholesky;              // the covariance block (its layout by structure)
    final BeliefEmission.Structure structure;

    HmmCell(RnnArchitecture a, int layer) {
        this.layer = layer;
        Layer l = a.layer(layer);
        this.states = l.hiddenSize();
        this.emission = l.emission();
        this.observed = a.head().outputSize();
        this.initialLogits = a.block("initial_logits_l" + layer).offset();
        this.logits = switch (emission.kind()) {
            case CATEGORICAL -> a.block("emission_logits_l" + layer).offset();
            case POISSON -> a.block("emission_log_rate_l" + layer).offset();
            case MIXTURE -> a.block("emission_weight_logits_l" + layer).offset();
            case GAUSSIAN -> -1;
        };
        boolean gaussian = emission.kind() == BeliefEmission.Kind.GAUSSIAN || emission.kind() == BeliefEmission.Kind.MIXTURE;
        this.means = gaussian ? a.block("emission_mean_l" + layer).offset() : -1;
        this.structure = emission.covariance();
        this.cholesky = !gaussian ? -1 : a.block(switch (structure) {
            case FULL, TIED -> "emission_cholesky_l";
            case DIAGONAL -> "emission_log_diagonal_l";
            case SPHERICAL -> "emission_log_scale_l";
        } + layer).offset();
    }

    /** The blocks of an HMM layer's own parameters, in layout order: name, rows, cols (cols 0: a vector). */
    static int[][] blockShapes(Layer l, int observed) {
        int k = l.hiddenSize();
        int c = l.emission().components();
        int d = observed;
        int g = k * c;
        int[] factor = switch (l.emission().covariance()) {
            case FULL -> new int[] {g * d, d};
            case DIAGONAL -> new int[] {g, d};
            case SPHERICAL -> new int[] {g, 0};
            case TIED -> new int[] {d, d};
        };
        return switch (l.emission().kind()) {
            case CATEGORICAL, POISSON -> new int[][] {{k, 0}, {k, d}};
            case GAUSSIAN -> new int[][] {{k, 0}, {k, d}, factor};
            case MIXTURE -> new int[][] {{k, 0}, {k, c}, {k * c, d}, factor};
        };
    }

    /** The names of {@link #blockShapes}, for layer l. */
    static String[] blockNames(Layer l, int layer) {
        String s = "_l" + layer;
        String factor = switch (l.emission().covariance()) {
            case FULL, TIED -> "emission_cholesky" + s;
            case DIAGONAL -> "emission_log_diagonal" + s;
            case SPHERICAL -> "emission_log_scale" + s;
        };
        return switch (l.emission().kind()) {
            case CATEGORICAL -> new String[] {"initial_logits" + s, "emission_logits" + s};
            case POISSON -> new String[] {"initial_logits" + s, "emission_log_rate" + s};
            case GAUSSIAN -> new String[] {"initial_logits" + s, "emission_mean" + s, factor};
            case MIXTURE -> new String[] {"initial_logits" + s, "emission_weight_logits" + s, "emission_mean" + s, factor};
        };
    }

    /** Per-thread scratch. */
    final class Scratch {
        final double[] e = new double[states];
        final double[] weights = new double[states];
        final double[] da = new double[states];
        final double[] mixture;
        final double[] lower;
        final double[] sub;
        final double[] factor;
        final double[] z;
        final double[] w;
        final double[] inverse;
        final double[] g;
        final int[] index;

        Scratch() {
            int d = observed;
            mixture = new double[emission.components()];
            lower = new double[d * d];
            sub = new double[d * d];
            factor = new double[d * d];
            z = new double[d];
            w = new double[d];
            inverse = new double[d * d];
            g = new double[d * d];
            index = new int[d];
        }
    }

    Scratch scratch() {
        return new Scratch();
    }

    /** h_0 = softmax(initial logits) into {@code out}. */
    void initial(double[] theta, double[] out) {
        RnnModel.softmax(theta, initialLogits, states, out);
    }

    /** dθ(initial logits) += softmax Jacobianᵀ dh for h_0 = {@code h}. */
    void initialBackward(double[] h, double[] dh, double[] grad) {
        double mean = 0;
        for (int k = 0; k < states; k++) {
            mean += h[k] * dh[k];
        }
        for (int k = 0; k < states; k++) {
            grad[initialLogits + k] += h[k] * (dh[k] - mean);
        }
    }

    /**
     * e_k = log b_k(y) for every state into {@code out}; y is one symbol index in y[0] (NaN: missing) or d
     * values (NaN: missing). Returns false (and zeros) when y is entirely missing.
     */
    boolean logDensities(double[] theta, double[] y, double[] out, Scratch s) {
        if (!present(y)) {
            Arrays.fill(out, 0, states, 0);
            return false;
        }
        for (int k = 0; k < states; k++) {
            out[k] = logDensity(theta, y, k, s);
        }
        return true;
    }

    boolean present(double[] y) {
        int n = emission.symbolic() ? 1 : observed;
        for (int j = 0; j < n; j++) {
            if (!Double.isNaN(y[j])) {
                return true;
            }
        }
        return false;
    }

    /** log b_k(y) (y not entirely missing). */
    double logDensity(double[] theta, double[] y, int k, Scratch s) {
        switch (emission.kind()) {
            case CATEGORICAL -> {
                int off = logits + k * observed;
                return theta[off + (int) y[0]] - logSumExp(theta, off, observed);
            }
            case POISSON -> {
                double sum = 0;
                int off = logits + k * observed;
                for (int j = 0; j < observed; j++) {
                    double v = y[j];
                    if (!Double.isNaN(v)) {
                        if (v < 0 || v != Math.rint(v)) {
                            return Double.NEGATIVE_INFINITY;
                        }
                        sum += v * theta[off + j] - Math.exp(theta[off + j]) - SpecialFunctions.logFactorial(v);
                    }
                }
                return sum;
            }
            case GAUSSIAN -> {
                return gaussian(theta, y, k, s, 0, null);
            }
            case MIXTURE -> {
                int c = emission.components();
                int off = logits + k * c;
                double lse = logSumExp(theta, off, c);
                double max = Double.NEGATIVE_INFINITY;
                for (int m = 0; m < c; m++) {
                    s.mixture[m] = theta[off + m] - lse + gaussian(theta, y, k * c + m, s, 0, null);
                    max = Math.max(max, s.mixture[m]);
                }
                if (max == Double.NEGATIVE_INFINITY) {
                    return max;
                }
                double sum = 0;
                for (int m = 0; m < c; m++) {
                    sum += Math.exp(s.mixture[m] - max);
                }
                return max + Math.log(sum);
            }
        }
        throw new IllegalStateException();
    }

    /** θ += Σ_k de[k] ∂ log b_k(y)/∂θ (y not entirely missing). */
    void addGradient(double[] theta, double[] y, double[] de, double[] grad, Scratch s) {
        for (int k = 0; k < states; k++) {
            double weight = de[k];
            if (weight == 0) {
                continue;
            }
            switch (emission.kind()) {
                case CATEGORICAL -> {
                    int off = logits + k * observed;
                    double lse = logSumExp(theta, off, observed);
                    int symbol = (int) y[0];
                    for (int j = 0; j < observed; j++) {
                        grad[off + j] += weight * ((j == symbol ? 1 : 0) - Math.exp(theta[off + j] - lse));
                    }
                }
                case POISSON -> {
                    int off = logits + k * observed;
                    for (int j = 0; j < observed; j++) {
                        if (!Double.isNaN(y[j])) {
                            grad[off + j] += weight * (y[j] - Math.exp(theta[off + j]));
                        }
                    }
                }
                case GAUSSIAN -> gaussian(theta, y, k, s, weight, grad);
                case MIXTURE -> {
                    int c = emission.components();
                    int off = logits + k * c;
                    double lse = logSumExp(theta, off, c);
                    double max = Double.NEGATIVE_INFINITY;
                    for (int m = 0; m < c; m++) {
                        s.mixture[m] = theta[off + m] - lse + gaussian(theta, y, k * c + m, s, 0, null);
                        max = Math.max(max, s.mixture[m]);
                    }
                    double sum = 0;
                    for (int m = 0; m < c; m++) {
                        s.mixture[m] = Math.exp(s.mixture[m] - max);
                        sum += s.mixture[m];
                    }
                    for (int m = 0; m < c; m++) {
                        double responsibility = s.mixture[m] / sum;
                        grad[off + m] += weight * (responsibility - Math.exp(theta[off + m] - lse));
                        gaussian(theta, y, k * c + m, s, weight * responsibility, grad);
                    }
                }
            }
        }
    }

    /**
     * The log-density of Gaussian {@code g} (state, or state·C + component) at the observed components of
     * y: S = (L Lᵀ)_OO, -½ (n log 2π + log det S + rᵀ S⁻¹ r). With {@code grad}: adds weight × the gradient,
     * dμ_O = S⁻¹ r, dS = ½ (S⁻¹ r rᵀ S⁻¹ - S⁻¹) embedded as G, dL = 2 G L (the diagonal times L_ii).
     */
    private double gaussian(double[] theta, double[] y, int g, Scratch s, double weight, double[] grad) {
        int d = observed;
        int mo = means + g * d;
        double[] lower = s.lower;
        factor(theta, g, lower);
        int n = 0;
        for (int j = 0; j < d; j++) {
            if (!Double.isNaN(y[j])) {
                s.index[n++] = j;
            }
        }
        double[] sub = s.sub;
        for (int a = 0; a < n; a++) {
            int i = s.index[a];
            for (int b = 0; b <= a; b++) {
                int j = s.index[b];
                double v = 0;
                for (int k = 0; k <= j; k++) {
                    v += lower[i * d + k] * lower[j * d + k];
                }
                sub[a * n + b] = v;
                sub[b * n + a] = v;
            }
        }
        double[] factor = s.factor;
        Cholesky.factor(sub, n, factor);
        for (int a = 0; a < n; a++) {
            s.z[a] = y[s.index[a]] - theta[mo + s.index[a]];
        }
        Cholesky.solveLower(factor, n, s.z);
        double q = 0;
        for (int a = 0; a < n; a++) {
            q += s.z[a] * s.z[a];
        }
        double value = -0.5 * (n * SpecialFunctions.LOG_2PI + Cholesky.logDeterminant(factor, n) + q);
        if (grad == null) {
            return value;
        }
        System.arraycopy(s.z, 0, s.w, 0, n);
        Cholesky.solveUpperTransposed(factor, n, s.w);
        double[] inv = s.inverse;
        Cholesky.inverse(factor, n, s.z, inv);
        double[] gm = s.g;
        Arrays.fill(gm, 0, d * d, 0);
        for (int a = 0; a < n; a++) {
            grad[mo + s.index[a]] += weight * s.w[a];
            for (int b = 0; b < n; b++) {
                gm[s.index[a] * d + s.index[b]] = 0.5 * weight * (s.w[a] * s.w[b] - inv[a * n + b]);
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                if (i != j && (structure == BeliefEmission.Structure.DIAGONAL
                        || structure == BeliefEmission.Structure.SPHERICAL)) {
                    continue; // structurally zero
                }
                double v = 0;
                for (int k = j; k < d; k++) {
                    v += gm[i * d + k] * lower[k * d + j];
                }
                v *= 2;
                v = i == j ? v * lower[i * d + i] : v;
                switch (structure) {
                    case FULL -> grad[cholesky + g * d * d + i * d + j] += v;
                    case TIED -> grad[cholesky + i * d + j] += v;
                    case DIAGONAL -> grad[cholesky + g * d + i] += v;
                    case SPHERICAL -> grad[cholesky + g] += v;
                }
            }
        }
        return value;
    }

    /** L_g, the lower factor of Gaussian g's covariance (d×d), from its block in the layer's structure. */
    void factor(double[] theta, int g, double[] lower) {
        int d = observed;
        switch (structure) {
            case FULL -> KalmanCell.lower(theta, cholesky + g * d * d, d, lower);
            case TIED -> KalmanCell.lower(theta, cholesky, d, lower);
            case DIAGONAL, SPHERICAL -> {
                Arrays.fill(lower, 0, d * d, 0);
                for (int i = 0; i < d; i++) {
                    lower[i * d + i] = Math.exp(theta[cholesky + (structure == BeliefEmission.Structure.DIAGONAL ? g * d + i : g)]);
                }
            }
        }
    }

    static double logSumExp(double[] z, int off, int n) {
        return SpecialFunctions.logSumExp(z, off, off + n);
    }

    // ----------------------------------------------------------------------------------------------
    // the filter step

    /**
     * One step t >= 1 for one row: {@code prev} = h_{t-1}, {@code z} = the K×K logits (replaced by A),
     * {@code y} = o_{t-1}; writes α into {@code alpha}, e and (in e[K]) nothing else; h_t into {@code out}.
     */
    void step(double[] theta, double[] prev, double[] z, double[] y, double[] e, double[] alpha, double[] out, Scratch s) {
        int k = states;
        for (int i = 0; i < k; i++) {
            softmaxInPlace(z, i * k, k);
        }
        filter(theta, prev, y, e, alpha, s);
        Arrays.fill(out, 0, k, 0);
        for (int i = 0; i < k; i++) {
            double a = alpha[i];
            if (a == 0) {
                continue;
            }
            int row = i * k;
            for (int j = 0; j < k; j++) {
                out[j] += a * z[row + j];
            }
        }
    }

    /** α = h ⊙ exp(e) normalised (α = h when y is missing or impossible); e is written too. */
    void filter(double[] theta, double[] prev, double[] y, double[] e, double[] alpha, Scratch s) {
        int k = states;
        if (!logDensities(theta, y, e, s)) {
            System.arraycopy(prev, 0, alpha, 0, k);
            return;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            if (prev[i] > 0) {
                max = Math.max(max, e[i]);
            }
        }
        double c = 0;
        for (int i = 0; i < k; i++) {
            alpha[i] = prev[i] > 0 ? prev[i] * Math.exp(e[i] - max) : 0;
            c += alpha[i];
        }
        if (!(c > 0) || max == Double.NEGATIVE_INFINITY) {
            System.arraycopy(prev, 0, alpha, 0, k);
            return;
        }
        for (int i = 0; i < k; i++) {
            alpha[i] /= c;
        }
    }

    /**
     * Backward of {@link #step}: given dh_t, writes dZ (K×K) into {@code dz}, adds dh_{t-1} into {@code dPrev}
     * (when non-null) and the emission gradient into {@code grad}.
     */
    void stepBackward(double[] theta, double[] prev, double[] a, double[] y, double[] e, double[] alpha, double[] dh,
            double[] dz, double[] dPrev, double[] grad, Scratch s) {
        int k = states;
        double[] da = s.da;
        for (int i = 0; i < k; i++) {
            int row = i * k;
            double sum = 0;
            double mean = 0;
            for (int j = 0; j < k; j++) {
                sum += a[row + j] * dh[j];
            }
            mean = sum;
            da[i] = sum;
            double ai = alpha[i];
            for (int j = 0; j < k; j++) {
                dz[row + j] = a[row + j] * ai * (dh[j] - mean);
            }
        }
        if (!present(y)) {
            if (dPrev != null) {
                for (int i = 0; i < k; i++) {
                    dPrev[i] += da[i];
                }
            }
            return;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            if (prev[i] > 0) {
                max = Math.max(max, e[i]);
            }
        }
        double c = 0;
        for (int i = 0; i < k; i++) {
            c += prev[i] > 0 ? prev[i] * Math.exp(e[i] - max) : 0;
        }
        if (!(c > 0) || max == Double.NEGATIVE_INFINITY) {
            if (dPrev != null) {
                for (int i = 0; i < k; i++) {
                    dPrev[i] += da[i];
                }
            }
            return;
        }
        double dot = 0;
        for (int i = 0; i < k; i++) {
            dot += alpha[i] * da[i];
        }
        double[] de = s.weights;
        for (int i = 0; i < k; i++) {
            double centred = da[i] - dot;
            de[i] = alpha[i] * centred;
            if (dPrev != null) {
                dPrev[i] += Math.exp(e[i] - max) / c * centred;
            }
        }
        addGradient(theta, y, de, grad, s);
    }

    /**
     * The loss -log Σ_k h_k exp(e_k(y)) of the head for one row (0 when y is missing); with {@code dh}
     * non-null, writes its gradient in h there and adds the emission gradient into {@code grad}.
     */
    double loss(double[] theta, double[] h, double[] y, double[] dh, double[] grad, Scratch s) {
        int k = states;
        if (dh != null) {
            Arrays.fill(dh, 0, k, 0);
        }
        if (!logDensities(theta, y, s.e, s)) {
            return 0;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            if (h[i] > 0) {
                max = Math.max(max, s.e[i]);
            }
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return Double.POSITIVE_INFINITY;
        }
        double c = 0;
        for (int i = 0; i < k; i++) {
            c += h[i] > 0 ? h[i] * Math.exp(s.e[i] - max) : 0;
        }
        if (dh != null) {
            double[] de = s.weights;
            for (int i = 0; i < k; i++) {
                double ei = Math.exp(s.e[i] - max);
                dh[i] = -ei / c;
                de[i] = h[i] > 0 ? -h[i] * ei / c : 0;
            }
            addGradient(theta, y, de, grad, s);
        }
        return -(max + Math.log(c));
    }

    /** Σ_k h_k E[o | s = k] into out[0..M or d): the predictive probabilities over symbols, or means. */
    void predictiveMean(double[] theta, double[] h, double[] out) {
        int m = observed;
        Arrays.fill(out, 0, m, 0);
        int c = emission.components();
        for (int k = 0; k < states; k++) {
            double hk = h[k];
            switch (emission.kind()) {
                case CATEGORICAL -> {
                    int off = logits + k * m;
                    double lse = logSumExp(theta, off, m);
                    for (int j = 0; j < m; j++) {
                        out[j] += hk * Math.exp(theta[off + j] - lse);
                    }
                }
                case POISSON -> {
                    for (int j = 0; j < m; j++) {
                        out[j] += hk * Math.exp(theta[logits + k * m + j]);
                    }
                }
                case GAUSSIAN -> {
                    for (int j = 0; j < m; j++) {
                        out[j] += hk * theta[means + k * m + j];
                    }
                }
                case MIXTURE -> {
                    int off = logits + k * c;
                    double lse = logSumExp(theta, off, c);
                    for (int q = 0; q < c; q++) {
                        double wq = hk * Math.exp(theta[off + q] - lse);
                        for (int j = 0; j < m; j++) {
                            out[j] += wq * theta[means + (k * c + q) * m + j];
                        }
                    }
                }
            }
        }
    }

    /** Σ_g = L_g L_gᵀ of Gaussian g (state, or state·C + component), d×d row-major. */
    double[] covariance(double[] theta, int g) {
        int d = observed;
        double[] cov = new double[d * d];
        double[] lower = new double[d * d];
        factor(theta, g, lower);
        KalmanCell.product(lower, d, cov);
        return cov;
    }

    // softmax(z[off..off+n)) in place (RnnModel.softmax reads before it writes each entry, so in place is fine)
    static void softmaxInPlace(double[] z, int off, int n) {
        RnnModel.softmax(z, off, n, z, off);
    }
}
