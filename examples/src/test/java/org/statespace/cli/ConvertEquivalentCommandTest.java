package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.rnn.Cell;
import org.statespace.rnn.Head;
import org.statespace.rnn.Layer;
import org.statespace.rnn.RnnArchitecture;
import org.statespace.rnn.RnnModel;
import org.statespace.rnn.VanillaForm;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/**
 * {@code statespace convert} and {@code statespace equivalent}: the equivalences the documentation proves (a
 * Markov chain and the HMM with an identity emission; the local-level model and its lgssm form; forms (i) and
 * (ii) of a vanilla stack; every converted rnn and its source), each also broken on purpose so that the check
 * is seen to fail.
 */
class ConvertEquivalentCommandTest {

    static final String HMM_IDENTITY = """
            {"type": "hmm", "states": ["sunny", "cloudy", "rainy"], "initial": [1, 0, 0],
             "transition": [[0.8, 0.15, 0.05], [0.2, 0.6, 0.2], [0.25, 0.25, 0.5]],
             "emission": {"type": "categorical", "symbols": ["sunny", "cloudy", "rainy"],
                          "probabilities": [[1, 0, 0], [0, 1, 0], [0, 0, 1]]}}
            """;

    static final String LEVEL = "{\"type\": \"local-level\", \"observationVariance\": 15099, \"levelVariance\": 1469.1}";

    static final String LEVEL_AS_LGSSM = "{\"type\": \"lgssm\", \"transitionMatrix\": [[1]], \"processNoise\": [[1469.1]],"
            + " \"observationMatrix\": [[1]], \"observationNoise\": [[15099]], \"initialMean\": [0],"
            + " \"initialCovariance\": [[0]], \"initialization\": \"diffuse\"}";

    @Test
    void aMarkovChainIsTheHmmWithAnIdentityEmission(@TempDir Path dir) throws Exception {
        Path chain = write(dir, "chain.json", MarkovCommandLineTest.WEATHER);
        Path hmm = write(dir, "hmm.json", HMM_IDENTITY);
        Path data = sample(dir, chain);
        CliRunner same = CliRunner.run("equivalent", chain.toString(), hmm.toString(), "--data", data.toString());
        assertThat(same.exitCode()).as(same.err()).isZero();
        assertThat(same.out()).contains("equivalent within 1.00e-10");
        // one emission probability moved: no longer the chain
        Path off = write(dir, "off.json", HMM_IDENTITY.replace("[[1, 0, 0], [0, 1, 0]", "[[0.99, 0.01, 0], [0, 1, 0]"));
        CliRunner differs = CliRunner.run("equivalent", chain.toString(), off.toString(), "--data", data.toString(), "--json");
        assertThat(differs.exitCode()).isEqualTo(1);
        JsonNode r = Json.parse(differs.out(), "stdout");
        assertThat(r.get("equivalent").asBoolean()).isFalse();
        assertThat(r.at("/largestDifference/difference").asDouble()).isGreaterThan(1e-3);
        assertThat(r.at("/largestDifference/sequence").asText()).startsWith("s");
    }

    @Test
    void theLocalLevelModelIsItsLgssmForm(@TempDir Path dir) throws Exception {
        Path level = write(dir, "level.json", LEVEL);
        Path lgssm = write(dir, "lgssm.json", LEVEL_AS_LGSSM);
        Path nile = dir.resolve("nile.json");
        assertThat(CliRunner.run("datasets", "nile", "--out", nile.toString()).exitCode()).isZero();
        assertThat(CliRunner.run("equivalent", level.toString(), lgssm.toString(), "--data", nile.toString()).exitCode())
                .isZero();
        Path other = write(dir, "other.json", LEVEL_AS_LGSSM.replace("[[1469.1]]", "[[1470]]"));
        assertThat(CliRunner.run("equivalent", level.toString(), other.toString(), "--data", nile.toString()).exitCode())
                .isEqualTo(1);
    }

