package org.statespace.plots;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Small, valid inputs for every chart, made here from simple generative models with fixed seeds (the
 * charts are checked for what they draw, not for these numbers).
 */
final class Samples {
    private Samples() {
    }

    /**
     * A local-level model y_t = x_t + e_t, x_t = x_{t-1} + w_t (variances 1 and 0.1), simulated, with the
     * exact one-step predictive N(m_t, P_t + 1) of a scalar Kalman filter.
     */
    static PredictiveSeries localLevel(int n, int heldOutFrom) {
        Random r = new Random(7);
        double[] y = new double[n];
        double x = 10;
        for (int t = 0; t < n; t++) {
            x += Math.sqrt(0.1) * r.nextGaussian();
            y[t] = t % 17 == 5 ? Double.NaN : x + r.nextGaussian();
        }
        double m = 10;
        double p = 4;
        double[] mean = new double[n];
        double[] l50 = new double[n];
        double[] u50 = new double[n];
        double[] l90 = new double[n];
        double[] u90 = new double[n];
        for (int t = 0; t < n; t++) {
            double s = Math.sqrt(p + 1);
            mean[t] = m;
            l50[t] = m - StateChart.Z50 * s;
            u50[t] = m + StateChart.Z50 * s;
            l90[t] = m - StateChart.Z90 * s;
            u90[t] = m + StateChart.Z90 * s;
            if (!Double.isNaN(y[t])) {
                double k = p / (p + 1);
                m += k * (y[t] - m);
                p = (1 - k) * p;
            }
            p += 0.1;
        }
        return new PredictiveSeries("s1", "level (units of the data)", Charts.steps(n), y, mean, l50, u50, l90, u90,
                heldOutFrom);
    }

    /** Filtered and smoothed tracks of a 2-D state (a random walk and its drift), with the truth. */
    static List<GaussianTrack> stateTracks(int n, double[] truthOut) {
        Random r = new Random(11);
        double[] fm = new double[2 * n];
        double[] fc = new double[4 * n];
        double[] sm = new double[2 * n];
        double[] sc = new double[4 * n];
        double level = 0;
        for (int t = 0; t < n; t++) {
            level += 0.3 * Math.sin(t / 9.0) + 0.2 * r.nextGaussian();
            truthOut[t] = level;
            fm[2 * t] = level + 0.5 * r.nextGaussian();
            fm[2 * t + 1] = 0.3 * Math.sin(t / 9.0);
            sm[2 * t] = level + 0.25 * r.nextGaussian();
            sm[2 * t + 1] = fm[2 * t + 1];
            fc[4 * t] = 0.5;
            fc[4 * t + 3] = 0.05;
            fc[4 * t + 1] = fc[4 * t + 2] = 0.01;
            sc[4 * t] = 0.2;
            sc[4 * t + 3] = 0.03;
            sc[4 * t + 1] = sc[4 * t + 2] = 0.005;
        }
        return List.of(new GaussianTrack("filtered", n, 2, fm, fc), new GaussianTrack("smoothed", n, 2, sm, sc));
    }

    /** A 3-state posterior with slowly switching regimes, its argmax as the "Viterbi" path, and a true path. */
    static StateProbabilityTrack posterior(int n) {
        Random r = new Random(3);
        int k = 3;
        double[] p = new double[n * k];
        int[] truth = new int[n];
        int[] decoded = new int[n];
        int state = 0;
        for (int t = 0; t < n; t++) {
            if (r.nextDouble() < 0.04) {
                state = (state + 1 + r.nextInt(2)) % k;
            }
            truth[t] = state;
            double sum = 0;
            for (int s = 0; s < k; s++) {
                double w = (s == state ? 6 : 1) * (0.5 + r.nextDouble());
                p[t * k + s] = w;
                sum += w;
            }
            int best = 0;
            for (int s = 0; s < k; s++) {
                p[t * k + s] /= sum;
                if (p[t * k + s] > p[t * k + best]) {
                    best = s;
                }
            }
            decoded[t] = best;
        }
        return new StateProbabilityTrack("s1", List.of("state 0", "state 1", "state 2"), n, p,
                List.of(new LabelledPath("Viterbi path", decoded), new LabelledPath("true path", truth)), -1);
    }

    /** Three models' learning curves, two seeds each, with and without validation. */
    static List<CurveLine> curves() {
        List<CurveLine> lines = new ArrayList<>();
        String[] models = {"hmm-3", "kalman", "gru"};
        for (int m = 0; m < models.length; m++) {
            for (long seed = 1; seed <= 2; seed++) {
                int n = m == 2 ? 40 : 12;
                double[] it = Charts.steps(n);
                double[] tr = new double[n];
                double[] va = new double[n];
                for (int i = 0; i < n; i++) {
                    tr[i] = 1.2 + m * 0.2 + 1.5 * Math.exp(-i / (3.0 + m + seed));
                    va[i] = m == 1 ? Double.NaN : tr[i] + 0.1 + 0.004 * i;
                }
                lines.add(new CurveLine(models[m], seed, it, tr, va));
            }
        }
        return lines;
    }

    /** Log-likelihood of 3 models on 2 datasets; one model does not apply to one dataset. */
    static MetricTable metric() {
        return new MetricTable("meanLogLikelihood", "predictive log-likelihood per observation (nats)",
                List.of("markov", "hmm-3", "gru"), List.of("casino", "regimes"),
                new double[][] {{-1.77, Double.NaN}, {-1.70, -1.21}, {-1.74, -1.30}},
                new double[][] {{0.0, Double.NaN}, {0.01, 0.03}, {0.02, 0.05}});
    }

    /** Hidden units of a layer: smooth oscillations squashed by tanh. */
    static HiddenUnits hidden(int n, int h) {
        double[] v = new double[n * h];
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < h; i++) {
                v[t * h + i] = Math.tanh(1.5 * Math.sin(t / (4.0 + i) + i));
            }
        }
        return new HiddenUnits("s1", "layer 1, GRU", n, h, v);
    }

    /** Two stacked layers over an input, with a delay-1 feedback from layer 2 to layer 1. */
    static LoopGraphLayout feedbackGraph(int steps) {
        return LoopGraphLayout.unroll("2-layer RNN with feedback from layer 2 to layer 1", List.of("input x", "layer 1",
                "layer 2"), List.of(new LoopGraphLayout.Connection(0, 1, 0), new LoopGraphLayout.Connection(1, 2, 0),
                        new LoopGraphLayout.Connection(1, 1, 1), new LoopGraphLayout.Connection(2, 2, 1),
                        new LoopGraphLayout.Connection(2, 1, 1), new LoopGraphLayout.Connection(0, 2, 0),
                        new LoopGraphLayout.Connection(1, 1, 2)), steps);
    }
}
