package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import org.statespace.data.Dataset;
import org.statespace.data.Datasets;
import org.statespace.data.Sequence;
import org.statespace.hmm.HiddenMarkovModel;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/**
 * The example spec {@code specs/sticky-regimes.json}: a 3-state Gaussian HMM with a sticky Dirichlet prior on
 * the transition rows, its first state's mean fixed and the other two states' covariances tied, fitted from the
 * command line to the built-in {@code regimes} data in one go. The fitted spec keeps the mean bit for bit and the
 * tie exactly, and the transition rows are the sticky posterior mode: (expected counts + κ on the diagonal)
 * normalised, with the expected counts computed here by the forward-backward two-slice marginals of the fitted
 * model (a fixed point of MAP EM reproduces itself).
 */
class PriorFitCommandLineTest {

    static final Path SPEC = Path.of("specs", "sticky-regimes.json");

    @Test
    void theStickyTiedAndFixedExampleFitsFromOneSpec(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("regimes.json");
        assertThat(CliRunner.run("datasets", "regimes", "--out", data.toString()).exitCode()).isZero();
        Path out = dir.resolve("fitted.json");
        Path report = dir.resolve("report.json");
        CliRunner r = CliRunner.run("fit", "--model", SPEC.toString(), "--data", data.toString(), "--out", out.toString(),
                "--report", report.toString(), "--tolerance", "1e-12", "--max-iterations", "2000");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode given = Json.read(SPEC);
        JsonNode fitted = Json.read(out);
        JsonNode rep = Json.read(report);
        assertThat(rep.get("converged").asBoolean()).isTrue();

        // 1. the fixed mean, bit for bit
        assertThat(fitted.at("/emission/means/0/0").asDouble()).isEqualTo(given.at("/emission/means/0/0").asDouble());
        assertThat(fitted.at("/emission/means/1/0").asDouble()).isNotEqualTo(given.at("/emission/means/1/0").asDouble());
        // 2. the tied covariances, equal and moved from the start
        assertThat(fitted.at("/emission/covariances/1").toString()).isEqualTo(fitted.at("/emission/covariances/2").toString());
        assertThat(fitted.at("/emission/covariances/1/0/0").asDouble()).isNotEqualTo(1.0);
        // the blocks are written out with the fitted spec
        assertThat(fitted.get("prior")).isEqualTo(given.get("prior"));
        assertThat(fitted.get("fit")).isEqualTo(given.get("fit"));

        // 3. the sticky prior: each row is (Σξ_ij + [i = j]κ) / (Σ_j Σξ_ij + κ) at the fitted model
        double kappa = given.at("/prior/transition/sticky").asDouble();
        HiddenMarkovModel m = (HiddenMarkovModel) ModelSpecs.read(fitted, out.toString());
        Dataset d = m.observationSpace().align(Datasets.read(data), data.toString());
        int k = m.stateCount();
        double[][] counts = new double[k][k];
        for (Sequence s : d.sequences()) {
            double[] xi = m.twoSliceMarginals(s);
            for (int t = 0; t < s.length() - 1; t++) {
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        counts[i][j] += xi[(t * k + i) * k + j];
                    }
                }
            }
        }
        for (int i = 0; i < k; i++) {
            double total = kappa;
            for (int j = 0; j < k; j++) {
                total += counts[i][j];
            }
            for (int j = 0; j < k; j++) {
                double expected = (counts[i][j] + (i == j ? kappa : 0)) / total;
                assertThat(m.transition(i, j)).as("transition[%d][%d]", i, j).isCloseTo(expected, within(1e-6));
            }
        }
        // the log-posterior is reported beside the log-likelihood, and it never fell
        double ll = rep.get("logLikelihood").asDouble();
        double logPrior = rep.get("logPrior").asDouble();
        assertThat(rep.get("logPosterior").asDouble()).isCloseTo(ll + logPrior, within(1e-9));
        JsonNode trace = rep.get("logPosteriorTrace");
        assertThat(trace.size()).isEqualTo(rep.get("logLikelihoodTrace").size());
        for (int i = 1; i < trace.size(); i++) {
            assertThat(trace.get(i).asDouble()).isGreaterThanOrEqualTo(trace.get(i - 1).asDouble() - 1e-9);
        }
        assertThat(r.errorLines()[0]).contains(String.format(Locale.ROOT, "log-posterior %.6g", ll + logPrior));
    }
}
