package org.statespace.kalman;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.Emission;
import org.statespace.NumericalException;
import org.statespace.ObservationSpace;
import org.statespace.StateSpaceModel;
import org.statespace.StateTransition;
import org.statespace.capability.Forecasting;
import org.statespace.capability.LatentSampling;
import org.statespace.capability.LongSequenceInference;
import org.statespace.capability.PosteriorDraws;
import org.statespace.capability.PosteriorSampling;
import org.statespace.capability.ParametricLikelihood;
import org.statespace.capability.UnconstrainedParameters;
import org.statespace.capability.StateRecording;
import org.statespace.capability.StateSmoothing;
import org.statespace.capability.SufficientStatistics;
import org.statespace.data.Sequence;
import org.statespace.distribution.Gaussian;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.spec.Json;
import org.statespace.spec.SpecNode;

/**
 * A structural time-series model whose free parameters are variances, run as the
 * {@link LinearGaussianModel} it stands for:
 * <ul>
 *   <li>{@code local-level}: y_t = μ_t + ε_t, μ_{t+1} = μ_t + η_t; ε ~ N(0, σ²_ε) ({@code observationVariance}),
 *       η ~ N(0, σ²_η) ({@code levelVariance}); state (μ), F = H = 1;</li>
 *   <li>{@code local-linear-trend}: y_t = μ_t + ε_t, μ_{t+1} = μ_t + ν_t + η_t, ν_{t+1} = ν_t + ζ_t;
 *       ζ ~ N(0, σ²_ζ) ({@code slopeVariance}); state (μ, ν), F = [[1, 1], [0, 1]], H = [1, 0].</li>
 * </ul>
 * By default every state starts exact diffuse (Durbin &amp; Koopman 2012, ch. 2 and 3);
 * {@code "initialization": "known"} with {@code initialMean} and {@code initialCovariance} gives a known
 * prior instead. A positive variance is a free parameter for maximum likelihood, on the log scale
 * ({@link ParametricLikelihood}); a variance given as 0 makes a deterministic component and stays 0. The spec's
 * optional {@code "fit"} block holds variances fixed ({@code "fixed": ["observationVariance"]}) or keeps them
 * within bounds ({@code "bounds": {"levelVariance": {"lower": 1, "upper": 1e4}}}), enforced by the
 * parametrisation (see {@link StructuralFitControl}); it is written back with the fitted spec.
 *
 * <p>The smoother also runs over one sequence read in chunks ({@link LongSequenceInference#smooth}): the spilled
 * smoother of the linear-Gaussian model it stands for ({@link #asLinearGaussian()}), so its numbers are those of
 * {@link #smoothStates} bit for bit. There is no E-step over chunks (these models are fitted by maximising the
 * likelihood, not by EM) and no path to decode (the state is continuous).
 */
