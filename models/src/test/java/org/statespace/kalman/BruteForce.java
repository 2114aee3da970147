package org.statespace.kalman;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

import org.statespace.data.Sequence;

/**
 * The joint Gaussian of all states and observations of one sequence, built directly from the model
 * equations and nothing of the filter: with ξ = (e_0, w_1..w_{T-1}, v_0..v_{T-1}) independent
 * (N(0, P0), N(0, Q), N(0, R)) and δ the diffuse part of x_0 (flat),
 *
 * <pre>
 *   x_0 = m0 + A δ + e_0,  x_t = F x_{t-1} + B u_t + b + w_t,  y_t = H x_t + D u_t + d + v_t
 * </pre>
 *
 * so z = (x_0..x_{T-1}, y_0..y_{T-1}) = μ + G δ + M ξ. Log-densities and posteriors come from dense
 * linear algebra (inverses and determinants are fine here: this is the slow, obvious reference).
 * With a diffuse part the log-likelihood is the κ → ∞ limit of log p_κ(y) + (q/2) log κ under δ ~ N(0, κ I):
 * -½ [N log 2π + log|Σ| + log|XᵀΣ⁻¹X| + rᵀ(Σ⁻¹ - Σ⁻¹X (XᵀΣ⁻¹X)⁻¹ XᵀΣ⁻¹) r], and the posterior of the states is
 * that of a flat prior on δ (generalised least squares).
 */
final class BruteForce {
    final int n;
    final int m;
    final int length;
    final int q;
    final DMatrixRMaj mean;
    final DMatrixRMaj design;
    final DMatrixRMaj covariance;
    final int[] observedRows;
    final DMatrixRMaj y;

