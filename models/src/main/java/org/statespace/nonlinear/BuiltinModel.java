package org.statespace.nonlinear;

import java.util.ArrayList;
import java.util.List;

import org.hipparchus.CalculusFieldElement;

import org.statespace.data.Sequence;

/**
 * The non-linear models a spec names by {@code "model"}, each with its named parameters (under
 * {@code "parameters"}) and default noise and initial belief (0-based steps t):
 * <ul>
 *   <li>{@code growth}, the univariate non-stationary growth model (Kitagawa 1987; Gordon, Salmond &amp; Smith
 *       1993): x_t = x_{t-1}/2 + 25 x_{t-1}/(1 + x_{t-1}²) + 8 cos(1.2 t) + w_t, y_t = x_t²/20 + v_t;
 *       Q = 10, R = 1, m0 = 0, P0 = 5; no parameters.</li>
 *   <li>{@code pendulum} (Särkkä 2013, ex. 5.1): state (angle α, angular velocity ω), Euler step dt:
 *       α_t = α_{t-1} + ω_{t-1} dt, ω_t = ω_{t-1} − g sin(α_{t-1}) dt; observed through y_t = sin(α_t) + v_t;
 *       parameters g = 9.81, dt = 0.01; Q = q_c [[dt³/3, dt²/2], [dt²/2, dt]] with q_c = 1 at dt = 0.01,
 *       R = 0.1, m0 = (1.5, 0), P0 = 0.1 I.</li>
 *   <li>{@code stochastic-volatility}, the log-volatility h_t of returns r_t = exp(h_t/2) ε_t in the linearised
 *       form of Harvey, Ruiz &amp; Shephard (1994): the observation is y_t = log r_t² (transform returns first),
 *       x_t = μ + φ (x_{t-1} − μ) + w_t, y_t = x_t + E[log ε²] + v_t with E[log ε²] = ψ(½) + log 2 ≈ −1.2704 and
 *       R = Var[log ε²] = π²/2 by default (the exact law of log ε² is not Gaussian: this is the quasi-likelihood);
 *       parameters μ ({@code mu}) = 0, φ ({@code phi}, in (−1, 1)) = 0.95; Q = 0.05, m0 = 0, P0 = 0.5.</li>
 *   <li>{@code lorenz63} (Lorenz 1963): the three-variable system dx/dτ = σ (y − x), dy/dτ = x (ρ − z) − y,
 *       dz/dτ = x y − β z integrated over dt by one classical Runge-Kutta (RK4) step per model step, all three
 *       components observed: y_t = x_t + v_t; parameters σ ({@code sigma}) = 10, ρ ({@code rho}) = 28,
 *       β ({@code beta}) = 8/3, dt = 0.01; Q = 0.01 I, R = I, m0 = (1, 1, 1), P0 = I.</li>
 * </ul>
 * f and h are written once over a Hipparchus field ({@link FieldFunction}); the Jacobians come from
 * {@link AutoDiff}.
 */
