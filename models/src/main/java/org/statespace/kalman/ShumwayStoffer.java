package org.statespace.kalman;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.statespace.NumericalException;
import org.statespace.capability.FitSettings;
import org.statespace.capability.SufficientStatistics;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.numeric.Cholesky;

/**
 * EM for a linear-Gaussian model (Shumway &amp; Stoffer 1982), over many sequences of any lengths, with
 * missing and partly missing observations.
 *
 * <p>E-step: the smoother gives x̂_t = E[x_t | y], V_t = Var[x_t | y] and C_t = Cov[x_t, x_{t-1} | y]. The
 * transition is a regression of x_t on z_t = (x_{t-1}, u_t, 1) for t &gt;= 1 and the observation one of y_t
 * on w_t = (x_t, u_t, 1) for every t; the statistics are the expected cross-products Σ E[x zᵀ], Σ E[z zᵀ],
 * Σ E[x xᵀ] and likewise for y and w. Missing components of y_t are latent too: given x_t and the observed
 * part, y_mis = A x_t + c + e with A = H_m - G H_o, c = D_m u + d_m + G (y_o - D_o u - d_o),
 * G = R_mo R_oo⁻¹, e ~ N(0, R_mm - G R_om), whose moments enter E[y yᵀ] and E[y wᵀ].
 *
 * <p>Numerics: the observation statistics are taken of y - d₀, d₀ the current observation offset (zero
 * without one), and the new offset is shifted back. The regression is the same (its constant absorbs
 * d₀), but Σ E[y yᵀ] no longer holds the offset's square: with observations of size 1e8 and noise of size
 * 1, R = (S_yy - Θ S_wy - ...)/N would otherwise subtract numbers of size 1e16 from each other and lose
 * every digit.
 *
 * <p>M-step: the free blocks Θ_f of Θ = [F B b] (and [H D d]) solve the normal equations
 * Θ_f S_ff = S_xf - Θ_fixed S_fixed,f (one regression shared by every row, so Q does not enter and a
 * diagonal Q changes nothing), then Q = (S_xx - Θ S_zx - S_xz Θᵀ + Θ S_zz Θᵀ) / N (its diagonal when so
 * constrained), and the same for R; m0 = mean of x̂_0 over sequences, P0 = mean of V_0 + (x̂_0 - m0)(x̂_0 - m0)ᵀ.
 * Each block maximises the expected complete-data log-likelihood jointly in its parameters, so no
 * iteration lowers the likelihood. With an exact diffuse start m0 and P0 are not fitted. A free input that is
 * constant over the data (or a combination of the other inputs and the constant) leaves its coefficients
 * unidentified: they are held at their current values rather than made up ({@link #aliasedInputs}), and the fit
 * says so ({@link LinearGaussianModel#fitNotes}).
 */
final class ShumwayStoffer {
    private ShumwayStoffer() {
    }

    /** The accumulated expected statistics. Regressors always have the layout (x, u, 1). */
    static final class Statistics implements SufficientStatistics {
        final int n;
        final int m;
        final int p;
        final int k;
        final double[] sxx;
        final double[] sxz;
        final double[] szz;
        /** Transitions counted (a real number: stepwise EM blends counts). */
        double transitionCount;
        final double[] syy;
        final double[] syw;
        final double[] sww;
        double observationCount;
        final double[] initialSum;
        final double[] initialSecond;
        /** The observation statistics are of y - shift (the model's observation offset; see the class doc). */
        final double[] shift;
        double sequences;
        double logLikelihood;

        Statistics(int n, int m, int p, double[] shift) {
            this.n = n;
            this.m = m;
            this.p = p;
            this.shift = shift.clone();
            k = n + p + 1;
            sxx = new double[n * n];
            sxz = new double[n * k];
            szz = new double[k * k];
            syy = new double[m * m];
            syw = new double[m * k];
            sww = new double[k * k];
            initialSum = new double[n];
            initialSecond = new double[n * n];
        }

        @Override
        public void merge(SufficientStatistics other) {
            Statistics o = (Statistics) other;
            add(sxx, o.sxx);
            add(sxz, o.sxz);
            add(szz, o.szz);
            add(syy, o.syy);
            add(syw, o.syw);
            add(sww, o.sww);
            add(initialSum, o.initialSum);
            add(initialSecond, o.initialSecond);
            transitionCount += o.transitionCount;
            observationCount += o.observationCount;
            sequences += o.sequences;
            logLikelihood += o.logLikelihood;
        }

