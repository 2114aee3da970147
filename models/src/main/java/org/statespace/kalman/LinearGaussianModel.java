package org.statespace.kalman;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.DataException;
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
import org.statespace.capability.PosteriorDraws;
import org.statespace.capability.PosteriorSampling;
import org.statespace.capability.StateRecording;
import org.statespace.capability.StateSmoothing;
import org.statespace.capability.SufficientStatistics;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.distribution.Gaussian;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.numeric.Validate;
import org.statespace.spec.Json;
import org.statespace.spec.SpecNode;

/**
 * A linear-Gaussian state-space model ({@code "type": "lgssm"}), n states, m observed components, p
 * inputs (see the package documentation for the equations and the step convention):
 *
 * <pre>
 *   x_0 ~ N(m0, P0)                                   (or exact diffuse on some states)
 *   x_t = F x_{t-1} + B u_t + b + w_t,  w_t ~ N(0, Q)  (t &gt;= 1)
 *   y_t = H x_t + D u_t + d + v_t,      v_t ~ N(0, R)
 * </pre>
 *
 * F is n×n, B n×p, b n×1, Q n×n, H m×n, D m×p, d m×1, R m×m, m0 n×1, P0 n×n; Q, R and P0 are symmetric
 * positive semidefinite. Immutable and thread-safe. Build one with {@link #of} and the {@code with...}
 * methods, or read a spec; both validate the same way and name the parameter at fault.
 *
 * <p>Capabilities: filtering ({@link #filterStates}), RTS smoothing with lag-one cross-covariances
 * ({@link #smoothStates}), posterior draws of the states ({@link #samplePosterior}, the simulation smoother),
 * exact k-step forecasts, sampling with the hidden states, and EM
 * (Shumway-Stoffer, {@link KalmanFitSettings}); the smoother and the E-step also over one sequence read in chunks,
 * the filter's moments spilled to disk ({@link LongSequenceInference}).
 */
