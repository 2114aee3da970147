package org.statespace.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.inference.FitResult;
import org.statespace.inference.LearningCurve;
import org.statespace.inference.TrainOptions;
import org.statespace.inference.Trainer;
import org.statespace.inference.TrainingListener;
import org.statespace.numeric.Randoms;
import org.statespace.rnn.Cell;
import org.statespace.rnn.Head;
import org.statespace.rnn.Layer;
import org.statespace.rnn.RnnArchitecture;
import org.statespace.rnn.RnnFitSettings;
import org.statespace.rnn.RnnModel;

/**
 * An LSTM learning a noisy sine wave: y_t = sin(2π t / 25 + φ) + 0.1 ε_t, one random phase per sequence,
 * predicted one step ahead by an LSTM (16 units) with a Gaussian head (mean and log-variance), trained
 * with Adam by the generic trainer on 32 sequences of 100 steps, validated on 8 others. Prints the
 * learning curve: mean negative log-likelihood per observation on the training and validation data.
 * The noise sets the floor: a perfect predictor scores ½ log(2π e 0.01) ≈ -0.88.
 *
 * <pre>java -cp examples/target/statespace-app.jar org.statespace.examples.LstmSineWave</pre>
 */
public final class LstmSineWave {
    private LstmSineWave() {
    }

    static Dataset waves(int count, int length, RandomGenerator random) {
        List<Sequence> out = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            double phase = 2 * Math.PI * random.nextDouble();
            double[] y = new double[length];
            for (int t = 0; t < length; t++) {
                y[t] = Math.sin(2 * Math.PI * t / 25 + phase) + 0.1 * random.nextGaussian();
            }
            out.add(Sequence.ofScalars("wave" + s, y));
        }
        return Dataset.of(out);
    }

    public static void main(String[] args) {
        Dataset training = waves(32, 100, Randoms.stream(1, 0));
        Dataset validation = waves(8, 100, Randoms.stream(1, 1));
        RnnModel lstm = RnnModel.initialized(RnnArchitecture.stack(1, List.of(Layer.of(Cell.LSTM, 16)),
                Head.of(Head.Type.GAUSSIAN, 1)), 3);
        TrainOptions options = TrainOptions.defaults().withSeed(5).withMaxIterations(60).withBatchSize(8)
                .withLearningRate(0.01).withPatience(0);
        System.out.println("epoch  training  validation  (mean negative log-likelihood per observation)");
        FitResult result = Trainer.fit(lstm, training, validation, options, RnnFitSettings.defaults(),
                (iteration, of, point) -> {
                    if (iteration % 5 == 0) {
                        System.out.println(row(point));
                    }
                });
        LearningCurve curve = result.curve();
        System.out.println("start: " + row(curve.points().get(0)));
        System.out.println("best validation loss " + String.format(Locale.ROOT, "%.3f",
                curve.points().stream().mapToDouble(LearningCurve.Point::validationLoss).min().orElse(Double.NaN))
                + " after " + result.iterations() + " epochs, " + String.format(Locale.ROOT, "%.1f s", result.seconds()));
    }

    private static String row(LearningCurve.Point p) {
        return String.format(Locale.ROOT, "%5d  %8.3f  %10.3f", p.iteration(), p.trainingLoss(), p.validationLoss());
    }
}
