package org.statespace.nonlinear;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.Emission;
import org.statespace.NumericalException;
import org.statespace.ObservationSpace;
import org.statespace.Recurrence;
import org.statespace.StateSpaceModel;
import org.statespace.StateTransition;
import org.statespace.capability.ExpectationMaximization;
import org.statespace.capability.FitSettings;
import org.statespace.capability.Forecasting;
import org.statespace.capability.LatentSampling;
import org.statespace.capability.LongSequenceInference;
import org.statespace.capability.ParametricLikelihood;
import org.statespace.capability.StateEstimates;
import org.statespace.capability.StateRecording;
import org.statespace.capability.StateSmoothing;
import org.statespace.capability.SufficientStatistics;
import org.statespace.data.Sequence;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.numeric.Validate;
import org.statespace.kalman.GaussianFilterRecurrence;
import org.statespace.kalman.GaussianStateSpace;
import org.statespace.spec.Json;

/**
 * A non-linear Gaussian state-space model ({@link NonlinearSystem}) with the filter that runs it: the extended
 * or unscented Kalman filter (a {@link GaussianStateSpace} run by the Kalman family's
 * {@link GaussianFilterRecurrence}; the predictive law of y_t is N(ŷ_t, S_t)) or the bootstrap particle filter
 * (the predictive law is the mixture Σ_i W^i N(h(x_t^i), R)). Either way the engine runs and scores it like
 * every family. Smoothing: the extended and unscented RTS smoothers, or forward-filter backward-simulation;
 * forecasts run the filter on without observations; maximum likelihood over the declared free parameters
 * ({@code "free"}: {@code processNoise}, {@code observationNoise} and named model parameters) by the
 * trainer's derivative-free optimiser, the particle filter with common random numbers; and, for the extended
 * and unscented filters when only noise matrices are free, EM ({@link GaussianEm}; the instance is then an
 * {@link ExpectationMaximization}, so the trainer's automatic method picks EM for it). The smoothers, and that EM's
 * E-step, also run over one sequence read in chunks with what the backward pass needs spilled to disk
 * ({@link LongSequenceInference}, bit for bit the in-memory numbers).
 *
 * <p>Built from a spec ({@code "type": "nonlinear"}, {@link NonlinearType}) naming a {@link BuiltinModel}, or in
 * Java by {@link #of} from any {@link NonlinearSystem} (such a model has no JSON spec). Immutable and
 * thread-safe. Sealed: its one subclass adds the EM capability.
 */
