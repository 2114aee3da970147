package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.spec.Json;

/** The generic commands on an HMM, end to end: sample, fit with restarts and a report, filter, smooth, decode. */
class HmmCommandLineTest {

    static final String CASINO = "{\"type\": \"hmm\", \"states\": [\"fair\", \"loaded\"], \"initial\": [0.5, 0.5],"
            + " \"transition\": [[0.95, 0.05], [0.1, 0.9]], \"emission\": {\"type\": \"categorical\","
            + " \"symbols\": [\"1\", \"2\", \"3\", \"4\", \"5\", \"6\"],"
            + " \"probabilities\": [[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 5]]}, \"normalize\": true}";
    static final String START = "{\"type\": \"hmm\", \"initial\": [0.5, 0.5], \"transition\": [[0.8, 0.2], [0.3, 0.7]],"
            + " \"emission\": {\"type\": \"categorical\", \"symbols\": [\"1\", \"2\", \"3\", \"4\", \"5\", \"6\"],"
            + " \"probabilities\": [[0.2, 0.2, 0.15, 0.15, 0.15, 0.15],"
            + " [0.15, 0.15, 0.15, 0.15, 0.2, 0.2]]}}";

    static void run(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(code).as("%s: %s", String.join(" ", args), err).isZero();
    }

    static JsonNode read(Path p) {
        return Json.read(p);
    }

    @Test
    void sampleFitFilterSmoothDecode(@TempDir Path dir) throws IOException {
        Path casino = Files.writeString(dir.resolve("casino.json"), CASINO);
        Path start = Files.writeString(dir.resolve("init.json"), START);
        Path data = dir.resolve("D.json");
        run("sample", "--model", casino.toString(), "--length", "300", "--sequences", "3", "--seed", "4", "--out", data.toString());
        JsonNode sampled = read(data);
        assertThat(sampled.get("sequences")).hasSize(3);
        assertThat(sampled.get("sequences").get(0).get("states")).hasSize(300);

        Path fitted = dir.resolve("F.json");
        Path report = dir.resolve("R.json");
        run("fit", "--model", start.toString(), "--data", data.toString(), "--out", fitted.toString(), "--report",
                report.toString(), "--restarts", "3", "--threads", "1");
        JsonNode r = read(report);
        assertThat(r.get("logLikelihoodTrace").size()).isGreaterThan(1);
        assertThat(r.get("restartLogLikelihoods")).hasSize(4);
        assertThat(r.get("parameterCount").asInt()).isEqualTo(1 + 2 + 2 * 5);
        double ll = r.get("logLikelihood").asDouble();
        assertThat(r.get("aic").asDouble()).isCloseTo(2 * 13 - 2 * ll, within(1e-9));
        assertThat(r.get("bic").asDouble()).isCloseTo(13 * Math.log(900) - 2 * ll, within(1e-9));
        assertThat(read(fitted).get("type").asText()).isEqualTo("hmm");

        Path filtered = dir.resolve("filter.json");
        run("filter", "--states", "--model", fitted.toString(), "--data", data.toString(), "--out", filtered.toString());
        JsonNode f = read(filtered);
        assertThat(f.get("logLikelihood").asDouble()).isCloseTo(ll, within(1e-6 * Math.abs(ll)));
        JsonNode probs = f.get("sequences").get(0).get("filteredProbabilities");
        assertThat(probs).hasSize(300);
        assertThat(probs.get(17).get(0).asDouble() + probs.get(17).get(1).asDouble()).isCloseTo(1, within(1e-12));

        Path smoothed = dir.resolve("smooth.json");
        run("smooth", "--model", fitted.toString(), "--data", data.toString(), "--out", smoothed.toString());
        JsonNode s = read(smoothed);
        assertThat(s.get("sequences").get(2).get("posteriorProbabilities")).hasSize(300);
        assertThat(s.get("logLikelihood").asDouble()).isCloseTo(ll, within(1e-6 * Math.abs(ll)));

        Path decoded = dir.resolve("decode.json");
        run("decode", "--model", casino.toString(), "--data", data.toString(), "--out", decoded.toString());
        JsonNode d = read(decoded).get("sequences").get(0);
        assertThat(d.get("viterbiPath")).hasSize(300);
        assertThat(d.get("viterbiLogProbability").asDouble()).isNegative();
    }
}
