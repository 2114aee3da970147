package org.statespace.hmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.capability.PathDecoding;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.SpecNode;

/** Reading and writing {@code "hmm"} specs: every emission type round-trips; every bad spec names its field. */
class HmmSpecTest {

    static final String CHAIN = "\"type\": \"hmm\", \"initial\": [0.6, 0.4], \"transition\": [[0.7, 0.3], [0.2, 0.8]]";

    static String spec(String emission) {
        return "{" + CHAIN + ", \"emission\": " + emission + "}";
    }

    static final String CATEGORICAL = "{\"type\": \"categorical\", \"probabilities\": [[0.5, 0.5], [0.1, 0.9]]}";
    static final String FULL = "{\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[0, 0], [1, 1]],"
            + " \"covariances\": [[[1, 0.2], [0.2, 1]], [[2, 0], [0, 2]]]}";

    @Test
    void everyEmissionTypeReadsAndRoundTrips() {
        List<String> specs = List.of(
                "{\"type\": \"hmm\", \"states\": [\"a\", \"b\"], \"initial\": [0.6, 0.4], \"transition\": [[0.7, 0.3], [0.2, 0.8]],"
                        + " \"emission\": {\"type\": \"categorical\", \"symbols\": [\"x\", \"y\", \"z\"],"
                        + " \"probabilities\": [[0.2, 0.3, 0.5], [0.6, 0.2, 0.2]]}}",
                spec(FULL),
                spec("{\"type\": \"gaussian\", \"covarianceType\": \"diagonal\", \"means\": [[0, 0], [1, 1]], \"covariances\": [[1, 2], [3, 4]]}"),
                spec("{\"type\": \"gaussian\", \"covarianceType\": \"spherical\", \"means\": [[0], [1]], \"covariances\": [1, 2.5]}"),
                spec("{\"type\": \"gaussian\", \"covarianceType\": \"tied\", \"means\": [[0, 0], [1, 1]], \"covariances\": [[1, 0.5], [0.5, 1]]}"),
                spec("{\"type\": \"gmm\", \"covarianceType\": \"diagonal\", \"weights\": [[0.5, 0.5], [0.2, 0.8]],"
                        + " \"means\": [[[0], [1]], [[5], [6]]], \"covariances\": [[[1], [0.5]], [[1], [2]]]}"),
                spec("{\"type\": \"gmm\", \"covarianceType\": \"full\", \"weights\": [[1], [1]],"
                        + " \"means\": [[[0, 0]], [[5, 5]]], \"covariances\": [[[[1, 0], [0, 1]]], [[[2, 1], [1, 2]]]]}"),
                spec("{\"type\": \"poisson\", \"rates\": [[1.5, 2], [10, 0.25]]}"));
        for (String text : specs) {
            StateSpaceModel<?, ?> m = ModelSpecs.parse(text, "spec");
            assertThat(m).isInstanceOf(HiddenMarkovModel.class);
            assertThat(ModelSpecs.parse(ModelSpecs.write(m), "again")).isEqualTo(m);
            assertThat(m.toSpec()).isEqualTo(Json.parse(ModelSpecs.write(m), "x"));
        }
        HiddenMarkovModel named = (HiddenMarkovModel) ModelSpecs.parse(specs.get(0), "spec");
        assertThat(named.stateNames()).containsExactly("a", "b");
        assertThat(named.symbolNames()).containsExactly("x", "y", "z");
        assertThat(named.observationSpace().size()).isEqualTo(3);
    }

    @Test
    void statesAreNamedAsTheSpecNamesThemAndNumberedWhenItDoesNot() {
        HiddenMarkovModel named = (HiddenMarkovModel) ModelSpecs.parse("{\"type\": \"hmm\", \"states\": [\"calm\", \"storm\"],"
                + " \"initial\": [0.6, 0.4], \"transition\": [[0.7, 0.3], [0.2, 0.8]], \"emission\": " + FULL + "}", "spec");
        PathDecoding decoder = named;
        assertThat(decoder.stateNames()).containsExactly("calm", "storm");
        HiddenMarkovModel unnamed = (HiddenMarkovModel) ModelSpecs.parse(spec(FULL), "spec");
        assertThat(unnamed.stateNames()).containsExactly("0", "1");
        assertThat(unnamed.stateName(1)).isEqualTo("1");
        // a default is written out (issue 14): the spec written back names the states by their numbers
        assertThat(unnamed.toSpec().get("states").toString()).isEqualTo("[\"0\",\"1\"]");
        assertThat(named.toSpec().get("states").toString()).isEqualTo("[\"calm\",\"storm\"]");
    }

