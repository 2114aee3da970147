package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import org.statespace.spec.Json;

/** {@code fit} tells a person on standard error how the fit ended; its files are as before. */
class FitCommandLineTest {

    @Test
    void aConvergedFitPrintsItsSummaryOnStandardError(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("nile.json");
        assertThat(CliRunner.run("datasets", "nile", "--out", data.toString()).exitCode()).isZero();
        Path model = dir.resolve("level.json");
        Files.writeString(model, "{\"type\": \"local-level\", \"observationVariance\": 1000, \"levelVariance\": 1000}");
        Path out = dir.resolve("fitted.json");
        Path report = dir.resolve("report.json");
        CliRunner r = CliRunner.run("fit", "--model", model.toString(), "--data", data.toString(), "--out", out.toString(),
                "--report", report.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        JsonNode rep = Json.read(report);
        assertThat(rep.get("converged").asBoolean()).isTrue();
        double ll = rep.get("logLikelihood").asDouble();
        int k = rep.get("parameterCount").asInt();
        long n = rep.get("observations").asLong();
        // Akaike (1974) and Schwarz (1978), computed here from the report's log-likelihood
        double aic = 2 * k - 2 * ll;
        double bic = k * Math.log(n) - 2 * ll;
        assertThat(r.errorLines()).hasSize(1);
        assertThat(r.errorLines()[0]).startsWith("fit: converged after " + rep.get("iterations").asInt() + " iterations")
                .contains(String.format(Locale.ROOT, "log-likelihood %.6g", ll))
                .contains(String.format(Locale.ROOT, "AIC %.6g", aic))
                .contains(String.format(Locale.ROOT, "BIC %.6g", bic));
        assertThat(rep.has("warnings")).isFalse();
    }

    @Test
    void aFitStoppedAtItsLimitSaysSoWithTheLimitAndTheLastImprovement(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("nile.json");
        assertThat(CliRunner.run("datasets", "nile", "--out", data.toString()).exitCode()).isZero();
        Path model = dir.resolve("hmm.json");
        Files.writeString(model, "{\"type\": \"hmm\", \"initial\": [0.5, 0.5], \"transition\": [[0.9, 0.1], [0.2, 0.8]],"
                + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[800], [1100]],"
                + " \"covariances\": [[[10000]], [[10000]]]}}");
        Path report = dir.resolve("report.json");
        CliRunner r = CliRunner.run("fit", "--model", model.toString(), "--data", data.toString(), "--out",
                dir.resolve("fitted.json").toString(), "--report", report.toString(), "--max-iterations", "3",
                "--tolerance", "0");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode rep = Json.read(report);
        assertThat(rep.get("converged").asBoolean()).isFalse();
        assertThat(rep.get("status").asText()).isEqualTo("stopped");
        JsonNode t = rep.get("logLikelihoodTrace");
        double last = (t.get(t.size() - 1).asDouble() - t.get(t.size() - 2).asDouble()) / Math.abs(t.get(t.size() - 1).asDouble());
        assertThat(r.errorLines()).hasSize(2);
        assertThat(r.errorLines()[0]).startsWith("fit: stopped at the iteration limit after 3 iterations");
        assertThat(r.errorLines()[1]).startsWith("warning: not converged: stopped at the iteration limit (maxIterations 3)")
                .contains(String.format(Locale.ROOT, "%.3g", last));
    }

    @Test
    void aSymmetricHmmStartIsMovedAndTheWarningSaysSo(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("casino.json");
        assertThat(CliRunner.run("datasets", "casino", "--out", data.toString()).exitCode()).isZero();
        Path model = dir.resolve("hmm.json");
        Files.writeString(model, "{\"type\": \"hmm\", \"initial\": [0.5, 0.5], \"transition\": [[0.5, 0.5], [0.5, 0.5]],"
                + " \"emission\": {\"type\": \"categorical\", \"symbols\": [\"1\", \"2\", \"3\", \"4\", \"5\", \"6\"],"
                + " \"probabilities\": [[0.25, 0.15, 0.15, 0.15, 0.15, 0.15], [0.25, 0.15, 0.15, 0.15, 0.15, 0.15]]}}");
        Path out = dir.resolve("fitted.json");
        CliRunner r = CliRunner.run("fit", "--model", model.toString(), "--data", data.toString(), "--out", out.toString(),
                "--seed", "4", "--max-iterations", "30");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: the start was degenerate").contains("(seed 4)");
        JsonNode rows = Json.read(out).get("emission").get("probabilities");
        assertThat(rows.get(0)).isNotEqualTo(rows.get(1));
    }
}
