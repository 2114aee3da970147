package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import org.statespace.StateSpaceModel;
import org.statespace.capability.StateEstimates;
import org.statespace.capability.StateFiltering;
import org.statespace.capability.Track;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/**
 * {@link FilterOptions#states()}: the engine keeps the filtered state estimates of every sequence in its own
 * pass. They must be the numbers of the family's separate {@code filterStates} (the HMM's forward-backward
 * kernel, the Kalman filter driven step by step outside the engine), and of a local-level filter computed here
 * by hand.
 */
class FilterEngineStatesTest {

    @ParameterizedTest
    @EnumSource(value = RandomModels.Kind.class, names = "MARKOV", mode = EnumSource.Mode.EXCLUDE)
    void theEnginesStatesAreThoseOfFilterStates(RandomModels.Kind kind) {
        for (long seed = 1; seed <= 3; seed++) {
            StateSpaceModel<?, ?> model = RandomModels.model(kind, seed);
            Dataset data = withMissing(RandomModels.sample(model, 4, seed));
            assertSameAsFilterStates(kind.toString(), model, data);
        }
    }

    /**
     * The families whose states the engine records in its own pass ({@link org.statespace.capability.StateRecording})
     * beyond those of {@link RandomModels}: input-output HMMs, hidden semi-Markov models and the non-linear
     * filters (extended, unscented, particle: its random stream is the sequence's, so the numbers are the same).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"iohmm-regression", "iohmm-gaussian", "hsmm", "ekf", "ukf",
            "particle"})
    void theEnginePassRecordsTheStatesOfEveryOtherFamily(String kind) {
        Dataset withInputs = withMissing(inputsAndValues(3, 60, 7));
        Dataset data = kind.startsWith("iohmm") ? withInputs : withoutInputs(withInputs);
        String spec = switch (kind) {
            case "iohmm-regression" -> "{\"type\": \"iohmm\", \"states\": 3, \"emission\": \"regression\"}";
            case "iohmm-gaussian" -> "{\"type\": \"iohmm\", \"states\": 2, \"emission\": \"gaussian\"}";
            case "hsmm" -> "{\"type\": \"hsmm\", \"states\": 3}";
            default -> null;
        };
        StateSpaceModel<?, ?> model = spec != null
                ? ModelSpecs.template(org.statespace.spec.SpecNode.root(Json.parse(spec, kind), kind),
                        data, org.statespace.numeric.Randoms.seeded(2))
                : ModelSpecs.parse("{\"type\": \"nonlinear\", \"model\": \"growth\", \"filter\": \"" + kind + "\", "
                        + (kind.equals("particle") ? "\"particles\": 300, \"seed\": 4, " : "")
                        + "\"processNoise\": [[10]], \"observationNoise\": [[1]], "
                        + "\"initialMean\": [0], \"initialCovariance\": [[5]]}", kind);
        assertThat(model).as(kind).isInstanceOf(org.statespace.capability.StateRecording.class);
        assertSameAsFilterStates(kind, model, data);
    }

    // the engine's states of every sequence equal filterStates' to 1e-12, track by track
    private static void assertSameAsFilterStates(String kind, StateSpaceModel<?, ?> model, Dataset data) {
        FilterResult run = FilterEngine.of(FilterOptions.defaults().withThreads(2).withStates(true)).run(model, data);
        for (int i = 0; i < data.size(); i++) {
            StateEstimates separate = ((StateFiltering) model).filterStates(data.sequence(i));
            StateEstimates kept = run.sequence(i).states().orElseThrow();
            assertThat(kept.tracks()).extracting(Track::name)
                    .containsExactlyElementsOf(separate.tracks().stream().map(Track::name).toList());
            Map<String, Track> byName = kept.tracks().stream().collect(Collectors.toMap(Track::name, Function.identity()));
            for (Track expected : separate.tracks()) {
                Track actual = byName.get(expected.name());
                assertThat(actual.shape()).as("%s %s", kind, expected.name()).containsExactly(expected.shape());
                double[] a = actual.values();
                double[] e = expected.values();
                assertThat(a).hasSameSizeAs(e);
                for (int k = 0; k < e.length; k++) {
                    if (Double.isNaN(e[k])) {
                        assertThat(a[k]).as("%s %s[%d]", kind, expected.name(), k).isNaN();
                    } else {
                        assertThat(a[k]).as("%s %s[%d]", kind, expected.name(), k)
                                .isCloseTo(e[k], within(1e-12 * Math.max(1, Math.abs(e[k]))));
                    }
                }
            }
            assertThat(run.sequence(i).logLikelihood()).isCloseTo(separate.logLikelihood(),
                    within(1e-9 * Math.max(1, Math.abs(separate.logLikelihood()))));
        }
    }

    // sequences of a real value driven by one input: y_t = 2 u_t + regime shift + noise
    private static Dataset inputsAndValues(int sequences, int length, long seed) {
        java.util.Random r = new java.util.Random(seed);
        List<Sequence> out = new ArrayList<>();
        for (int s = 0; s < sequences; s++) {
            double[] u = new double[length];
            double[] y = new double[length];
            int regime = 0;
            for (int t = 0; t < length; t++) {
                regime = r.nextDouble() < 0.1 ? 1 - regime : regime;
                u[t] = r.nextGaussian();
                y[t] = 2 * u[t] + (regime == 0 ? -3 : 3) + r.nextGaussian();
            }
            out.add(Sequence.ofScalars("s" + s, y).withInputs(1, u));
        }
        return Dataset.of(out);
    }

    private static Dataset withoutInputs(Dataset data) {
        List<Sequence> out = new ArrayList<>();
        for (Sequence s : data.sequences()) {
            double[] y = new double[s.length()];
            for (int t = 0; t < y.length; t++) {
                y[t] = s.value(t, 0);
            }
            out.add(Sequence.ofScalars(s.id(), y));
        }
        return Dataset.of(out);
    }

    @Test
    void aLocalLevelFilterByHand() {
        double q = 0.7;
        double r = 2.5;
        double m0 = 1;
        double p0 = 4;
        StateSpaceModel<?, ?> model = ModelSpecs.read(Json.parse("{\"type\": \"lgssm\", \"transitionMatrix\": [[1]], "
                + "\"processNoise\": [[" + q + "]], \"observationMatrix\": [[1]], \"observationNoise\": [[" + r + "]], "
                + "\"initialMean\": [" + m0 + "], \"initialCovariance\": [[" + p0 + "]]}", "test"), "test");
        double[] y = {1.3, 0.2, Double.NaN, 2.9, 3.1, -0.4};
        Dataset data = Dataset.of(List.of(Sequence.ofScalars("s", y)));
        StateEstimates kept = FilterEngine.of(FilterOptions.defaults().withThreads(1).withStates(true)).run(model, data)
                .sequence(0).states().orElseThrow();
        Track means = kept.tracks().stream().filter(t -> t.name().equals("filteredMeans")).findFirst().orElseThrow();
        Track covariances = kept.tracks().stream().filter(t -> t.name().equals("filteredCovariances")).findFirst()
                .orElseThrow();
        double a = m0;
        double p = p0;
        for (int t = 0; t < y.length; t++) {
            if (t > 0) {
                p += q;            // a_t = a_{t-1|t-1}, P_t = P_{t-1|t-1} + Q
            }
            if (!Double.isNaN(y[t])) {
                double gain = p / (p + r);
                a += gain * (y[t] - a);
                p *= 1 - gain;
            }
            assertThat(means.value(t, 0)).as("a_%d|%d", t, t).isCloseTo(a, within(1e-12));
            assertThat(covariances.value(t, 0)).as("P_%d|%d", t, t).isCloseTo(p, within(1e-12));
        }
    }

    @Test
    void aModelWithoutStateEstimatesIsRefused() {
        assertThatThrownBy(() -> FilterEngine.of(FilterOptions.defaults().withStates(true)).run(FilterEngineTest.WEATHER,
                FilterEngineTest.sample(1, 5))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("markov");
    }

    @Test
    void withoutTheOptionNoStatesAreKept() {
        StateSpaceModel<?, ?> model = RandomModels.model(RandomModels.Kind.HMM_GAUSSIAN, 1);
        FilterResult run = FilterEngine.of(FilterOptions.defaults().withThreads(1)).run(model,
                RandomModels.sample(model, 2, 1));
        assertThat(run.sequence(0).states()).isEmpty();
    }

    // Every fifth step of every sequence made missing (all components), so that skipped updates are covered.
    private static Dataset withMissing(Dataset data) {
        List<Sequence> out = new ArrayList<>();
        for (Sequence s : data.sequences()) {
            int d = s.dimension();
            double[] v = new double[s.length() * d];
            for (int t = 0; t < s.length(); t++) {
                for (int j = 0; j < d; j++) {
                    v[t * d + j] = t % 5 == 3 ? Double.NaN : s.value(t, j);
                }
            }
            Sequence m = Sequence.of(s.id(), d, v);
            out.add(s.inputDimension() > 0 ? m.withInputs(s.inputDimension(), s.inputs()) : m);
        }
        return Dataset.of(data.kind(), out, data.symbolNames());
    }
}
