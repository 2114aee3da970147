package org.statespace.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.data.Dataset;
import org.statespace.data.DatasetJson;
import org.statespace.data.Sequence;
import org.statespace.spec.Json;

/**
 * Generates the simulated built-in datasets from their true models, by direct simulation of the model
 * equations (no toolkit model is used, so the data do not depend on the code they test). Each file
 * records its generator, seed and true parameters under "provenance". Run it to regenerate them:
 *
 * <pre>java -cp examples/target/statespace-app.jar org.statespace.examples.BuiltinDataGenerator DIR</pre>
 *
 * A test checks that the files in the resources equal what this program writes.
 */
public final class BuiltinDataGenerator {
    private BuiltinDataGenerator() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "examples/src/main/resources/org/statespace/datasets");
        for (Generated g : all()) {
            DatasetJson.write(g.data(), dir.resolve(g.name() + ".json"), g.provenance());
        }
    }

    /** A generated dataset with its provenance. */
    public record Generated(String name, Dataset data, ObjectNode provenance) {
    }

    /** Every simulated built-in dataset. */
    public static List<Generated> all() {
        return List.of(casinoSamples(), regimes(), tracking(), logistic(), growth());
    }

    private static ObjectNode provenance(String truth, long seed) {
        ObjectNode o = Json.object();
        o.put("generator", BuiltinDataGenerator.class.getName());
        o.put("seed", seed);
        o.put("truth", truth);
        return o;
    }

    private static int draw(SplittableRandom r, double[] p) {
        double u = r.nextDouble();
        double c = 0;
        for (int k = 0; k < p.length; k++) {
            c += p[k];
            if (u < c) {
                return k;
            }
        }
        return p.length - 1;
    }

    private static double gaussian(SplittableRandom r) {
        // Box-Muller, so the numbers do not depend on a library's normal generator
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** The occasionally dishonest casino (Durbin et al. 1998), sampled with its hidden states. */
    static Generated casinoSamples() {
        long seed = 1998;
        SplittableRandom r = new SplittableRandom(seed);
        double[][] a = {{0.95, 0.05}, {0.1, 0.9}};
        double[][] b = {{1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0}, {0.1, 0.1, 0.1, 0.1, 0.1, 0.5}};
        List<Sequence> seqs = new ArrayList<>();
        for (int n = 0; n < 4; n++) {
            int length = 600;
            int[] rolls = new int[length];
            double[] states = new double[length];
            int s = draw(r, new double[] {0.5, 0.5});
            for (int t = 0; t < length; t++) {
                if (t > 0) {
                    s = draw(r, a[s]);
                }
                states[t] = s;
                rolls[t] = draw(r, b[s]);
            }
            seqs.add(Sequence.ofSymbols("sampled" + (n + 1), rolls).withStates(1, states));
        }
        ObjectNode p = provenance("hmm: initial [0.5, 0.5], transition [[0.95, 0.05], [0.1, 0.9]], emission fair die "
                + "and a loaded die with P(6) = 0.5 (Durbin, Eddy, Krogh and Mitchison 1998); states 0 fair, 1 loaded", seed);
        return new Generated("casino-sampled", Dataset.ofSymbols(seqs, List.of("1", "2", "3", "4", "5", "6")), p);
    }

    /** A regime-switching Gaussian series: a 3-state HMM with sticky regimes. */
    static Generated regimes() {
        long seed = 42;
        SplittableRandom r = new SplittableRandom(seed);
        double[][] a = {{0.96, 0.03, 0.01}, {0.02, 0.95, 0.03}, {0.03, 0.02, 0.95}};
        double[] mean = {-2, 0.5, 3};
        double[] sd = {0.6, 1.0, 0.8};
        List<Sequence> seqs = new ArrayList<>();
        for (int n = 0; n < 4; n++) {
            int length = 400;
            double[] y = new double[length];
            double[] states = new double[length];
            int s = draw(r, new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0});
            for (int t = 0; t < length; t++) {
                if (t > 0) {
                    s = draw(r, a[s]);
                }
                states[t] = s;
                y[t] = mean[s] + sd[s] * gaussian(r);
            }
            seqs.add(Sequence.ofScalars("r" + (n + 1), y).withStates(1, states));
        }
        ObjectNode p = provenance("hmm with gaussian emissions: initial uniform, transition [[0.96, 0.03, 0.01], "
                + "[0.02, 0.95, 0.03], [0.03, 0.02, 0.95]], means [-2, 0.5, 3], standard deviations [0.6, 1.0, 0.8]", seed);
        return new Generated("regimes", Dataset.of(seqs), p);
    }

    /**
     * An object moving in the plane under known accelerations (the control input), its position measured
     * with noise: state (x, vx, y, vy), constant-velocity dynamics with step 1.
     */
    static Generated tracking() {
        long seed = 7;
        SplittableRandom r = new SplittableRandom(seed);
        double q = 0.05;
        double noise = 1.0;
        List<Sequence> seqs = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            int length = 300;
            double[] y = new double[length * 2];
            double[] u = new double[length * 2];
            double[] states = new double[length * 4];
            double x = 0, vx = 1, z = 0, vz = 0;
            for (int t = 0; t < length; t++) {
                // the accelerations: slow turns
                u[2 * t] = 0.3 * Math.sin(2 * Math.PI * (t + 40 * n) / 60.0);
                u[2 * t + 1] = 0.3 * Math.cos(2 * Math.PI * (t + 40 * n) / 90.0);
                if (t > 0) {
                    x = x + vx + 0.5 * u[2 * t] + Math.sqrt(q) * gaussian(r);
                    vx = vx + u[2 * t] + Math.sqrt(q) * gaussian(r);
                    z = z + vz + 0.5 * u[2 * t + 1] + Math.sqrt(q) * gaussian(r);
                    vz = vz + u[2 * t + 1] + Math.sqrt(q) * gaussian(r);
                }
                states[4 * t] = x;
                states[4 * t + 1] = vx;
                states[4 * t + 2] = z;
                states[4 * t + 3] = vz;
                y[2 * t] = x + noise * gaussian(r);
                y[2 * t + 1] = z + noise * gaussian(r);
            }
            seqs.add(Sequence.of("track" + (n + 1), 2, y).withInputs(2, u).withStates(4, states));
        }
        ObjectNode p = provenance("lgssm: state (x, vx, y, vy), F = [[1,1,0,0],[0,1,0,0],[0,0,1,1],[0,0,0,1]], "
                + "B = [[0.5,0],[1,0],[0,0.5],[0,1]], Q = 0.05 I, H = [[1,0,0,0],[0,0,1,0]], R = I, x_1 = (0, 1, 0, 0); "
                + "inputs: accelerations 0.3 sin(2 pi (t + 40 n) / 60), 0.3 cos(2 pi (t + 40 n) / 90)", seed);
        return new Generated("tracking", Dataset.of(seqs), p);
    }

    /**
     * A noisy logistic map: x_{t+1} = r x_t (1 - x_t) + process noise, clipped to (0, 1), observed with
     * noise. One-step dynamics are strongly nonlinear, which linear and finite-state models cannot
     * capture and an RNN can learn.
     */
    static Generated logistic() {
        long seed = 2718;
        SplittableRandom rand = new SplittableRandom(seed);
        double growth = 3.8;
        List<Sequence> seqs = new ArrayList<>();
        for (int n = 0; n < 4; n++) {
            int length = 400;
            double[] y = new double[length];
            double[] states = new double[length];
            double x = 0.2 + 0.6 * rand.nextDouble();
            for (int t = 0; t < length; t++) {
                if (t > 0) {
                    x = growth * x * (1 - x) + 0.01 * gaussian(rand);
                    x = Math.min(0.999, Math.max(0.001, x));
                }
                states[t] = x;
                y[t] = x + 0.02 * gaussian(rand);
            }
            seqs.add(Sequence.ofScalars("l" + (n + 1), y).withStates(1, states));
        }
        ObjectNode p = provenance("x_{t+1} = 3.8 x_t (1 - x_t) + 0.01 e_t clipped to [0.001, 0.999], "
                + "x_1 ~ U(0.2, 0.8); y_t = x_t + 0.02 v_t; e, v standard normal", seed);
        return new Generated("logistic", Dataset.of(seqs), p);
    }

    /**
     * The univariate non-stationary growth model (Kitagawa 1987; Gordon, Salmond and Smith 1993), the test bed of
     * non-linear filters, with 0-based steps t: x_0 ~ N(0, 5), x_t = x_{t-1}/2 + 25 x_{t-1}/(1 + x_{t-1}^2)
     * + 8 cos(1.2 t) + w_t, w_t ~ N(0, 10); y_t = x_t^2/20 + v_t, v_t ~ N(0, 1). Ten series of 100 steps with
     * their true states.
     */
    static Generated growth() {
        long seed = 1993;
        SplittableRandom r = new SplittableRandom(seed);
        List<Sequence> seqs = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            int length = 100;
            double[] y = new double[length];
            double[] states = new double[length];
            double x = Math.sqrt(5) * gaussian(r);
            for (int t = 0; t < length; t++) {
                if (t > 0) {
                    x = x / 2 + 25 * x / (1 + x * x) + 8 * Math.cos(1.2 * t) + Math.sqrt(10) * gaussian(r);
                }
                states[t] = x;
                y[t] = x * x / 20 + gaussian(r);
            }
            seqs.add(Sequence.ofScalars("growth" + (n + 1), y).withStates(1, states));
        }
        ObjectNode p = provenance("x_0 ~ N(0, 5); x_t = x_{t-1}/2 + 25 x_{t-1}/(1 + x_{t-1}^2) + 8 cos(1.2 t) + w_t, "
                + "w_t ~ N(0, 10); y_t = x_t^2/20 + v_t, v_t ~ N(0, 1); t = 0..99 (Kitagawa 1987; Gordon, Salmond and "
                + "Smith 1993)", seed);
        return new Generated("growth", Dataset.of(seqs), p);
    }
}