public enum BuiltinModel {
    GROWTH("growth", 1, 1, List.of(), new double[][] {{10}}, new double[][] {{1}}, new double[] {0},
            new double[][] {{5}}),
    PENDULUM("pendulum", 2, 1,
            List.of(new Parameter("g", 9.81, Range.POSITIVE), new Parameter("dt", 0.01, Range.POSITIVE)),
            new double[][] {{0.01 * 0.01 * 0.01 / 3, 0.01 * 0.01 / 2}, {0.01 * 0.01 / 2, 0.01}},
            new double[][] {{0.1}}, new double[] {1.5, 0}, new double[][] {{0.1, 0}, {0, 0.1}}),
    STOCHASTIC_VOLATILITY("stochastic-volatility", 1, 1,
            List.of(new Parameter("mu", 0, Range.REAL), new Parameter("phi", 0.95, Range.UNIT_INTERVAL)),
            new double[][] {{0.05}}, new double[][] {{Math.PI * Math.PI / 2}}, new double[] {0}, new double[][] {{0.5}}),
    LORENZ63("lorenz63", 3, 3,
            List.of(new Parameter("sigma", 10, Range.POSITIVE), new Parameter("rho", 28, Range.POSITIVE),
                    new Parameter("beta", 8.0 / 3, Range.POSITIVE), new Parameter("dt", 0.01, Range.POSITIVE)),
            new double[][] {{0.01, 0, 0}, {0, 0.01, 0}, {0, 0, 0.01}},
            new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, new double[] {1, 1, 1},
            new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});

    /** E[log ε²] for ε ~ N(0, 1): ψ(1/2) + log 2. */
    static final double LOG_CHI_SQUARE_MEAN = -1.9635100260214235 + Math.log(2);

    /** Where a parameter lives, which sets its unconstrained scale for maximum likelihood. */
    public enum Range {
        /** Any finite number (identity). */
        REAL,
        /** &gt; 0 (log). */
        POSITIVE,
        /** In (−1, 1) (atanh). */
        UNIT_INTERVAL;

        boolean contains(double v) {
            return switch (this) {
                case REAL -> Double.isFinite(v);
                case POSITIVE -> v > 0 && Double.isFinite(v);
                case UNIT_INTERVAL -> v > -1 && v < 1;
            };
        }

        String describe() {
            return switch (this) {
                case REAL -> "a finite number";
                case POSITIVE -> "a positive finite number";
                case UNIT_INTERVAL -> "in (-1, 1)";
            };
        }

        double toFree(double v) {
            return switch (this) {
                case REAL -> v;
                case POSITIVE -> Math.log(v);
                case UNIT_INTERVAL -> 0.5 * Math.log((1 + v) / (1 - v));
            };
        }

        double fromFree(double theta) {
            return switch (this) {
                case REAL -> theta;
                case POSITIVE -> Math.exp(theta);
                case UNIT_INTERVAL -> Math.tanh(theta);
            };
        }
    }

    /** A named model parameter with its default and range. */
    public record Parameter(String name, double defaultValue, Range range) {
    }

    private final String jsonName;
    private final int n;
    private final int m;
    private final List<Parameter> parameters;
    private final double[][] processNoise;
    private final double[][] observationNoise;
    private final double[] initialMean;
    private final double[][] initialCovariance;

    BuiltinModel(String jsonName, int n, int m, List<Parameter> parameters, double[][] q, double[][] r, double[] m0,
            double[][] p0) {
        this.jsonName = jsonName;
        this.n = n;
        this.m = m;
        this.parameters = parameters;
        this.processNoise = q;
        this.observationNoise = r;
        this.initialMean = m0;
        this.initialCovariance = p0;
    }

    /** The spec name ({@code "growth"}, ...). */
    public String jsonName() {
        return jsonName;
    }

    /** The model of a spec name, or null. */
    static BuiltinModel ofName(String name) {
        for (BuiltinModel b : values()) {
            if (b.jsonName.equals(name)) {
                return b;
            }
        }
        return null;
    }

    /** Every spec name. */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        for (BuiltinModel b : values()) {
            out.add(b.jsonName);
        }
        return out;
    }

    /** n. */
    public int stateDimension() {
        return n;
    }

    /** m. */
    public int observationDimension() {
        return m;
    }

    /** The named parameters, in order. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** The parameters' defaults, in order. */
    public double[] defaultParameters() {
        double[] out = new double[parameters.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = parameters.get(i).defaultValue();
        }
        return out;
    }

    double[][] defaultProcessNoise() {
        return copy(processNoise);
    }

    double[][] defaultObservationNoise() {
        return copy(observationNoise);
    }

    double[] defaultInitialMean() {
        return initialMean.clone();
    }

    double[][] defaultInitialCovariance() {
        return copy(initialCovariance);
    }

    private static double[][] copy(double[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }

    /** The system with these parameters (in {@link #parameters()} order) and noise/initial belief. */
    public NonlinearSystem system(double[] values, double[][] q, double[][] r, double[] m0, double[][] p0) {
        double[] v = values.clone();
        return NonlinearSystem.of(0, AutoDiff.of(n, n, transition(v)), AutoDiff.of(n, m, observation(v)), q, r, m0, p0);
    }

    /** The system with its default parameters, noise and initial belief. */
    public NonlinearSystem defaultSystem() {
        return system(defaultParameters(), processNoise, observationNoise, initialMean, initialCovariance);
    }

    /** f with these parameter values. */
    public FieldFunction transition(double[] v) {
        return switch (this) {
            case GROWTH -> new FieldFunction() {
                @Override
                public <T extends CalculusFieldElement<T>> void apply(T[] x, Sequence inputs, int t, T[] out) {
                    T a = x[0];
                    out[0] = a.multiply(0.5).add(a.multiply(25).divide(a.square().add(1))).add(8 * Math.cos(1.2 * t));
                }
            };
            case PENDULUM -> new FieldFunction() {
                @Override
                public <T extends CalculusFieldElement<T>> void apply(T[] x, Sequence inputs, int t, T[] out) {
                    double g = v[0];
                    double dt = v[1];
                    out[0] = x[0].add(x[1].multiply(dt));
                    out[1] = x[1].subtract(x[0].sin().multiply(g * dt));
                }
            };
            case STOCHASTIC_VOLATILITY -> new FieldFunction() {
                @Override
                public <T extends CalculusFieldElement<T>> void apply(T[] x, Sequence inputs, int t, T[] out) {
                    out[0] = x[0].subtract(v[0]).multiply(v[1]).add(v[0]);
                }
            };
            case LORENZ63 -> new FieldFunction() {
                @Override
                public <T extends CalculusFieldElement<T>> void apply(T[] x, Sequence inputs, int t, T[] out) {
                    double dt = v[3];
                    T[] k1 = lorenz(x, v);
                    T[] k2 = lorenz(shifted(x, k1, dt / 2), v);
                    T[] k3 = lorenz(shifted(x, k2, dt / 2), v);
                    T[] k4 = lorenz(shifted(x, k3, dt), v);
                    for (int i = 0; i < 3; i++) {
                        out[i] = x[i].add(k1[i].add(k2[i].multiply(2)).add(k3[i].multiply(2)).add(k4[i]).multiply(dt / 6));
                    }
                }
            };
        };
    }

    /** h with these parameter values. */
    public FieldFunction observation(double[] v) {
        return switch (this) {
            case GROWTH -> new FieldFunction() {
                @Override
                public <T extends CalculusFieldElement<T>> void apply(T[] x, Sequence inputs, int t, T[] out) {
                    out[0] = x[0].square().divide(20);
                }
            };
            case PENDULUM -> new FieldFunction() {
                @Override
                public <T extends CalculusFieldElement<T>> void apply(T[] x, Sequence inputs, int t, T[] out) {
                    out[0] = x[0].sin();
                }
            };
            case STOCHASTIC_VOLATILITY -> new FieldFunction() {
                @Override
                public <T extends CalculusFieldElement<T>> void apply(T[] x, Sequence inputs, int t, T[] out) {
                    out[0] = x[0].add(LOG_CHI_SQUARE_MEAN);
                }
            };
            case LORENZ63 -> new FieldFunction() {
                @Override
                public <T extends CalculusFieldElement<T>> void apply(T[] x, Sequence inputs, int t, T[] out) {
                    System.arraycopy(x, 0, out, 0, 3);
                }
            };
        };
    }

    // the Lorenz-63 vector field at x
    private static <T extends CalculusFieldElement<T>> T[] lorenz(T[] x, double[] v) {
        T[] d = x.clone();
        d[0] = x[1].subtract(x[0]).multiply(v[0]);
        d[1] = x[0].multiply(x[2].negate().add(v[1])).subtract(x[1]);
        d[2] = x[0].multiply(x[1]).subtract(x[2].multiply(v[2]));
        return d;
    }

    private static <T extends CalculusFieldElement<T>> T[] shifted(T[] x, T[] k, double h) {
        T[] out = x.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = x[i].add(k[i].multiply(h));
        }
        return out;
    }
}