    @Test
    void defaultsAreDiagonalCovariancesAndStatesNamedByIndexAndAreWrittenOut() {
        HiddenMarkovModel m = (HiddenMarkovModel) ModelSpecs.parse("{\"type\": \"hmm\", \"initial\": [0.5, 0.5],"
                + " \"transition\": [[0.9, 0.1], [0.2, 0.8]],"
                + " \"emission\": {\"type\": \"gaussian\", \"means\": [[0, 1], [5, 6]], \"covariances\": [[1, 2], [3, 4]]}}",
                "spec");
        GaussianEmission e = (GaussianEmission) m.emissionModel();
        assertThat(e.covarianceType()).isEqualTo(CovarianceType.DIAGONAL);   // as hmmlearn's GaussianHMM
        assertThat(e.covariance(1)).isEqualTo(new double[][] {{3, 0}, {0, 4}});
        assertThat(m.stateName(1)).isEqualTo("1");
        assertThat(m.toSpec().get("states")).isEqualTo(Json.parse("[\"0\", \"1\"]", "x"));
        assertThat(m.toSpec().get("emission").get("covarianceType").asText()).isEqualTo("diagonal");
        assertThat(ModelSpecs.parse(ModelSpecs.write(m), "again")).isEqualTo(m);
    }

    @Test
    void normalizeRescalesEveryProbabilityVector() {
        HiddenMarkovModel m = (HiddenMarkovModel) ModelSpecs.parse("{\"type\": \"hmm\", \"normalize\": true,"
                + " \"initial\": [3, 1], \"transition\": [[9, 1], [1, 1]],"
                + " \"emission\": {\"type\": \"gmm\", \"covarianceType\": \"diagonal\", \"weights\": [[2, 2], [1, 3]],"
                + " \"means\": [[[0], [1]], [[5], [6]]], \"covariances\": [[[1], [1]], [[1], [1]]]}}", "spec");
        assertThat(m.initial()).containsExactly(0.75, 0.25);
        assertThat(m.transition(0, 0)).isCloseTo(0.9, within(1e-15));
        assertThat(((GaussianMixtureEmission) m.emissionModel()).weight(1, 1)).isEqualTo(0.75);
        HiddenMarkovModel c = (HiddenMarkovModel) ModelSpecs.parse("{\"type\": \"hmm\", \"normalize\": true,"
                + " \"initial\": [1, 1], \"transition\": [[1, 1], [1, 1]],"
                + " \"emission\": {\"type\": \"categorical\", \"probabilities\": [[1, 3], [1, 1]]}}", "spec");
        assertThat(((CategoricalEmission) c.emissionModel()).probability(0, 1)).isEqualTo(0.75);
    }

