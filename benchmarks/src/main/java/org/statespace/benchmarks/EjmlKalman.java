package org.statespace.benchmarks;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The Kalman log-likelihood written the way EJML's own {@code KalmanFilterOperations} example is: every
 * matrix a {@code DMatrixRMaj} allocated once, every {@code CommonOps_DDRM} operation into a preallocated
 * output, S factored by EJML's symmetric positive-definite solver ({@code LinearSolverFactory_DDRM.symmPosDef},
 * a Cholesky). Per step (the first starts from the initial mean and covariance):
 *
 * <pre>
 *   a = F a,  P = F P Fᵀ + Q
 *   v = y - H a,  HP = H P,  S = HP Hᵀ + R = L Lᵀ
 *   Kᵀ = S⁻¹ HP (solve),  w = S⁻¹ v (solve),  log-likelihood += -½ (m log 2π + 2 Σ log L_ii + vᵀ w)
 *   a += K v,  P = (I - K H) P (I - K H)ᵀ + K R Kᵀ     (the Joseph form, as ours: the plain P - K HP loses
 *                                                   definiteness on some of the grid's models)
 * </pre>
 */
final class EjmlKalman {
    private final DMatrixRMaj f;
    private final DMatrixRMaj q;
    private final DMatrixRMaj h;
    private final DMatrixRMaj r;
    private final DMatrixRMaj m0;
    private final DMatrixRMaj p0;
    private final DMatrixRMaj[] y;
    private final int m;

    private final DMatrixRMaj a;
    private final DMatrixRMaj aNext;
    private final DMatrixRMaj p;
    private final DMatrixRMaj fp;
    private final DMatrixRMaj v;
    private final DMatrixRMaj w;
    private final DMatrixRMaj hp;
    private final DMatrixRMaj s;
    private final DMatrixRMaj lower;
    private final DMatrixRMaj gainTransposed;
    private final DMatrixRMaj identity;
    private final DMatrixRMaj kh;
    private final DMatrixRMaj kr;
    private final LinearSolverDense<DMatrixRMaj> solver;

    /** The model (F n×n, Q n×n, H m×n, R m×m, mean n, covariance n×n) and the T×m data. */
    EjmlKalman(double[][] transition, double[][] processNoise, double[][] observation, double[][] observationNoise,
            double[] initialMean, double[][] initialCovariance, double[][] data) {
        int n = transition.length;
        m = observation.length;
        f = new DMatrixRMaj(transition);
        q = new DMatrixRMaj(processNoise);
        h = new DMatrixRMaj(observation);
        r = new DMatrixRMaj(observationNoise);
        m0 = new DMatrixRMaj(n, 1, true, initialMean);
        p0 = new DMatrixRMaj(initialCovariance);
        y = new DMatrixRMaj[data.length];
        for (int t = 0; t < data.length; t++) {
            y[t] = new DMatrixRMaj(m, 1, true, data[t]);
        }
        a = new DMatrixRMaj(n, 1);
        aNext = new DMatrixRMaj(n, 1);
        p = new DMatrixRMaj(n, n);
        fp = new DMatrixRMaj(n, n);
        v = new DMatrixRMaj(m, 1);
        w = new DMatrixRMaj(m, 1);
        hp = new DMatrixRMaj(m, n);
        s = new DMatrixRMaj(m, m);
        lower = new DMatrixRMaj(m, m);
        gainTransposed = new DMatrixRMaj(m, n);
        identity = CommonOps_DDRM.identity(n);
        kh = new DMatrixRMaj(n, n);
        kr = new DMatrixRMaj(n, m);
        solver = LinearSolverFactory_DDRM.symmPosDef(m);
    }

    /** The log-likelihood of the whole series. */
    @SuppressWarnings("unchecked")
    double logLikelihood() {
        a.setTo(m0);
        p.setTo(p0);
        double total = 0;
        double constant = m * Math.log(2 * Math.PI);
        CholeskyDecomposition_F64<DMatrixRMaj> cholesky = (CholeskyDecomposition_F64<DMatrixRMaj>) solver.getDecomposition();
        for (int t = 0; t < y.length; t++) {
            if (t > 0) {
                CommonOps_DDRM.mult(f, a, aNext);
                a.setTo(aNext);
                CommonOps_DDRM.mult(f, p, fp);
                CommonOps_DDRM.multTransB(fp, f, p);
                CommonOps_DDRM.addEquals(p, q);
            }
            CommonOps_DDRM.mult(h, a, v);
            CommonOps_DDRM.subtract(y[t], v, v);
            CommonOps_DDRM.mult(h, p, hp);
            CommonOps_DDRM.multTransB(hp, h, s);
            CommonOps_DDRM.addEquals(s, r);
            if (!solver.setA(s)) { // factors s in place (modifiesA)
                throw new IllegalStateException("step " + t + ": S is not positive definite");
            }
            cholesky.getT(lower);
            double logDeterminant = 0;
            for (int i = 0; i < m; i++) {
                logDeterminant += Math.log(lower.unsafe_get(i, i));
            }
            solver.solve(v, w);
            total += -0.5 * (constant + 2 * logDeterminant + CommonOps_DDRM.dot(v, w));
            solver.solve(hp, gainTransposed);
            CommonOps_DDRM.multAddTransA(gainTransposed, v, a);
            CommonOps_DDRM.multTransA(gainTransposed, h, kh);
            CommonOps_DDRM.subtract(identity, kh, kh);
            CommonOps_DDRM.mult(kh, p, fp);
            CommonOps_DDRM.multTransB(fp, kh, p);
            CommonOps_DDRM.multTransA(gainTransposed, r, kr);
            CommonOps_DDRM.multAdd(kr, gainTransposed, p);
        }
        return total;
    }
}
