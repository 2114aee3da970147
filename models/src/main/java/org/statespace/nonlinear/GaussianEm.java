package org.statespace.nonlinear;

import org.statespace.NumericalException;
import org.statespace.capability.SufficientStatistics;
import org.statespace.data.Sequence;
import org.statespace.numeric.Cholesky;
import org.statespace.numeric.Validate;

/**
 * EM for a non-linear model run by the extended or unscented filter: the Gaussian-approximation EM of Särkkä
 * (2013, sec. 12.3.3) and Kokkala, Solin &amp; Särkkä (2016). f and h stay as they are; Q, R, m0 and P0 have a
 * closed-form M-step given expectations under the smoother's Gaussian approximation of p(x | y).
 *
 * <p>E-step, per sequence (in memory, or over a long sequence's chunks with the smoother's moments spilled to disk,
 * {@link SpilledNonlinear}, the same sums either way: {@link Accumulator}): the extended or unscented RTS smoother ({@link Smoothers#rts}) gives m^s_t, P^s_t and
 * the lag-one cross covariance C_t = Cov[x_t, x_{t-1} | y] = P^s_t G_{t-1}ᵀ (G the smoother gain). Then
 * <pre>
 *   S_Q += E[(x_t − f(x_{t-1}))(x_t − f(x_{t-1}))ᵀ]   (t &gt;= 1)
 *   S_R += E[(y_t − h(x_t))(y_t − h(x_t))ᵀ]           (every step; missing components are latent)
 *   S_0 += m^s_0,  S_00 += P^s_0 + m^s_0 m^s_0ᵀ
 * </pre>
 * where the expectations are taken
 * <ul>
 *   <li>extended: by linearising at the smoothed mean, F = ∂f/∂x at m^s_{t-1}, H = ∂h/∂x at m^s_t:
 *       δ δᵀ + P^s_t − C_t Fᵀ − F C_tᵀ + F P^s_{t-1} Fᵀ with δ = m^s_t − f(m^s_{t-1}), and ε εᵀ + H P^s_t Hᵀ
 *       with ε = y_t − h(m^s_t);</li>
 *   <li>unscented: by the scaled sigma points (the filter's α, β, κ) of the joint Gaussian of (x_{t-1}, x_t),
 *       mean (m^s_{t-1}, m^s_t) and covariance [[P^s_{t-1}, C_tᵀ], [C_t, P^s_t]] (2n points around a 2n-vector),
 *       Σ_i W_i^m (b_i − f(a_i))(b_i − f(a_i))ᵀ, and of N(m^s_t, P^s_t) for h.</li>
 * </ul>
 * A partly missing y_t (missing components M, observed O): given x_t and y_O the missing part is
 * h_M + G (y_O − h_O) + e with G = R_MO R_OO⁻¹ (the current R) and e ~ N(0, R_MM − G R_OM), so with E_OO the
 * observed block above, E_MO = G E_OO, E_MM = G E_OO Gᵀ + R_MM − G R_OM; a wholly missing step adds the current R (as
 * Shumway &amp; Stoffer's EM does).
 *
 * <p>M-step: Q = S_Q / (number of transitions), R = S_R / (number of steps) (each only when declared
 * free; its diagonal when the current matrix is diagonal, the maximum over diagonal matrices), m0 = S_0 / J,
 * P0 = S_00 / J − m0 m0ᵀ over J sequences. On a linear model both approximations are exact and this is
 * Shumway &amp; Stoffer's M-step with F and H held; otherwise the E-step is approximate and an iteration may
 * lower the likelihood.
 */
final class GaussianEm {
    private GaussianEm() {
    }

    /** The accumulated expectations. */
    static final class Statistics implements SufficientStatistics {
        final int n;
        final int m;
        final double[] process;
        double transitions;
        final double[] observation;
        double observed;
        final double[] initialSum;
        final double[] initialSecond;
        double sequences;
        double logLikelihood;

        Statistics(int n, int m) {
            this.n = n;
            this.m = m;
            process = new double[n * n];
            observation = new double[m * m];
            initialSum = new double[n];
            initialSecond = new double[n * n];
        }