public final class LinearGaussianModel implements StateSpaceModel<KalmanState, Gaussian>, StateRecording<KalmanState>,
        StateSmoothing, Forecasting, LatentSampling, PosteriorSampling, ExpectationMaximization,
        org.statespace.capability.UnconstrainedParameters, LongSequenceInference {

    /** The spec type. */
    public static final String TYPE = "lgssm";

    final int n;
    final int m;
    final int p;
    final double[] transition;
    final double[] control;
    final double[] transitionOffset;
    final double[] processNoise;
    final double[] observation;
    final double[] feedthrough;
    final double[] observationOffset;
    final double[] observationNoise;
    final double[] initialMean;
    final double[] initialCovariance;
    final boolean hasControl;
    final boolean hasTransitionOffset;
    final boolean hasFeedthrough;
    final boolean hasObservationOffset;
    final int[] diffuseStates;
    private final KalmanOptions options;
    private final KalmanFilter filter;
    final LgssmFitControl fitControl;   // the spec's "prior" and "fit" blocks, or null

    /** Trusted: arrays are owned (not copied) and already validated; absent parts are zero arrays. */
    LinearGaussianModel(int n, int m, int p, double[] transition, double[] control, double[] transitionOffset,
            double[] processNoise, double[] observation, double[] feedthrough, double[] observationOffset,
            double[] observationNoise, double[] initialMean, double[] initialCovariance, boolean hasControl,
            boolean hasTransitionOffset, boolean hasFeedthrough, boolean hasObservationOffset, int[] diffuseStates) {
        this(n, m, p, transition, control, transitionOffset, processNoise, observation, feedthrough, observationOffset,
                observationNoise, initialMean, initialCovariance, hasControl, hasTransitionOffset, hasFeedthrough,
                hasObservationOffset, diffuseStates, KalmanOptions.defaults());
    }

    private LinearGaussianModel(int n, int m, int p, double[] transition, double[] control, double[] transitionOffset,
            double[] processNoise, double[] observation, double[] feedthrough, double[] observationOffset,
            double[] observationNoise, double[] initialMean, double[] initialCovariance, boolean hasControl,
            boolean hasTransitionOffset, boolean hasFeedthrough, boolean hasObservationOffset, int[] diffuseStates,
            KalmanOptions options) {
        this(n, m, p, transition, control, transitionOffset, processNoise, observation, feedthrough, observationOffset,
                observationNoise, initialMean, initialCovariance, hasControl, hasTransitionOffset, hasFeedthrough,
                hasObservationOffset, diffuseStates, options, null);
    }

    private LinearGaussianModel(int n, int m, int p, double[] transition, double[] control, double[] transitionOffset,
            double[] processNoise, double[] observation, double[] feedthrough, double[] observationOffset,
            double[] observationNoise, double[] initialMean, double[] initialCovariance, boolean hasControl,
            boolean hasTransitionOffset, boolean hasFeedthrough, boolean hasObservationOffset, int[] diffuseStates,
            KalmanOptions options, LgssmFitControl fitControl) {
        this.fitControl = fitControl;
        this.n = n;
        this.m = m;
        this.p = p;
        this.transition = transition;
        this.control = control;
        this.transitionOffset = transitionOffset;
        this.processNoise = processNoise;
        this.observation = observation;
        this.feedthrough = feedthrough;
        this.observationOffset = observationOffset;
        this.observationNoise = observationNoise;
        this.initialMean = initialMean;
        this.initialCovariance = initialCovariance;
        this.hasControl = hasControl;
        this.hasTransitionOffset = hasTransitionOffset;
        this.hasFeedthrough = hasFeedthrough;
        this.hasObservationOffset = hasObservationOffset;
        this.diffuseStates = diffuseStates;
        this.options = java.util.Objects.requireNonNull(options, "options");
        this.filter = new KalmanFilter(this, options);
    }

    /**
     * A linear-Gaussian model with an n-dimensional state (dynamax's {@code LinearGaussianSSM(n, m)}), its
     * observation size and inputs given by the data it is fitted to, fitted by EM (Shumway-Stoffer):
     *
     * <pre>{@code
     * FittedModel<LinearGaussianModel> fit = Trainer.fit(LinearGaussianModel.ofStateDimension(2), data);
     * KalmanSmootherResult smoothed = fit.model().smoothStates(data.sequences().get(0));
     * }</pre>
     *
     * @param stateDimension n, 1 to 1000
     */
    public static org.statespace.spec.ModelTemplate<LinearGaussianModel> ofStateDimension(int stateDimension) {
        if (stateDimension < 1 || stateDimension > 1000) {
            throw new org.statespace.SpecException("template", "stateDimension", "the state dimension must be 1 to 1000, got "
                    + stateDimension);
        }
        ObjectNode json = Json.object();
        json.put("type", TYPE);
        json.put("stateDimension", stateDimension);
        return org.statespace.spec.ModelTemplate.of(LinearGaussianModel.class, json);
    }

    /**
     * A model with no inputs and no offsets and a known initial distribution.
     *
     * @throws org.statespace.SpecException naming the parameter when a shape is wrong, a value is not
     *                                      finite or a covariance is not symmetric positive semidefinite
     */
    public static LinearGaussianModel of(double[][] transitionMatrix, double[][] processNoise,
            double[][] observationMatrix, double[][] observationNoise, double[] initialMean,
            double[][] initialCovariance) {
        ObjectNode spec = Json.object();
        spec.put("type", TYPE);
        // extended: a NaN reaches the reader as "NaN" and is refused there with the parameter's name
        spec.set("transitionMatrix", Json.extendedMatrix(transitionMatrix));
        spec.set("processNoise", Json.extendedMatrix(processNoise));
        spec.set("observationMatrix", Json.extendedMatrix(observationMatrix));
        spec.set("observationNoise", Json.extendedMatrix(observationNoise));
        spec.set("initialMean", Json.extendedVector(initialMean));
        spec.set("initialCovariance", Json.extendedMatrix(initialCovariance));
        return read(spec);
    }

    private static LinearGaussianModel read(ObjectNode spec) {
        return new LinearGaussianType().read(SpecNode.root(spec, "LinearGaussianModel"));
    }

    /** This model with control matrix B (n×p), which makes it take p inputs. */
    public LinearGaussianModel withControlMatrix(double[][] controlMatrix) {
        ObjectNode spec = toSpec();
        spec.set("controlMatrix", Json.extendedMatrix(controlMatrix));
        return read(spec);
    }

    /** This model with feedthrough matrix D (m×p). */
    public LinearGaussianModel withFeedthroughMatrix(double[][] feedthroughMatrix) {
        ObjectNode spec = toSpec();
        spec.set("feedthroughMatrix", Json.extendedMatrix(feedthroughMatrix));
        return read(spec);
    }

    /** This model with transition offset b (n). */
    public LinearGaussianModel withTransitionOffset(double[] offset) {
        ObjectNode spec = toSpec();
        spec.set("transitionOffset", Json.extendedVector(offset));
        return read(spec);
    }

    /** This model with observation offset d (m). */
    public LinearGaussianModel withObservationOffset(double[] offset) {
        ObjectNode spec = toSpec();
        spec.set("observationOffset", Json.extendedVector(offset));
        return read(spec);
    }

    /**
     * This model with an exact diffuse start on the given states (all states when none are given). The
     * initial covariance must be zero in their rows and columns; their initial means do not matter.
     */
    public LinearGaussianModel withDiffuseInitialization(int... states) {
        ObjectNode spec = toSpec();
        spec.put("initialization", "diffuse");
        if (states.length > 0) {
            spec.set("diffuseStates", Json.vector(states));
        } else {
            spec.remove("diffuseStates");
        }
        return read(spec);
    }

    /** This model carrying the spec's prior and fit blocks (null for none). */
    LinearGaussianModel withFitControl(LgssmFitControl c) {
        return new LinearGaussianModel(n, m, p, transition, control, transitionOffset, processNoise, observation,
                feedthrough, observationOffset, observationNoise, initialMean, initialCovariance, hasControl,
                hasTransitionOffset, hasFeedthrough, hasObservationOffset, diffuseStates, options, c);
    }

    /** The same structure with new parameter values (trusted, from EM). */
    LinearGaussianModel withParameters(double[] transition, double[] control, double[] transitionOffset,
            double[] processNoise, double[] observation, double[] feedthrough, double[] observationOffset,
            double[] observationNoise, double[] initialMean, double[] initialCovariance) {
        for (double[] a : new double[][] {transition, control, transitionOffset, processNoise, observation, feedthrough,
                observationOffset, observationNoise, initialMean, initialCovariance}) {
            for (double v : a) {
                if (!Double.isFinite(v)) {
                    throw new org.statespace.NumericalException("EM produced a non-finite parameter (" + v + ")");
                }
            }
        }
        return new LinearGaussianModel(n, m, p, transition, control, transitionOffset, processNoise, observation,
                feedthrough, observationOffset, observationNoise, initialMean, initialCovariance, hasControl,
                hasTransitionOffset, hasFeedthrough, hasObservationOffset, diffuseStates, options, fitControl);
    }

    /**
     * The same model whose filter runs as {@code options} say (the results are the same; only the time
     * differs). The options are not a parameter: they are not in the spec and not in {@link #equals}.
     */
    public LinearGaussianModel withKalmanOptions(KalmanOptions options) {
        return new LinearGaussianModel(n, m, p, transition, control, transitionOffset, processNoise, observation,
                feedthrough, observationOffset, observationNoise, initialMean, initialCovariance, hasControl,
                hasTransitionOffset, hasFeedthrough, hasObservationOffset, diffuseStates, options, fitControl);
    }

    /** How this model's filter runs ({@link KalmanOptions#defaults()} unless set). */
    public KalmanOptions kalmanOptions() {
        return options;
    }

    /**
     * The model as a {@link GaussianStateSpace}: its exact prediction and observation operations, for
     * {@link ConventionalKalmanFilter}, {@link SequentialKalmanFilter} or any filter written against the
     * interface. (The model's own recurrence, {@link #transition()}, runs the same operations.)
     *
     * @throws IllegalStateException for a model with an exact diffuse start, which only the model's own
     *                               filter handles (its {@code initialCovariance} is the known part alone)
     */
    public GaussianStateSpace stateSpace() {
        if (diffuseStates.length > 0) {
            throw new IllegalStateException("the model has an exact diffuse start on states "
                    + Arrays.toString(diffuseStates) + ": filter it with filterStates() or transition(), which handle it");
        }
        return filter.stateSpace();
    }

    KalmanFilter filter() {
        return filter;
    }

    // ------------------------------------------------------------------------------------------------
    // StateSpaceModel

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ObservationSpace observationSpace() {
        return ObservationSpace.reals(m).withInputs(p);
    }

    @Override
    public StateTransition<KalmanState> transition() {
        return filter;
    }

    @Override
    public Emission<KalmanState, Gaussian> emission() {
        return filter;
    }

    /**
     * F, B, b, H, D, d entry by entry (those present), Q and R as symmetric matrices, m0 and P0 of the
     * states with a known start, and one for each diffuse state (whose initial value the data estimate;
     * Durbin &amp; Koopman 2012, sec. 7.4, count AIC this way).
     */
    @Override
    public int parameterCount() {
        int count = n * n + n * (n + 1) / 2 + m * n + m * (m + 1) / 2;
        count += hasControl ? n * p : 0;
        count += hasTransitionOffset ? n : 0;
        count += hasFeedthrough ? m * p : 0;
        count += hasObservationOffset ? m : 0;
        int known = n - diffuseStates.length;
        count += known + known * (known + 1) / 2 + diffuseStates.length;
        return count;
    }

    @Override
    public ObjectNode toSpec() {
        ObjectNode o = Json.object();
        o.put("type", TYPE);
        o.set("transitionMatrix", Json.matrix(transition, n, n));
        if (hasControl) {
            o.set("controlMatrix", Json.matrix(control, n, p));
        }
        if (hasTransitionOffset) {
            o.set("transitionOffset", Json.vector(transitionOffset));
        }
        o.set("processNoise", Json.matrix(processNoise, n, n));
        o.set("observationMatrix", Json.matrix(observation, m, n));
        if (hasFeedthrough) {
            o.set("feedthroughMatrix", Json.matrix(feedthrough, m, p));
        }
        if (hasObservationOffset) {
            o.set("observationOffset", Json.vector(observationOffset));
        }
        o.set("observationNoise", Json.matrix(observationNoise, m, m));
        if (diffuseStates.length == 0) {
            o.set("initialMean", Json.vector(initialMean));
            o.set("initialCovariance", Json.matrix(initialCovariance, n, n));
        } else {
            o.put("initialization", "diffuse");
            if (diffuseStates.length < n) {
                o.set("diffuseStates", Json.vector(diffuseStates));
            }
            if (Dense.maxAbs(initialMean, n) > 0) {
                o.set("initialMean", Json.vector(initialMean));
            }
            if (Dense.maxAbs(initialCovariance, n * n) > 0) {
                o.set("initialCovariance", Json.matrix(initialCovariance, n, n));
            }
        }
        if (fitControl != null) {
            fitControl.writeTo(o);
        }
        return o;
    }

    // ------------------------------------------------------------------------------------------------
    // accessors (copies)

    /** n. */
    public int stateDimension() {
        return n;
    }

    /** m. */
    public int observationDimension() {
        return m;
    }

    /** p (0 without inputs). */
    public int inputDimension() {
        return p;
    }

    /** F (n×n). */
    public double[][] transitionMatrix() {
        return Validate.unpack(transition, n, n);
    }

    /** B (n×p), when the model has one. */
    public Optional<double[][]> controlMatrix() {
        return hasControl ? Optional.of(Validate.unpack(control, n, p)) : Optional.empty();
    }

    /** b (n), when the model has one. */
    public Optional<double[]> transitionOffset() {
        return hasTransitionOffset ? Optional.of(transitionOffset.clone()) : Optional.empty();
    }

    /** Q (n×n). */
    public double[][] processNoise() {
        return Validate.unpack(processNoise, n, n);
    }

    /** H (m×n). */
    public double[][] observationMatrix() {
        return Validate.unpack(observation, m, n);
    }

    /** D (m×p), when the model has one. */
    public Optional<double[][]> feedthroughMatrix() {
        return hasFeedthrough ? Optional.of(Validate.unpack(feedthrough, m, p)) : Optional.empty();
    }

    /** d (m), when the model has one. */
    public Optional<double[]> observationOffset() {
        return hasObservationOffset ? Optional.of(observationOffset.clone()) : Optional.empty();
    }

    /** R (m×m). */
    public double[][] observationNoise() {
        return Validate.unpack(observationNoise, m, m);
    }

    /** m0 (n). */
    public double[] initialMean() {
        return initialMean.clone();
    }

    /** P0 (n×n); for a diffuse start, the covariance of the non-diffuse part (zero on diffuse states). */
    public double[][] initialCovariance() {
        return Validate.unpack(initialCovariance, n, n);
    }

    /** The states with an exact diffuse start, ascending; empty for a known initial distribution. */
    public int[] diffuseStates() {
        return diffuseStates.clone();
    }

    // ------------------------------------------------------------------------------------------------
    // filtering, smoothing, forecasting, sampling

    @Override
    public KalmanFilterResult filterStates(Sequence sequence) {
        FilterRecorder recorder = new FilterRecorder(sequence);
        KalmanState s = filter.newState();
        for (int t = 0; t < sequence.length(); t++) {
            if (t == 0) {
                filter.start(s, sequence);
            } else {
                filter.propagate(s, sequence, t);
            }
            filter.moments(s, sequence, t);
            filter.update(s, sequence, t);
            recorder.record(t, s);
        }
        return recorder.estimates(Double.NaN);
    }

    /**
     * The tracks of {@link #filterStates} copied out of the state of each step as the engine runs (after the
     * emission has scored, and so updated on, o_t); {@link #filterStates} is one such run.
     */
    @Override
    public StateRecorder<KalmanState> stateRecorder(Sequence sequence) {
        return new FilterRecorder(sequence);
    }

    /** {@link #stateRecorder}'s tracks of one step at a time, in the order of {@link KalmanFilterResult#tracks()}. */
    @Override
    public StepRecorder<KalmanState> stepRecorder() {
        return new FilterSteps();
    }

    /** The arrays of a whole run filled by {@link FilterSteps}, and the run's diffuse counts. */
    private final class FilterRecorder implements StateRecorder<KalmanState> {
        private final Sequence sequence;
        private final int length;
        private final FilterSteps steps = new FilterSteps();
        private final double[][] arrays;
        private int diffuseSteps;
        private int resolvedDiffuse;

        FilterRecorder(Sequence sequence) {
            this.sequence = sequence;
            this.length = sequence.length();
            this.arrays = StateRecording.allocate(steps.tracks(), length);
        }

        @Override
        public void record(int t, KalmanState s) {
            steps.record(sequence, t, s, arrays, t);
            if (s.diffuse) {
                diffuseSteps++;
            }
            resolvedDiffuse = s.resolvedDiffuse;
        }

        /** The log-likelihood is the sum of the recorded terms (the argument is not needed). */
        @Override
        public KalmanFilterResult estimates(double logLikelihood) {
            double[][] a = arrays;
            boolean diffuseModel = a.length > 7;
            return new KalmanFilterResult(length, n, m, a[0], a[1], a[2], a[3], a[4], a[5], a[6],
                    diffuseModel ? a[7] : null, diffuseModel ? a[8] : null, diffuseModel ? a[9] : null, diffuseSteps,
                    resolvedDiffuse);
        }
    }

    /** Copies the predicted and filtered moments, innovations and log-density term of one step. */
    private final class FilterSteps implements StepRecorder<KalmanState> {
        private final List<TrackShape> tracks;
        private final double[] diffuseInnovation;

        FilterSteps() {
            List<TrackShape> all = new ArrayList<>(List.of(new TrackShape("predictedMeans", new int[] {n}),
                    new TrackShape("predictedCovariances", new int[] {n, n}),
                    new TrackShape("filteredMeans", new int[] {n}),
                    new TrackShape("filteredCovariances", new int[] {n, n}),
                    new TrackShape("innovations", new int[] {m}),
                    new TrackShape("innovationCovariances", new int[] {m, m}),
                    new TrackShape("logLikelihoodTerms", new int[0])));
            boolean diffuseModel = diffuseStates.length > 0;
            if (diffuseModel) {
                all.add(new TrackShape("predictedDiffuseCovariances", new int[] {n, n}));
                all.add(new TrackShape("filteredDiffuseCovariances", new int[] {n, n}));
                all.add(new TrackShape("innovationDiffuseCovariances", new int[] {m, m}));
            }
            tracks = List.copyOf(all);
            diffuseInnovation = diffuseModel ? new double[m * m] : null;
        }

        @Override
        public List<TrackShape> tracks() {
            return tracks;
        }

        // the update leaves the predicted moments, F_t and the diffuse part P_inf of step t in place
        @Override
        public void record(Sequence window, int t, KalmanState s, double[][] blocks, int row) {
            if (s.step != t || s.updated != t || s.moments != t) {
                throw new IllegalStateException("step " + t + " of '" + window.id() + "' was not updated");
            }
            int nn = n * n;
            int mm = m * m;
            // in the order the whole-run recorder always copied them (the diffuse F_inf is computed in place)
            System.arraycopy(s.mean, 0, blocks[0], row * n, n);
            System.arraycopy(s.current.covariance, 0, blocks[1], row * nn, nn);
            System.arraycopy(s.current.innovationCovariance, 0, blocks[5], row * mm, mm);
            for (int j = 0; j < m; j++) {
                blocks[4][row * m + j] = window.value(t, j) - s.observationMean[j];
            }
            boolean diffuseModel = diffuseInnovation != null;
            if (diffuseModel && s.diffuse) {
                System.arraycopy(s.diffuseCovariance, 0, blocks[7], row * nn, nn);
                filter.diffuseInnovationCovariance(s, diffuseInnovation);
                System.arraycopy(diffuseInnovation, 0, blocks[9], row * mm, mm);
            } else if (diffuseModel) { // zero once the diffuse phase is over
                Arrays.fill(blocks[7], row * nn, (row + 1) * nn, 0);
                Arrays.fill(blocks[9], row * mm, (row + 1) * mm, 0);
            }
            blocks[6][row] = s.logDensity;
            s.copyFilteredMean(blocks[2], row * n);
            s.copyFilteredCovariance(blocks[3], row * nn);
            if (diffuseModel && s.filteredDiffuse) {
                System.arraycopy(s.filteredDiffuseCovariance, 0, blocks[8], row * nn, nn);
            } else if (diffuseModel) {
                Arrays.fill(blocks[8], row * nn, (row + 1) * nn, 0);
            }
        }
    }

    /**
     * @throws DataException when the sequence leaves part of a diffuse initial state unidentified
     */
    @Override
    public KalmanSmootherResult smoothStates(Sequence sequence) {
        KalmanSmoother.Smoothed sm = KalmanSmoother.smooth(FilterMoments.record(filter, sequence));
        return new KalmanSmootherResult(sequence.length(), n, sm.means(), sm.covariances(), sm.lagOne(),
                sm.moments().logLikelihood);
    }

    /**
     * Joint draws of x_0..x_{T-1} from p(x | y) by the simple simulation smoother of Durbin &amp; Koopman
     * (2002): each draw simulates the model with the sequence's inputs and missing components and corrects
     * the smoothed mean by the simulated smoothing error (see {@code SimulationSmoother}). Missing data and
     * an exact diffuse start are handled as by {@link #smoothStates}.
     *
     * @throws DataException when the sequence leaves part of a diffuse initial state unidentified
     */
    @Override
    public PosteriorDraws samplePosterior(Sequence sequence, int count, RandomGenerator random) {
        return SimulationSmoother.sample(this, filter, sequence, count, random);
    }

    /**
     * Exact k-step-ahead predictive distributions N(H a + D u + d, H P Hᵀ + R) after the whole history, a
     * and P propagated without observations. Still inside a diffuse start, the law is the wide stand-in
     * the emission reports (see the package documentation).
     */
    /**
     * {@link #forecast} typed: the 1..K-step-ahead predictive Gaussians (mean, covariance), so no cast is needed:
     *
     * <pre>{@code
     * List<Gaussian> ahead = model.forecastGaussians(history, 10, null);
     * double mean = ahead.get(9).mean(0), sd = Math.sqrt(ahead.get(9).variance(0));
     * }</pre>
     *
     * @param futureInputs the inputs of the K future steps, or {@code null} for a model without inputs
     */
    public List<Gaussian> forecastGaussians(Sequence history, int steps, Sequence futureInputs) {
        List<Gaussian> out = new ArrayList<>();
        for (PredictiveDistribution d : forecast(history, steps, futureInputs)) {
            out.add((Gaussian) d);
        }
        return out;
    }

    @Override
    public List<PredictiveDistribution> forecast(Sequence history, int steps, Sequence futureInputs) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        requireFutureInputs(steps, futureInputs);
        KalmanState s;
        if (history.length() == 0) {
            s = filter.newState();
            filter.start(s, history);
        } else {
            Recurrence.Workspace<KalmanState, Gaussian> w = Recurrence.workspace(this);
            w.run(history, null);
            s = w.state();
        }
        return ahead(s, history, steps, futureInputs);
    }

    /** From the filter's belief of step T-1 (o_{T-1} conditioned on): as {@link #forecast}. */
    @Override
    public List<PredictiveDistribution> forecastAfter(Object filterState, Sequence window, int steps,
            Sequence futureInputs) {
        KalmanState s = Forecasting.filterState(filterState, KalmanState.class, window, steps);
        if (s.step != window.length() - 1) {
            throw new IllegalArgumentException("the filter state is at step " + s.step + ", the window ends at step "
                    + (window.length() - 1));
        }
        requireFutureInputs(steps, futureInputs);
        return ahead(s, window, steps, futureInputs);
    }

    private void requireFutureInputs(int steps, Sequence futureInputs) {
        if (p > 0 && (futureInputs == null || futureInputs.inputDimension() != p || futureInputs.length() < steps)) {
            throw new DataException("the model takes " + p + " inputs per step: give at least " + steps
                    + " steps of future inputs" + (futureInputs == null ? "" : " (got " + futureInputs.length()
                            + " steps of " + futureInputs.inputDimension() + ")"));
        }
    }

    // From the predicted belief of step T-1 (its observation conditioned on, or not yet), or the start for T = 0:
    // condition on o_{T-1}, then propagate with the future inputs and emit, once per step ahead.
    private List<PredictiveDistribution> ahead(KalmanState s, Sequence history, int steps, Sequence futureInputs) {
        Gaussian g = filter.newDistribution();
        int length = history.length();
        List<PredictiveDistribution> out = new ArrayList<>(steps);
        for (int j = 0; j < steps; j++) {
            int t = length + j;
            if (t > 0) {
                if (t - 1 < length) {
                    if (s.updated != t - 1) {
                        filter.update(s, history, t - 1);
                    }
                } else {
                    filter.skipUpdate(s);
                }
                filter.propagate(s, futureInputs, j, t);
            }
            filter.moments(s, futureInputs, j, t);
            filter.writePrediction(s, history, t, g);
            requireFiniteForecast(g, history, j);
            out.add(g.copy());
        }
        return out;
    }

    // An explosive transition (spectral radius above 1) run long enough overflows the forecast moments: a
    // NumericalException naming the forecast step (1-based, as the forecast command numbers them).
    private void requireFiniteForecast(Gaussian g, Sequence history, int j) {
        for (int i = 0; i < m; i++) {
            double mean = g.mean(i);
            double variance = g.variance(i);
            if (!Double.isFinite(mean) || !Double.isFinite(variance)) {
                throw new NumericalException("sequence '" + history.id() + "', forecast step " + (j + 1)
                        + ": the predictive " + (Double.isFinite(mean) ? "variance" : "mean")
                        + (m == 1 ? "" : " of component " + i) + " is " + (Double.isFinite(mean) ? variance : mean)
                        + " (the transition matrix is explosive: the forecast overflows a double)");
            }
        }
    }

    /**
     * Draws x_0 ~ N(m0, P0) (states with a diffuse start begin at their initial mean), then
     * x_t = F x_{t-1} + B u_t + b + w_t and y_t = H x_t + D u_t + d + v_t; at each step n normal draws for
     * w (none at t = 0, n for x_0 instead) then m for v, through square roots of the covariances (which may
     * be singular). The hidden states are attached (T×n).
     */
    @Override
    public Sequence sampleWithStates(String id, int length, Sequence inputs, RandomGenerator random) {
        if (length < 1) {
            throw new IllegalArgumentException("length must be at least 1, got " + length);
        }
        if (p > 0 && (inputs == null || inputs.inputDimension() != p || inputs.length() < length)) {
            throw new DataException("the model takes " + p + " inputs per step: give at least " + length + " steps");
        }
        StateSimulator simulator = new StateSimulator(this);
        double[] states = new double[length * n];
        double[] obs = new double[length * m];
        double[] u = new double[Math.max(p, 1)];
        for (int t = 0; t < length; t++) {
            for (int j = 0; j < p; j++) {
                u[j] = inputs.input(t, j);
            }
            simulator.step(t, u, 0, random, obs, t * m);
            System.arraycopy(simulator.state, 0, states, t * n, n);
        }
        Sequence s = Sequence.of(id, m, obs);
        if (p > 0) {
            double[] packed = Arrays.copyOf(inputs.inputs(), length * p);
            s = s.withInputs(p, packed);
        }
        return s.withStates(n, states);
    }

    // ------------------------------------------------------------------------------------------------
    // EM

    @Override
    public SufficientStatistics newStatistics() {
        return new ShumwayStoffer.Statistics(n, m, p, observationOffset);
    }

    @Override
    public double expectation(Sequence sequence, SufficientStatistics statistics) {
        return ShumwayStoffer.expectation(this, sequence, (ShumwayStoffer.Statistics) statistics);
    }

    // ------------------------------------------------------------------------------------------------
    // one long sequence in chunks

    /** {@link #expectation} of one sequence read in chunks, its filter's moments spilled to disk (bit for bit). */
    @Override
    public double expectation(String id, Chunks chunks, SufficientStatistics statistics) {
        return new SpilledKalman(this).expectation(id, chunks, (ShumwayStoffer.Statistics) statistics);
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
        return SpilledSimulationSmoother.sample(this, id, chunks, count, random, out, 0);
    }

    /**
     * {@link #smoothStates}' tracks of one sequence read in chunks, its filter's moments spilled to disk (bit for
     * bit): {@code smoothedMeans}, {@code smoothedCovariances}, {@code smoothedLagOneCovariances}.
     *
     * @throws DataException when the sequence leaves part of a diffuse initial state unidentified
     */
    @Override
    public double smooth(String id, Chunks chunks, SmoothedSteps out) {
        return new SpilledKalman(this).smooth(id, chunks, out);
    }

    /**
     * Not defined: the hidden state is continuous, so there is no most probable discrete path (the smoothed means
     * are its estimate).
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public double decode(String id, Chunks chunks, DecodedSteps out) {
        throw noDiscretePath(TYPE);
    }

    // decode's refusal for a model of this type whose state is this continuous one (also a structural model's)
    static UnsupportedOperationException noDiscretePath(String type) {
        return new UnsupportedOperationException("a " + type + " model's hidden state is continuous: it has no discrete "
                + "hidden path to decode (smooth gives its smoothed means)");
    }

    @Override
    public LinearGaussianModel maximization(SufficientStatistics statistics, FitSettings settings) {
        return ShumwayStoffer.maximization(this, (ShumwayStoffer.Statistics) statistics, settings);
    }

    /**
     * Each input that is constant over {@code training} (or a combination of the other inputs and the offsets'
     * constant): EM cannot estimate its columns of the control (and feedthrough) matrix, so the M-step holds
     * them at their current values, which a template starts at 0; the fitted model then ignores that input.
     */
    @Override
    public List<String> fitNotes(Dataset training) {
        return ShumwayStoffer.notes(this, training);
    }

    /** Whether the spec gave a {@code "prior"} on Q or R: EM then maximises the log-posterior. */
    @Override
    public boolean hasPrior() {
        return fitControl != null && fitControl.hasPrior();
    }

    /**
     * log p(Q) + log p(R): the inverse-Wishart log-densities of the spec's prior (a diagonal fit maximises the same
     * density over diagonal matrices); 0 without a prior.
     */
    @Override
    public double logPrior() {
        return fitControl == null ? 0 : fitControl.logPrior(processNoise, n, observationNoise, m);
    }

    // ------------------------------------------------------------------------------------------------

    // ------------------------------------------------------------------------------------------------
    // UnconstrainedParameters (standard errors; see LgssmParameters)

    private LgssmParameters parametrisation() {
        return new LgssmParameters(this, KalmanFitSettings.defaults());
    }

    /** F, B, b, H, D, d as they are, Q and R by Cholesky factors with log diagonals (see {@code LgssmParameters}). */
    @Override
    public double[] unconstrainedParameters() {
        return parametrisation().unconstrainedParameters();
    }

    @Override
    public LinearGaussianModel withUnconstrainedParameters(double[] theta) {
        return parametrisation().withUnconstrainedParameters(theta);
    }

    /** {@code transitionMatrix[i][j]}, ..., {@code processNoise[i][j]} (j &lt;= i), ..., {@code observationNoise[i][j]}. */
    @Override
    public List<String> parameterNames() {
        return parametrisation().parameterNames();
    }

    @Override
    public double[] parameterValues() {
        return parametrisation().parameterValues();
    }

    @Override
    public String heldFixed() {
        return parametrisation().heldFixed();
    }

    /** With {@link KalmanFitSettings}: the matrices the fit held fixed, and its diagonal noises, held here too. */
    @Override
    public org.statespace.capability.UnconstrainedParameters fixing(FitSettings settings) {
        return parametrisation().fixing(settings);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LinearGaussianModel g)) {
            return false;
        }
        return n == g.n && m == g.m && p == g.p && hasControl == g.hasControl
                && hasTransitionOffset == g.hasTransitionOffset && hasFeedthrough == g.hasFeedthrough
                && hasObservationOffset == g.hasObservationOffset && Arrays.equals(diffuseStates, g.diffuseStates)
                && Arrays.equals(transition, g.transition) && Arrays.equals(control, g.control)
                && Arrays.equals(transitionOffset, g.transitionOffset) && Arrays.equals(processNoise, g.processNoise)
                && Arrays.equals(observation, g.observation) && Arrays.equals(feedthrough, g.feedthrough)
                && Arrays.equals(observationOffset, g.observationOffset)
                && Arrays.equals(observationNoise, g.observationNoise) && Arrays.equals(initialMean, g.initialMean)
                && Arrays.equals(initialCovariance, g.initialCovariance) && java.util.Objects.equals(fitControl, g.fitControl);
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(transition);
        h = 31 * h + Arrays.hashCode(processNoise);
        h = 31 * h + Arrays.hashCode(observation);
        h = 31 * h + Arrays.hashCode(observationNoise);
        h = 31 * h + Arrays.hashCode(initialMean);
        return 31 * h + Arrays.hashCode(diffuseStates);
    }

    @Override
    public String toString() {
        return "LinearGaussianModel[n=" + n + ", m=" + m + ", p=" + p
                + (diffuseStates.length > 0 ? ", diffuse " + Arrays.toString(diffuseStates) : "") + "]";
    }
}