    /** Forms (i) and (ii) of a two-layer tanh stack with zero initial states (tanh(0) = 0): equal; the literal (ii): not. */
    @Test
    void formsOneAndTwoAreOneNetworkAndTheLiteralFormIsNot(@TempDir Path dir) throws Exception {
        Path one = write(dir, "i.json", ModelSpecs.write(stack(VanillaForm.I)));
        Path two = write(dir, "ii.json", ModelSpecs.write(stack(VanillaForm.II)));
        Path literal = write(dir, "lit.json", ModelSpecs.write(stack(VanillaForm.II_LITERAL)));
        Path data = write(dir, "d.json", "{\"sequences\": [{\"id\": \"a\", \"observations\": [0.5, -1.2, 2.0, 0.3, null, 1.1, -0.7]},"
                + " {\"id\": \"b\", \"observations\": [1.5, 0.2, -2.0]}]}");
        assertThat(CliRunner.run("equivalent", one.toString(), two.toString(), "--data", data.toString()).exitCode()).isZero();
        CliRunner lit = CliRunner.run("equivalent", one.toString(), literal.toString(), "--data", data.toString());
        assertThat(lit.exitCode()).isEqualTo(1);
        assertThat(lit.out()).contains("NOT equivalent");
    }

    private static RnnModel stack(VanillaForm form) {
        RnnArchitecture plain = RnnArchitecture.stack(1, List.of(Layer.of(Cell.TANH, 3), Layer.of(Cell.TANH, 3)),
                Head.of(Head.Type.GAUSSIAN, 1));
        double[] theta = RnnModel.initialized(plain, 5).parameters();
        for (int i = 0; i < theta.length; i++) {
            theta[i] *= 2;
        }
        RnnArchitecture a = RnnArchitecture.stack(1, List.of(new Layer(Cell.TANH, 3, form), new Layer(Cell.TANH, 3, form)),
                Head.of(Head.Type.GAUSSIAN, 1));
        return RnnModel.of(a, theta, null, 5);
    }

