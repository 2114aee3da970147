package org.statespace.plots;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.Emission;
import org.statespace.ObservationSpace;
import org.statespace.StateSpaceModel;
import org.statespace.StateTransition;
import org.statespace.capability.DecodedPath;
import org.statespace.capability.PathDecoding;
import org.statespace.capability.StateEstimates;
import org.statespace.capability.StateFiltering;
import org.statespace.capability.StateSmoothing;
import org.statespace.capability.Track;
import org.statespace.data.Sequence;
import org.statespace.distribution.Gaussian;
import org.statespace.spec.Json;

/**
 * Small models written here for the study charts' tests, each with the capabilities a family on its
 * branch will have (the families are not on this branch): a local-level Kalman filter and smoother, a
 * two-state Gaussian HMM with forward-backward and Viterbi, and a one-layer tanh recurrence that
 * exposes its hidden units. Textbook recursions; the tests check what is drawn, not these numbers.
 */
final class TestModels {
    private TestModels() {
    }

    record Estimates(int length, double logLikelihood, List<Track> tracks) implements StateEstimates {
    }

    /** x_t = x_{t-1} + w (var q), o_t = x_t + e (var r); state {m, P} of p(x_t | o_0..o_{t-1}). */
    record LocalLevel(double q, double r) implements StateSpaceModel<double[], Gaussian>, StateFiltering, StateSmoothing {
        @Override
        public String type() {
            return "test-local-level";
        }

        @Override
        public ObservationSpace observationSpace() {
            return ObservationSpace.reals(1);
        }

        @Override
        public StateTransition<double[]> transition() {
            return new StateTransition<>() {
                @Override
                public double[] newState() {
                    return new double[2];
                }

                @Override
                public void start(double[] s, Sequence seq) {
                    s[0] = 0;
                    s[1] = 100;
                }

                @Override
                public void step(double[] s, Sequence seq, int t) {
                    update(s, seq.isMissing(t - 1) ? Double.NaN : seq.scalar(t - 1));
                    s[1] += q;
                }
            };
        }

        void update(double[] s, double y) {
            if (!Double.isNaN(y)) {
                double k = s[1] / (s[1] + r);
                s[0] += k * (y - s[0]);
                s[1] *= 1 - k;
            }
        }

        @Override
        public Emission<double[], Gaussian> emission() {
            return new Emission<>() {
                @Override
                public Gaussian newDistribution() {
                    return new Gaussian(1);
                }

                @Override
                public void predict(double[] s, Sequence seq, int t, Gaussian out) {
                    out.setUnivariate(s[0], s[1] + r);
                }
            };
        }

        @Override
        public int parameterCount() {
            return 2;
        }

        @Override
        public ObjectNode toSpec() {
            return Json.object().put("type", type()).put("q", q).put("r", r);
        }

        @Override
        public StateEstimates filterStates(Sequence seq) {
            int n = seq.length();
            double[] m = new double[n];
            double[] p = new double[n];
            double[] s = {0, 100};
            for (int t = 0; t < n; t++) {
                if (t > 0) {
                    s[1] += q;
                }
                update(s, seq.isMissing(t) ? Double.NaN : seq.scalar(t));
                m[t] = s[0];
                p[t] = s[1];
            }
            return new Estimates(n, Double.NaN, List.of(new Track("filteredMeans", n, new int[] {1}, m),
                    new Track("filteredCovariances", n, new int[] {1, 1}, p)));
        }

        @Override
        public StateEstimates smoothStates(Sequence seq) {
            StateEstimates f = filterStates(seq);
            int n = seq.length();
            double[] m = f.tracks().get(0).values();
            double[] p = f.tracks().get(1).values();
            for (int t = n - 2; t >= 0; t--) { // Rauch-Tung-Striebel
                double g = p[t] / (p[t] + q);
                m[t] += g * (m[t + 1] - m[t]);
                p[t] += g * g * (p[t + 1] - (p[t] + q));
            }
            return new Estimates(n, Double.NaN, List.of(new Track("smoothedMeans", n, new int[] {1}, m),
                    new Track("smoothedCovariances", n, new int[] {1, 1}, p)));
        }
    }