        @Override
        public void merge(SufficientStatistics other) {
            Statistics o = (Statistics) other;
            SufficientStatistics.blend(process, 1, o.process, 1);
            SufficientStatistics.blend(observation, 1, o.observation, 1);
            SufficientStatistics.blend(initialSum, 1, o.initialSum, 1);
            SufficientStatistics.blend(initialSecond, 1, o.initialSecond, 1);
            transitions += o.transitions;
            observed += o.observed;
            sequences += o.sequences;
            logLikelihood += o.logLikelihood;
        }

        @Override
        public double logLikelihood() {
            return logLikelihood;
        }
    }

    /** The E-step of one sequence into {@code statistics}; returns its log-likelihood. */
    static double expectation(NonlinearModel model, Sequence sequence, Statistics statistics) {
        NonlinearSystem system = model.system();
        int n = system.n;
        int nn = n * n;
        int length = sequence.length();
        Smoothers.GaussianPass pass = Smoothers.gaussianPass(model.gaussianStateSpace(), sequence);
        double[] ms = new double[length * n];
        double[] ps = new double[length * nn];
        double[] cs = new double[length * nn];
        Smoothers.rtsMoments(pass, sequence.id(), ms, ps, cs);
        Accumulator acc = new Accumulator(model, statistics);
        for (int t = 0; t < length; t++) {
            acc.step(sequence, t, ms, t * n, ps, t * nn, cs, t * nn, (t - 1) * n, (t - 1) * nn);
        }
        return acc.finish(pass.logLikelihood);
    }

    /**
     * The E-step's sums over the smoothed moments of one sequence a step at a time, in step order: the kernel of
     * {@link #expectation} (the smoothed moments of every step in memory) and of {@link SpilledNonlinear} (read
     * back from disk), so both add the same numbers in the same order.
     */
    static final class Accumulator {
        private final NonlinearSystem system;
        private final Statistics statistics;
        private final boolean unscented;
        private final int n;
        private final int m;
        private final double[] e;
        private final double[] y;
        private final Work w;
        private final double[] firstMean;
        private final double[] firstCovariance;
        private boolean started;

        Accumulator(NonlinearModel model, Statistics statistics) {
            system = model.system();
            this.statistics = statistics;
            n = system.n;
            m = system.m;
            unscented = model.filter() == NonlinearFilter.UNSCENTED;
            NonlinearOptions o = model.options();
            e = new double[Math.max(n, m) * Math.max(n, m)];
            y = new double[m];
            w = new Work(n, m, unscented ? o : null);
            firstMean = new double[n];
            firstCovariance = new double[n * n];
        }

        /**
         * Step t: m^s_t = {@code means[meanAt ..]}, P^s_t = {@code covs[covAt ..]}, C_t = {@code lags[lagAt ..]}
         * and, for t &gt; 0, m^s_{t-1} = {@code means[previousMeanAt ..]}, P^s_{t-1} = {@code covs[previousCovAt ..]};
         * {@code sequence} holds step t (its index in the whole sequence).
         */
        void step(Sequence sequence, int t, double[] means, int meanAt, double[] covs, int covAt, double[] lags,
                int lagAt, int previousMeanAt, int previousCovAt) {
            if (t == 0) {
                System.arraycopy(means, meanAt, firstMean, 0, n);
                System.arraycopy(covs, covAt, firstCovariance, 0, n * n);
                started = true;
            }
            if (t > 0) {
                if (unscented) {
                    transitionBySigmaPoints(system, w, sequence, t, means, meanAt, previousMeanAt, covs, covAt,
                            previousCovAt, lags, lagAt, e);
                } else {
                    transitionByLinearisation(system, w, sequence, t, means, meanAt, previousMeanAt, covs, covAt,
                            previousCovAt, lags, lagAt, e);
                }
                for (int k = 0; k < n * n; k++) {
                    statistics.process[k] += e[k];
                }
                statistics.transitions++;
            }
            sequence.copyObservation(t, y, 0);
            int observedCount = 0;
            for (double v : y) {
                if (!Double.isNaN(v)) {
                    observedCount++;
                }
            }
            if (observedCount == 0) {
                // every component latent: E[(y − h(x))(y − h(x))ᵀ] = R under the current model
                for (int k = 0; k < m * m; k++) {
                    statistics.observation[k] += system.observationNoise[k];
                }
                statistics.observed++;
                return;
            }
            if (unscented) {
                observationBySigmaPoints(system, w, sequence, t, y, means, meanAt, covs, covAt, e);
            } else {
                observationByLinearisation(system, w, sequence, t, y, means, meanAt, covs, covAt, e);
            }
            if (observedCount < m) {
                fillMissing(system.observationNoise, m, y, e);
            }
            for (int k = 0; k < m * m; k++) {
                statistics.observation[k] += e[k];
            }
            statistics.observed++;
        }

