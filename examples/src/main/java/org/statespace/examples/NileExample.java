package org.statespace.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.inference.FitResult;
import org.statespace.inference.TrainOptions;
import org.statespace.inference.Trainer;
import org.statespace.inference.TrainingListener;
import org.statespace.kalman.KalmanFilterResult;
import org.statespace.kalman.KalmanSmootherResult;
import org.statespace.kalman.StructuralModel;

/**
 * The Nile, the textbook local-level example (Durbin &amp; Koopman 2012, ch. 2): fits
 * y_t = μ_t + ε_t, μ_{t+1} = μ_t + η_t by maximum likelihood under exact diffuse initialisation, prints the
 * estimates next to the published ones, the log-likelihood in both conventions, a few smoothed levels,
 * and a ten-year forecast with 90% intervals.
 *
 * <pre>
 *   java -cp examples/target/statespace-app.jar org.statespace.examples.NileExample
 * </pre>
 */
public final class NileExample {
    private NileExample() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    /** Runs the example, writing its report to {@code out}. */
    public static void run(PrintStream out) {
        double[] volumes = nile();
        Sequence nile = Sequence.ofScalars("nile", volumes);
        StructuralModel start = StructuralModel.localLevel(1000, 1000);
        FitResult fit = Trainer.fit(start, Dataset.of(List.of(nile)), null, TrainOptions.defaults(), FitSettings.NONE,
                TrainingListener.NONE);
        StructuralModel model = (StructuralModel) fit.model();
        KalmanFilterResult filtered = model.filterStates(nile);

        out.println("Nile flow 1871-1970, local-level model, exact diffuse initialisation");
        out.printf(Locale.ROOT, "fitted by %s in %d iterations%n", fit.method().jsonName(), fit.iterations());
        out.printf(Locale.ROOT, "%-24s %12s %12s %12s%n", "", "fitted", "D&K 2012", "KFAS");
        out.printf(Locale.ROOT, "%-24s %12.2f %12.0f %12.1f%n", "observation variance", model.observationVariance(),
                15099.0, 15098.5);
        out.printf(Locale.ROOT, "%-24s %12.3f %12.1f %12.2f%n", "level variance", model.levelVariance(), 1469.1,
                1469.18);
        out.printf(Locale.ROOT, "log-likelihood %.4f (Durbin & Koopman eq. 7.4, statsmodels), %.4f (KFAS)%n",
                filtered.logLikelihood(), filtered.logLikelihoodKfasConvention());

        KalmanSmootherResult smoothed = model.smoothStates(nile);
        out.println();
        out.println("year   flow   smoothed level  (sd)");
        for (int t : new int[] {0, 27, 28, 29, 99}) {
            out.printf(Locale.ROOT, "%d  %5.0f   %8.1f  (%5.1f)%n", 1871 + t, volumes[t], smoothed.mean(t, 0),
                    Math.sqrt(smoothed.covariance(t, 0, 0)));
        }

        List<PredictiveDistribution> forecast = model.forecast(nile, 10, null);
        out.println();
        out.println("year   forecast   90% interval");
        for (int k = 0; k < forecast.size(); k++) {
            PredictiveDistribution p = forecast.get(k);
            out.printf(Locale.ROOT, "%d   %7.1f   [%6.1f, %6.1f]%n", 1971 + k, p.mean(0), p.quantile(0, 0.05),
                    p.quantile(0, 0.95));
        }
    }

    static double[] nile() {
        try (InputStream in = NileExample.class.getResourceAsStream("nile.csv")) {
            if (in == null) {
                throw new IllegalStateException("nile.csv is missing from the example's resources");
            }
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().split("\\R");
            double[] values = new double[lines.length - 1];
            for (int i = 1; i < lines.length; i++) {
                values[i - 1] = Double.parseDouble(lines[i].split(",")[1].strip());
            }
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
