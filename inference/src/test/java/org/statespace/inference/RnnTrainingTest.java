package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.rnn.Cell;
import org.statespace.rnn.Head;
import org.statespace.rnn.Layer;
import org.statespace.rnn.RnnArchitecture;
import org.statespace.rnn.RnnFitSettings;
import org.statespace.rnn.RnnModel;
import org.statespace.spec.Json;

/**
 * The trainer on RNNs: a small GRU learns from the casino rolls (Durbin et al. 1998; see the README
 * next to casino.json), seeded and reproducible; a linear head's variance is re-estimated from the
 * training residuals.
 */
class RnnTrainingTest {

    private static int[] rolls() throws Exception {
        try (InputStream in = RnnTrainingTest.class.getResourceAsStream("casino.json")) {
            JsonNode n = Json.read(in, "casino.json").get("observationsZeroBased");
            int[] r = new int[n.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = n.get(i).asInt();
            }
            return r;
        }
    }

    /** The rolls cut into 12 pieces of 25, every other piece (starting at piece {@code first}). */
    private static Dataset pieces(int[] rolls, int first) {
        List<Sequence> out = new ArrayList<>();
        for (int s = first * 25; s < rolls.length; s += 50) {
            out.add(Sequence.ofSymbols("rolls" + s, java.util.Arrays.copyOfRange(rolls, s, s + 25)));
        }
        return Dataset.ofSymbols(out, List.of("1", "2", "3", "4", "5", "6"));
    }

    private static FitResult fit(Dataset training, Dataset validation, long seed) {
        RnnModel gru = RnnModel.initialized(RnnArchitecture.stack(6, List.of(Layer.of(Cell.GRU, 4)),
                new Head(Head.Type.SOFTMAX, 6, List.of("1", "2", "3", "4", "5", "6"))), 3);
        TrainOptions options = TrainOptions.defaults().withSeed(seed).withMaxIterations(25).withBatchSize(4)
                .withLearningRate(0.03).withThreads(1).withPatience(5);
        return Trainer.fit(gru, training, validation, options, RnnFitSettings.defaults(), TrainingListener.NONE);
    }

    @Test
    void aSmallGruOnTheCasinoRollsLowersTheValidationLoss() throws Exception {
        int[] rolls = rolls();
        // alternate pieces of 25 rolls for training and validation, so both see fair and loaded stretches
        Dataset training = pieces(rolls, 0);
        Dataset validation = pieces(rolls, 1);
        FitResult result = fit(training, validation, 17);
        LearningCurve curve = result.curve();
        double before = curve.points().get(0).validationLoss();
        // early stopping keeps the network of the best validation loss: score it independently
        double after = -validation.sequences().stream()
                .mapToDouble(s -> org.statespace.Recurrence.logLikelihood(result.model(), s)).sum()
                / validation.observedCount();
        assertThat(after).isLessThan(before - 0.1);
        assertThat(result.converged()).as("stopped early").isTrue();
        assertThat(curve.last().trainingLoss()).isLessThan(curve.points().get(0).trainingLoss() - 0.1);
        // seeded: the same fit again gives the same network bit for bit
        assertThat(fit(training, validation, 17).model()).isEqualTo(result.model());
        assertThat(fit(training, validation, 18).model()).isNotEqualTo(result.model());
    }

    @Test
    void aLinearHeadsVarianceIsTheMeanSquaredTrainingResidual() {
        double[] wave = new double[60];
        for (int t = 0; t < wave.length; t++) {
            wave[t] = Math.sin(0.3 * t) + 0.1 * Math.cos(1.7 * t);
        }
        Dataset data = Dataset.of(List.of(Sequence.ofScalars("wave", wave)));
        RnnModel net = RnnModel.initialized(RnnArchitecture.stack(1, List.of(Layer.of(Cell.TANH, 6)),
                Head.of(Head.Type.LINEAR, 1)), 4);
        TrainOptions options = TrainOptions.defaults().withMaxIterations(30).withLearningRate(0.02).withThreads(1);
        FitResult result = Trainer.fit(net, data, null, options, RnnFitSettings.defaults(), TrainingListener.NONE);
        RnnModel fitted = (RnnModel) result.model();
        double[] residuals = new double[1];
        org.statespace.Recurrence.workspace(fitted).run(data.sequence(0), (t, state, predicted, logDensity) -> {
            double r = wave[t] - predicted.mean(0);
            residuals[0] += r * r / wave.length;
        });
        assertThat(fitted.headVariance()[0]).isCloseTo(residuals[0], org.assertj.core.api.Assertions.within(1e-12));
        assertThat(fitted.headVariance()[0]).isLessThan(0.5);
    }
}
