package org.statespace.transform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.Emission;
import org.statespace.ObservationSpace;
import org.statespace.StateSpaceModel;
import org.statespace.StateTransition;
import org.statespace.capability.Differentiable;
import org.statespace.capability.FitSettings;
import org.statespace.capability.GradientEvaluator;
import org.statespace.capability.ShardedGradient;
import org.statespace.capability.StateEstimates;
import org.statespace.capability.StateFiltering;
import org.statespace.capability.StateRecording;
import org.statespace.capability.SummedRefit;
import org.statespace.data.Dataset;
import org.statespace.data.ObservationKind;
import org.statespace.data.Sequence;
import org.statespace.data.SequenceBuffer;
import org.statespace.distribution.Affine;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.spec.Json;

/**
 * Any model run on standardised data: real observations z = (o - μ) / σ and inputs (u - μ_u) / σ_u go
 * in, and the predictive distribution of z comes back as that of o = μ + σ z ({@link Affine}), so the
 * model is scored on the data's own scale (its log-densities carry the -Σ log σ of the change of
 * variables). Neural networks need this (raw values in the hundreds saturate their units); for
 * linear-Gaussian models and HMMs it changes nothing but the parametrisation.
 *
 * <p>Spec: {@code {"type": "standardized", "observationMean": [..], "observationScale": [..],
 * "inputMean": [..], "inputScale": [..], "model": {inner spec}}}; symbolic observations are not
 * transformed (no observation fields), and the input fields are present when the inner model takes
 * inputs. Models that can be trained by gradient keep that capability (and their state estimates)
 * through {@link Trainable}. The location and scale are constants, not fitted parameters.
 */
public class StandardizedModel implements StateSpaceModel<StandardizedModel.State, PredictiveDistribution> {

    /** The spec type. */
    public static final String TYPE = "standardized";

    final StateSpaceModel<?, ?> inner;
    private final double[] observationMean;
    private final double[] observationScale;
    private final double[] inputMean;
    private final double[] inputScale;
    private final boolean symbols;
    private final Bound<?, ?> bound;

