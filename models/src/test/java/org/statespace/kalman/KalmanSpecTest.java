package org.statespace.kalman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.SpecNode;

/** Specs: every bad one is a {@link SpecException} naming the field and the value; good ones round-trip. */
class KalmanSpecTest {
    private static final String BASE = """
            "transitionMatrix": [[1, 0.5], [0, 0.9]], "processNoise": [[0.2, 0], [0, 0.1]],
            "observationMatrix": [[1, 0]], "observationNoise": [[1]]""";
    private static final String KNOWN = BASE + """
            , "initialMean": [0, 0], "initialCovariance": [[1, 0], [0, 1]]""";

    static List<Arguments> badSpecs() {
        return List.of(
                Arguments.of("{\"type\": \"lgssm\", " + KNOWN + ", \"extra\": 1}", "extra", "unknown field"),
                Arguments.of("{\"type\": \"lgssm\", " + BASE + ", \"initialCovariance\": [[1, 0], [0, 1]]}",
                        "initialMean", "missing field"),
                Arguments.of("{\"type\": \"lgssm\", " + KNOWN.replace("\"processNoise\": [[0.2, 0], [0, 0.1]]",
                        "\"processNoise\": [[1, 0, 0], [0, 1, 0], [0, 0, 1]]") + "}", "processNoise", "expected a 2x2 matrix, got 3x3"),
                Arguments.of("{\"type\": \"lgssm\", " + KNOWN.replace("\"processNoise\": [[0.2, 0], [0, 0.1]]",
                        "\"processNoise\": [[1, 2], [2, 1]]") + "}", "processNoise", "not positive semidefinite (smallest eigenvalue -1"),
                Arguments.of("{\"type\": \"lgssm\", " + KNOWN.replace("\"observationNoise\": [[1]]",
                        "\"observationNoise\": [[-0.5]]") + "}", "observationNoise", "-0.5"),
                Arguments.of("{\"type\": \"lgssm\", " + KNOWN.replace("\"processNoise\": [[0.2, 0], [0, 0.1]]",
                        "\"processNoise\": [[0.2, 0.1], [0, 0.1]]") + "}", "processNoise", "not symmetric"),
                Arguments.of("{\"type\": \"lgssm\", " + KNOWN.replace("[[1, 0.5], [0, 0.9]]", "[[1, \"NaN\"], [0, 0.9]]") + "}",
                        "transitionMatrix[0][1]", "string \"NaN\""),
                Arguments.of("{\"type\": \"lgssm\", " + KNOWN.replace("[[1, 0.5], [0, 0.9]]", "[[1, 0.5, 2], [0, 0.9, 1]]") + "}",
                        "transitionMatrix", "expected a square matrix, got 2x3"),
                Arguments.of("{\"type\": \"lgssm\", " + KNOWN.replace("\"observationMatrix\": [[1, 0]]",
                        "\"observationMatrix\": [[1, 0, 0]]") + "}", "observationMatrix", "expected 2 columns"),
                Arguments.of("{\"type\": \"lgssm\", " + KNOWN + ", \"controlMatrix\": [[1]]}", "controlMatrix", "expected 2 rows"),
                Arguments.of("{\"type\": \"lgssm\", " + KNOWN + ", \"controlMatrix\": [[1], [0]], \"feedthroughMatrix\": [[1, 2]]}",
                        "feedthroughMatrix", "expected a 1x1 matrix (controlMatrix takes 1 inputs), got 1x2"),
                Arguments.of("{\"type\": \"lgssm\", " + KNOWN + ", \"transitionOffset\": [1, 2, 3]}", "transitionOffset",
                        "expected 2 numbers, got 3"),
                Arguments.of("{\"type\": \"lgssm\", " + KNOWN + ", \"observationOffset\": []}", "observationOffset", "must not be empty"),
                Arguments.of("{\"type\": \"lgssm\", " + KNOWN.replace("[[1, 0], [0, 1]]", "[[1, 0], [0, -1]]") + "}",
                        "initialCovariance", "not positive semidefinite"),
                Arguments.of("{\"type\": \"lgssm\", " + KNOWN + ", \"initialization\": \"approximate\"}", "initialization",
                        "expected one of known, diffuse, got \"approximate\""),
                Arguments.of("{\"type\": \"lgssm\", " + BASE + ", \"initialization\": \"diffuse\", \"diffuseStates\": [0, 2]}",
                        "diffuseStates[1]", "between 0 and 1, got 2"),
                Arguments.of("{\"type\": \"lgssm\", " + BASE + ", \"initialization\": \"diffuse\", \"diffuseStates\": [1, 1]}",
                        "diffuseStates[1]", "listed twice"),
                Arguments.of("{\"type\": \"lgssm\", " + BASE + ", \"initialization\": \"diffuse\", \"diffuseStates\": [0], "
                        + "\"initialCovariance\": [[1, 0], [0, 1]]}", "initialCovariance", "entry [0][0] is 1.0, but state 0 is diffuse"),
                Arguments.of("{\"type\": \"lgssm\", " + KNOWN + ", \"diffuseStates\": [0]}", "diffuseStates",
                        "only for \"initialization\": \"diffuse\""),
                Arguments.of("{\"type\": \"local-level\", \"observationVariance\": -1, \"levelVariance\": 1}",
                        "observationVariance", "must be at least 0.0, got -1.0"),
                Arguments.of("{\"type\": \"local-level\", \"observationVariance\": 1}", "levelVariance", "missing field"),
                Arguments.of("{\"type\": \"local-level\", \"observationVariance\": 1, \"levelVariance\": 1, \"slopeVariance\": 1}",
                        "slopeVariance", "unknown field"),
                Arguments.of("{\"type\": \"local-linear-trend\", \"observationVariance\": 1, \"levelVariance\": 1, "
                        + "\"slopeVariance\": 1, \"initialization\": \"known\", \"initialMean\": [0], "
                        + "\"initialCovariance\": [[1, 0], [0, 1]]}", "initialMean", "expected 2 numbers, got 1"),
                Arguments.of("{\"type\": \"local-level\", \"observationVariance\": 1, \"levelVariance\": 1, "
                        + "\"initialMean\": [0]}", "initialMean", "only for \"initialization\": \"known\""));
    }