    /** Two hidden states with means ±1 (sd 0.7), switching with probability 0.05. */
    record TwoRegimes() implements StateSpaceModel<double[], Gaussian>, StateSmoothing, PathDecoding {
        static final double[] MU = {-1, 1};
        static final double SD = 0.7;
        static final double SWITCH = 0.05;

        static double density(int k, double y) {
            if (Double.isNaN(y)) {
                return 1; // a missing observation carries no evidence
            }
            double z = (y - MU[k]) / SD;
            return Math.exp(-0.5 * z * z) / (SD * Math.sqrt(2 * Math.PI));
        }

        @Override
        public String type() {
            return "test-two-regimes";
        }

        @Override
        public ObservationSpace observationSpace() {
            return ObservationSpace.reals(1);
        }

        @Override
        public StateTransition<double[]> transition() {
            return new StateTransition<>() {
                @Override
                public double[] newState() {
                    return new double[2];
                }

                @Override
                public void start(double[] s, Sequence seq) {
                    s[0] = 0.5;
                    s[1] = 0.5;
                }

                @Override
                public void step(double[] s, Sequence seq, int t) {
                    if (!seq.isMissing(t - 1)) {
                        double y = seq.scalar(t - 1);
                        s[0] *= density(0, y);
                        s[1] *= density(1, y);
                        double z = s[0] + s[1];
                        s[0] /= z;
                        s[1] /= z;
                    }
                    double a = s[0];
                    s[0] = a * (1 - SWITCH) + s[1] * SWITCH;
                    s[1] = 1 - s[0];
                }
            };
        }

        @Override
        public Emission<double[], Gaussian> emission() {
            return new Emission<>() {
                @Override
                public Gaussian newDistribution() {
                    return new Gaussian(1);
                }

                @Override
                public void predict(double[] s, Sequence seq, int t, Gaussian out) {
                    // moment-matched: a chart-only stand-in for the two-component mixture
                    double mean = s[0] * MU[0] + s[1] * MU[1];
                    double second = s[0] * (MU[0] * MU[0]) + s[1] * (MU[1] * MU[1]) + SD * SD;
                    out.setUnivariate(mean, second - mean * mean);
                }
            };
        }

        @Override
        public int parameterCount() {
            return 4;
        }

        @Override
        public ObjectNode toSpec() {
            return Json.object().put("type", type());
        }

        @Override
        public StateEstimates smoothStates(Sequence seq) {
            int n = seq.length();
            double[] alpha = new double[2 * n];
            double[] beta = new double[2 * n];
            double a0 = 0.5;
            double a1 = 0.5;
            for (int t = 0; t < n; t++) {
                if (t > 0) {
                    double p0 = alpha[2 * t - 2] * (1 - SWITCH) + alpha[2 * t - 1] * SWITCH;
                    a0 = p0;
                    a1 = 1 - p0;
                }
                double y = seq.scalar(t);
                a0 *= density(0, y);
                a1 *= density(1, y);
                alpha[2 * t] = a0 / (a0 + a1);
                alpha[2 * t + 1] = a1 / (a0 + a1);
            }
            beta[2 * n - 2] = 1;
            beta[2 * n - 1] = 1;
            for (int t = n - 2; t >= 0; t--) {
                double e0 = density(0, seq.scalar(t + 1)) * beta[2 * t + 2];
                double e1 = density(1, seq.scalar(t + 1)) * beta[2 * t + 3];
                double b0 = (1 - SWITCH) * e0 + SWITCH * e1;
                double b1 = SWITCH * e0 + (1 - SWITCH) * e1;
                beta[2 * t] = b0 / (b0 + b1);
                beta[2 * t + 1] = b1 / (b0 + b1);
            }
            double[] post = new double[2 * n];
            for (int t = 0; t < n; t++) {
                double p0 = alpha[2 * t] * beta[2 * t];
                double p1 = alpha[2 * t + 1] * beta[2 * t + 1];
                post[2 * t] = p0 / (p0 + p1);
                post[2 * t + 1] = p1 / (p0 + p1);
            }
            return new Estimates(n, Double.NaN, List.of(new Track("posteriorProbabilities", n, new int[] {2}, post)));
        }