    StandardizedModel(StateSpaceModel<?, ?> inner, double[] observationMean, double[] observationScale,
            double[] inputMean, double[] inputScale) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.symbols = inner.observationSpace().kind() == ObservationKind.SYMBOLS;
        int d = symbols ? 0 : inner.observationSpace().dimension();
        int p = inner.observationSpace().inputDimension();
        check("observation", observationMean, observationScale, d);
        check("input", inputMean, inputScale, p);
        this.observationMean = observationMean.clone();
        this.observationScale = observationScale.clone();
        this.inputMean = inputMean.clone();
        this.inputScale = inputScale.clone();
        this.bound = new Bound<>(inner);
    }

    private static void check(String what, double[] mean, double[] scale, int n) {
        if (mean.length != n || scale.length != n) {
            throw new IllegalArgumentException(what + " mean and scale need " + n + " entries, got " + mean.length
                    + " and " + scale.length);
        }
        for (int j = 0; j < n; j++) {
            if (!Double.isFinite(mean[j])) {
                throw new IllegalArgumentException(what + " mean " + j + " must be finite, got " + mean[j]);
            }
            if (!(scale[j] > 0) || Double.isInfinite(scale[j])) {
                throw new IllegalArgumentException(what + " scale " + j + " must be positive and finite, got " + scale[j]);
            }
        }
    }

    /**
     * {@code inner} on data standardised by the given constants; a {@link Trainable} when the inner model
     * is {@link Differentiable} and {@link StateFiltering}.
     */
    public static StandardizedModel of(StateSpaceModel<?, ?> inner, double[] observationMean, double[] observationScale,
            double[] inputMean, double[] inputScale) {
        if (inner instanceof Differentiable && inner instanceof StateFiltering) {
            return new Trainable(inner, observationMean, observationScale, inputMean, inputScale);
        }
        return new StandardizedModel(inner, observationMean, observationScale, inputMean, inputScale);
    }

    /**
     * {@code inner} on data standardised by the data's own means and standard deviations (observed
     * values only; a constant component gets scale 1).
     */
    public static StandardizedModel fromData(StateSpaceModel<?, ?> inner, Dataset data) {
        return fromMoments(inner, org.statespace.data.Moments.of(data));
    }

    /**
     * As {@link #fromData}, from the data's {@link org.statespace.data.Moments} (their exact sums: the same scales
     * for the data in memory or summed by partitions): each component's mean, and its sample standard deviation
     * (1 below two values or when 0).
     */
    public static StandardizedModel fromMoments(StateSpaceModel<?, ?> inner, org.statespace.data.Moments moments) {
        boolean symbolic = inner.observationSpace().kind() == ObservationKind.SYMBOLS;
        double[][] obs = symbolic ? new double[][] {new double[0], new double[0]} : scales(moments, false);
        double[][] in = inner.observationSpace().inputDimension() == 0 ? new double[][] {new double[0], new double[0]}
                : scales(moments, true);
        return of(inner, obs[0], obs[1], in[0], in[1]);
    }

    private static double[][] scales(org.statespace.data.Moments moments, boolean inputs) {
        int n = inputs ? moments.inputDimension() : moments.dimension();
        double[] mean = new double[n];
        double[] scale = new double[n];
        for (int j = 0; j < n; j++) {
            org.statespace.data.Moments.Column c = inputs ? moments.input(j) : moments.observation(j);
            mean[j] = c.mean();
            double var = c.variance();
            scale[j] = var > 0 ? Math.sqrt(var) : 1;
        }
        return new double[][] {mean, scale};
    }

    /** The model that works on the standardised data. */
    public StateSpaceModel<?, ?> inner() {
        return inner;
    }

    /** A sequence on the standardised scale. */
    public Sequence standardize(Sequence s) {
        SequenceBuffer b = buffer(s);
        fill(b, s);
        Sequence out = b.toSequence();
        return s.hasStates() ? out.withStates(s.stateDimension(), s.states().orElseThrow()) : out;
    }

    /** A dataset on the standardised scale. */
    public Dataset standardize(Dataset data) {
        List<Sequence> out = new ArrayList<>(data.size());
        for (Sequence s : data.sequences()) {
            out.add(standardize(s));
        }
        return data.withSequences(out);
    }

    private SequenceBuffer buffer(Sequence s) {
        int p = inputMean.length;
        double[] u = new double[s.length() * p];
        for (int t = 0; t < s.length(); t++) {
            for (int j = 0; j < p; j++) {
                u[t * p + j] = (s.input(t, j) - inputMean[j]) / inputScale[j];
            }
        }
        return new SequenceBuffer(s.id(), s.length(), s.dimension(), p, u);
    }

    private void fill(SequenceBuffer b, Sequence s) {
        for (int t = 0; t < s.length(); t++) {
            fillStep(b, s, t);
        }
    }

    private void fillStep(SequenceBuffer b, Sequence s, int t) {
        int d = s.dimension();
        for (int j = 0; j < d; j++) {
            double v = s.value(t, j);
            b.set(t, j, symbols ? v : (v - observationMean[j]) / observationScale[j]);
        }
    }

    // ----------------------------------------------------------------------------------------------

    /**
     * The inner model's state, with the standardised view of the sequence being run: of the steps the sequence
     * holds ({@link Sequence#firstStep()} on, so a chunk of a sequence read from a file has a view of the same
     * steps).
     */
    public static final class State {
        final Object inner;
        Sequence source;
        // the view's storage: (length - firstStep) x d observations, x p inputs
        double[] observations;
        double[] inputs;
        Sequence view;

        State(Object inner) {
            this.inner = inner;
        }

        /** The inner model's state workspace. */
        public Object inner() {
            return inner;
        }
    }

    // The inner model's f and g with their types captured.
    private final class Bound<S, D extends PredictiveDistribution> {
        final StateSpaceModel<S, D> model;

        Bound(StateSpaceModel<S, D> model) {
            this.model = model;
        }

        State newState() {
            return new State(model.transition().newState());
        }

        @SuppressWarnings("unchecked")
        void start(State st, Sequence s) {
            // the view is rebuilt for a new sequence and refreshed for the same one (it may have changed)
            view(st, s);
            model.transition().start((S) st.inner, st.view);
        }

        @SuppressWarnings("unchecked")
        void step(State st, Sequence s, int t) {
            if (st.source != s) {
                // the next chunk of a sequence read from a file (or another window of it): the view follows it
                view(st, s);
            } else {
                // a sampler writes o_{t-1} after start: copy it in
                fillStep(st, s, t - 1);
            }
            model.transition().step((S) st.inner, st.view, t);
        }

        PredictiveDistribution newDistribution() {
            D d = model.emission().newDistribution();
            return symbols ? d : new Affine(d, observationMean, observationScale);
        }

        @SuppressWarnings("unchecked")
        D innerOf(PredictiveDistribution out) {
            return (D) (symbols ? out : ((Affine) out).inner());
        }

        @SuppressWarnings("unchecked")
        void predict(State st, int t, PredictiveDistribution out) {
            model.emission().predict((S) st.inner, st.view, t, innerOf(out));
        }

        @SuppressWarnings("unchecked")
        double logDensity(State st, PredictiveDistribution out, Sequence s, int t) {
            double z = model.emission().logDensity((S) st.inner, innerOf(out), st.view, t);
            return symbols ? z : z - ((Affine) out).logScale(s, t);
        }
    }

    /**
     * Points {@code st}'s view at {@code s}: the standardised steps {@code s.firstStep() .. s.length()-1}, indexed
     * as in {@code s} (the storage is kept when the shape is the same).
     */
    private void view(State st, Sequence s) {
        int first = s.firstStep();
        int rows = s.length() - first;
        int d = s.dimension();
        int p = inputMean.length;
        if (st.source != s || st.view == null || st.view.firstStep() != first || st.view.length() != s.length()) {
            if (st.observations == null || st.observations.length != rows * d || st.inputs.length != rows * p) {
                st.observations = new double[rows * d];
                st.inputs = new double[rows * p];
            }
            for (int t = first; t < s.length(); t++) {
                for (int j = 0; j < p; j++) {
                    st.inputs[(t - first) * p + j] = (s.input(t, j) - inputMean[j]) / inputScale[j];
                }
            }
            st.view = Sequence.window(s.id(), first, rows, d, st.observations, p, st.inputs);
            st.source = s;
        }
        for (int t = first; t < s.length(); t++) {
            fillStep(st, s, t);
        }
    }

    private void fillStep(State st, Sequence s, int t) {
        int d = s.dimension();
        int base = (t - s.firstStep()) * d;
        for (int j = 0; j < d; j++) {
            double v = s.value(t, j);
            st.observations[base + j] = symbols ? v : (v - observationMean[j]) / observationScale[j];
        }
    }

    private final StateTransition<State> transition = new StateTransition<>() {
        @Override
        public State newState() {
            return bound.newState();
        }

        @Override
        public void start(State state, Sequence sequence) {
            bound.start(state, sequence);
        }

        @Override
        public void step(State state, Sequence sequence, int t) {
            bound.step(state, sequence, t);
        }
    };

    private final Emission<State, PredictiveDistribution> emission = new Emission<>() {
        @Override
        public PredictiveDistribution newDistribution() {
            return bound.newDistribution();
        }

        @Override
        public void predict(State state, Sequence sequence, int t, PredictiveDistribution out) {
            bound.predict(state, t, out);
        }

        @Override
        public double logDensity(State state, PredictiveDistribution predicted, Sequence sequence, int t) {
            return bound.logDensity(state, predicted, sequence, t);
        }
    };

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ObservationSpace observationSpace() {
        return inner.observationSpace();
    }

    @Override
    public StateTransition<State> transition() {
        return transition;
    }

    @Override
    public Emission<State, PredictiveDistribution> emission() {
        return emission;
    }

    /** The inner model's: the location and scale are constants. */
    @Override
    public int parameterCount() {
        return inner.parameterCount();
    }

    @Override
    public List<String> symbolNames() {
        return inner.symbolNames();
    }

    @Override
    public ObjectNode toSpec() {
        ObjectNode o = Json.object();
        o.put("type", TYPE);
        if (!symbols) {
            o.set("observationMean", Json.vector(observationMean));
            o.set("observationScale", Json.vector(observationScale));
        }
        if (inputMean.length > 0) {
            o.set("inputMean", Json.vector(inputMean));
            o.set("inputScale", Json.vector(inputScale));
        }
        o.set("model", inner.toSpec());
        return o;
    }

    /** The same constants around another inner model. */
    StandardizedModel around(StateSpaceModel<?, ?> other) {
        return of(other, observationMean, observationScale, inputMean, inputScale);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StandardizedModel m && inner.equals(m.inner)
                && Arrays.equals(observationMean, m.observationMean) && Arrays.equals(observationScale, m.observationScale)
                && Arrays.equals(inputMean, m.inputMean) && Arrays.equals(inputScale, m.inputScale);
    }

    @Override
    public int hashCode() {
        return inner.hashCode() * 31 + Arrays.hashCode(observationMean);
    }

    @Override
    public String toString() {
        return "Standardized[" + inner + "]";
    }

    // ----------------------------------------------------------------------------------------------

    /** A standardised model that trains by gradient and reports its inner state estimates. */
    public static final class Trainable extends StandardizedModel implements Differentiable, StateRecording<State>,
            SummedRefit {

        Trainable(StateSpaceModel<?, ?> inner, double[] observationMean, double[] observationScale,
                double[] inputMean, double[] inputScale) {
            super(inner, observationMean, observationScale, inputMean, inputScale);
        }

        private Differentiable differentiable() {
            return (Differentiable) inner;
        }

        @Override
        public double[] parameters() {
            return differentiable().parameters();
        }

        @Override
        public StateSpaceModel<?, ?> withParameters(double[] parameters) {
            return around(differentiable().withParameters(parameters));
        }

        @Override
        public StateSpaceModel<?, ?> withParameters(double[] parameters, Dataset training) {
            return around(differentiable().withParameters(parameters, standardize(training)));
        }

        /**
         * The inner model's evaluator on standardised batches (each training sequence is standardised once
         * and kept while the caller holds the sequence: a dataset in memory is standardised once, sequences read
         * from a file anew each epoch are dropped with their copies); its loss is on the standardised scale.
         * Sharded ({@link ShardedGradient}) when the inner one is.
         */
        @Override
        public GradientEvaluator gradientEvaluator(FitSettings settings) {
            GradientEvaluator evaluator = differentiable().gradientEvaluator(settings);
            WeakIdentityCache standardized = new WeakIdentityCache();
            java.util.function.Function<List<Sequence>, List<Sequence>> z = batch -> {
                List<Sequence> out = new ArrayList<>(batch.size());
                for (Sequence s : batch) {
                    out.add(standardized.computeIfAbsent(s, this::standardize));
                }
                return out;
            };
            if (evaluator instanceof ShardedGradient sharded) {
                return new ShardedGradient() {
                    @Override
                    public double evaluate(double[] parameters, List<Sequence> batch, double[] gradient) {
                        return sharded.evaluate(parameters, z.apply(batch), gradient);
                    }

                    @Override
                    public int[][] shards(int[] lengths) {
                        return sharded.shards(lengths);
                    }

                    @Override
                    public Sum shardSum(double[] parameters, List<Sequence> rows, double[] gradientSum) {
                        return sharded.shardSum(parameters, z.apply(rows), gradientSum);
                    }

                    @Override
                    public double finish(double lossSum, long scored, double[] gradientSum) {
                        return sharded.finish(lossSum, scored, gradientSum);
                    }
                };
            }
            return (parameters, batch, gradient) -> evaluator.evaluate(parameters, z.apply(batch), gradient);
        }

        @Override
        public boolean usesStatistics() {
            return !(inner instanceof SummedRefit r) || r.usesStatistics();
        }

        /** The inner model's statistics of the standardised sequence. */
        @Override
        public double[] refitStatistics(Sequence sequence) {
            return summedRefit().refitStatistics(standardize(sequence));
        }

        /**
         * The inner model's accumulator fed each chunk's standardised view (the same values {@link
         * #standardize(Sequence)} gives those steps); null when the inner model has none.
         */
        @Override
        public SummedRefit.Accumulator accumulator() {
            SummedRefit.Accumulator a = inner instanceof SummedRefit r ? r.accumulator() : null;
            if (a == null) {
                return null;
            }
            State st = new State(null);
            StandardizedModel scales = this;
            return new SummedRefit.Accumulator() {
                @Override
                public void add(Sequence chunk, int from) {
                    scales.view(st, chunk);
                    a.add(st.view, from);
                }

                @Override
                public double[] statistics() {
                    return a.statistics();
                }
            };
        }

        @Override
        public StateSpaceModel<?, ?> withRefit(double[] summed) {
            return around(summedRefit().withRefit(summed));
        }

        private SummedRefit summedRefit() {
            if (!(inner instanceof SummedRefit r)) {
                throw new UnsupportedOperationException("a standardised " + inner.type()
                        + " model re-estimates from the whole data set, not from summed statistics");
            }
            return r;
        }

        /** The inner model's estimates on the standardised sequence (hidden units do not depend on scale). */
        @Override
        public StateEstimates filterStates(Sequence sequence) {
            return ((StateFiltering) inner).filterStates(standardize(sequence));
        }

        /**
         * The inner model's recorder over the standardised sequence, fed the inner state of each step: the tracks and
         * numbers of {@link #filterStates} (its run is the same arithmetic on the same standardised values); the
         * estimates carry the log-likelihood they are given, this model's on the data's scale. An inner model that
         * does not record step by step gives {@link #filterStates} (a second pass).
         */
        @Override
        @SuppressWarnings("unchecked")
        public StateRecorder<State> stateRecorder(Sequence sequence) {
            if (!(inner instanceof StateRecording<?> r)) {
                return new StateRecorder<>() {
                    @Override
                    public void record(int t, State state) {
                    }

                    @Override
                    public StateEstimates estimates(double logLikelihood) {
                        return filterStates(sequence);
                    }
                };
            }
            StateRecorder<Object> recorder = ((StateRecording<Object>) r).stateRecorder(standardize(sequence));
            return new StateRecorder<>() {
                @Override
                public void record(int t, State state) {
                    recorder.record(t, state.inner);
                }

                @Override
                public StateEstimates estimates(double logLikelihood) {
                    return recorder.estimates(logLikelihood);
                }
            };
        }

        /**
         * The inner model's step recorder, fed the inner state and the standardised view of the window being run (so a
         * sequence read from a file in chunks keeps the numbers of {@link #filterStates}).
         *
         * @throws IllegalArgumentException when the inner model cannot record its estimates step by step
         */
        @Override
        @SuppressWarnings("unchecked")
        public StepRecorder<State> stepRecorder() {
            if (!(inner instanceof StateRecording<?> r)) {
                throw new IllegalArgumentException("a standardised " + inner.type() + " model cannot record its "
                        + "state estimates step by step, so they need the whole sequence in memory");
            }
            StepRecorder<Object> steps = ((StateRecording<Object>) r).stepRecorder();
            return StepRecorder.of(steps.tracks(), (window, t, state, blocks, row) -> {
                steps.record(state.view, t, state.inner, blocks, row);
            });
        }
    }

    /**
     * Values by the identity of their sequence, held only as long as someone else holds the sequence (an
     * {@link IdentityHashMap} with weak keys; the values must not refer to their keys). Not thread-safe.
     */
    static final class WeakIdentityCache {
        private final Map<Key, Sequence> map = new java.util.HashMap<>();
        private final java.lang.ref.ReferenceQueue<Sequence> queue = new java.lang.ref.ReferenceQueue<>();

        private static final class Key extends java.lang.ref.WeakReference<Sequence> {
            private final int hash;

            Key(Sequence s, java.lang.ref.ReferenceQueue<Sequence> queue) {
                super(s, queue);
                hash = System.identityHashCode(s);
            }

            @Override
            public int hashCode() {
                return hash;
            }

            @Override
            public boolean equals(Object o) {
                if (this == o) {
                    return true;
                }
                Sequence mine = get();
                return o instanceof Key k && mine != null && mine == k.get();
            }
        }

        Sequence computeIfAbsent(Sequence s, java.util.function.UnaryOperator<Sequence> make) {
            for (java.lang.ref.Reference<? extends Sequence> gone = queue.poll(); gone != null; gone = queue.poll()) {
                map.remove(gone);
            }
            Key probe = new Key(s, null);
            Sequence v = map.get(probe);
            if (v == null) {
                v = make.apply(s);
                map.put(new Key(s, queue), v);
            }
            probe.clear();
            return v;
        }

        int size() {
            return map.size();
        }
    }
}