    BruteForce(LinearGaussianModel model, Sequence s) {
        n = model.stateDimension();
        m = model.observationDimension();
        int p = model.inputDimension();
        length = s.length();
        int[] diffuse = model.diffuseStates();
        q = diffuse.length;
        double[][] f = model.transitionMatrix();
        double[][] h = model.observationMatrix();
        double[][] b = model.controlMatrix().orElse(new double[n][p]);
        double[] bo = model.transitionOffset().orElse(new double[n]);
        double[][] d = model.feedthroughMatrix().orElse(new double[m][p]);
        double[] dOffset = model.observationOffset().orElse(new double[m]);
        int dim = length * (n + m);
        int noise = n + (length - 1) * n + length * m;
        mean = new DMatrixRMaj(dim, 1);
        design = new DMatrixRMaj(dim, Math.max(q, 1));
        DMatrixRMaj map = new DMatrixRMaj(dim, noise);
        DMatrixRMaj omega = new DMatrixRMaj(noise, noise);
        double[][] p0 = model.initialCovariance();
        double[][] qm = model.processNoise();
        double[][] r = model.observationNoise();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                omega.set(i, j, p0[i][j]);
                for (int t = 1; t < length; t++) {
                    omega.set(n + (t - 1) * n + i, n + (t - 1) * n + j, qm[i][j]);
                }
            }
        }
        int vBase = n + (length - 1) * n;
        for (int t = 0; t < length; t++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    omega.set(vBase + t * m + i, vBase + t * m + j, r[i][j]);
                }
            }
        }
        double[] m0 = model.initialMean();
        for (int t = 0; t < length; t++) {
            int xr = t * n;
            for (int i = 0; i < n; i++) {
                if (t == 0) {
                    mean.set(i, 0, m0[i]);
                    map.set(i, i, 1);
                    for (int a = 0; a < q; a++) {
                        design.set(i, a, diffuse[a] == i ? 1 : 0);
                    }
                } else {
                    double mu = bo[i];
                    for (int j = 0; j < p; j++) {
                        mu += b[i][j] * s.input(t, j);
                    }
                    for (int j = 0; j < n; j++) {
                        mu += f[i][j] * mean.get(xr - n + j, 0);
                        for (int c = 0; c < noise; c++) {
                            map.add(xr + i, c, f[i][j] * map.get(xr - n + j, c));
                        }
                        for (int a = 0; a < q; a++) {
                            design.add(xr + i, a, f[i][j] * design.get(xr - n + j, a));
                        }
                    }
                    mean.set(xr + i, 0, mu);
                    map.add(xr + i, n + (t - 1) * n + i, 1);
                }
            }
            int yr = length * n + t * m;
            for (int i = 0; i < m; i++) {
                double mu = dOffset[i];
                for (int j = 0; j < p; j++) {
                    mu += d[i][j] * s.input(t, j);
                }
                for (int j = 0; j < n; j++) {
                    mu += h[i][j] * mean.get(xr + j, 0);
                    for (int c = 0; c < noise; c++) {
                        map.add(yr + i, c, h[i][j] * map.get(xr + j, c));
                    }
                    for (int a = 0; a < q; a++) {
                        design.add(yr + i, a, h[i][j] * design.get(xr + j, a));
                    }
                }
                mean.set(yr + i, 0, mu);
                map.add(yr + i, vBase + t * m + i, 1);
            }
        }
        DMatrixRMaj mo = new DMatrixRMaj(dim, noise);
        CommonOps_DDRM.mult(map, omega, mo);
        covariance = new DMatrixRMaj(dim, dim);
        CommonOps_DDRM.multTransB(mo, map, covariance);
        int count = 0;
        int[] rows = new int[length * m];
        for (int t = 0; t < length; t++) {
            for (int i = 0; i < m; i++) {
                if (!Double.isNaN(s.value(t, i))) {
                    rows[count++] = length * n + t * m + i;
                }
            }
        }
        observedRows = java.util.Arrays.copyOf(rows, count);
        y = new DMatrixRMaj(count, 1);
        for (int a = 0; a < count; a++) {
            int row = observedRows[a] - length * n;
            y.set(a, 0, s.value(row / m, row % m));
        }
    }

    private DMatrixRMaj select(DMatrixRMaj a, int[] rowIndex, int[] colIndex) {
        DMatrixRMaj out = new DMatrixRMaj(rowIndex.length, colIndex.length);
        for (int i = 0; i < rowIndex.length; i++) {
            for (int j = 0; j < colIndex.length; j++) {
                out.set(i, j, a.get(rowIndex[i], colIndex[j]));
            }
        }
        return out;
    }

    private int[] range(int from, int to) {
        int[] out = new int[to - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    private DMatrixRMaj residual() {
        DMatrixRMaj r = y.copy();
        for (int a = 0; a < observedRows.length; a++) {
            r.add(a, 0, -mean.get(observedRows[a], 0));
        }
        return r;
    }

    /** log p(observed y), the diffuse log-likelihood (statsmodels' convention) when some states are diffuse. */
    double logLikelihood() {
        int count = observedRows.length;
        if (count == 0) {
            return 0;
        }
        DMatrixRMaj sigma = select(covariance, observedRows, observedRows);
        DMatrixRMaj inv = sigma.copy();
        if (!CommonOps_DDRM.invert(inv)) {
            throw new IllegalStateException("singular covariance");
        }
        DMatrixRMaj r = residual();
        double logDet = Math.log(CommonOps_DDRM.det(sigma));
        DMatrixRMaj ir = new DMatrixRMaj(count, 1);
        CommonOps_DDRM.mult(inv, r, ir);
        double quad = CommonOps_DDRM.dot(r, ir);
        if (q == 0) {
            return -0.5 * (count * Math.log(2 * Math.PI) + logDet + quad);
        }
        DMatrixRMaj x = select(design, observedRows, range(0, q));
        DMatrixRMaj ix = new DMatrixRMaj(count, q);
        CommonOps_DDRM.mult(inv, x, ix);
        DMatrixRMaj info = new DMatrixRMaj(q, q);
        CommonOps_DDRM.multTransA(x, ix, info);
        DMatrixRMaj score = new DMatrixRMaj(q, 1);
        CommonOps_DDRM.multTransA(ix, r, score);
        DMatrixRMaj infoInv = info.copy();
        if (!CommonOps_DDRM.invert(infoInv)) {
            throw new IllegalStateException("the data do not identify the diffuse part");
        }
        DMatrixRMaj tmp = new DMatrixRMaj(q, 1);
        CommonOps_DDRM.mult(infoInv, score, tmp);
        double correction = CommonOps_DDRM.dot(score, tmp);
        return -0.5 * (count * Math.log(2 * Math.PI) + logDet + Math.log(CommonOps_DDRM.det(info)) + quad - correction);
    }

    /** E[x | observed y] (T·n) and Cov[x | observed y] (T·n × T·n), all states stacked. */
    DMatrixRMaj[] statePosterior() {
        int tn = length * n;
        int[] states = range(0, tn);
        int count = observedRows.length;
        DMatrixRMaj postMean = new DMatrixRMaj(tn, 1);
        for (int i = 0; i < tn; i++) {
            postMean.set(i, 0, mean.get(i, 0));
        }
        DMatrixRMaj postCov = select(covariance, states, states);
        if (count == 0) {
            return new DMatrixRMaj[] {postMean, postCov};
        }
        DMatrixRMaj sigma = select(covariance, observedRows, observedRows);
        DMatrixRMaj inv = sigma.copy();
        CommonOps_DDRM.invert(inv);
        DMatrixRMaj sxo = select(covariance, states, observedRows);
        DMatrixRMaj gainT = new DMatrixRMaj(tn, count);
        CommonOps_DDRM.mult(sxo, inv, gainT);
        DMatrixRMaj r = residual();
        DMatrixRMaj shift = new DMatrixRMaj(tn, 1);
        if (q > 0) {
            DMatrixRMaj x = select(design, observedRows, range(0, q));
            DMatrixRMaj ix = new DMatrixRMaj(count, q);
            CommonOps_DDRM.mult(inv, x, ix);
            DMatrixRMaj info = new DMatrixRMaj(q, q);
            CommonOps_DDRM.multTransA(x, ix, info);
            CommonOps_DDRM.invert(info);
            DMatrixRMaj score = new DMatrixRMaj(q, 1);
            CommonOps_DDRM.multTransA(ix, r, score);
            DMatrixRMaj deltaHat = new DMatrixRMaj(q, 1);
            CommonOps_DDRM.mult(info, score, deltaHat);
            DMatrixRMaj xd = new DMatrixRMaj(count, 1);
            CommonOps_DDRM.mult(x, deltaHat, xd);
            CommonOps_DDRM.subtractEquals(r, xd);
            // J = G_x - Σ_xO Σ⁻¹ X
            DMatrixRMaj j = select(design, states, range(0, q));
            DMatrixRMaj kx = new DMatrixRMaj(tn, q);
            CommonOps_DDRM.mult(gainT, x, kx);
            CommonOps_DDRM.subtractEquals(j, kx);
            DMatrixRMaj gd = new DMatrixRMaj(tn, 1);
            CommonOps_DDRM.mult(select(design, states, range(0, q)), deltaHat, gd);
            CommonOps_DDRM.addEquals(shift, gd);
            DMatrixRMaj ji = new DMatrixRMaj(tn, q);
            CommonOps_DDRM.mult(j, info, ji);
            DMatrixRMaj extra = new DMatrixRMaj(tn, tn);
            CommonOps_DDRM.multTransB(ji, j, extra);
            CommonOps_DDRM.addEquals(postCov, extra);
        }
        DMatrixRMaj kr = new DMatrixRMaj(tn, 1);
        CommonOps_DDRM.mult(gainT, r, kr);
        CommonOps_DDRM.addEquals(shift, kr);
        CommonOps_DDRM.addEquals(postMean, shift);
        DMatrixRMaj reduce = new DMatrixRMaj(tn, tn);
        CommonOps_DDRM.multTransB(gainT, sxo, reduce);
        CommonOps_DDRM.subtractEquals(postCov, reduce);
        return new DMatrixRMaj[] {postMean, postCov};
    }
}