        /** The state of mean -1 is "low", that of mean +1 "high". */
        @Override
        public List<String> stateNames() {
            return List.of("low", "high");
        }

        @Override
        public DecodedPath decode(Sequence seq) {
            int n = seq.length();
            double[] score = new double[2 * n];
            int[] back = new int[2 * n];
            for (int k = 0; k < 2; k++) {
                score[k] = Math.log(0.5) + Math.log(density(k, seq.scalar(0)));
            }
            for (int t = 1; t < n; t++) {
                for (int k = 0; k < 2; k++) {
                    double stay = score[2 * (t - 1) + k] + Math.log(1 - SWITCH);
                    double move = score[2 * (t - 1) + 1 - k] + Math.log(SWITCH);
                    back[2 * t + k] = stay >= move ? k : 1 - k;
                    score[2 * t + k] = Math.max(stay, move) + Math.log(density(k, seq.scalar(t)));
                }
            }
            int[] path = new int[n];
            path[n - 1] = score[2 * n - 2] >= score[2 * n - 1] ? 0 : 1;
            for (int t = n - 1; t > 0; t--) {
                path[t - 1] = back[2 * t + path[t]];
            }
            return new DecodedPath(path, Math.max(score[2 * n - 2], score[2 * n - 1]));
        }
    }

    /** h_t = tanh(W h_{t-1} + u o_{t-1}) with 3 units, o_t ~ N(v·h_t, 0.5); exposes "hiddenLayer0". */
    record TinyRecurrence() implements StateSpaceModel<double[], Gaussian>, StateFiltering {
        static final double[][] W = {{0.5, -0.3, 0.1}, {0.2, 0.4, -0.2}, {-0.1, 0.3, 0.6}};
        static final double[] U = {0.8, -0.6, 0.3};
        static final double[] V = {0.9, -0.7, 0.4};

        static void advance(double[] h, double y, double[] scratch) {
            for (int i = 0; i < 3; i++) {
                double a = Double.isNaN(y) ? 0 : U[i] * y;
                for (int j = 0; j < 3; j++) {
                    a += W[i][j] * h[j];
                }
                scratch[i] = Math.tanh(a);
            }
            System.arraycopy(scratch, 0, h, 0, 3);
        }

        @Override
        public String type() {
            return "test-recurrence";
        }

        @Override
        public ObservationSpace observationSpace() {
            return ObservationSpace.reals(1);
        }

        @Override
        public StateTransition<double[]> transition() {
            return new StateTransition<>() {
                @Override
                public double[] newState() {
                    return new double[6];
                }

                @Override
                public void start(double[] s, Sequence seq) {
                    java.util.Arrays.fill(s, 0);
                }

                @Override
                public void step(double[] s, Sequence seq, int t) {
                    double[] h = {s[0], s[1], s[2]};
                    advance(h, seq.isMissing(t - 1) ? Double.NaN : seq.scalar(t - 1), new double[3]);
                    System.arraycopy(h, 0, s, 0, 3);
                }
            };
        }

        @Override
        public Emission<double[], Gaussian> emission() {
            return new Emission<>() {
                @Override
                public Gaussian newDistribution() {
                    return new Gaussian(1);
                }

                @Override
                public void predict(double[] s, Sequence seq, int t, Gaussian out) {
                    out.setUnivariate(V[0] * s[0] + V[1] * s[1] + V[2] * s[2], 0.5);
                }
            };
        }

        @Override
        public int parameterCount() {
            return 15;
        }

        @Override
        public ObjectNode toSpec() {
            return Json.object().put("type", type());
        }

        @Override
        public StateEstimates filterStates(Sequence seq) {
            int n = seq.length();
            double[] values = new double[3 * n];
            double[] h = new double[3];
            double[] scratch = new double[3];
            for (int t = 0; t < n; t++) {
                if (t > 0) {
                    advance(h, seq.isMissing(t - 1) ? Double.NaN : seq.scalar(t - 1), scratch);
                }
                System.arraycopy(h, 0, values, 3 * t, 3);
            }
            return new Estimates(n, Double.NaN, List.of(new Track("hiddenLayer0", n, new int[] {3}, values)));
        }
    }
}
