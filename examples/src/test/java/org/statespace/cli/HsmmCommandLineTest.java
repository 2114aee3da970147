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

/**
 * The generic commands on an explicit-duration HMM, end to end: {@code types} lists it; sample (with the
 * hidden states), fit by EM from another start, filter, smooth and decode.
 */
class HsmmCommandLineTest {

    static final String TRUTH = "{\"type\": \"hsmm\", \"states\": [\"low\", \"high\"], \"initial\": [0.5, 0.5],"
            + " \"transition\": [[0, 1], [1, 0]], \"maxDuration\": 40,"
            + " \"durations\": [{\"type\": \"negative-binomial\", \"size\": 4, \"probability\": 0.4},"
            + " {\"type\": \"poisson\", \"rate\": 3}],"
            + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"diagonal\", \"means\": [[0], [4]],"
            + " \"covariances\": [[1], [1]]}}";
    static final String START = "{\"type\": \"hsmm\", \"initial\": [0.5, 0.5],"
            + " \"transition\": [[0, 1], [1, 0]], \"maxDuration\": 40,"
            + " \"durations\": [{\"type\": \"negative-binomial\", \"size\": 1, \"probability\": 0.5},"
            + " {\"type\": \"poisson\", \"rate\": 8}],"
            + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"diagonal\", \"means\": [[1], [3]],"
            + " \"covariances\": [[2], [2]]}}";

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        assertThat(code).as("%s: %s", String.join(" ", args), err).isZero();
        return out.toString();
    }

    @Test
    void typesListsIt() {
        assertThat(run("types")).contains("hsmm");
    }

    @Test
    void sampleFitFilterSmoothDecode(@TempDir Path dir) throws IOException {
        Path truth = Files.writeString(dir.resolve("truth.json"), TRUTH);
        Path start = Files.writeString(dir.resolve("start.json"), START);
        Path data = dir.resolve("D.json");
        run("sample", "--model", truth.toString(), "--length", "1500", "--sequences", "3", "--seed", "9", "--out",
                data.toString());
        JsonNode sampled = Json.read(data);
        JsonNode states = sampled.get("sequences").get(0).get("states");
        assertThat(states).hasSize(1500);
        assertThat(sampled.get("stateNames").toString()).isEqualTo("[\"low\",\"high\"]");

        // the means are 4 standard deviations apart: Viterbi under the true model recovers nearly every state
        Path decoded = dir.resolve("V.json");
        run("decode", "--model", truth.toString(), "--data", data.toString(), "--out", decoded.toString());
        JsonNode path = Json.read(decoded).get("sequences").get(0).get("viterbiPath");
        int agree = 0;
        for (int t = 0; t < 1500; t++) {
            String s = states.get(t).isTextual() ? states.get(t).asText() : states.get(t).asInt() == 0 ? "low" : "high";
            String v = path.get(t).isTextual() ? path.get(t).asText() : path.get(t).asInt() == 0 ? "low" : "high";
            agree += s.equals(v) ? 1 : 0;
        }
        assertThat(agree).isGreaterThan(1450);

        Path fitted = dir.resolve("F.json");
        Path report = dir.resolve("R.json");
        run("fit", "--model", start.toString(), "--data", data.toString(), "--out", fitted.toString(), "--report",
                report.toString(), "--max-iterations", "200", "--threads", "1");
        JsonNode trace = Json.read(report).get("logLikelihoodTrace");
        for (int i = 1; i < trace.size(); i++) {
            assertThat(trace.get(i).asDouble()).isGreaterThanOrEqualTo(trace.get(i - 1).asDouble() - 1e-9);
        }
        JsonNode f = Json.read(fitted);
        // 4500 steps hold about 450 segments of each state: the mean durations come back within 15%
        JsonNode nb = f.get("durations").get(0);
        double size = nb.get("size").asDouble();
        double q = nb.get("probability").asDouble();
        assertThat(1 + size * (1 - q) / q).isCloseTo(1 + 4 * 0.6 / 0.4, within(0.15 * 7));
        assertThat(1 + f.get("durations").get(1).get("rate").asDouble()).isCloseTo(4, within(0.15 * 4));
        assertThat(f.get("emission").get("means").get(1).get(0).asDouble()).isCloseTo(4, within(0.1));

        Path filtered = dir.resolve("P.json");
        run("filter", "--model", fitted.toString(), "--data", data.toString(), "--out", filtered.toString());
        assertThat(Json.read(filtered).get("logLikelihood").asDouble())
                .isGreaterThanOrEqualTo(trace.get(trace.size() - 1).asDouble() - 1e-6);

        Path smoothed = dir.resolve("S.json");
        run("smooth", "--model", fitted.toString(), "--data", data.toString(), "--out", smoothed.toString());
        JsonNode rows = Json.read(smoothed).get("sequences").get(0).get("posteriorProbabilities");
        assertThat(rows).hasSize(1500);
        for (JsonNode row : rows) {
            assertThat(row.get(0).asDouble() + row.get(1).asDouble()).isCloseTo(1, within(1e-9));
        }
    }

    @Test
    void runsInAStudyBesideTheHmm(@TempDir Path dir) throws IOException {
        Path truth = Files.writeString(dir.resolve("truth.json"), TRUTH);
        Path data = dir.resolve("D.json");
        run("sample", "--model", truth.toString(), "--length", "800", "--sequences", "2", "--seed", "3", "--out",
                data.toString());
        Path study = Files.writeString(dir.resolve("study.json"), "{\"name\": \"durations\", \"datasets\": [{\"name\": \"d\","
                + " \"path\": " + Json.mapper().getNodeFactory().textNode(data.toString()) + "}],"
                + " \"split\": {\"train\": 0.7, \"by\": \"time\"}, \"seeds\": [1],"
                + " \"models\": [{\"name\": \"hmm\", \"template\": {\"type\": \"hmm\", \"states\": 2}},"
                + " {\"name\": \"hsmm\", \"template\": {\"type\": \"hsmm\", \"states\": 2, \"duration\": \"negative-binomial\","
                + " \"maxDuration\": 30}}]}");
        Path out = dir.resolve("out");
        run("compare", study.toString(), "--out", out.toString(), "--quiet", "--threads", "1");
        JsonNode rows = Json.read(out.resolve("results.json")).get("rows");
        assertThat(rows).hasSize(2);
        double hmm = Double.NaN;
        double hsmm = Double.NaN;
        for (JsonNode row : rows) {
            assertThat(row.get("status").asText()).as(row.toString()).isEqualTo("ok");
            double ll = row.get("metrics").get("meanLogLikelihood").asDouble();
            if (row.get("type").asText().equals("hsmm")) {
                hsmm = ll;
            } else {
                hmm = ll;
            }
        }
        // the data's durations are negative binomial (size 4), far from geometric: the hsmm predicts them better
        assertThat(hsmm).isFinite().isGreaterThan(hmm);
    }
}