public final class StructuralModel implements StateSpaceModel<KalmanState, Gaussian>, StateRecording<KalmanState>, StateSmoothing,
        Forecasting, LatentSampling, PosteriorSampling, ParametricLikelihood, UnconstrainedParameters,
        LongSequenceInference {

    /** The structural forms. */
    public enum Form {
        LOCAL_LEVEL("local-level", 1, List.of("observationVariance", "levelVariance")),
        LOCAL_LINEAR_TREND("local-linear-trend", 2, List.of("observationVariance", "levelVariance", "slopeVariance"));

        private final String type;
        private final int states;
        private final List<String> variances;

        Form(String type, int states, List<String> variances) {
            this.type = type;
            this.states = states;
            this.variances = variances;
        }

        /** The spec type. */
        public String type() {
            return type;
        }

        /** The state dimension. */
        public int stateDimension() {
            return states;
        }

        /** The names of its variances, in parameter order. */
        public List<String> varianceNames() {
            return variances;
        }

        static Form ofType(String type) {
            for (Form f : values()) {
                if (f.type.equals(type)) {
                    return f;
                }
            }
            throw new IllegalArgumentException(type);
        }
    }

    private final Form form;
    private final double[] variances;
    private final double[] initialMean;
    private final double[] initialCovariance;
    private final LinearGaussianModel model;
    private final StructuralFitControl control; // null: no "fit" block

    // Trusted: validated values; initialMean == null means exact diffuse.
    StructuralModel(Form form, double[] variances, double[] initialMean, double[] initialCovariance) {
        this(form, variances, initialMean, initialCovariance, KalmanOptions.defaults(), null);
    }

    // Trusted: control read against these variances.
    StructuralModel(Form form, double[] variances, double[] initialMean, double[] initialCovariance,
            StructuralFitControl control) {
        this(form, variances, initialMean, initialCovariance, KalmanOptions.defaults(), control);
    }

    private StructuralModel(Form form, double[] variances, double[] initialMean, double[] initialCovariance,
            KalmanOptions options, StructuralFitControl control) {
        this.form = form;
        this.control = control;
        this.variances = variances;
        this.initialMean = initialMean;
        this.initialCovariance = initialCovariance;
        int n = form.states;
        double[] f = form == Form.LOCAL_LEVEL ? new double[] {1} : new double[] {1, 1, 0, 1};
        double[] h = form == Form.LOCAL_LEVEL ? new double[] {1} : new double[] {1, 0};
        double[] q = new double[n * n];
        for (int i = 0; i < n; i++) {
            q[i * n + i] = variances[1 + i];
        }
        boolean diffuse = initialMean == null;
        int[] diffuseStates = new int[diffuse ? n : 0];
        for (int i = 0; i < diffuseStates.length; i++) {
            diffuseStates[i] = i;
        }
        model = new LinearGaussianModel(n, 1, 0, f, new double[0], new double[n], q, h, new double[0], new double[1],
                new double[] {variances[0]}, diffuse ? new double[n] : initialMean.clone(),
                diffuse ? new double[n * n] : initialCovariance.clone(), false, false, false, false, diffuseStates)
                .withKalmanOptions(options);
    }

    /**
     * statsmodels' {@code UnobservedComponents(y, 'llevel')}: the local-level model, its variances started from
     * the data and fitted by maximum likelihood (exact diffuse start):
     *
     * <pre>{@code
     * FittedModel<StructuralModel> fit = Trainer.fit(StructuralModel.localLevel(), nile);
     * String summary = fit.summary();   // variances with standard errors, log-likelihood, AIC, BIC
     * }</pre>
     */
    public static org.statespace.spec.ModelTemplate<StructuralModel> localLevel() {
        return template(Form.LOCAL_LEVEL);
    }

    /** The local linear trend model started from the data: {@code Trainer.fit(StructuralModel.localLinearTrend(), y)}. */
    public static org.statespace.spec.ModelTemplate<StructuralModel> localLinearTrend() {
        return template(Form.LOCAL_LINEAR_TREND);
    }

    private static org.statespace.spec.ModelTemplate<StructuralModel> template(Form form) {
        ObjectNode json = Json.object();
        json.put("type", form.type);
        return org.statespace.spec.ModelTemplate.of(StructuralModel.class, json);
    }

    /** The local-level model with an exact diffuse start. */
    public static StructuralModel localLevel(double observationVariance, double levelVariance) {
        return of(Form.LOCAL_LEVEL, observationVariance, levelVariance);
    }

    /** The local linear trend model with an exact diffuse start. */
    public static StructuralModel localLinearTrend(double observationVariance, double levelVariance,
            double slopeVariance) {
        return of(Form.LOCAL_LINEAR_TREND, observationVariance, levelVariance, slopeVariance);
    }

    private static StructuralModel of(Form form, double... variances) {
        ObjectNode spec = Json.object();
        spec.put("type", form.type);
        for (int i = 0; i < variances.length; i++) {
            if (!Double.isFinite(variances[i])) {
                throw new IllegalArgumentException(form.variances.get(i) + " must be finite, got " + variances[i]);
            }
            Json.number(spec, form.variances.get(i), variances[i]);
        }
        return new StructuralType().read(SpecNode.root(spec, "StructuralModel"));
    }

    /** This model with a known prior x_0 ~ N(mean, covariance) instead of the diffuse start. */
    public StructuralModel withKnownInitialization(double[] mean, double[][] covariance) {
        ObjectNode spec = toSpec();
        spec.put("initialization", "known");
        spec.set("initialMean", Json.extendedVector(mean));
        spec.set("initialCovariance", Json.extendedMatrix(covariance));
        return new StructuralType().read(SpecNode.root(spec, "StructuralModel")).withKalmanOptions(kalmanOptions());
    }

    /**
     * The same model whose filter runs as {@code options} say (the same results; see {@link KalmanOptions}).
     * Not a parameter: not in the spec, not in {@link #equals}.
     */
    public StructuralModel withKalmanOptions(KalmanOptions options) {
        return new StructuralModel(form, variances, initialMean, initialCovariance, options, control);
    }

    /** How this model's filter runs. */
    public KalmanOptions kalmanOptions() {
        return model.kalmanOptions();
    }

    /** Which structural form. */
    public Form form() {
        return form;
    }

    /** The variances in {@link Form#varianceNames()} order. */
    public double[] variances() {
        return variances.clone();
    }

    /** σ²_ε. */
    public double observationVariance() {
        return variances[0];
    }

    /** σ²_η. */
    public double levelVariance() {
        return variances[1];
    }

    /** Whether the states start exact diffuse. */
    public boolean isDiffuse() {
        return initialMean == null;
    }

    /** The equivalent {@code lgssm}. */
    public LinearGaussianModel asLinearGaussian() {
        return model;
    }

    @Override
    public String type() {
        return form.type;
    }

    @Override
    public ObservationSpace observationSpace() {
        return model.observationSpace();
    }

    @Override
    public StateTransition<KalmanState> transition() {
        return model.transition();
    }

    @Override
    public Emission<KalmanState, Gaussian> emission() {
        return model.emission();
    }

    /** The free (positive, not fixed by the "fit" block) variances plus one per diffuse state (Durbin &amp; Koopman 2012, sec. 7.4). */
    @Override
    public int parameterCount() {
        return freeIndices().length + (isDiffuse() ? form.states : 0);
    }

    @Override
    public ObjectNode toSpec() {
        ObjectNode o = Json.object();
        o.put("type", form.type);
        for (int i = 0; i < variances.length; i++) {
            Json.number(o, form.variances.get(i), variances[i]);
        }
        if (!isDiffuse()) {
            o.put("initialization", "known");
            o.set("initialMean", Json.vector(initialMean));
            o.set("initialCovariance", Json.matrix(initialCovariance, form.states, form.states));
        }
        if (control != null) {
            o.set("fit", control.fitJson.deepCopy());
        }
        return o;
    }

    @Override
    public KalmanFilterResult filterStates(Sequence sequence) {
        return model.filterStates(sequence);
    }

    @Override
    public StateRecorder<KalmanState> stateRecorder(Sequence sequence) {
        return model.stateRecorder(sequence);
    }

    @Override
    public StepRecorder<KalmanState> stepRecorder() {
        return model.stepRecorder();
    }

    @Override
    public KalmanSmootherResult smoothStates(Sequence sequence) {
        return model.smoothStates(sequence);
    }

    /** The simulation smoother over the chunks ({@link SpilledSimulationSmoother}). */
    @Override
    public boolean streamsPosteriorDraws() {
        return true;
    }

    /**
     * {@link #samplePosterior(Sequence, int, RandomGenerator)}'s draws of one sequence read in chunks, the same
     * numbers from the same generator: the data's and each simulated sequence's filter spilled to disk
     * ({@link SpilledSimulationSmoother}), the draws handed to {@code out} one after another in step order.
     */
    @Override
    public double samplePosterior(String id, Chunks chunks, int count, RandomGenerator random, DrawnSteps out) {
        return model.samplePosterior(id, chunks, count, random, out);
    }

    /**
     * {@link #smoothStates}' tracks of one sequence read in chunks, by {@link LinearGaussianModel#smooth(String,
     * Chunks, SmoothedSteps)} of {@link #asLinearGaussian()} (its filter's moments spilled to disk; bit for bit the
     * in-memory numbers, the exact diffuse start included).
     *
     * @throws org.statespace.DataException when the sequence leaves part of the diffuse initial state unidentified
     */
    @Override
    public double smooth(String id, Chunks chunks, SmoothedSteps out) {
        return model.smooth(id, chunks, out);
    }

    /**
     * Not defined: a structural model is fitted by maximising its likelihood with a numerical optimiser
     * ({@link ParametricLikelihood}), not by EM, so it has no E-step statistics.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public double expectation(String id, Chunks chunks, SufficientStatistics statistics) {
        throw new UnsupportedOperationException("a " + form.type + " model is fitted by maximising its likelihood with "
                + "a numerical optimiser, not by EM: it has no E-step");
    }

    /**
     * Not defined: the hidden state is continuous, as {@link LinearGaussianModel#decode(String, Chunks, DecodedSteps)}.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public double decode(String id, Chunks chunks, DecodedSteps out) {
        throw LinearGaussianModel.noDiscretePath(form.type);
    }

    @Override
    public List<PredictiveDistribution> forecast(Sequence history, int steps, Sequence futureInputs) {
        return model.forecast(history, steps, futureInputs);
    }

    @Override
    public List<PredictiveDistribution> forecastAfter(Object filterState, Sequence window, int steps,
            Sequence futureInputs) {
        return model.forecastAfter(filterState, window, steps, futureInputs);
    }

    /**
     * {@link #forecast} typed: the 1..K-step-ahead predictive Gaussians (see
     * {@link LinearGaussianModel#forecastGaussians}): {@code model.forecastGaussians(nile, 10).get(9).mean(0)}.
     */
    public List<Gaussian> forecastGaussians(Sequence history, int steps) {
        return model.forecastGaussians(history, steps, null);
    }

    /** As {@link LinearGaussianModel#samplePosterior} (the simulation smoother). */
    @Override
    public PosteriorDraws samplePosterior(Sequence sequence, int count, RandomGenerator random) {
        return model.samplePosterior(sequence, count, random);
    }

    /** As {@link LinearGaussianModel#sampleWithStates}; a diffuse start begins at 0. */
    @Override
    public Sequence sampleWithStates(String id, int length, Sequence inputs, RandomGenerator random) {
        return model.sampleWithStates(id, length, inputs, random);
    }

    private boolean isFree(int i) {
        return variances[i] > 0 && (control == null || !control.fixed[i]);
    }

    private boolean isBounded(int i) {
        return control != null && control.bounded(i);
    }

    private int[] freeIndices() {
        int count = 0;
        for (int i = 0; i < variances.length; i++) {
            if (isFree(i)) {
                count++;
            }
        }
        int[] out = new int[count];
        int k = 0;
        for (int i = 0; i < variances.length; i++) {
            if (isFree(i)) {
                out[k++] = i;
            }
        }
        return out;
    }

    /**
     * log of each free variance, in {@link Form#varianceNames()} order; a bounded one on the scale of its bounds
     * ({@link StructuralFitControl}).
     */
    @Override
    public double[] freeParameters() {
        int[] free = freeIndices();
        double[] out = new double[free.length];
        for (int i = 0; i < free.length; i++) {
            int j = free[i];
            out[i] = isBounded(j) ? control.theta(j, variances[j]) : Math.log(variances[j]);
        }
        return out;
    }

    @Override
    public String[] freeParameterNames() {
        List<String> names = new ArrayList<>();
        for (int i : freeIndices()) {
            names.add(isBounded(i) ? control.parameterName(i, form.variances.get(i)) : "log " + form.variances.get(i));
        }
        return names.toArray(new String[0]);
    }

    /**
     * @throws NumericalException when a variance exp(θ) is not a positive finite number (so an optimiser
     *                            that strays there sees a failed evaluation)
     */
    @Override
    public StructuralModel withFreeParameters(double[] parameters) {
        int[] free = freeIndices();
        if (parameters.length != free.length) {
            throw new IllegalArgumentException("expected " + free.length + " free parameters, got " + parameters.length);
        }
        double[] v = variances.clone();
        for (int i = 0; i < free.length; i++) {
            double x = isBounded(free[i]) ? control.variance(free[i], parameters[i]) : Math.exp(parameters[i]);
            if (!(x > 0) || x == Double.POSITIVE_INFINITY) {
                throw new NumericalException(form.variances.get(free[i]) + " = " + x + " at θ = " + parameters[i]
                        + " is not a positive finite variance");
            }
            v[free[i]] = x;
        }
        return new StructuralModel(form, v, initialMean, initialCovariance, kalmanOptions(), control);
    }

    /** θ = as {@link #freeParameters()}; a variance of 0 or fixed by the "fit" block stays as it is. */
    @Override
    public double[] unconstrainedParameters() {
        return freeParameters();
    }

    @Override
    public StructuralModel withUnconstrainedParameters(double[] theta) {
        return withFreeParameters(theta);
    }

    /** The variances, in {@link Form#varianceNames()} order. */
    @Override
    public List<String> parameterNames() {
        return form.variances;
    }

    @Override
    public double[] parameterValues() {
        return variances.clone();
    }

    @Override
    public String heldFixed() {
        List<String> zero = new ArrayList<>();
        List<String> fixed = new ArrayList<>();
        for (int i = 0; i < variances.length; i++) {
            if (!(variances[i] > 0)) {
                zero.add(form.variances.get(i));
            } else if (!isFree(i)) {
                fixed.add(form.variances.get(i));
            }
        }
        List<String> parts = new ArrayList<>();
        if (!zero.isEmpty()) {
            parts.add(String.join(", ", zero) + " = 0 (a deterministic component) held fixed");
        }
        if (!fixed.isEmpty()) {
            parts.add(String.join(", ", fixed) + " held fixed by the spec's \"fit\" block");
        }
        return String.join("; ", parts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StructuralModel s && form == s.form && Arrays.equals(variances, s.variances)
                && Arrays.equals(initialMean, s.initialMean) && Arrays.equals(initialCovariance, s.initialCovariance)
                && java.util.Objects.equals(control, s.control);
    }

    @Override
    public int hashCode() {
        return form.hashCode() * 31 + Arrays.hashCode(variances);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("StructuralModel[").append(form.type);
        for (int i = 0; i < variances.length; i++) {
            b.append(", ").append(form.variances.get(i)).append('=').append(variances[i]);
        }
        return b.append(isDiffuse() ? ", diffuse]" : ", known start]").toString();
    }
}
