package org.statespace.nonlinear;

import java.util.random.RandomGenerator;

import org.hipparchus.CalculusFieldElement;

import org.statespace.data.Sequence;
import org.statespace.kalman.LinearGaussianModel;

/** Linear models written as non-linear systems (f(x) = F x, h(x) = H x through automatic differentiation). */
final class LinearModels {
    private LinearModels() {
    }

    static final double[][] F = {{0.9, 0.1, 0}, {0, 0.8, 0.1}, {0.05, 0, 0.7}};
    static final double[][] Q = {{0.3, 0.05, 0}, {0.05, 0.2, 0.02}, {0, 0.02, 0.2}};
    static final double[][] H = {{1, 0, 0.5}, {0, 1, 0}};
    static final double[][] R = {{0.5, 0.1}, {0.1, 0.4}};
    static final double[] M0 = {1, -1, 0.5};
    static final double[][] P0 = {{2, 0.3, 0}, {0.3, 1, 0}, {0, 0, 1.5}};

    static LinearGaussianModel kalman() {
        return LinearGaussianModel.of(F, Q, H, R, M0, P0);
    }

    static FieldFunction linear(double[][] a) {
        return new FieldFunction() {
            @Override
            public <T extends CalculusFieldElement<T>> void apply(T[] x, Sequence inputs, int t, T[] out) {
                for (int i = 0; i < a.length; i++) {
                    T s = x[0].getField().getZero();
                    for (int j = 0; j < x.length; j++) {
                        s = s.add(x[j].multiply(a[i][j]));
                    }
                    out[i] = s;
                }
            }
        };
    }

    static NonlinearSystem system() {
        return NonlinearSystem.of(0, AutoDiff.of(3, 3, linear(F)), AutoDiff.of(3, 2, linear(H)), Q, R, M0, P0);
    }

    /** A series of the linear model with some missing values (a whole step, and single components). */
    static Sequence series(long seed, int length) {
        RandomGenerator random = org.statespace.numeric.Randoms.seeded(seed);
        Sequence s = system().sample("lin" + seed, length, null, random);
        double[] y = s.observations();
        y[5 * 2] = Double.NaN;
        y[5 * 2 + 1] = Double.NaN;
        y[9 * 2 + 1] = Double.NaN;
        y[14 * 2] = Double.NaN;
        return Sequence.of(s.id(), 2, y);
    }

    /** A matrix as JSON text. */
    static String json(double[][] a) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            b.append(i > 0 ? ", " : "").append(json(a[i]));
        }
        return b.append("]").toString();
    }

    /** A vector as JSON text. */
    static String json(double[] a) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            b.append(i > 0 ? ", " : "").append(Double.toString(a[i]));
        }
        return b.append("]").toString();
    }

}
