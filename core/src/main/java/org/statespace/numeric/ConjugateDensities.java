package org.statespace.numeric;

/**
 * Log-densities of the conjugate priors of variances and covariance matrices, for the log-prior that MAP EM
 * reports beside the log-likelihood.
 */
public final class ConjugateDensities {
    private ConjugateDensities() {
    }

    /** log IG(x | a, b) = a log b - log Γ(a) - (a + 1) log x - b / x, for x, a, b &gt; 0. */
    public static double logInverseGamma(double x, double a, double b) {
        return a * Math.log(b) - SpecialFunctions.logGamma(a) - (a + 1) * Math.log(x) - b / x;
    }

    /**
     * log IW(Σ | Ψ, ν) = ν/2 log|Ψ| - νd/2 log 2 - log Γ_d(ν/2) - (ν + d + 1)/2 log|Σ| - tr(Ψ Σ⁻¹)/2 for
     * symmetric positive definite d×d Σ and Ψ (row-major) and ν &gt; d - 1.
     *
     * @throws org.statespace.NumericalException if Σ or Ψ is not positive definite
     */
    public static double logInverseWishart(double[] sigma, double[] psi, double nu, int d) {
        double[] ls = new double[d * d];
        Cholesky.factor(sigma, d, ls);
        double[] lpsi = new double[d * d];
        Cholesky.factor(psi, d, lpsi);
        // tr(Ψ Σ⁻¹) = Σ_c (Σ⁻¹ ψ_c)_c over the columns ψ_c of Ψ
        double trace = 0;
        double[] col = new double[d];
        for (int c = 0; c < d; c++) {
            for (int a = 0; a < d; a++) {
                col[a] = psi[a * d + c];
            }
            Cholesky.solve(ls, d, col);
            trace += col[c];
        }
        double logMultiGamma = d * (d - 1) / 4.0 * Math.log(Math.PI);
        for (int j = 0; j < d; j++) {
            logMultiGamma += SpecialFunctions.logGamma((nu - j) / 2);
        }
        return nu / 2 * Cholesky.logDeterminant(lpsi, d) - nu * d / 2 * Math.log(2) - logMultiGamma
                - (nu + d + 1) / 2 * Cholesky.logDeterminant(ls, d) - trace / 2;
    }
}
