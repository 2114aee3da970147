package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.statespace.DataException;
import org.statespace.NumericalException;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.hmm.CategoricalEmission;
import org.statespace.hmm.HiddenMarkovModel;
import org.statespace.hmm.HmmFitSettings;
import org.statespace.kalman.StructuralModel;
import org.statespace.numeric.Randoms;

/**
 * A fit ends converged, stopped at its iteration limit (with a warning naming the limit), or with an error;
 * a fit that learned nothing never says "converged".
 */
class FitOutcomeTest {

    /** Two sticky states that emit mostly symbols {0, 1} and mostly {4, 5}. */
    static final HiddenMarkovModel TWO_DICE = HiddenMarkovModel.of(new double[] {0.5, 0.5},
            new double[][] {{0.95, 0.05}, {0.05, 0.95}},
            CategoricalEmission.of(new double[][] {{0.4, 0.4, 0.05, 0.05, 0.05, 0.05}, {0.05, 0.05, 0.05, 0.05, 0.4, 0.4}}));

    /** Both states alike: identical rows, identical emission rows. */
    static final HiddenMarkovModel SYMMETRIC = HiddenMarkovModel.of(new double[] {0.5, 0.5},
            new double[][] {{0.5, 0.5}, {0.5, 0.5}},
            CategoricalEmission.of(new double[][] {{0.2, 0.2, 0.1, 0.1, 0.2, 0.2}, {0.2, 0.2, 0.1, 0.1, 0.2, 0.2}}));

