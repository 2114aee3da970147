package org.statespace.nonlinear;

import java.util.Arrays;
import java.util.random.RandomGenerator;

import org.statespace.data.Sequence;
import org.statespace.numeric.Validate;

/**
 * The equations of a non-linear Gaussian state-space model (0-based steps t = 0..T-1):
 *
 * <pre>
 *   x_0 ~ N(m0, P0)
 *   x_t = f(x_{t-1}, u_t) + w_t,   w_t ~ N(0, Q)      (t &gt;= 1)
 *   y_t = h(x_t, u_t) + v_t,       v_t ~ N(0, R)
 * </pre>
 *
 * x_t n×1, y_t m×1, u_t p×1 (p may be 0); f: ℝⁿ → ℝⁿ and h: ℝⁿ → ℝᵐ with their Jacobians
 * ({@link DifferentiableFunction}, e.g. by {@link AutoDiff}); Q n×n and R m×m symmetric positive
 * definite, P0 symmetric positive semidefinite. Matrices are stored row-major. Immutable.
 */
public final class NonlinearSystem {
    final int n;
    final int m;
    final int p;
    final DifferentiableFunction transition;
    final DifferentiableFunction observation;
    final double[] processNoise;
    final double[] observationNoise;
    final double[] initialMean;
    final double[] initialCovariance;

    private NonlinearSystem(int p, DifferentiableFunction f, DifferentiableFunction h, double[] q, double[] r,
            double[] m0, double[] p0) {
        this.n = f.inputDimension();
        this.m = h.outputDimension();
        this.p = p;
        this.transition = f;
        this.observation = h;
        this.processNoise = q;
        this.observationNoise = r;
        this.initialMean = m0;
        this.initialCovariance = p0;
    }

    /**
     * The system x_t = f(x_{t-1}, u_t) + w_t, y_t = h(x_t, u_t) + v_t.
     *
     * @param inputDimension p, the length of u_t (0 without inputs)
     * @throws IllegalArgumentException naming the argument when a shape does not fit f and h, a matrix is not
     *                                  symmetric positive (semi)definite or a value is not finite
     */
    public static NonlinearSystem of(int inputDimension, DifferentiableFunction f, DifferentiableFunction h,
            double[][] processNoise, double[][] observationNoise, double[] initialMean, double[][] initialCovariance) {
        int n = f.inputDimension();
        if (f.outputDimension() != n) {
            throw new IllegalArgumentException("f maps " + n + " states to " + f.outputDimension() + "; it must map ℝⁿ to ℝⁿ");
        }
        if (h.inputDimension() != n) {
            throw new IllegalArgumentException("h takes " + h.inputDimension() + " states, f has " + n);
        }
        if (inputDimension < 0) {
            throw new IllegalArgumentException("inputDimension must be >= 0, got " + inputDimension);
        }
        int m = h.outputDimension();
        double[] q = Linear.checkedCovariance("processNoise", processNoise, n, true);
        double[] r = Linear.checkedCovariance("observationNoise", observationNoise, m, true);
        double[] p0 = Linear.checkedCovariance("initialCovariance", initialCovariance, n, false);
        if (initialMean.length != n) {
            throw new IllegalArgumentException("initialMean: expected " + n + " values, got " + initialMean.length);
        }
        for (double v : initialMean) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("initialMean holds " + v);
            }
        }
        return new NonlinearSystem(inputDimension, f, h, q, r, initialMean.clone(), p0);
    }

    /** n. */
    public int stateDimension() {
        return n;
    }

    /** m. */
    public int observationDimension() {
        return m;
    }

    /** p. */
    public int inputDimension() {
        return p;
    }

    /** f. */
    public DifferentiableFunction transition() {
        return transition;
    }

    /** h. */
    public DifferentiableFunction observation() {
        return observation;
    }

    /** Q (n×n), a copy. */
    public double[][] processNoise() {
        return Validate.unpack(processNoise, n, n);
    }

    /** R (m×m), a copy. */
    public double[][] observationNoise() {
        return Validate.unpack(observationNoise, m, m);
    }

    /** m0, a copy. */
    public double[] initialMean() {
        return initialMean.clone();
    }

    /** P0 (n×n), a copy. */
    public double[][] initialCovariance() {
        return Validate.unpack(initialCovariance, n, n);
    }

    /**
     * Draws x_0..x_{T-1} and y_0..y_{T-1} from the equations; the states are attached to the sequence
     * ({@link Sequence#withStates}). {@code inputs} (at least {@code length} steps) gives u_t, or is
     * {@code null} for a system without inputs.
     */
    public Sequence sample(String id, int length, Sequence inputs, RandomGenerator random) {
        double[] lq = Linear.semidefiniteFactor(processNoise, n);
        double[] lr = Linear.semidefiniteFactor(observationNoise, m);
        double[] lp = Linear.semidefiniteFactor(initialCovariance, n);
        double[] x = new double[n];
        double[] next = new double[n];
        double[] y = new double[m];
        double[] z = new double[Math.max(n, m)];
        double[] states = new double[length * n];
        double[] observations = new double[length * m];
        double[] packedInputs = new double[length * p];
        Sequence in = inputs;
        if (in == null) {
            in = Sequence.of(id, 1, new double[length]);
        } else {
            for (int t = 0; t < length; t++) {
                in.copyInput(t, packedInputs, t * p);
            }
        }
        for (int t = 0; t < length; t++) {
            if (t == 0) {
                Linear.gaussian(initialMean, lp, n, random, z, x);
            } else {
                transition.value(x, in, t, next);
                Linear.gaussian(next, lq, n, random, z, x);
            }
            observation.value(x, in, t, y);
            Linear.gaussian(y, lr, m, random, z, y);
            System.arraycopy(x, 0, states, t * n, n);
            System.arraycopy(y, 0, observations, t * m, m);
        }
        Sequence s = Sequence.of(id, m, observations);
        if (p > 0) {
            s = s.withInputs(p, packedInputs);
        }
        return s.withStates(n, states);
    }

    boolean sameNumbers(NonlinearSystem o) {
        return n == o.n && m == o.m && p == o.p && Arrays.equals(processNoise, o.processNoise)
                && Arrays.equals(observationNoise, o.observationNoise) && Arrays.equals(initialMean, o.initialMean)
                && Arrays.equals(initialCovariance, o.initialCovariance);
    }
}
