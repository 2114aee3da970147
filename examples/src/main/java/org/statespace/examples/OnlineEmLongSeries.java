package org.statespace.examples;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

import org.statespace.Sampling;
import org.statespace.StateSpaceModel;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.hmm.GaussianEmission;
import org.statespace.hmm.HiddenMarkovModel;
import org.statespace.hmm.HmmFitSettings;
import org.statespace.inference.FitResult;
import org.statespace.inference.TrainOptions;
import org.statespace.inference.Trainer;
import org.statespace.kalman.KalmanFitSettings;
import org.statespace.kalman.LinearGaussianModel;
import org.statespace.numeric.Randoms;

/**
 * Online EM against batch EM on one long simulated series (10⁶ steps unless an argument says otherwise), for a
 * 3-state Gaussian HMM and an AR(1)-plus-noise linear-Gaussian model (H held fixed): batch EM to tolerance 1e-8,
 * then online EM from the same start with chunks of 1000 steps, one update per chunk, default step sizes and one
 * pass; prints both log-likelihoods per step, their difference and the time each took.
 *
 * <pre>
 *   java -cp examples/target/statespace-app.jar org.statespace.examples.OnlineEmLongSeries [steps]
 * </pre>
 */
public final class OnlineEmLongSeries {
    private OnlineEmLongSeries() {
    }

    public static void main(String[] args) {
        run(System.out, args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000);
    }

    /** Runs both comparisons on series of {@code steps} steps, writing the report to {@code out}. */
    public static void run(PrintStream out, int steps) {
        HiddenMarkovModel hmmTruth = HiddenMarkovModel.of(new double[] {1, 0, 0},
                new double[][] {{0.95, 0.03, 0.02}, {0.04, 0.92, 0.04}, {0.02, 0.05, 0.93}},
                GaussianEmission.univariate(new double[] {-2, 0.5, 3}, new double[] {1, 0.5, 1.5}));
        HiddenMarkovModel hmmStart = HiddenMarkovModel.of(new double[] {0.4, 0.3, 0.3},
                new double[][] {{0.8, 0.1, 0.1}, {0.1, 0.8, 0.1}, {0.1, 0.1, 0.8}},
                GaussianEmission.univariate(new double[] {-1, 0, 1}, new double[] {2, 2, 2}));
        compare(out, "3-state Gaussian HMM", hmmTruth, hmmStart, HmmFitSettings.defaults(), steps);
        LinearGaussianModel arTruth = LinearGaussianModel.of(new double[][] {{0.9}}, new double[][] {{0.5}},
                new double[][] {{1}}, new double[][] {{1}}, new double[] {0}, new double[][] {{1}});
        LinearGaussianModel arStart = LinearGaussianModel.of(new double[][] {{0.5}}, new double[][] {{1}},
                new double[][] {{1}}, new double[][] {{2}}, new double[] {0}, new double[][] {{1}});
        compare(out, "AR(1) plus noise (lgssm)", arTruth, arStart,
                KalmanFitSettings.defaults().withFixed("observationMatrix"), steps);
    }

    private static void compare(PrintStream out, String name, StateSpaceModel<?, ?> truth, StateSpaceModel<?, ?> start,
            FitSettings settings, int steps) {
        Dataset data = Dataset.of(List.of(Sampling.sample(truth, "long", steps, null, Randoms.seeded(3))));
        TrainOptions base = TrainOptions.defaults().withThreads(1);
        FitResult batch = Trainer.fit(start, data, null, base.withMethod(TrainOptions.Method.EM).withMaxIterations(2000)
                .withTolerance(1e-8), settings, null);
        FitResult online = Trainer.fit(start, data, null, base.withMethod(TrainOptions.Method.ONLINE_EM)
                .withChunkLength(1000).withMaxIterations(1), settings, null);
        double b = batch.logLikelihood() / steps;
        double o = online.logLikelihood() / steps;
        out.printf(Locale.ROOT, "%s, %d steps%n", name, steps);
        out.printf(Locale.ROOT, "  start       %.6f nats per step%n", online.logLikelihoodTrace()[0] / steps);
        out.printf(Locale.ROOT, "  batch EM    %.6f nats per step, %d iterations, %.1f s%n", b, batch.iterations(),
                batch.seconds());
        out.printf(Locale.ROOT, "  online EM   %.6f nats per step, one pass of %d updates, %.1f s%n", o,
                (steps + 999) / 1000, online.seconds());
        out.printf(Locale.ROOT, "  difference  %.2e nats per step%n", b - o);
    }
}