    static Dataset rolls() {
        List<Sequence> sequences = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Sequence s = TWO_DICE.sampleWithStates("s" + i, 400, null, Randoms.stream(31, i));
            sequences.add(Sequence.of("s" + i, 1, s.observations()));
        }
        return Dataset.of(sequences);
    }

    /** The log-likelihood of the symbols as independent draws from their own frequencies, by counting. */
    static double independentDrawsLogLikelihood(Dataset data) {
        long[] counts = new long[6];
        long n = 0;
        for (Sequence s : data.sequences()) {
            for (double v : s.observations()) {
                counts[(int) v]++;
                n++;
            }
        }
        double ll = 0;
        for (long c : counts) {
            if (c > 0) {
                ll += c * Math.log((double) c / n);
            }
        }
        return ll;
    }

    @Test
    void aSymmetricHmmStartIsMovedAndTheFitLeavesTheSaddle() {
        Dataset data = rolls();
        TrainOptions options = TrainOptions.defaults().withSeed(3).withMaxIterations(300).withThreads(1);
        FitResult fit = Trainer.fit(SYMMETRIC, data, null, options, HmmFitSettings.defaults(), null);
        // at the saddle both states equal the symbol frequencies, whose log-likelihood is that of independent draws
        double saddle = independentDrawsLogLikelihood(data);
        assertThat(fit.logLikelihood()).isGreaterThan(saddle + 100);
        double[][] rows = rowsOf((HiddenMarkovModel) fit.model());
        assertThat(Math.abs(rows[0][0] + rows[0][1] - rows[1][0] - rows[1][1])).isGreaterThan(0.5);
        assertThat(fit.warnings()).anySatisfy(w -> assertThat(w).contains("degenerate").contains("seed 3"));
        // deterministic given the seed
        FitResult again = Trainer.fit(SYMMETRIC, data, null, options, HmmFitSettings.defaults(), null);
        assertThat(again.model()).isEqualTo(fit.model());
    }

    @Test
    void aResumedFitFromAMovedStartEndsAsTheWholeRunAndStillSaysSo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Dataset data = rolls();
        TrainOptions options = TrainOptions.defaults().withSeed(3).withMaxIterations(12).withTolerance(0).withThreads(1);
        FitResult whole = Trainer.fit(SYMMETRIC, data, null, options, HmmFitSettings.defaults(), null);
        java.nio.file.Path ck = dir.resolve("ck.json");
        Trainer.fit(SYMMETRIC, data, null, options.withMaxIterations(5).withCheckpoint(ck, 1), HmmFitSettings.defaults(),
                null);
        FitResult resumed = Trainer.resume(ck, SYMMETRIC, data, null, options, HmmFitSettings.defaults(), null);
        assertThat(resumed.model()).isEqualTo(whole.model());
        assertThat(resumed.warnings()).isEqualTo(whole.warnings());
        assertThat(resumed.warnings()).anySatisfy(w -> assertThat(w).contains("degenerate"));
    }

    @Test
    void aStartWhoseStatesDifferIsLeftAsGiven() {
        Dataset data = rolls();
        FitResult fit = Trainer.fit(TWO_DICE, data, null, TrainOptions.defaults().withThreads(1),
                HmmFitSettings.defaults(), null);
        assertThat(fit.warnings()).isEmpty();
        assertThat(fit.converged()).isTrue();
        assertThat(fit.status()).isEqualTo("converged");
        // the same start one EM step further on is what the fit's trace starts from: the given start was used
        assertThat(fit.logLikelihoodTrace()[0]).isEqualTo(data.sequences().stream()
                .mapToDouble(s -> org.statespace.Recurrence.logLikelihood(TWO_DICE, s)).sum());
    }

    @Test
    void identicalEmissionsWithDifferentRowsAreNotCalledSymmetric() {
        HiddenMarkovModel m = HiddenMarkovModel.of(new double[] {0.5, 0.5}, new double[][] {{0.9, 0.1}, {0.3, 0.7}},
                CategoricalEmission.of(new double[][] {{0.5, 0.5}, {0.5, 0.5}}));
        Dataset data = Dataset.of(List.of(Sequence.ofSymbols("s", new int[] {0, 1, 1, 0})));
        assertThat(m.symmetry(data)).isEmpty();
        HiddenMarkovModel same = HiddenMarkovModel.of(new double[] {0.5, 0.5}, new double[][] {{0.9, 0.1}, {0.9, 0.1}},
                CategoricalEmission.of(new double[][] {{0.5, 0.5}, {0.5, 0.5}}));
        assertThat(same.symmetry(data)).isPresent();
    }

    @Test
    void theIterationLimitIsAStopWithAWarningNotConvergence() {
        Dataset data = rolls();
        TrainOptions options = TrainOptions.defaults().withMaxIterations(3).withTolerance(0).withThreads(1);
        FitResult fit = Trainer.fit(TWO_DICE, data, null, options, HmmFitSettings.defaults(), null);
        assertThat(fit.converged()).isFalse();
        assertThat(fit.status()).isEqualTo("stopped");
        assertThat(fit.iterations()).isEqualTo(3);
        assertThat(fit.warnings()).hasSize(1);
        double[] t = fit.logLikelihoodTrace();
        double last = (t[t.length - 1] - t[t.length - 2]) / Math.abs(t[t.length - 1]);
        assertThat(fit.warnings().get(0)).contains("maxIterations 3")
                .contains(String.format(java.util.Locale.ROOT, "%.3g", last)).doesNotContain("\n");
        assertThat(fit.toJson().get("converged").asBoolean()).isFalse();
        assertThat(fit.toJson().get("warnings").size()).isEqualTo(1);
    }

    @Test
    void theOptimiserAtItsLimitIsStoppedToo() throws Exception {
        Dataset nile = NileMaximumLikelihoodTest.nile();
        FitResult fit = Trainer.fit(StructuralModel.localLevel(1000, 1000), nile, null,
                TrainOptions.defaults().withMaxIterations(5).withThreads(1), FitSettings.NONE, null);
        assertThat(fit.converged()).isFalse();
        assertThat(fit.warnings()).singleElement().asString().contains("maxIterations 5");
    }

    @Test
    void dataBeyondDoublePrecisionIsAnErrorNotAConvergedStart() {
        // (1e200)^2 = 1e400 overflows a double (max about 1.8e308), so every likelihood is NaN or -Infinity
        double[] y = new double[20];
        for (int t = 0; t < y.length; t++) {
            y[t] = 1e200 * (1 + 0.1 * (t % 3));
        }
        Dataset data = Dataset.of(List.of(Sequence.ofScalars("far", y)));
        assertThatThrownBy(() -> Trainer.fit(StructuralModel.localLevel(1, 1), data, null,
                TrainOptions.defaults().withThreads(1), FitSettings.NONE, null))
                .isInstanceOf(NumericalException.class)
                // the filter stops at the first observation whose log-density no double can hold
                .hasMessageContaining("sequence 'far', step 1").hasMessageContaining("-Infinity");
    }

    @Test
    void anAllMissingDatasetIsAnError() {
        double[] y = new double[12];
        Arrays.fill(y, Double.NaN);
        Dataset data = Dataset.of(List.of(Sequence.ofScalars("gone", y)));
        assertThatThrownBy(() -> Trainer.fit(StructuralModel.localLevel(1, 1), data, null,
                TrainOptions.defaults().withThreads(1), FitSettings.NONE, null))
                .isInstanceOf(DataException.class).hasMessageContaining("12 steps is missing");
        Dataset symbols = Dataset.of(List.of(Sequence.of("gone", 1, y)));
        assertThatThrownBy(() -> Trainer.fit(TWO_DICE, symbols, null, TrainOptions.defaults().withThreads(1),
                HmmFitSettings.defaults(), null)).isInstanceOf(DataException.class);
    }

    private static double[][] rowsOf(HiddenMarkovModel m) {
        double[][] p = new double[2][6];
        for (int k = 0; k < 2; k++) {
            for (int s = 0; s < 6; s++) {
                p[k][s] = m.emissionModel().stateDistribution(k).logDensity(new double[] {s}, 0);
                p[k][s] = Math.exp(p[k][s]);
            }
        }
        return p;
    }
}
