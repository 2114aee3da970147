package org.statespace.numeric;

/** Matrix helpers shared by the tests of several modules (through the core test-jar). */
public final class TestMatrices {
    private TestMatrices() {
    }

    /**
     * Scales {@code f} in place so that its largest absolute row sum is at most {@code bound}, which for
     * {@code bound < 1} makes it a contraction (spectral radius below 1: a stable transition matrix);
     * returns it.
     */
    public static double[][] contract(double[][] f, double bound) {
        double norm = 0;
        for (double[] row : f) {
            double sum = 0;
            for (double v : row) {
                sum += Math.abs(v);
            }
            norm = Math.max(norm, sum);
        }
        if (norm > bound) {
            for (double[] row : f) {
                for (int j = 0; j < row.length; j++) {
                    row[j] *= bound / norm;
                }
            }
        }
        return f;
    }
}