        /** The initial moments' sums (when the sequence had a step) and the log-likelihood; returns it. */
        double finish(double logLikelihood) {
            if (started) {
                for (int i = 0; i < n; i++) {
                    statistics.initialSum[i] += firstMean[i];
                    for (int j = 0; j < n; j++) {
                        statistics.initialSecond[i * n + j] += firstCovariance[i * n + j] + firstMean[i] * firstMean[j];
                    }
                }
                statistics.sequences++;
            }
            statistics.logLikelihood += logLikelihood;
            return logLikelihood;
        }
    }

    // δδᵀ + P_t − C_t Fᵀ − F C_tᵀ + F P_{t-1} Fᵀ into e (n×n)
    private static void transitionByLinearisation(NonlinearSystem system, Work w, Sequence sequence, int t,
            double[] ms, int meanAt, int previousMeanAt, double[] ps, int at, int before, double[] cs, int lagAt,
            double[] e) {
        int n = system.n;
        double[] previous = w.point;
        System.arraycopy(ms, previousMeanAt, previous, 0, n);
        double[] image = w.image;
        double[] f = w.jacobian;
        system.transition.jacobian(previous, sequence, t, image, f);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double di = ms[meanAt + i] - image[i];
                double dj = ms[meanAt + j] - image[j];
                double s = di * dj + ps[at + i * n + j];
                for (int a = 0; a < n; a++) {
                    // (C Fᵀ)_ij = Σ_a C_ia F_ja; (F Cᵀ)_ij = Σ_a F_ia C_ja
                    s -= cs[lagAt + i * n + a] * f[j * n + a] + f[i * n + a] * cs[lagAt + j * n + a];
                    double row = 0;
                    for (int b = 0; b < n; b++) {
                        row += ps[before + a * n + b] * f[j * n + b];
                    }
                    s += f[i * n + a] * row;
                }
                e[i * n + j] = s;
            }
        }
        symmetrize(e, n);
    }

    // εεᵀ + H P_t Hᵀ over the observed rows into e (m×m; missing rows and columns left 0)
    private static void observationByLinearisation(NonlinearSystem system, Work w, Sequence sequence, int t, double[] y,
            double[] ms, int meanAt, double[] ps, int at, double[] e) {
        int n = system.n;
        int m = system.m;
        double[] mean = w.point;
        System.arraycopy(ms, meanAt, mean, 0, n);
        double[] image = w.image;
        double[] h = w.jacobian;
        system.observation.jacobian(mean, sequence, t, image, h);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                if (Double.isNaN(y[i]) || Double.isNaN(y[j])) {
                    e[i * m + j] = 0;
                    continue;
                }
                double s = (y[i] - image[i]) * (y[j] - image[j]);
                for (int a = 0; a < n; a++) {
                    double row = 0;
                    for (int b = 0; b < n; b++) {
                        row += ps[at + a * n + b] * h[j * n + b];
                    }
                    s += h[i * n + a] * row;
                }
                e[i * m + j] = s;
            }
        }
        symmetrize(e, m);
    }

    // Σ_i W_i^m (b_i − f(a_i))(b_i − f(a_i))ᵀ over the sigma points of the joint (x_{t-1}, x_t)
    private static void transitionBySigmaPoints(NonlinearSystem system, Work w, Sequence sequence, int t,
            double[] ms, int meanAt, int previousMeanAt, double[] ps, int at, int before, double[] cs, int lagAt,
            double[] e) {
        int n = system.n;
        int d = 2 * n;
        double[] mean = w.mean;
        double[] cov = w.covariance;
        System.arraycopy(ms, previousMeanAt, mean, 0, n);
        System.arraycopy(ms, meanAt, mean, n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                cov[i * d + j] = ps[before + i * n + j];
                cov[(n + i) * d + n + j] = ps[at + i * n + j];
                cov[(n + i) * d + j] = cs[lagAt + i * n + j];      // Cov[x_t, x_{t-1}]
                cov[j * d + n + i] = cs[lagAt + i * n + j];
            }
        }
        SigmaPoints points = w.joint;
        double[] sigma = points.of(mean, cov);
        double[] a = w.point;
        double[] image = w.image;
        double[] r = w.residual;
        java.util.Arrays.fill(e, 0, n * n, 0);
        for (int k = 0; k < points.count; k++) {
            System.arraycopy(sigma, k * d, a, 0, n);
            system.transition.value(a, sequence, t, image);
            for (int i = 0; i < n; i++) {
                r[i] = sigma[k * d + n + i] - image[i];
            }
            addOuter(points.weight(k), r, n, e);
        }
        symmetrize(e, n);
    }

    // Σ_i W_i^m (y − h(χ_i))(y − h(χ_i))ᵀ over the observed rows, χ the sigma points of N(m^s_t, P^s_t)
    private static void observationBySigmaPoints(NonlinearSystem system, Work w, Sequence sequence, int t,
            double[] y, double[] ms, int meanAt, double[] ps, int at, double[] e) {
        int n = system.n;
        int m = system.m;
        double[] mean = w.mean;
        double[] cov = w.covariance;
        System.arraycopy(ms, meanAt, mean, 0, n);
        System.arraycopy(ps, at, cov, 0, n * n);
        SigmaPoints points = w.single;
        double[] sigma = points.of(mean, cov);
        double[] x = w.point;
        double[] image = w.image;
        double[] r = w.residual;
        java.util.Arrays.fill(e, 0, m * m, 0);
        for (int k = 0; k < points.count; k++) {
            System.arraycopy(sigma, k * n, x, 0, n);
            system.observation.value(x, sequence, t, image);
            for (int i = 0; i < m; i++) {
                r[i] = Double.isNaN(y[i]) ? 0 : y[i] - image[i];
            }
            addOuter(points.weight(k), r, m, e);
        }
        symmetrize(e, m);
    }

    /**
     * Completes e (m×m, filled on the observed rows and columns of y) with the missing blocks:
     * E_MO = G E_OO, E_MM = G E_OO Gᵀ + R_MM − G R_OM, G = R_MO R_OO⁻¹.
     */
    static void fillMissing(double[] r, int m, double[] y, double[] e) {
        int[] obs = new int[m];
        int[] mis = new int[m];
        int no = 0;
        int nm = 0;
        for (int i = 0; i < m; i++) {
            if (Double.isNaN(y[i])) {
                mis[nm++] = i;
            } else {
                obs[no++] = i;
            }
        }
        double[] roo = new double[no * no];
        for (int i = 0; i < no; i++) {
            for (int j = 0; j < no; j++) {
                roo[i * no + j] = r[obs[i] * m + obs[j]];
            }
        }
        double[] lower = new double[no * no];
        Cholesky.factor(roo, no, lower);
        // G (nm×no): row k solves R_OO gᵀ = R_OM[:, k]
        double[] g = new double[nm * no];
        double[] col = new double[no];
        for (int k = 0; k < nm; k++) {
            for (int i = 0; i < no; i++) {
                col[i] = r[obs[i] * m + mis[k]];
            }
            Cholesky.solve(lower, no, col);
            System.arraycopy(col, 0, g, k * no, no);
        }
        // E_MO = G E_OO
        double[] gE = new double[nm * no];
        for (int k = 0; k < nm; k++) {
            for (int j = 0; j < no; j++) {
                double s = 0;
                for (int a = 0; a < no; a++) {
                    s += g[k * no + a] * e[obs[a] * m + obs[j]];
                }
                gE[k * no + j] = s;
                e[mis[k] * m + obs[j]] = s;
                e[obs[j] * m + mis[k]] = s;
            }
        }
        for (int k = 0; k < nm; k++) {
            for (int l = 0; l < nm; l++) {
                double s = r[mis[k] * m + mis[l]];
                for (int a = 0; a < no; a++) {
                    s += gE[k * no + a] * g[l * no + a] - g[k * no + a] * r[obs[a] * m + mis[l]];
                }
                e[mis[k] * m + mis[l]] = s;
            }
        }
        symmetrize(e, m);
    }

    private static void addOuter(double w, double[] r, int size, double[] e) {
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                e[i * size + j] += w * r[i] * r[j];
            }
        }
    }

    private static void symmetrize(double[] a, int size) {
        for (int i = 0; i < size; i++) {
            for (int j = i + 1; j < size; j++) {
                double v = 0.5 * (a[i * size + j] + a[j * size + i]);
                a[i * size + j] = v;
                a[j * size + i] = v;
            }
        }
    }

    /** The scratch of one sequence's E-step, allocated once, not per step. */
    private static final class Work {
        final double[] point;
        final double[] image;
        final double[] residual;
        final double[] jacobian;
        final double[] mean;
        final double[] covariance;
        final SigmaPoints joint;
        final SigmaPoints single;

        Work(int n, int m, NonlinearOptions unscented) {
            int wide = Math.max(n, m);
            point = new double[n];
            image = new double[wide];
            residual = new double[wide];
            jacobian = new double[wide * n];
            mean = new double[2 * n];
            covariance = new double[4 * n * n];
            joint = unscented == null ? null : new SigmaPoints(2 * n, unscented);
            single = unscented == null ? null : new SigmaPoints(n, unscented);
        }
    }

    /** The scaled sigma points of dimension d with the filter's α and κ, and their mean weights. */
    private static final class SigmaPoints {
        final int d;
        final int count;
        final double scale;
        final double centre;
        final double[] lower;
        final double[] sigma;

        SigmaPoints(int d, NonlinearOptions o) {
            this.d = d;
            count = 2 * d + 1;
            double lambda = o.alpha() * o.alpha() * (d + o.kappa()) - d;
            scale = d + lambda;
            centre = lambda / scale;
            lower = new double[d * d];
            sigma = new double[count * d];
        }

        double weight(int k) {
            return k == 0 ? centre : 1 / (2 * scale);
        }

        // the points into this object's buffer, returned
        double[] of(double[] mean, double[] cov) {
            Linear.semidefiniteFactor(cov, d, scale, lower);
            System.arraycopy(mean, 0, sigma, 0, d);
            for (int i = 0; i < d; i++) {
                for (int r = 0; r < d; r++) {
                    double l = lower[r * d + i];
                    sigma[(1 + i) * d + r] = mean[r] + l;
                    sigma[(1 + d + i) * d + r] = mean[r] - l;
                }
            }
            return sigma;
        }
    }

    /** The M-step: the model with the new Q, R (when free), m0 and P0. */
    static NonlinearModel maximization(NonlinearModel model, Statistics s) {
        NonlinearSystem system = model.system();
        int n = system.n;
        int m = system.m;
        double[] q = system.processNoise.clone();
        double[] r = system.observationNoise.clone();
        if (model.free().contains(NonlinearModel.PROCESS_NOISE) && s.transitions > 0) {
            average(s.process, s.transitions, n, NonlinearModel.diagonal(q, n), q);
        }
        if (model.free().contains(NonlinearModel.OBSERVATION_NOISE) && s.observed > 0) {
            average(s.observation, s.observed, m, NonlinearModel.diagonal(r, m), r);
        }
        double[] m0 = system.initialMean.clone();
        double[] p0 = system.initialCovariance.clone();
        if (s.sequences > 0) {
            for (int i = 0; i < n; i++) {
                m0[i] = s.initialSum[i] / s.sequences;
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    p0[i * n + j] = s.initialSecond[i * n + j] / s.sequences - m0[i] * m0[j];
                }
            }
            symmetrize(p0, n);
        }
        try {
            return model.withMoments(Validate.unpack(q, n, n), Validate.unpack(r, m, m), m0, Validate.unpack(p0, n, n));
        } catch (IllegalArgumentException e) {
            throw new NumericalException("EM's M-step: " + e.getMessage());
        }
    }

    private static void average(double[] sum, double count, int size, boolean diagonalOnly, double[] out) {
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                out[i * size + j] = diagonalOnly && i != j ? 0 : sum[i * size + j] / count;
            }
        }
        symmetrize(out, size);
    }
}