public sealed class NonlinearModel implements StateSpaceModel<Object, PredictiveDistribution>, StateRecording<Object>,
        StateSmoothing, Forecasting, LatentSampling, ParametricLikelihood, LongSequenceInference
        permits NonlinearModel.WithExpectationMaximization {

    /** The spec type. */
    public static final String TYPE = "nonlinear";
    static final String PROCESS_NOISE = "processNoise";
    static final String OBSERVATION_NOISE = "observationNoise";

    private final BuiltinModel builtin;
    private final double[] parameters;
    private final NonlinearSystem system;
    private final NonlinearFilter filter;
    private final NonlinearOptions options;
    private final List<String> free;
    private final GaussianStateSpace space;
    private final ParticleFilter particle;
    private final Object recurrence;

    /**
     * The model, able to be fitted by EM ({@link ExpectationMaximization}, {@link GaussianEm}) when the extended or
     * unscented filter runs it and nothing but the noise matrices is free (EM has no closed-form step for a named
     * model parameter; the particle filter stays with the optimiser).
     */
    static NonlinearModel create(BuiltinModel builtin, double[] parameters, NonlinearSystem system,
            NonlinearFilter filter, NonlinearOptions options, List<String> free) {
        boolean em = filter != NonlinearFilter.PARTICLE && free.stream().allMatch(NonlinearModel::isNoise);
        return em ? new WithExpectationMaximization(builtin, parameters, system, filter, options, free)
                : new NonlinearModel(builtin, parameters, system, filter, options, free);
    }

    private NonlinearModel(BuiltinModel builtin, double[] parameters, NonlinearSystem system, NonlinearFilter filter,
            NonlinearOptions options, List<String> free) {
        this.builtin = builtin;
        this.parameters = parameters;
        this.system = system;
        this.filter = filter;
        this.options = options;
        this.free = List.copyOf(free);
        String problem = options.problem(system.n);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        switch (filter) {
            case EXTENDED -> space = new ExtendedStateSpace(system);
            case UNSCENTED -> space = new UnscentedStateSpace(system, options.alpha(), options.beta(), options.kappa());
            default -> space = null;
        }
        particle = filter == NonlinearFilter.PARTICLE
                ? new ParticleFilter(system, options.particles(), options.resampleThreshold(), options.seed()) : null;
        recurrence = space != null ? new GaussianRecurrence(space) : particle;
    }

    /**
     * A model of a system written in Java (no JSON spec), run by {@code filter}; maximum likelihood frees Q and R.
     *
     * @throws IllegalArgumentException naming the option out of range
     */
    public static NonlinearModel of(NonlinearSystem system, NonlinearFilter filter, NonlinearOptions options) {
        return create(null, new double[0], system, filter, options, List.of(PROCESS_NOISE, OBSERVATION_NOISE));
    }

    /** A built-in model with its defaults, run by {@code filter} with default options. */
    public static NonlinearModel builtin(BuiltinModel model, NonlinearFilter filter) {
        return create(model, model.defaultParameters(), model.defaultSystem(), filter,
                NonlinearOptions.defaults(), List.of(PROCESS_NOISE, OBSERVATION_NOISE));
    }

    /** The same model run by another filter with other options. */
    public NonlinearModel withFilter(NonlinearFilter f, NonlinearOptions o) {
        return create(builtin, parameters, system, f, o, free);
    }

    /** The equations. */
    public NonlinearSystem system() {
        return system;
    }

    /** The filter that runs the model. */
    public NonlinearFilter filter() {
        return filter;
    }

    /** The filter options. */
    public NonlinearOptions options() {
        return options;
    }

    /** The built-in model, or null for a system written in Java. */
    public BuiltinModel builtinModel() {
        return builtin;
    }

    /** The named parameters' values (in {@link BuiltinModel#parameters()} order; empty for a Java system). */
    public double[] parameters() {
        return parameters.clone();
    }

    /** The declared free parameters, in order. */
    public List<String> free() {
        return free;
    }

    /** The Gaussian filter's view of the model (extended or unscented), or null for the particle filter. */
    GaussianStateSpace gaussianStateSpace() {
        return space;
    }

    ParticleFilter particleFilter() {
        return particle;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ObservationSpace observationSpace() {
        ObservationSpace s = ObservationSpace.reals(system.m);
        return system.p > 0 ? s.withInputs(system.p) : s;
    }

    @SuppressWarnings("unchecked")
    @Override
    public StateTransition<Object> transition() {
        return (StateTransition<Object>) recurrence;
    }

    @SuppressWarnings("unchecked")
    @Override
    public Emission<Object, PredictiveDistribution> emission() {
        return (Emission<Object, PredictiveDistribution>) recurrence;
    }

    @Override
    public int parameterCount() {
        return freeParameters().length;
    }

    /**
     * The spec; reading it back gives an equal model.
     *
     * @throws UnsupportedOperationException for a system written in Java (its functions are code, not JSON)
     */
    @Override
    public ObjectNode toSpec() {
        boolean neural = builtin == null && (system.transition instanceof Mlp || system.transition instanceof CellFunction)
                && system.observation instanceof Mlp;
        if (builtin == null && !neural) {
            throw new UnsupportedOperationException("a non-linear model whose f and h are Java code has no JSON spec");
        }
        ObjectNode o = Json.object();
        o.put("type", TYPE);
        if (neural) {
            o.set("transition", system.transition instanceof Mlp f ? f.toSpec() : ((CellFunction) system.transition).toSpec());
            o.set("observation", ((Mlp) system.observation).toSpec());
        } else {
            o.put("model", builtin.jsonName());
        }
        o.put("filter", filter.jsonName());
        if (!neural && !builtin.parameters().isEmpty()) {
            ObjectNode p = o.putObject("parameters");
            for (int i = 0; i < parameters.length; i++) {
                Json.number(p, builtin.parameters().get(i).name(), parameters[i]);
            }
        }
        o.set(PROCESS_NOISE, Json.matrix(system.processNoise, system.n, system.n));
        o.set(OBSERVATION_NOISE, Json.matrix(system.observationNoise, system.m, system.m));
        o.set("initialMean", Json.vector(system.initialMean));
        o.set("initialCovariance", Json.matrix(system.initialCovariance, system.n, system.n));
        if (filter == NonlinearFilter.UNSCENTED) {
            Json.number(o, "alpha", options.alpha());
            Json.number(o, "beta", options.beta());
            Json.number(o, "kappa", options.kappa());
        }
        if (filter == NonlinearFilter.PARTICLE) {
            o.put("particles", options.particles());
            Json.number(o, "resampleThreshold", options.resampleThreshold());
            o.put("seed", options.seed());
            o.put("smootherDraws", options.smootherDraws());
        }
        if (!free.equals(List.of(PROCESS_NOISE, OBSERVATION_NOISE))) {
            ArrayNode f = o.putArray("free");
            free.forEach(f::add);
        }
        return o;
    }

    // ---------------------------------------------------------------------------------------------
    // filtering, smoothing, forecasting, sampling

    @Override
    public StateEstimates filterStates(Sequence sequence) {
        if (particle != null) {
            return Smoothers.particleFiltered(Smoothers.particlePass(particle, sequence), system.n);
        }
        return Smoothers.gaussianFiltered(Smoothers.gaussianPass(space, sequence));
    }

    /** The engine's own pass keeps {@link #filterStates}' tracks (for {@code filter --states}): no second pass. */
    @Override
    public StateRecorder<Object> stateRecorder(Sequence sequence) {
        return particle != null ? Smoothers.particleRecorder(system.n, sequence)
                : Smoothers.gaussianRecorder(system.n, sequence);
    }

    /** {@link #stateRecorder}'s tracks of one step at a time. */
    @Override
    public StepRecorder<Object> stepRecorder() {
        return particle != null ? Smoothers.particleSteps(system.n) : Smoothers.gaussianSteps(system.n);
    }

    /**
     * Smoothed means and covariances: the extended or unscented RTS smoother, or forward-filter
     * backward-simulation with {@link NonlinearOptions#smootherDraws()} trajectories for the particle filter.
     */
    @Override
    public StateEstimates smoothStates(Sequence sequence) {
        if (particle != null) {
            return Smoothers.backwardSimulation(particle, Smoothers.particlePass(particle, sequence), sequence,
                    options.smootherDraws());
        }
        return Smoothers.rts(Smoothers.gaussianPass(space, sequence), sequence.id());
    }

    /**
     * {@link #smoothStates}' tracks of one sequence read in chunks, spilled to disk (bit for bit):
     * {@code smoothedMeans} and {@code smoothedCovariances}. The extended or unscented filter spills its predicted and
     * filtered moments and D_t, (2n + 3n² + m + p)·8 bytes a step; the particle filter its particles and weights,
     * (N·n + N + m + p + n + n²)·8 bytes a step, and the backward simulation draws from the in-memory generator in
     * the in-memory order.
     */
    @Override
    public double smooth(String id, Chunks chunks, SmoothedSteps out) {
        return new SpilledNonlinear(this).smooth(id, chunks, out);
    }

    /**
     * Not defined here: this model is not fitted by EM (the particle filter, or a free named parameter, which EM has
     * no closed-form step for), so it has no E-step; its subclass for EM defines it.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public double expectation(String id, Chunks chunks, SufficientStatistics statistics) {
        throw new UnsupportedOperationException("this non-linear model (" + filter.jsonName() + ", free " + free
                + ") is fitted by maximising its likelihood with a numerical optimiser, not by EM: it has no E-step");
    }

    /**
     * Not defined: the hidden state is continuous, so there is no most probable discrete path (the smoothed means
     * are its estimate).
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public double decode(String id, Chunks chunks, DecodedSteps out) {
        throw new UnsupportedOperationException("a " + TYPE + " model's hidden state is continuous: it has no discrete "
                + "hidden path to decode (smooth gives its smoothed means)");
    }

    /**
     * The filter run over {@code history} and on for {@code steps} steps without observations: the
     * predictive laws of o_T..o_{T+steps-1} (Gaussian, or the particle mixture).
     */
    @Override
    public List<PredictiveDistribution> forecast(Sequence history, int steps, Sequence futureInputs) {
        if (history.length() == 0) {
            Sequence extended = history.extendedByMissing(steps, futureInputs);
            Object state = transition().newState();
            transition().start(state, extended);
            return ahead(state, extended, 0, steps);
        }
        Recurrence.Workspace<Object, PredictiveDistribution> w = Recurrence.workspace(this);
        w.run(history, null);
        return forecastAfter(w.state(), history, steps, futureInputs);
    }

    /**
     * From the filter's state of step T-1: the recurrence run on over {@code steps} missing observations with the
     * future inputs, as {@link #forecast}.
     */
    @Override
    public List<PredictiveDistribution> forecastAfter(Object filterState, Sequence window, int steps,
            Sequence futureInputs) {
        Object state = Forecasting.filterState(filterState, Object.class, window, steps);
        int length = window.length();
        Sequence extended = window.extendedByMissing(steps, futureInputs);
        transition().step(state, extended, length);
        return ahead(state, extended, length, steps);
    }

    // the predictions of steps from .. from+steps-1 of the extended sequence, the state at step `from`
    private List<PredictiveDistribution> ahead(Object state, Sequence extended, int from, int steps) {
        StateTransition<Object> f = transition();
        Emission<Object, PredictiveDistribution> g = emission();
        PredictiveDistribution out = g.newDistribution();
        List<PredictiveDistribution> result = new ArrayList<>(steps);
        for (int t = from; t < from + steps; t++) {
            if (t > from) {
                f.step(state, extended, t);
            }
            g.predict(state, extended, t, out);
            result.add(out.copy());
        }
        return result;
    }

    @Override
    public Sequence sampleWithStates(String id, int length, Sequence inputs, RandomGenerator random) {
        return system.sample(id, length, inputs, random);
    }

    // ---------------------------------------------------------------------------------------------
    // maximum likelihood

    /** Whether the size×size matrix a has zeros off its diagonal. */
    static boolean diagonal(double[] a, int size) {
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                if (i != j && a[i * size + j] != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isNoise(String name) {
        return name.equals(PROCESS_NOISE) || name.equals(OBSERVATION_NOISE);
    }

    // the size of the free noise matrix named name (n for Q, m for R)
    private int noiseSize(String name) {
        return name.equals(PROCESS_NOISE) ? system.n : system.m;
    }

    private int parameterIndex(String name) {
        if (builtin != null) {
            for (int i = 0; i < builtin.parameters().size(); i++) {
                if (builtin.parameters().get(i).name().equals(name)) {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * θ: per declared free parameter in order, a noise matrix gives the log of each diagonal entry when it is
     * diagonal, else the log of one scale factor (θ = 0 at the current matrix); a named parameter its value on
     * the unconstrained scale of its range (identity, log, atanh).
     */
    @Override
    public double[] freeParameters() {
        List<Double> out = new ArrayList<>();
        freeCoordinates((name, value) -> out.add(value));
        double[] theta = new double[out.size()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = out.get(i);
        }
        return theta;
    }

    @Override
    public String[] freeParameterNames() {
        List<String> out = new ArrayList<>();
        freeCoordinates((name, value) -> out.add(name));
        return out.toArray(new String[0]);
    }

    /** One coordinate of θ: its name and its value at this model. */
    private interface Coordinates {
        void add(String name, double value);
    }

    // θ's coordinates in order, the one walk that freeParameters and freeParameterNames read (see freeParameters)
    private void freeCoordinates(Coordinates out) {
        for (String name : free) {
            if (isNoise(name)) {
                double[] a = name.equals(PROCESS_NOISE) ? system.processNoise : system.observationNoise;
                int size = noiseSize(name);
                if (diagonal(a, size)) {
                    for (int i = 0; i < size; i++) {
                        out.add("log " + name + "[" + i + "][" + i + "]", Math.log(a[i * size + i]));
                    }
                } else {
                    out.add("log " + name + " scale", 0.0);
                }
            } else {
                int i = parameterIndex(name);
                BuiltinModel.Range range = builtin.parameters().get(i).range();
                out.add(switch (range) {
                    case REAL -> name;
                    case POSITIVE -> "log " + name;
                    case UNIT_INTERVAL -> "atanh " + name;
                }, range.toFree(parameters[i]));
            }
        }
    }

    /**
     * @throws NumericalException when θ maps to a value outside a parameter's range (an overflowing
     *                            exponential), so an optimiser that strays there sees a failed evaluation
     */
    @Override
    public NonlinearModel withFreeParameters(double[] theta) {
        int expected = freeParameters().length;
        if (theta.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " free parameters, got " + theta.length);
        }
        double[] q = system.processNoise.clone();
        double[] r = system.observationNoise.clone();
        double[] v = parameters.clone();
        int k = 0;
        for (String name : free) {
            if (isNoise(name)) {
                double[] a = name.equals(PROCESS_NOISE) ? q : r;
                int size = noiseSize(name);
                if (diagonal(a, size)) {
                    for (int i = 0; i < size; i++) {
                        a[i * size + i] = positive(name, Math.exp(theta[k++]));
                    }
                } else {
                    double scale = positive(name + " scale", Math.exp(theta[k++]));
                    for (int i = 0; i < a.length; i++) {
                        a[i] *= scale;
                    }
                }
            } else {
                int i = parameterIndex(name);
                BuiltinModel.Parameter par = builtin.parameters().get(i);
                double value = par.range().fromFree(theta[k++]);
                if (!par.range().contains(value)) {
                    throw new NumericalException(name + " = " + value + " is not " + par.range().describe());
                }
                v[i] = value;
            }
        }
        double[][] qq = Validate.unpack(q, system.n, system.n);
        double[][] rr = Validate.unpack(r, system.m, system.m);
        double[][] p0 = Validate.unpack(system.initialCovariance, system.n, system.n);
        NonlinearSystem s;
        try {
            s = builtin != null ? builtin.system(v, qq, rr, system.initialMean, p0)
                    : NonlinearSystem.of(system.p, system.transition, system.observation, qq, rr, system.initialMean, p0);
        } catch (IllegalArgumentException e) {
            throw new NumericalException(e.getMessage());
        }
        return create(builtin, v, s, filter, options, free);
    }

    /** The same model with other Q, R, m0, P0 (EM's M-step). */
    NonlinearModel withMoments(double[][] q, double[][] r, double[] m0, double[][] p0) {
        NonlinearSystem s = builtin != null ? builtin.system(parameters, q, r, m0, p0)
                : NonlinearSystem.of(system.p, system.transition, system.observation, q, r, m0, p0);
        return create(builtin, parameters, s, filter, options, free);
    }

    /**
     * A model run by the extended or unscented filter whose free parameters are noise matrices: it is also fitted
     * by the Gaussian-approximation EM of {@link GaussianEm} (Q and R when free, m0 and P0).
     */
    static final class WithExpectationMaximization extends NonlinearModel implements ExpectationMaximization {
        WithExpectationMaximization(BuiltinModel builtin, double[] parameters, NonlinearSystem system,
                NonlinearFilter filter, NonlinearOptions options, List<String> free) {
            super(builtin, parameters, system, filter, options, free);
        }

        @Override
        public SufficientStatistics newStatistics() {
            return new GaussianEm.Statistics(system().n, system().m);
        }

        @Override
        public double expectation(Sequence sequence, SufficientStatistics statistics) {
            return GaussianEm.expectation(this, sequence, (GaussianEm.Statistics) statistics);
        }

        /** {@link #expectation(Sequence, SufficientStatistics)} of one sequence read in chunks, spilled (bit for bit). */
        @Override
        public double expectation(String id, Chunks chunks, SufficientStatistics statistics) {
            return new SpilledNonlinear(this).expectation(id, chunks, (GaussianEm.Statistics) statistics);
        }

        @Override
        public NonlinearModel maximization(SufficientStatistics statistics, FitSettings settings) {
            if (settings != null && settings != FitSettings.NONE) {
                // what EM updates is declared in the spec ("free"); no family settings apply
                throw new IllegalArgumentException(FitSettings.mismatch(settings, type(), "none"));
            }
            return GaussianEm.maximization(this, (GaussianEm.Statistics) statistics);
        }
    }

    private static double positive(String name, double x) {
        if (!(x > 0) || x == Double.POSITIVE_INFINITY) {
            throw new NumericalException(name + " = " + x + " is not a positive finite variance");
        }
        return x;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NonlinearModel other && builtin == other.builtin && filter == other.filter
                && options.equals(other.options) && free.equals(other.free) && Arrays.equals(parameters, other.parameters)
                && system.sameNumbers(other.system)
                && (builtin != null || (system.transition.equals(other.system.transition)
                        && system.observation.equals(other.system.observation)));
    }

    @Override
    public int hashCode() {
        return Objects.hash(builtin, filter, options, free, Arrays.hashCode(parameters));
    }

    @Override
    public String toString() {
        return "NonlinearModel[" + (builtin == null ? (system.observation instanceof Mlp ? "neural" : "java") : builtin.jsonName()) + ", " + filter.jsonName() + "]";
    }
}
