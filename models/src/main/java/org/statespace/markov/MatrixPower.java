package org.statespace.markov;

/**
 * v·Aⁿ for a row-stochastic matrix, by repeated multiplication or by squaring, whichever is cheaper.
 * Every product is renormalised (rows of the squared matrix to 1, the vector to its starting mass): the
 * exact products are stochastic, and without this the rounding of rows that sum to 1 ± 1e-16 grows like
 * (1 + 1e-16)ⁿ.
 */
final class MatrixPower {
    private MatrixPower() {
    }

    /**
     * @param v      a length-n row vector
     * @param matrix n×n row-major
     */
    static double[] vectorTimesPower(double[] v, double[] matrix, int n, long power) {
        double[] x = v.clone();
        if (power == 0) {
            return x;
        }
        double direct = (double) power * n * n;
        double squaring = 2.0 * n * n * n * (64 - Long.numberOfLeadingZeros(power));
        if (direct <= squaring) {
            double[] y = new double[n];
            for (long p = 0; p < power; p++) {
                multiply(x, matrix, n, y);
                double[] swap = x;
                x = y;
                y = swap;
            }
            return x;
        }
        double[] base = matrix.clone();
        double[] scratch = new double[n * n];
        double[] y = new double[n];
        long p = power;
        while (p > 0) {
            if ((p & 1) == 1) {
                multiply(x, base, n, y);
                double[] swap = x;
                x = y;
                y = swap;
            }
            p >>= 1;
            if (p > 0) {
                square(base, n, scratch);
                double[] swap = base;
                base = scratch;
                scratch = swap;
            }
        }
        return x;
    }

    private static void multiply(double[] x, double[] a, int n, double[] out) {
        java.util.Arrays.fill(out, 0);
        double mass = 0;
        for (int i = 0; i < n; i++) {
            double xi = x[i];
            mass += xi;
            if (xi == 0) {
                continue;
            }
            for (int j = 0; j < n; j++) {
                out[j] += xi * a[i * n + j];
            }
        }
        renormalize(out, 0, n, mass);
    }

    private static void renormalize(double[] v, int from, int n, double mass) {
        double sum = 0;
        for (int j = from; j < from + n; j++) {
            sum += v[j];
        }
        if (sum > 0) {
            double scale = mass / sum;
            for (int j = from; j < from + n; j++) {
                v[j] *= scale;
            }
        }
    }

    private static void square(double[] a, int n, double[] out) {
        java.util.Arrays.fill(out, 0);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double aik = a[i * n + k];
                if (aik == 0) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    out[i * n + j] += aik * a[k * n + j];
                }
            }
            renormalize(out, i * n, n, 1);
        }
    }
}