    @ParameterizedTest
    @MethodSource("badSpecs")
    void badSpecsNameTheirField(String json, String path, String problem) {
        assertThatThrownBy(() -> ModelSpecs.parse(json, "bad.json")).isInstanceOf(SpecException.class)
                .hasMessageContaining(path).hasMessageContaining(problem).hasMessageContaining("bad.json");
    }

    @Test
    void everyVariantRoundTrips() {
        List<StateSpaceModel<?, ?>> models = List.of(KalmanContractTest.FULL, KalmanContractTest.DIFFUSE,
                KalmanContractTest.PARTLY_DIFFUSE, StructuralModel.localLinearTrend(1, 0, 0.25),
                LinearGaussianModel.of(new double[][] {{0.1 + 0.2}}, new double[][] {{1.0 / 3}}, new double[][] {{Math.PI}},
                        new double[][] {{1e-300}}, new double[] {-0.0}, new double[][] {{0}}));
        for (StateSpaceModel<?, ?> model : models) {
            String text = ModelSpecs.write(model);
            StateSpaceModel<?, ?> back = ModelSpecs.parse(text, "again");
            assertThat(back).isEqualTo(model).hasSameHashCodeAs(model);
            assertThat(ModelSpecs.write(back)).isEqualTo(text);
        }
    }

    @Test
    void optionalPartsStayAbsentAndPartlyDiffuseSpecsKeepTheirStates() {
        String json = "{\"type\": \"lgssm\", " + BASE + ", \"initialization\": \"diffuse\", \"diffuseStates\": [1], "
                + "\"initialMean\": [3, 0], \"initialCovariance\": [[2, 0], [0, 0]]}";
        LinearGaussianModel model = (LinearGaussianModel) ModelSpecs.parse(json, "partial");
        assertThat(model.diffuseStates()).containsExactly(1);
        assertThat(model.controlMatrix()).isEmpty();
        assertThat(model.inputDimension()).isZero();
        assertThat(model.toSpec().has("transitionOffset")).isFalse();
        assertThat(model.toSpec().get("diffuseStates")).isEqualTo(Json.vector(new int[] {1}));
    }

    @Test
    void fitSettingsNameTheirField() {
        LinearGaussianType type = new LinearGaussianType();
        assertThatThrownBy(() -> type.readFitSettings(SpecNode.root(Json.parse(
                "{\"fixed\": [\"processNoise\", \"noise\"]}", "fit.json"), "fit.json")))
                .isInstanceOf(SpecException.class).hasMessageContaining("fixed[1]").hasMessageContaining("\"noise\"");
        assertThatThrownBy(() -> type.readFitSettings(SpecNode.root(Json.parse(
                "{\"diagonalProcessNoise\": \"yes\"}", "fit.json"), "fit.json")))
                .isInstanceOf(SpecException.class).hasMessageContaining("diagonalProcessNoise");
        KalmanFitSettings s = (KalmanFitSettings) type.readFitSettings(SpecNode.root(Json.parse(
                "{\"fixed\": [\"observationMatrix\"], \"diagonalObservationNoise\": true}", "fit.json"), "fit.json"));
        assertThat(s.isFixed("observationMatrix")).isTrue();
        assertThat(s.diagonalObservationNoise()).isTrue();
        assertThat(s.diagonalProcessNoise()).isFalse();
    }

    @Test
    void programmaticConstructionValidatesLikeTheSpec() {
        assertThatThrownBy(() -> LinearGaussianModel.of(new double[][] {{1}}, new double[][] {{-1}}, new double[][] {{1}},
                new double[][] {{1}}, new double[] {0}, new double[][] {{1}}))
                .isInstanceOf(SpecException.class).hasMessageContaining("processNoise");
        assertThatThrownBy(() -> StructuralModel.localLevel(1, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("levelVariance");
    }
}