    @Test
    void everyConvertedRnnIsEquivalentToItsSource(@TempDir Path dir) throws Exception {
        String[][] sources = {
            {"chain.json", MarkovCommandLineTest.WEATHER},
            {"hmm.json", "{\"type\": \"hmm\", \"initial\": [0.5, 0.5], \"transition\": [[0.9, 0.1], [0.2, 0.8]],"
                + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[0, 1], [3, -1]],"
                + " \"covariances\": [[[1, 0.3], [0.3, 2]], [[2, -0.5], [-0.5, 1]]]}}"},
            {"lgssm.json", "{\"type\": \"lgssm\", \"transitionMatrix\": [[0.9, 0.2], [0, 0.5]], \"processNoise\": [[1, 0], [0, 0.5]],"
                + " \"observationMatrix\": [[1, 1]], \"observationNoise\": [[0.7]], \"initialMean\": [0, 1],"
                + " \"initialCovariance\": [[2, 0.1], [0.1, 1]]}"},
            {"level.json", "{\"type\": \"local-level\", \"observationVariance\": 2, \"levelVariance\": 0.5,"
                + " \"initialization\": \"known\", \"initialMean\": [1], \"initialCovariance\": [[3]]}"},
        };
        for (String[] s : sources) {
            Path source = write(dir, s[0], s[1]);
            Path data = sample(dir, source);
            Path rnn = dir.resolve("rnn-" + s[0]);
            CliRunner convert = CliRunner.run("convert", "--model", source.toString(), "--to", "rnn", "--out", rnn.toString());
            assertThat(convert.exitCode()).as(convert.err()).isZero();
            assertThat(Json.read(rnn).get("type").asText()).isEqualTo("rnn");
            CliRunner check = CliRunner.run("equivalent", source.toString(), rnn.toString(), "--data", data.toString(), "--json");
            assertThat(check.exitCode()).as(s[0] + ": " + check.out() + check.err()).isZero();
            assertThat(Json.parse(check.out(), "stdout").at("/largestDifference/difference").asDouble()).isLessThan(1e-10);
        }
    }

    /**
     * The local-level model as written by default (exact diffuse start) converts, and its rnn predicts the Nile as the
     * source does step by step (the diffuse first step included); the log-likelihood is statsmodels' published
     * -633.4646 at these variances. An lgssm with a feedthrough, inputs, a diffuse state and missing values too.
     */
    @Test
    void diffuseStartsAndFeedthroughsConvertExactly(@TempDir Path dir) throws Exception {
        Path level = write(dir, "level.json", LEVEL);
        Path nile = dir.resolve("nile.json");
        assertThat(CliRunner.run("datasets", "nile", "--out", nile.toString()).exitCode()).isZero();
        Path rnn = dir.resolve("rnn-level.json");
        CliRunner convert = CliRunner.run("convert", "--model", level.toString(), "--to", "rnn", "--out", rnn.toString());
        assertThat(convert.exitCode()).as(convert.err()).isZero();
        assertThat(Json.read(rnn).at("/layers/0/diffuseStates/0").asInt()).isZero();
        CliRunner check = CliRunner.run("equivalent", level.toString(), rnn.toString(), "--data", nile.toString(), "--json",
                "--tolerance", "1e-12");
        assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
        JsonNode r = Json.parse(check.out(), "stdout");
        assertThat(r.at("/logLikelihood/b").asDouble()).isCloseTo(-633.4646, org.assertj.core.api.Assertions.within(1e-4));
        assertThat(r.at("/logLikelihood/difference").asDouble()).isLessThanOrEqualTo(1e-12);

        Path lgssm = write(dir, "feed.json", "{\"type\": \"lgssm\", \"transitionMatrix\": [[1, 1], [0, 0.8]],"
                + " \"processNoise\": [[0.3, 0], [0, 0.2]], \"observationMatrix\": [[1, 0], [0.5, 1]],"
                + " \"observationNoise\": [[1, 0.3], [0.3, 0.8]], \"controlMatrix\": [[0.5], [-0.2]],"
                + " \"feedthroughMatrix\": [[1.5], [-0.7]], \"initialMean\": [0, 0.5], \"initialCovariance\": [[0, 0], [0, 1]],"
                + " \"initialization\": \"diffuse\", \"diffuseStates\": [0]}");
        Path data = write(dir, "feed-data.json", "{\"sequences\": [{\"id\": \"a\", \"observations\": [[1.2, null], [0.4, 2.0],"
                + " null, [2.5, 1.0], [null, -0.3], [3.1, 0.9], [2.0, 1.7]], \"inputs\": [[1], [0.5], [-1], [0], [2], [1.5], [-0.5]]},"
                + " {\"id\": \"b\", \"observations\": [null, [0.3, 0.2], [1.1, -0.4], [0.8, 0.1]], \"inputs\": [[0], [1], [1], [-2]]}]}");
        Path feedRnn = dir.resolve("rnn-feed.json");
        convert = CliRunner.run("convert", "--model", lgssm.toString(), "--to", "rnn", "--out", feedRnn.toString());
        assertThat(convert.exitCode()).as(convert.err()).isZero();
        assertThat(Json.read(feedRnn).at("/layers/0/feedthrough").asBoolean()).isTrue();
        check = CliRunner.run("equivalent", lgssm.toString(), feedRnn.toString(), "--data", data.toString(), "--json",
                "--tolerance", "1e-12");
        assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
        // the feedthrough matters: without it the lgssm predicts differently
        Path without = write(dir, "nofeed.json", Files.readString(lgssm).replace("[[1.5], [-0.7]]", "[[0], [0]]"));
        assertThat(CliRunner.run("equivalent", without.toString(), feedRnn.toString(), "--data", data.toString()).exitCode())
                .isEqualTo(1);
    }

    @Test
    void convertWithoutOutPrintsASummary(@TempDir Path dir) throws Exception {
        Path chain = write(dir, "chain.json", MarkovCommandLineTest.WEATHER);
        CliRunner r = CliRunner.run("convert", "--model", chain.toString(), "--to", "rnn");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("markov-chain -> rnn").contains("hmm 3 states, categorical emission")
                .contains("belief over 3 symbols");
    }

    private static Path write(Path dir, String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    // three sequences of 40 steps drawn from the model, some observations then removed
    private static Path sample(Path dir, Path model) throws Exception {
        Path data = dir.resolve("data-" + model.getFileName());
        CliRunner r = CliRunner.run("sample", "--model", model.toString(), "--length", "40", "--seed", "9", "--sequences", "3",
                "--out", data.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode) Json.read(data);
        for (JsonNode s : root.get("sequences")) {
            com.fasterxml.jackson.databind.node.ArrayNode obs = (com.fasterxml.jackson.databind.node.ArrayNode) s.get("observations");
            obs.set(3, com.fasterxml.jackson.databind.node.NullNode.getInstance());
            obs.set(17, com.fasterxml.jackson.databind.node.NullNode.getInstance());
            ((com.fasterxml.jackson.databind.node.ObjectNode) s).remove("states");
        }
        Files.writeString(data, Json.write(root));
        return data;
    }
}
