package org.statespace.kalman;

import org.statespace.data.Sequence;

/**
 * A {@link GaussianStateSpace} whose dimensions, initial belief N(m0, P0) and observation noise R do not
 * change with t: those five operations read one {@link Constants} value, so an implementation (the linear
 * {@code LinearStateSpace}, the extended and unscented views of a non-linear system) writes only its f and h.
 */
public interface FixedNoiseStateSpace extends GaussianStateSpace {

    /** n, m, m0, P0 and R of this model. */
    Constants constants();

    @Override
    default int stateDimension() {
        return constants().n;
    }

    @Override
    default int observationDimension() {
        return constants().m;
    }

    @Override
    default void initialMean(double[] out) {
        System.arraycopy(constants().initialMean, 0, out, 0, constants().n);
    }

    @Override
    default void initialCovariance(double[] out) {
        Constants c = constants();
        System.arraycopy(c.initialCovariance, 0, out, 0, c.n * c.n);
    }

    @Override
    default void observationNoise(Sequence inputs, int t, double[] out) {
        Constants c = constants();
        System.arraycopy(c.observationNoise, 0, out, 0, c.m * c.m);
    }

    /**
     * The constant parts of a Gaussian state space: n states, m observed components, m0 (n), P0 (n×n) and R
     * (m×m), row-major. The arrays are the model's own, read and never modified or copied here (the model is
     * immutable); their lengths are checked once.
     */
    final class Constants {
        final int n;
        final int m;
        final double[] initialMean;
        final double[] initialCovariance;
        final double[] observationNoise;

        private Constants(int n, int m, double[] initialMean, double[] initialCovariance, double[] observationNoise) {
            this.n = n;
            this.m = m;
            this.initialMean = initialMean;
            this.initialCovariance = initialCovariance;
            this.observationNoise = observationNoise;
        }

        /**
         * The constants of a model with n states and m observed components, sharing its arrays.
         *
         * @throws IllegalArgumentException when an array's length does not fit n and m
         */
        public static Constants sharing(int n, int m, double[] initialMean, double[] initialCovariance,
                double[] observationNoise) {
            if (initialMean.length != n || initialCovariance.length != n * n || observationNoise.length != m * m) {
                throw new IllegalArgumentException("expected m0 of " + n + ", P0 of " + n + "x" + n + " and R of " + m
                        + "x" + m + " values, got " + initialMean.length + ", " + initialCovariance.length + " and "
                        + observationNoise.length);
            }
            return new Constants(n, m, initialMean, initialCovariance, observationNoise);
        }
    }
}