    static Stream<Arguments> badSpecs() {
        String g = "\"type\": \"gaussian\", \"means\": [[0, 0], [1, 1]]";
        String mix = "\"type\": \"gmm\", \"covarianceType\": \"diagonal\", \"weights\": [[0.5, 0.5], [0.2, 0.8]], "
                + "\"means\": [[[0], [1]], [[5], [6]]]";
        return Stream.of(
                Arguments.of("{\"type\": \"hmm\", \"initial\": [1], \"emission\": " + CATEGORICAL + "}", "transition: missing field"),
                Arguments.of("{\"type\": \"hmm\", \"initial\": [1, 0], \"transition\": [[1, 0]], \"emission\": " + CATEGORICAL + "}",
                        "transition: expected a square matrix, got 1x2"),
                Arguments.of("{\"type\": \"hmm\", \"initial\": [1, 0], \"transition\": [[1, 0], [0.5, 0.4]], \"emission\": "
                        + CATEGORICAL + "}", "transition[1]: sums to 0.9"),
                Arguments.of("{\"type\": \"hmm\", \"initial\": [1, 0], \"transition\": [[1.5, -0.5], [0.5, 0.5]], \"emission\": "
                        + CATEGORICAL + "}", "transition[0][1]: probability must be non-negative, got -0.5"),
                Arguments.of("{\"type\": \"hmm\", \"initial\": [1, 0, 0], \"transition\": [[1, 0], [0, 1]], \"emission\": "
                        + CATEGORICAL + "}", "initial: expected 2 numbers, got 3"),
                Arguments.of("{\"type\": \"hmm\", \"initial\": [0.5, 0.6], \"transition\": [[1, 0], [0, 1]], \"emission\": "
                        + CATEGORICAL + "}", "initial: sums to 1.1"),
                Arguments.of("{\"type\": \"hmm\", \"states\": [\"a\", \"b\", \"c\"], " + CHAIN.substring(15) + ", \"emission\": "
                        + CATEGORICAL + "}", "states: 3 state names, but the transition matrix is 2x2"),
                Arguments.of("{\"type\": \"hmm\", \"states\": [\"a\", \"a\"], " + CHAIN.substring(15) + ", \"emission\": "
                        + CATEGORICAL + "}", "states[1]: duplicate name \"a\""),
                Arguments.of("{" + CHAIN + ", \"emission\": " + CATEGORICAL + ", \"order\": 2}", "order: unknown field"),
                Arguments.of("{" + CHAIN + ", \"emission\": " + CATEGORICAL + ", \"normalize\": \"yes\"}",
                        "normalize: expected true or false"),
                Arguments.of("{" + CHAIN + "}", "emission: missing field"),
                Arguments.of(spec("[1, 2]"), "emission: expected an object"),
                Arguments.of(spec("{\"type\": \"normal\"}"), "emission.type: expected one of categorical, gaussian, gmm, poisson, got \"normal\""),
                Arguments.of(spec("{\"probabilities\": [[1]]}"), "emission.type: missing field"),
                Arguments.of(spec("{\"type\": \"categorical\", \"probabilities\": [[0.5, 0.5]]}"),
                        "emission.probabilities: expected 2 rows (one per state), got 1"),
                Arguments.of(spec("{\"type\": \"categorical\", \"probabilities\": [[0.5, 0.5], [0.5, 0.6]]}"),
                        "emission.probabilities[1]: sums to 1.1"),
                Arguments.of(spec("{\"type\": \"categorical\", \"probabilities\": [[0.5, 0.5], [1]]}"),
                        "emission.probabilities[1]: expected 2 numbers like row 0, got 1"),
                Arguments.of(spec("{\"type\": \"categorical\", \"symbols\": [\"x\"], \"probabilities\": [[0.5, 0.5], [1, 0]]}"),
                        "emission.symbols: 1 symbol names, but the probability rows have 2 entries"),
                Arguments.of(spec("{\"type\": \"categorical\", \"probabilities\": [[0.5, 0.5], [1, 0]], \"means\": []}"),
                        "emission.means: unknown field"),
                Arguments.of(spec("{" + g + ", \"covarianceType\": \"block\", \"covariances\": []}"),
                        "emission.covarianceType: expected one of full, diagonal, spherical, tied, got \"block\""),
                Arguments.of(spec("{" + g + ", \"covarianceType\": \"full\", \"covariances\": [[[1, 0], [0, 1]], [[1, 2], [2, 1]]]}"),
                        "emission.covariances[1]: not positive definite (smallest eigenvalue -1"),
                Arguments.of(spec("{" + g + ", \"covarianceType\": \"full\", \"covariances\": [[[1, 0.5], [0, 1]], [[1, 0], [0, 1]]]}"),
                        "emission.covariances[0]: not symmetric"),
                Arguments.of(spec("{" + g + ", \"covarianceType\": \"full\", \"covariances\": [[[1]], [[1]]]}"),
                        "emission.covariances[0]: expected a 2x2 matrix, got 1x1"),
                Arguments.of(spec("{" + g + ", \"covarianceType\": \"full\", \"covariances\": [[[1, 0], [0, 1]]]}"),
                        "emission.covariances: expected 2 covariance matrices of 2x2, got 1"),
                Arguments.of(spec("{" + g + ", \"covarianceType\": \"diagonal\", \"covariances\": [[1, 1], [-1, 1]]}"),
                        "emission.covariances[1][0]: must be positive, got -1"),
                Arguments.of(spec("{" + g + ", \"covarianceType\": \"diagonal\", \"covariances\": [[1, 1], [1]]}"),
                        "emission.covariances[1]: expected 2 variances, got 1"),
                Arguments.of(spec("{" + g + ", \"covarianceType\": \"spherical\", \"covariances\": [1]}"),
                        "emission.covariances: expected 2 variances (one per state), got 1"),
                Arguments.of(spec("{" + g + ", \"covarianceType\": \"spherical\", \"covariances\": [1, 0]}"),
                        "emission.covariances[1]: must be positive, got 0"),
                Arguments.of(spec("{" + g + ", \"covarianceType\": \"tied\", \"covariances\": [[1, 2], [2, 1]]}"),
                        "emission.covariances: not positive definite (smallest eigenvalue -1"),
                Arguments.of(spec("{\"type\": \"gaussian\", \"covarianceType\": \"spherical\", \"means\": [[0]], \"covariances\": [1, 1]}"),
                        "emission.means: expected 2 rows (one mean per state), got 1"),
                Arguments.of(spec("{\"type\": \"gaussian\", \"covarianceType\": \"spherical\", \"means\": [[0, 1], [\"a\", 1]], \"covariances\": [1, 1]}"),
                        "emission.means[1][0]: expected a number, got string \"a\""),
                Arguments.of(spec("{\"type\": \"gaussian\", \"covarianceType\": \"spherical\", \"means\": [[0, 1], [1]], \"covariances\": [1, 1]}"),
                        "emission.means[1]: expected 2 numbers like row 0, got 1"),
                Arguments.of(spec("{\"type\": \"gmm\", \"covarianceType\": \"tied\"}"),
                        "emission.covarianceType: expected one of full, diagonal, got \"tied\""),
                Arguments.of(spec("{\"type\": \"gmm\", \"covarianceType\": \"diagonal\", \"weights\": [[0.5, 0.4], [0.2, 0.8]]}"),
                        "emission.weights[0]: sums to 0.9"),
                Arguments.of(spec("{\"type\": \"gmm\", \"covarianceType\": \"diagonal\", \"weights\": [[0.5, 0.5], [0.2, 0.8]], "
                        + "\"means\": [[[0], [1]], [[5]]], \"covariances\": []}"),
                        "emission.means[1]: expected a 2x1 matrix, got 1x1"),
                Arguments.of(spec("{" + mix + ", \"covariances\": [[[1], [0.5]], [[1], [-2]]]}"),
                        "emission.covariances[1][1][0]: must be positive, got -2"),
                Arguments.of(spec("{" + mix + ", \"covariances\": [[[1], [0.5]]]}"),
                        "emission.covariances: expected 2 blocks of 2 covariances (one per state), got 1"),
                Arguments.of(spec("{\"type\": \"poisson\", \"rates\": [[1], [0]]}"), "emission.rates[1][0]: must be positive, got 0"),
                Arguments.of(spec("{\"type\": \"poisson\", \"rates\": [[1]]}"), "emission.rates: expected 2 rows (one per state), got 1"),
                Arguments.of(spec("{\"type\": \"poisson\", \"rates\": [[1, 2], [3]]}"), "emission.rates[1]: expected 2 rates like row 0, got 1"));
    }

