package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import org.statespace.spec.Json;

/**
 * {@code fit} tells a person how the fit ended and what it found (a parameter table with standard errors), on
 * standard output without {@code --out}, on standard error with it; it starts from a full spec or a template.
 */
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
        String[] lines = r.errorLines();
        assertThat(lines[0]).startsWith("fit: stopped at the iteration limit after 3 iterations");
        // a one-dimensional Gaussian HMM has standard errors, even with "full" covariances; not at a maximum here
        assertThat(r.err()).contains("variance[1]");
        assertThat(lines[lines.length - 1]).startsWith("warning: not converged: stopped at the iteration limit (maxIterations 3)")
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

    /** The row of a parameter in the summary table: estimate, standard error, lower and upper 95% bound. */
    private static double[] row(String summary, String name) {
        for (String line : summary.split("\\R")) {
            String[] f = line.trim().split("\\s+");
            if (f[0].equals(name) && f.length == 5) {
                return new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                        Double.parseDouble(f[4])};
            }
        }
        throw new AssertionError("no row for " + name + " in\n" + summary);
    }

    @Test
    void aLocalLevelTemplateFitsTheNileAndPrintsStatsmodelsStandardErrors(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("nile.json");
        assertThat(CliRunner.run("datasets", "nile", "--out", data.toString()).exitCode()).isZero();
        Path template = dir.resolve("level.json");
        Files.writeString(template, "{\"type\": \"local-level\"}");
        Path report = dir.resolve("report.json");
        CliRunner r = CliRunner.run("fit", "--model", template.toString(), "--data", data.toString(), "--report",
                report.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("fit: converged").contains("model: local-level on 100 observations");
        // statsmodels 0.13.5, UnobservedComponents(nile, 'llevel', use_exact_diffuse=True), cov_type='approx' at the
        // published optimum (inference test resources, nile-statsmodels-se.md): bse 3145.54 and 1280.38
        double[] eps = row(r.out(), "observationVariance");
        double[] eta = row(r.out(), "levelVariance");
        assertThat(eps[0]).isCloseTo(15098.5, within(1.0));          // KFAS, nile.md (printed to 6 digits)
        assertThat(eta[0]).isCloseTo(1469.18, within(0.1));
        assertThat(eps[1]).isCloseTo(3145.54, within(0.002 * 3145.54));
        assertThat(eta[1]).isCloseTo(1280.38, within(0.002 * 1280.38));
        // Wald intervals: estimate ∓ Φ⁻¹(0.975) SE, to the 6 printed digits
        assertThat(eps[2]).isCloseTo(eps[0] - 1.959964 * eps[1], within(1.0));
        assertThat(eta[3]).isCloseTo(eta[0] + 1.959964 * eta[1], within(0.1));
        JsonNode se = Json.read(report).get("standardErrors").get("parameters");
        assertThat(se.get(0).get("name").asText()).isEqualTo("observationVariance");
        assertThat(se.get(0).get("standardError").asDouble()).isCloseTo(3145.54, within(0.002 * 3145.54));
        assertThat(Json.read(report).get("provenance").get("template").get("type").asText()).isEqualTo("local-level");

        // the same fit from a full spec ends at the same optimum
        Path full = dir.resolve("full.json");
        Files.writeString(full, "{\"type\": \"local-level\", \"observationVariance\": 15099, \"levelVariance\": 1469.1}");
        Path fitted = dir.resolve("fitted.json");
        CliRunner f = CliRunner.run("fit", "--model", full.toString(), "--data", data.toString(), "--out", fitted.toString());
        assertThat(f.exitCode()).as(f.err()).isZero();
        assertThat(f.out()).isEmpty();
        assertThat(f.err()).startsWith("fit: converged").contains("observationVariance");
        assertThat(Json.read(fitted).get("observationVariance").asDouble()).isCloseTo(eps[0], within(1.0));
        assertThat(Json.read(fitted).get("levelVariance").asDouble()).isCloseTo(eta[0], within(0.1));
    }

    @Test
    void aPoissonHmmTemplateIsSizedSeededAndWritesItsDefaults(@TempDir Path dir) throws IOException {
        Path truth = dir.resolve("truth.json");
        Files.writeString(truth, "{\"type\": \"hmm\", \"initial\": [1, 0, 0], \"transition\": [[0.95, 0.03, 0.02],"
                + " [0.03, 0.94, 0.03], [0.02, 0.03, 0.95]], \"emission\": {\"type\": \"poisson\", \"rates\": [[2], [8], [20]]}}");
        Path data = dir.resolve("counts.json");
        assertThat(CliRunner.run("sample", "--model", truth.toString(), "--length", "2000", "--seed", "5", "--out",
                data.toString()).exitCode()).isZero();
        Path template = dir.resolve("hmm.json");
        Files.writeString(template, "{\"type\": \"hmm\", \"states\": 3, \"emission\": \"poisson\"}");
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        Path report = dir.resolve("report.json");
        CliRunner r = CliRunner.run("fit", "--model", template.toString(), "--data", data.toString(), "--seed", "1",
                "--out", a.toString(), "--report", report.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        // EM from a template: the given start and FitCommand.TEMPLATE_RESTARTS more
        assertThat(Json.read(report).get("restartLogLikelihoods")).hasSize(1 + FitCommand.TEMPLATE_RESTARTS);
        assertThat(Json.read(report).get("standardErrors").get("parameters").get(9).get("name").asText()).isEqualTo("rate[0]");
        assertThat(CliRunner.run("fit", "--model", template.toString(), "--data", data.toString(), "--seed", "1",
                "--out", b.toString()).exitCode()).isZero();
        assertThat(Files.readString(a)).isEqualTo(Files.readString(b));     // seeded: the same start, the same fit
        JsonNode fitted = Json.read(a);
        assertThat(fitted.get("states")).isEqualTo(Json.parse("[\"0\", \"1\", \"2\"]", "x"));
        double[] rates = new double[3];
        for (int k = 0; k < 3; k++) {
            rates[k] = fitted.get("emission").get("rates").get(k).get(0).asDouble();
        }
        java.util.Arrays.sort(rates);
        // about 2000/3 steps per state: sd √(λ/667) is 0.055, 0.11, 0.17; 4 sd
        assertThat(rates[0]).isCloseTo(2, within(0.22));
        assertThat(rates[1]).isCloseTo(8, within(0.44));
        assertThat(rates[2]).isCloseTo(20, within(0.7));
        assertThat(r.err()).contains("rate[0]").contains("transition[0->0]")
                .contains("the initial-state probabilities are held at their estimates");
    }

    @Test
    void aMarkovChainTemplateGetsTheMultinomialStandardErrors(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("weather.json");
        Files.writeString(data, "{\"symbols\": [\"sunny\", \"rainy\"], \"sequences\": [{\"observations\": [0, 0, 1, 0, 1, 1, 0, 0, 0, 1]}]}");
        Path template = dir.resolve("chain.json");
        Files.writeString(template, "{\"type\": \"markov-chain\"}");
        CliRunner r = CliRunner.run("fit", "--model", template.toString(), "--data", data.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        // 6 transitions out of sunny, 3 and 3: the template's pseudo-count 1/2 keeps p = 1/2, se = sqrt(p(1-p)/6);
        // 3 out of rainy, 2 to sunny: p = (2 + 1/2)/(3 + 1) = 0.625, se = sqrt(0.625 * 0.375 / 3)
        assertThat(r.out()).startsWith("fit: converged");
        assertThat(standardError(r.out(), "transition[sunny->sunny]", 0.5)).isCloseTo(Math.sqrt(0.25 / 6), within(1e-5));
        assertThat(standardError(r.out(), "transition[rainy->sunny]", 0.625))
                .isCloseTo(Math.sqrt(0.625 * 0.375 / 3), within(1e-5));
        assertThat(r.out())
                .contains("the initial distribution is held at its estimate");
    }

    /** The standard error printed on the summary's row of {@code name}, whose estimate must be {@code estimate}. */
    private static double standardError(String summary, String name, double estimate) {
        String row = summary.lines().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow();
        String[] cells = row.substring(name.length()).trim().split(" +");
        assertThat(Double.parseDouble(cells[0])).isEqualTo(estimate);
        return Double.parseDouble(cells[1]);
    }
}
