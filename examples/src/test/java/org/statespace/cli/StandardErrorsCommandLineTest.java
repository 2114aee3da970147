package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code statespace fit} prints standard errors for a general linear-Gaussian model: the Nile's local-level model
 * written as an lgssm (F = H = 1 held fixed, Q and R fitted by EM) has statsmodels' standard errors
 * (inference/src/test/resources/org/statespace/inference/nile-statsmodels-se.md: 1280.38 for the level variance,
 * 3145.55 for the observation variance).
 */
class StandardErrorsCommandLineTest {

    /** The standard error printed in the summary row of a parameter. */
    private static double standardError(String out, String parameter) {
        String row = out.lines().filter(l -> l.startsWith(parameter + " ")).findFirst().orElseThrow(
                () -> new AssertionError("no row " + parameter + " in\n" + out));
        return Double.parseDouble(row.trim().split("\\s+")[2]);
    }

    @Test
    void anLgssmFitPrintsStatsmodelsStandardErrors(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("nile.json");
        assertThat(CliRunner.run("datasets", "nile", "--out", data.toString()).exitCode()).isZero();
        Path model = dir.resolve("lgssm.json");
        Files.writeString(model, "{\"type\": \"lgssm\", \"transitionMatrix\": [[1]], \"processNoise\": [[1000]], "
                + "\"observationMatrix\": [[1]], \"observationNoise\": [[10000]], \"initialization\": \"diffuse\"}");
        Path options = dir.resolve("options.json");
        Files.writeString(options, "{\"fixed\": [\"transitionMatrix\", \"observationMatrix\"], \"maxIterations\": 20000, "
                + "\"tolerance\": 1e-13}");
        CliRunner r = CliRunner.run("fit", "--model", model.toString(), "--data", data.toString(), "--options",
                options.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("fit: converged").contains("std err")
                .contains("transitionMatrix, observationMatrix held fixed as the fit held them");
        assertThat(standardError(r.out(), "processNoise[0][0]")).isCloseTo(1280.38, within(0.002 * 1280.38));
        assertThat(standardError(r.out(), "observationNoise[0][0]")).isCloseTo(3145.55, within(0.002 * 3145.55));
        assertThat(r.out().lines().filter(l -> l.startsWith("transitionMatrix[0][0] ")).findFirst().orElseThrow())
                .endsWith("fixed");
    }
}