        private static void add(double[] a, double[] b) {
            for (int i = 0; i < a.length; i++) {
                a[i] += b[i];
            }
        }

        @Override
        public double logLikelihood() {
            return logLikelihood;
        }

        @Override
        public boolean blendable() {
            return true;
        }

        /**
         * Moves the observation statistics to {@code other}'s shift c' = c + δ (with S1 = Σ E[y - c], the column
         * of S_yw at the constant regressor, and N = Σ 1 = S_ww's corner): S_yy - S1δᵀ - δS1ᵀ + Nδδᵀ and
         * S_yw - δ (Σ w)ᵀ, then blends.
         */
        @Override
        public void blend(double keep, SufficientStatistics other, double add) {
            Statistics o = (Statistics) other;
            if (o.n != n || o.m != m || o.p != p) {
                throw new IllegalArgumentException("cannot blend statistics of another model structure");
            }
            if (keep != 0) {
                double[] delta = new double[m];
                double[] s1 = new double[m];
                for (int i = 0; i < m; i++) {
                    delta[i] = o.shift[i] - shift[i];
                    s1[i] = syw[i * k + k - 1];
                }
                double count = sww[k * k - 1];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < m; j++) {
                        syy[i * m + j] += -s1[i] * delta[j] - delta[i] * s1[j] + count * delta[i] * delta[j];
                    }
                    for (int j = 0; j < k; j++) {
                        syw[i * k + j] -= delta[i] * sww[(k - 1) * k + j];
                    }
                }
            }
            System.arraycopy(o.shift, 0, shift, 0, m);
            SufficientStatistics.blend(sxx, keep, o.sxx, add);
            SufficientStatistics.blend(sxz, keep, o.sxz, add);
            SufficientStatistics.blend(szz, keep, o.szz, add);
            SufficientStatistics.blend(syy, keep, o.syy, add);
            SufficientStatistics.blend(syw, keep, o.syw, add);
            SufficientStatistics.blend(sww, keep, o.sww, add);
            SufficientStatistics.blend(initialSum, keep, o.initialSum, add);
            SufficientStatistics.blend(initialSecond, keep, o.initialSecond, add);
            transitionCount = mix(transitionCount, keep, o.transitionCount, add);
            observationCount = mix(observationCount, keep, o.observationCount, add);
            sequences = mix(sequences, keep, o.sequences, add);
            logLikelihood = mix(logLikelihood, keep, o.logLikelihood, add);
        }

        private static double mix(double a, double keep, double b, double add) {
            return keep == 0 ? add * b : keep * a + add * b;
        }

        /** The shift, the eight moment arrays, then the three counts and the log-likelihood. */
        @Override
        public double[] toArray() {
            return SufficientStatistics.concat(shift, sxx, sxz, szz, syy, syw, sww, initialSum, initialSecond,
                    new double[] {transitionCount, observationCount, sequences, logLikelihood});
        }

        @Override
        public void setFrom(double[] values) {
            double[] tail = new double[4];
            SufficientStatistics.split(values, shift, sxx, sxz, szz, syy, syw, sww, initialSum, initialSecond, tail);
            transitionCount = tail[0];
            observationCount = tail[1];
            sequences = tail[2];
            logLikelihood = tail[3];
        }
    }

    /** E-step for one sequence; returns its log-likelihood. */
    static double expectation(LinearGaussianModel model, Sequence sequence, Statistics st) {
        KalmanSmoother.Smoothed sm = KalmanSmoother.smooth(FilterMoments.record(model.filter(), sequence));
        int n = model.n;
        int length = sequence.length();
        double[] mean = sm.means();
        double[] cov = sm.covariances();
        double[] lag = sm.lagOne();
        Accumulator acc = new Accumulator(model, st);
        for (int t = 0; t < length; t++) {
            acc.step(sequence, t, t, mean, t * n, mean, (t - 1) * n, cov, t * n * n, lag, t * n * n);
        }
        return acc.finish(sm.moments().logLikelihood);
    }

    /**
     * The E-step's sums one step at a time, in step order: the one kernel of the in-memory E-step
     * ({@link #expectation}) and of the spilled one ({@link SpilledKalman}), so both add the same numbers in the
     * same order.
     */
    static final class Accumulator {
        private final Statistics st;
        private final int n;
        private final int m;
        private final int p;
        private final int k;
        private final double[] z;
        private final double[] second;
        private final double[] secondPrevious;
        private final double[] ey;
        private final double[] eyx;
        private final double[] eyy;
        private final Imputation imputation;

        Accumulator(LinearGaussianModel model, Statistics st) {
            this.st = st;
            n = model.n;
            m = model.m;
            p = model.p;
            k = st.k;
            z = new double[k];
            second = new double[n * n];
            secondPrevious = new double[n * n];
            ey = new double[m];
            eyx = new double[m * n];
            eyy = new double[m * m];
            imputation = new Imputation(model, st.shift);
        }

        /**
         * Adds step t: y_t and u_t are row {@code row} of {@code sequence}; x̂_t = {@code mean[at ..]},
         * x̂_{t-1} = {@code mean[previousAt ..]} (read for t &gt;= 1), V_t = {@code cov[covAt ..]},
         * Cov[x_t, x_{t-1}] = {@code lag[lagAt ..]} (read for t &gt;= 1).
         */
        void step(Sequence sequence, int row, int t, double[] mean, int at, double[] previousMean, int previousAt,
                double[] cov, int covAt, double[] lag, int lagAt) {
            secondMoment(mean, at, cov, covAt, n, second);
            // observation regression: w = (x_t, u_t, 1)
            fillRegressor(z, mean, at, n, sequence, row, p);
            addRegressorSecond(st.sww, z, second, n, k);
            imputation.moments(sequence, row, t, mean, at, second, ey, eyx, eyy);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    st.syy[i * m + j] += eyy[i * m + j];
                }
                for (int j = 0; j < n; j++) {
                    st.syw[i * k + j] += eyx[i * n + j];
                }
                for (int j = n; j < k; j++) {
                    st.syw[i * k + j] += ey[i] * z[j];
                }
            }
            st.observationCount++;
            if (t == 0) {
                for (int i = 0; i < n; i++) {
                    st.initialSum[i] += mean[at + i];
                }
                for (int i = 0; i < n * n; i++) {
                    st.initialSecond[i] += second[i];
                }
            } else {
                // transition regression: x_t on z = (x_{t-1}, u_t, 1)
                fillRegressor(z, previousMean, previousAt, n, sequence, row, p);
                addRegressorSecond(st.szz, z, secondPrevious, n, k);
                for (int i = 0; i < n * n; i++) {
                    st.sxx[i] += second[i];
                }
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        st.sxz[i * k + j] += lag[lagAt + i * n + j] + mean[at + i] * previousMean[previousAt + j];
                    }
                    for (int j = n; j < k; j++) {
                        st.sxz[i * k + j] += mean[at + i] * z[j];
                    }
                }
                st.transitionCount++;
            }
            System.arraycopy(second, 0, secondPrevious, 0, n * n);
        }

        /** The sequence is done: counts it and its log-likelihood, which it returns. */
        double finish(double logLikelihood) {
            st.sequences++;
            st.logLikelihood += logLikelihood;
            return logLikelihood;
        }
    }

    // E[x_t x_tᵀ] = V_t + x̂_t x̂_tᵀ
    private static void secondMoment(double[] mean, int at, double[] cov, int covAt, int n, double[] out) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                out[i * n + j] = cov[covAt + i * n + j] + mean[at + i] * mean[at + j];
            }
        }
    }

    // z = (x̂ = mean[at ..], u_row, 1)
    private static void fillRegressor(double[] z, double[] mean, int at, int n, Sequence sequence, int row, int p) {
        System.arraycopy(mean, at, z, 0, n);
        for (int j = 0; j < p; j++) {
            z[n + j] = sequence.input(row, j);
        }
        z[n + p] = 1;
    }

    // S += E[z zᵀ] where the x-block's second moment is given and the rest of z is known
    private static void addRegressorSecond(double[] s, double[] z, double[] xSecond, int n, int k) {
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                s[i * k + j] += i < n && j < n ? xSecond[i * n + j] : z[i] * z[j];
            }
        }
    }

    /** Moments of y_t given the data, with missing components imputed from the current parameters. */
    private static final class Imputation {
        final LinearGaussianModel model;
        final int n;
        final int m;
        final int[] observed;
        final int[] missing;
        final double[] base;
        final double[] gain;
        final double[] a;
        final double[] c;
        final double[] residualCovariance;
        final double[] factor;
        final double[] ax;
        final double[] axx;
        final double[] shift;

        Imputation(LinearGaussianModel model, double[] shift) {
            this.model = model;
            this.shift = shift;
            n = model.n;
            m = model.m;
            observed = new int[m];
            missing = new int[m];
            base = new double[m];
            gain = new double[m * m];
            a = new double[m * n];
            c = new double[m];
            residualCovariance = new double[m * m];
            factor = new double[m * m];
            ax = new double[m];
            axx = new double[m * n];
        }

        // ey = E[y], eyx = E[y xᵀ], eyy = E[y yᵀ] of step t, whose y_t and u_t are row `row` of s
        void moments(Sequence s, int row, int t, double[] means, int offset, double[] xSecond, double[] ey, double[] eyx,
                double[] eyy) {
            int no = 0;
            int nm = 0;
            for (int j = 0; j < m; j++) {
                if (Double.isNaN(s.value(row, j))) {
                    missing[nm++] = j;
                } else {
                    observed[no++] = j;
                }
            }
            double[] h = model.observation;
            double[] r = model.observationNoise;
            // base_j = D_j u + d_j
            for (int j = 0; j < m; j++) {
                double sum = model.observationOffset[j];
                for (int l = 0; l < model.p; l++) {
                    sum += model.feedthrough[j * model.p + l] * s.input(row, l);
                }
                base[j] = sum - shift[j];
            }
            for (int a1 = 0; a1 < no; a1++) {
                int j = observed[a1];
                ey[j] = s.value(row, j) - shift[j];
            }
            if (nm > 0) {
                // G = R_mo R_oo⁻¹ (nm×no): solve R_oo Gᵀ = R_om
                if (no > 0) {
                    try {
                        Dense.factorBlock(r, m, observed, no, factor);
                    } catch (NumericalException e) {
                        throw new NumericalException("EM: sequence '" + s.id() + "', step " + t + ": the observed block of "
                                + "observationNoise is singular, so the missing components cannot be imputed ("
                                + e.getMessage() + ")");
                    }
                    // columns of Gᵀ: for each missing q, solve R_oo g = R_o,q
                    for (int q = 0; q < nm; q++) {
                        double[] col = ax;
                        for (int i = 0; i < no; i++) {
                            col[i] = r[observed[i] * m + missing[q]];
                        }
                        Cholesky.solve(factor, no, col);
                        for (int i = 0; i < no; i++) {
                            gain[q * m + i] = col[i];
                        }
                    }
                }
                for (int q = 0; q < nm; q++) {
                    int j = missing[q];
                    // A_q = H_j - Σ_i G_qi H_{o_i};  c_q = base_j + Σ_i G_qi (y_{o_i} - base_{o_i})
                    double cq = base[j];
                    for (int l = 0; l < n; l++) {
                        a[q * n + l] = h[j * n + l];
                    }
                    for (int i = 0; i < no; i++) {
                        double g = gain[q * m + i];
                        int oi = observed[i];
                        cq += g * (s.value(row, oi) - shift[oi] - base[oi]);
                        for (int l = 0; l < n; l++) {
                            a[q * n + l] -= g * h[oi * n + l];
                        }
                    }
                    c[q] = cq;
                    // residual covariance R_mm - G R_om
                    for (int q2 = 0; q2 < nm; q2++) {
                        double sum = r[j * m + missing[q2]];
                        for (int i = 0; i < no; i++) {
                            sum -= gain[q * m + i] * r[observed[i] * m + missing[q2]];
                        }
                        residualCovariance[q * m + q2] = sum;
                    }
                }
                for (int q = 0; q < nm; q++) {
                    double sum = c[q];
                    for (int l = 0; l < n; l++) {
                        sum += a[q * n + l] * means[offset + l];
                    }
                    ax[q] = sum;
                    ey[missing[q]] = sum;
                    // (A E[x xᵀ])_q
                    for (int l = 0; l < n; l++) {
                        double s2 = 0;
                        for (int l2 = 0; l2 < n; l2++) {
                            s2 += a[q * n + l2] * xSecond[l2 * n + l];
                        }
                        axx[q * n + l] = s2;
                    }
                }
            }
            // E[y xᵀ]
            for (int i = 0; i < no; i++) {
                int j = observed[i];
                for (int l = 0; l < n; l++) {
                    eyx[j * n + l] = ey[j] * means[offset + l];
                }
            }
            for (int q = 0; q < nm; q++) {
                int j = missing[q];
                for (int l = 0; l < n; l++) {
                    eyx[j * n + l] = axx[q * n + l] + c[q] * means[offset + l];
                }
            }
            // E[y yᵀ]
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    eyy[i * m + j] = ey[i] * ey[j];
                }
            }
            for (int q = 0; q < nm; q++) {
                for (int q2 = 0; q2 < nm; q2++) {
                    // E[y_q y_q2] = A_q E[xxᵀ] A_q2ᵀ + A_q x̂ c_q2 + c_q A_q2 x̂ + c_q c_q2 + Rc
                    double aq = ax[q] - c[q];
                    double aq2 = ax[q2] - c[q2];
                    double quad = 0;
                    for (int l = 0; l < n; l++) {
                        quad += axx[q * n + l] * a[q2 * n + l];
                    }
                    eyy[missing[q] * m + missing[q2]] = quad + aq * c[q2] + c[q] * aq2 + c[q] * c[q2]
                            + residualCovariance[q * m + q2];
                }
            }
        }
    }

    /** M-step: the model maximising the expected complete-data log-likelihood. */
    static LinearGaussianModel maximization(LinearGaussianModel model, Statistics st, FitSettings settings) {
        KalmanFitSettings s = FitSettings.of(settings, KalmanFitSettings.class, KalmanFitSettings.defaults(), model.type());
        LgssmFitControl c = model.fitControl;
        java.util.function.Predicate<String> fixed = name -> c != null ? c.isFixed(name, s) : s.isFixed(name);
        int n = model.n;
        int m = model.m;
        double[] transition = model.transition.clone();
        double[] control = model.control.clone();
        double[] transitionOffset = model.transitionOffset.clone();
        double[] processNoise = model.processNoise.clone();
        double[] observation = model.observation.clone();
        double[] feedthrough = model.feedthrough.clone();
        double[] observationOffset = model.observationOffset.clone();
        double[] observationNoise = model.observationNoise.clone();
        double[] initialMean = model.initialMean.clone();
        double[] initialCovariance = model.initialCovariance.clone();

        if (st.transitionCount > 0) {
            equation(true, model, st, s, fixed, transition, control, transitionOffset, processNoise);
        }
        if (st.observationCount > 0) {
            for (int j = 0; j < m; j++) {
                observationOffset[j] -= st.shift[j];
            }
            equation(false, model, st, s, fixed, observation, feedthrough, observationOffset, observationNoise);
            for (int j = 0; j < m; j++) {
                observationOffset[j] += st.shift[j];
            }
        }
        if (model.diffuseStates.length == 0 && st.sequences > 0) {
            double count = st.sequences;
            double[] xbar = new double[n];
            for (int i = 0; i < n; i++) {
                xbar[i] = st.initialSum[i] / count;
            }
            if (!fixed.test("initialMean")) {
                System.arraycopy(xbar, 0, initialMean, 0, n);
            }
            if (!fixed.test("initialCovariance")) {
                // mean of V_0 + (x̂_0 - m0)(x̂_0 - m0)ᵀ = S/N - x̄ m0ᵀ - m0 x̄ᵀ + m0 m0ᵀ
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        initialCovariance[i * n + j] = st.initialSecond[i * n + j] / count - xbar[i] * initialMean[j]
                                - initialMean[i] * xbar[j] + initialMean[i] * initialMean[j];
                    }
                }
                Dense.symmetrize(initialCovariance, n);
            }
        }
        return model.withParameters(transition, control, transitionOffset, processNoise, observation, feedthrough,
                observationOffset, observationNoise, initialMean, initialCovariance);
    }

    /**
     * One equation's M-step, the same for the transition (targets x_t on z = (x_{t-1}, u_t, 1): F, B, b and Q) and the
     * observation (targets y_t less the data shift on w = (x_t, u_t, 1): H, D, d and R): the matrices by least squares
     * of the targets on the regressors (single entries of F or H fixed: the free ones by generalised least squares
     * given the current noise), then the noise covariance from the residual sum of squares, or with an
     * inverse-Wishart prior its posterior mode. Writes {@code matrix}, {@code inputMatrix}, {@code offset} and
     * {@code noise} (each left as it is where held fixed).
     */
    private static void equation(boolean transition, LinearGaussianModel model, Statistics st, KalmanFitSettings s,
            java.util.function.Predicate<String> fixed, double[] matrix, double[] inputMatrix, double[] offset,
            double[] noise) {
        LgssmFitControl c = model.fitControl;
        int rows = transition ? model.n : model.m;
        String name = transition ? "transition" : "observation";
        String noiseName = transition ? "processNoise" : "observationNoise";
        double[] targets = transition ? st.sxx : st.syy;
        double[] cross = transition ? st.sxz : st.syw;
        double[] regressors = transition ? st.szz : st.sww;
        double count = transition ? st.transitionCount : st.observationCount;
        boolean diagonal = transition ? s.diagonalProcessNoise() : s.diagonalObservationNoise();
        Regression reg = new Regression(rows, model.p, st.k, matrix, inputMatrix, offset, true,
                transition ? model.hasControl : model.hasFeedthrough,
                transition ? model.hasTransitionOffset : model.hasObservationOffset, !fixed.test(name + "Matrix"),
                !fixed.test(transition ? "controlMatrix" : "feedthroughMatrix"), !fixed.test(name + "Offset"));
        reg.holdAliased(regressors);
        if (c != null && c.partlyFixed(transition)) {
            LgssmFitControl.generalisedLeastSquares(reg.theta, rows, st.k, model.n,
                    transition ? c.fixedTransition : c.fixedObservation, reg.present, reg.free, cross, regressors,
                    transition ? model.processNoise : model.observationNoise, name);
        } else {
            reg.solve(cross, regressors, name);
        }
        reg.writeBack(matrix, inputMatrix, offset);
        if (fixed.test(noiseName)) {
            return;
        }
        double[] priorScale = c == null ? null : transition ? c.processScale : c.observationScale;
        if (priorScale != null) {
            reg.residualCovariance(targets, cross, regressors, 1, diagonal, noise);
            LgssmFitControl.posteriorMode(noise.clone(), count, priorScale,
                    transition ? c.processDegrees : c.observationDegrees, rows, diagonal, noise);
        } else {
            reg.residualCovariance(targets, cross, regressors, count, diagonal, noise);
        }
        requireVariances(noiseName, noise, targets, count, rows);
    }

    /** Relative size below which what is left of a regressor's square after the earlier ones is rounding. */
    private static final double ALIASED = 1e-10;

    /**
     * The free input columns of a regression on z = (x, u, 1) whose coefficients the data do not identify:
     * with S the k×k second moments Σ z zᵀ (k = n + p + 1), an input u_j is aliased when what is left of
     * Σ u_j² after projecting out the free constant and the free inputs before it is no more than 1e-10 of
     * Σ u_j² (an input that is zero, or constant, or a combination of the earlier inputs and the constant
     * over the data). The constant goes first, so a constant input is the one held, as R's {@code lm} keeps
     * the intercept and reports the later column aliased. Only the known part of z (inputs and constant) is
     * examined: it is the same in every iteration, so the data alone decide (see
     * {@link LinearGaussianModel#fitNotes}); a latent state column is never a combination of inputs.
     *
     * @return per column of z, whether it is an aliased free input
     */
    static boolean[] aliasedInputs(double[] s, int n, int p, boolean[] free) {
        int k = n + p + 1;
        boolean[] held = new boolean[k];
        int[] order = new int[p + 1];
        order[0] = k - 1;
        for (int j = 0; j < p; j++) {
            order[j + 1] = n + j;
        }
        int[] kept = new int[p + 1];
        double[] lower = new double[(p + 1) * (p + 1)];
        int r = 0;
        for (int c : order) {
            if (!free[c]) {
                continue;
            }
            // Cholesky row of column c against the kept columns: L y = S_kept,c, pivot S_cc - |y|²
            double square = s[c * k + c];
            double pivot = square;
            for (int a = 0; a < r; a++) {
                double v = s[kept[a] * k + c];
                for (int b = 0; b < a; b++) {
                    v -= lower[r * (p + 1) + b] * lower[a * (p + 1) + b];
                }
                v /= lower[a * (p + 1) + a];
                lower[r * (p + 1) + a] = v;
                pivot -= v * v;
            }
            if (!(square > 0) || !(pivot > ALIASED * square)) {
                held[c] = c < k - 1;
                continue;
            }
            lower[r * (p + 1) + r] = Math.sqrt(pivot);
            kept[r++] = c;
        }
        return held;
    }

    /**
     * The notes of {@link LinearGaussianModel#fitNotes}: each input aliased in the transition regression
     * (u_t for t &gt;= 1 of every sequence) or in the observation regression (every t), named as its dataset
     * column ({@code input1} is u_1) with the coefficients the M-step holds.
     */
    static List<String> notes(LinearGaussianModel model, Dataset training) {
        int n = model.n;
        int p = model.p;
        int k = n + p + 1;
        List<String> notes = new ArrayList<>();
        if (p == 0 || training.inputDimension() != p) {
            return notes;
        }
        double[] transitionMoments = new double[k * k];
        double[] observationMoments = new double[k * k];
        double[] z = new double[k];
        z[k - 1] = 1;
        for (Sequence sequence : training.sequences()) {
            for (int t = 0; t < sequence.length(); t++) {
                for (int j = 0; j < p; j++) {
                    z[n + j] = sequence.input(t, j);
                }
                for (int a = n; a < k; a++) {
                    for (int b = n; b < k; b++) {
                        observationMoments[a * k + b] += z[a] * z[b];
                        if (t > 0) {
                            transitionMoments[a * k + b] += z[a] * z[b];
                        }
                    }
                }
            }
        }
        boolean[] free = new boolean[k];
        Arrays.fill(free, n, k - 1, true);
        free[k - 1] = model.hasTransitionOffset;
        boolean[] transitionHeld = model.hasControl ? aliasedInputs(transitionMoments, n, p, free) : new boolean[k];
        free[k - 1] = model.hasObservationOffset;
        boolean[] observationHeld = model.hasFeedthrough ? aliasedInputs(observationMoments, n, p, free) : new boolean[k];
        for (int j = 0; j < p; j++) {
            String where = transitionHeld[n + j] && observationHeld[n + j] ? "controlMatrix and feedthroughMatrix"
                    : transitionHeld[n + j] ? "controlMatrix" : observationHeld[n + j] ? "feedthroughMatrix" : null;
            if (where != null) {
                notes.add("input" + (j + 1) + " is constant over the training data (or a combination of the other "
                        + "inputs and the constant), so EM cannot estimate its coefficients (column " + (j + 1) + " of "
                        + where + "); they are held at their starting values");
            }
        }
        return notes;
    }

    /**
     * A noise covariance is a mean of expected squared residuals, computed as second moments minus what
     * the regression explains. A diagonal entry that comes out negative, or smaller than the rounding
     * error of the second moment it was subtracted from (1e-12 of it: fewer than 4 digits left), is not an
     * estimate: the data leave no noise to measure (a constant or exactly fitted series), or the values are
     * so large next to their noise (or the state grows so fast) that double precision cannot see it. EM
     * stops there with an error that says so, rather than going on from a wrong variance and silently
     * lowering the likelihood.
     */
    private static void requireVariances(String name, double[] covariance, double[] secondMoments, double count,
            int size) {
        for (int i = 0; i < size; i++) {
            double v = covariance[i * size + i];
            double scale = Math.abs(secondMoments[i * size + i]) / count;
            if (!(v >= 1e-12 * scale) || !(v > 0)) {
                throw new NumericalException("EM: the new " + name + "[" + i + "][" + i + "] is " + v + ", below the "
                        + "rounding error of the mean square " + scale + " it is computed from: the data leave no noise "
                        + "to estimate (a constant or exactly fitted series), or the values (or a state that grows "
                        + "without bound) are too large next to their noise; hold " + name + " fixed, or centre and "
                        + "rescale the data");
            }
        }
    }

    /**
     * One multivariate regression target (rows) on (x, u, 1), coefficients Θ = [M G c] (rows×k) with the
     * three blocks present or absent, free or fixed.
     */
    private static final class Regression {
        final int rows;
        final int n;
        final int p;
        final int k;
        final double[] theta;
        final boolean[] present;
        final boolean[] free;

        Regression(int rows, int p, int k, double[] matrix, double[] inputMatrix, double[] offset,
                boolean matrixPresent, boolean inputPresent, boolean offsetPresent,
                boolean matrixFree, boolean inputFree, boolean offsetFree) {
            this.rows = rows;
            this.n = k - p - 1;
            this.p = p;
            this.k = k;
            theta = new double[rows * k];
            present = new boolean[k];
            free = new boolean[k];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < n; j++) {
                    theta[i * k + j] = matrix[i * n + j];
                }
                for (int j = 0; j < p; j++) {
                    theta[i * k + n + j] = inputPresent ? inputMatrix[i * p + j] : 0;
                }
                theta[i * k + n + p] = offsetPresent ? offset[i] : 0;
            }
            for (int j = 0; j < k; j++) {
                boolean isMatrix = j < n;
                boolean isInput = j >= n && j < n + p;
                present[j] = isMatrix ? matrixPresent : isInput ? inputPresent : offsetPresent;
                free[j] = present[j] && (isMatrix ? matrixFree : isInput ? inputFree : offsetFree);
            }
        }

        /**
         * Takes the free input columns that the data cannot tell apart from the other regressors out of the free
         * set, so the M-step holds their coefficients at the current values (see {@link #aliasedInputs}).
         */
        void holdAliased(double[] szz) {
            boolean[] held = aliasedInputs(szz, n, p, free);
            for (int j = 0; j < k; j++) {
                free[j] &= !held[j];
            }
        }

        // Θ_f S_ff = S_yf - Θ_x S_xf for the free columns f and fixed present columns x
        void solve(double[] syz, double[] szz, String what) {
            int nf = 0;
            int[] f = new int[k];
            for (int j = 0; j < k; j++) {
                if (free[j]) {
                    f[nf++] = j;
                }
            }
            if (nf == 0) {
                return;
            }
            double[] sff = new double[nf * nf];
            try {
                Dense.factorBlock(szz, k, f, nf, sff);
            } catch (NumericalException e) {
                throw new NumericalException("EM: the " + what + " regressors (state, inputs, constant) are collinear in "
                        + "the data, so the free " + what + " parameters are not identified (" + e.getMessage()
                        + "); hold some fixed or leave out an offset");
            }
            double[] rhs = new double[nf];
            for (int i = 0; i < rows; i++) {
                for (int a = 0; a < nf; a++) {
                    double sum = syz[i * k + f[a]];
                    for (int j = 0; j < k; j++) {
                        if (present[j] && !free[j]) {
                            sum -= theta[i * k + j] * szz[j * k + f[a]];
                        }
                    }
                    rhs[a] = sum;
                }
                Cholesky.solve(sff, nf, rhs);
                for (int a = 0; a < nf; a++) {
                    theta[i * k + f[a]] = rhs[a];
                }
            }
        }

        void writeBack(double[] matrix, double[] inputMatrix, double[] offset) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < n; j++) {
                    matrix[i * n + j] = theta[i * k + j];
                }
                for (int j = 0; j < p; j++) {
                    inputMatrix[i * p + j] = theta[i * k + n + j];
                }
                offset[i] = theta[i * k + n + p];
            }
        }

        // (S_yy - Θ S_zy - S_yz Θᵀ + Θ S_zz Θᵀ) / count
        void residualCovariance(double[] syy, double[] syz, double[] szz, double count, boolean diagonal, double[] out) {
            double[] ts = new double[rows * k];
            Dense.multiply(theta, szz, ts, rows, k, k);
            for (int i = 0; i < rows; i++) {
                for (int j = i; j < rows; j++) {
                    double sum = syy[i * rows + j];
                    for (int l = 0; l < k; l++) {
                        sum += -theta[i * k + l] * syz[j * k + l] - syz[i * k + l] * theta[j * k + l]
                                + ts[i * k + l] * theta[j * k + l];
                    }
                    double v = (diagonal && i != j) ? 0 : sum / count;
                    out[i * rows + j] = v;
                    out[j * rows + i] = v;
                }
            }
        }
    }
}