    @ParameterizedTest
    @MethodSource("badSpecs")
    void badSpecsNameTheirField(String text, String message) {
        assertThatThrownBy(() -> ModelSpecs.parse(text, "m.json")).isInstanceOf(SpecException.class)
                .hasMessageStartingWith("m.json: ").hasMessageContaining(message);
    }

    @Test
    void fitSettingsAreReadWithTheirPaths() {
        HmmType type = new HmmType();
        HmmFitSettings s = (HmmFitSettings) type.readFitSettings(SpecNode.root(Json.parse(
                "{\"fitInitial\": false, \"transitionPseudoCount\": 1, \"selfTransitionPseudoCount\": 5,"
                        + " \"emissionPseudoCount\": 0.5, \"covarianceFloor\": 0.01, \"rateFloor\": 0.001,"
                        + " \"initialPseudoCount\": 2, \"fitTransition\": true, \"fitEmission\": false}", "f"), "fit.json"));
        assertThat(s).isEqualTo(new HmmFitSettings(false, true, false, 2, 1, 5, 0.5, 0.01, 0.001));
        assertThat(s.toJson().get("covarianceFloor").asDouble()).isEqualTo(0.01);
        assertThat(type.readFitSettings(SpecNode.root(Json.object(), "fit"))).isEqualTo(HmmFitSettings.defaults());
        assertThatThrownBy(() -> type.readFitSettings(SpecNode.root(Json.parse("{\"covarianceFloor\": 0}", "f"), "fit.json")))
                .isInstanceOf(SpecException.class).hasMessageContaining("covarianceFloor: must be positive, got 0");
        assertThatThrownBy(() -> type.readFitSettings(SpecNode.root(Json.parse("{\"transitionPseudoCount\": -1}", "f"), "fit.json")))
                .isInstanceOf(SpecException.class).hasMessageContaining("transitionPseudoCount: must be at least 0.0, got -1");
        assertThatThrownBy(() -> type.readFitSettings(SpecNode.root(Json.parse("{\"pseudoCount\": 1}", "f"), "fit.json")))
                .isInstanceOf(SpecException.class).hasMessageContaining("pseudoCount: unknown field");
    }

    @Test
    void programmaticFactoriesCheckTheirArguments() {
        assertThatThrownBy(() -> HiddenMarkovModel.of(new double[] {0.5, 0.5}, new double[][] {{1, 0}, {0, 1}},
                CategoricalEmission.of(new double[][] {{1}}))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the emission has 1 states, the chain 2");
        assertThatThrownBy(() -> GaussianEmission.full(new double[][] {{0}}, new double[][][] {{{-1}}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("covariances[0] is not positive definite");
        assertThatThrownBy(() -> PoissonEmission.of(new double[][] {{Double.NaN}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rates[0][0]");
        assertThatThrownBy(() -> HiddenMarkovModel.of(new double[] {0.5, 0.6}, new double[][] {{1, 0}, {0, 1}},
                CategoricalEmission.of(new double[][] {{1}, {1}}))).hasMessageContaining("initial sums to 1.1");
    }
}
