package org.statespace.nonlinear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import org.statespace.SpecException;
import org.statespace.capability.StateEstimates;
import org.statespace.capability.Track;
import org.statespace.data.Sequence;
import org.statespace.kalman.KalmanFilterResult;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;
import org.statespace.spec.SpecNode;

/**
 * Neural f and h ({@link Mlp}) in {@code "nonlinear"} specs: exact Jacobians against central finite differences,
 * an extended filter over linear networks against the Kalman filter, the spec round trip and bad shapes.
 */
class NeuralFunctionTest {

    private static double[][] random(int rows, int cols, RandomGenerator r) {
        double[][] a = new double[rows][cols];
        for (double[] row : a) {
            for (int j = 0; j < cols; j++) {
                row[j] = r.nextGaussian();
            }
        }
        return a;
    }

    private static String layer(double[][] w, double[] b) {
        return "{\"weight\": " + LinearModels.json(w) + ", \"bias\": " + LinearModels.json(b) + "}";
    }

    private static NonlinearModel read(String json) {
        return new NonlinearType().read(SpecNode.root(Json.parse(json, "spec.json"), "spec.json"));
    }

    /**
     * f: ℝ³ × ℝ¹ (one input) → ℝ³ through hidden layers of 5 and 4, h: ℝ³ → ℝ², every activation; the Jacobian
     * with respect to x against central differences ({@link AutoDiffTest#check}: step 1e-5, within 1e-6).
     */
    @Test
    void jacobiansAreTheCentralFiniteDifferences() {
        RandomGenerator r = Randoms.stream(4, 0);
        Sequence inputs = Sequence.of("u", 1, new double[] {0, 0, 0}).withInputs(1, new double[] {0.3, -0.7, 1.1});
        for (String activation : Mlp.ACTIVATIONS) {
            Mlp f = new Mlp(3, activation, new double[][][] {random(5, 4, r), random(4, 5, r), random(3, 4, r)},
                    new double[][] {random(1, 5, r)[0], random(1, 4, r)[0], random(1, 3, r)[0]});
            Mlp h = new Mlp(3, activation, new double[][][] {random(2, 3, r)}, new double[][] {random(1, 2, r)[0]});
            for (Mlp g : List.of(f, h)) {
                int rows = g.outputDimension();
                for (int trial = 0; trial < 5; trial++) {
                    AutoDiffTest.check(g, random(1, 3, r)[0], inputs, trial % 3);
                }
            }
        }
    }

    // W1 rows are 2 e0, e1, e0 + e2, e1 / 2; W2 W1 = F with W2[i] = ((F_i0 - F_i2) / 2, F_i1, F_i2, 0)
    private static double[][] secondLayer() {
        double[][] f = LinearModels.F;
        double[][] w2 = new double[3][4];
        for (int i = 0; i < 3; i++) {
            w2[i][0] = (f[i][0] - f[i][2]) / 2;
            w2[i][1] = f[i][1];
            w2[i][2] = f[i][2];
        }
        return w2;
    }

    // f = W2 (W1 x) with W2 W1 = F (identity activation between), h = H x: the linear model of LinearModels
    private static String linearNetworks(String filter) {
        double[][] w1 = {{2, 0, 0}, {0, 1, 0}, {1, 0, 1}, {0, 0.5, 0}};
        // W2 (3×4) with W2 W1 = F: columns chosen by hand, W2 = [F_0/2 - ..]; solve per row by least squares below
        double[][] w2 = secondLayer();
        return "{\"type\": \"nonlinear\", \"filter\": \"" + filter + "\", "
                + "\"transition\": {\"type\": \"mlp\", \"activation\": \"identity\", \"layers\": ["
                + layer(w1, new double[4]) + ", " + layer(w2, new double[3]) + "]}, "
                + "\"observation\": {\"type\": \"mlp\", \"layers\": [" + layer(LinearModels.H, new double[2]) + "]}, "
                + "\"processNoise\": " + LinearModels.json(LinearModels.Q) + ", \"observationNoise\": " + LinearModels.json(LinearModels.R)
                + ", \"initialMean\": " + LinearModels.json(LinearModels.M0) + ", \"initialCovariance\": " + LinearModels.json(LinearModels.P0) + "}";
    }

    private static Track track(StateEstimates e, String name) {
        return e.tracks().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void anExtendedFilterOverLinearNetworksIsTheKalmanFilter() {
        NonlinearModel model = read(linearNetworks("ekf"));
        for (long seed : new long[] {1, 2}) {
            Sequence s = LinearModels.series(seed, 40);
            KalmanFilterResult theirs = LinearModels.kalman().filterStates(s);
            StateEstimates ours = model.filterStates(s);
            assertThat(ours.logLikelihood()).isCloseTo(theirs.logLikelihood(), within(1e-12 * Math.abs(theirs.logLikelihood())));
            Track fm = track(ours, "filteredMeans");
            Track fc = track(ours, "filteredCovariances");
            for (int t = 0; t < s.length(); t++) {
                for (int i = 0; i < 3; i++) {
                    assertThat(fm.value(t, i)).isCloseTo(theirs.filteredMean(t, i), within(1e-12));
                    for (int j = 0; j < 3; j++) {
                        assertThat(fc.value(t, i * 3 + j)).isCloseTo(theirs.filteredCovariance(t, i, j), within(1e-12));
                    }
                }
            }
        }
    }

    @Test
    void neuralSpecsRoundTrip() {
        for (String filter : new String[] {"ekf", "ukf", "particle"}) {
            NonlinearModel model = read(linearNetworks(filter).replace("\"identity\"", "\"tanh\""));
            ObjectNode spec = model.toSpec();
            NonlinearModel back = new NonlinearType().read(SpecNode.root(spec, "back"));
            assertThat(back).isEqualTo(model);
            assertThat(back.toSpec()).isEqualTo(spec);
            assertThat(spec.get("transition").get("activation").asText()).isEqualTo("tanh");
        }
    }

    @Test
    void aWrongWeightShapeNamesItsJsonPath() {
        String good = linearNetworks("ekf");
        // the second transition layer reads 3 columns where the first gives 4 outputs
        String bad = good.replace(", \"bias\": [0.0, 0.0, 0.0, 0.0]}, {\"weight\": ", ", \"bias\": [0.0, 0.0, 0.0, 0.0]}, "
                + "{\"weight\": [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], \"unused\": ");
        assertThat(bad).isNotEqualTo(good);
        assertThatThrownBy(() -> read(bad.replace(", \"unused\": " + LinearModels.json(secondLayer()), "")))
                .isInstanceOf(SpecException.class).hasMessageContaining("transition.layers[1].weight")
                .hasMessageContaining("4 outputs");
        // h reading 2 columns of a 3-state model
        assertThatThrownBy(() -> read(good.replace(LinearModels.json(LinearModels.H), "[[1.0, 0.0], [0.0, 1.0]]")))
                .isInstanceOf(SpecException.class).hasMessageContaining("observation.layers[0].weight");
        assertThatThrownBy(() -> read(good.replace("\"identity\"", "\"softplus\"")))
                .isInstanceOf(SpecException.class).hasMessageContaining("transition.activation")
                .hasMessageContaining("softplus");
        assertThatThrownBy(() -> read(good.replace("\"transition\"", "\"model\": \"growth\", \"transition\"")))
                .isInstanceOf(SpecException.class).hasMessageContaining("model");
        assertThatThrownBy(() -> read(good.replace("\"processNoise\"", "\"unusedNoise\"")))
                .isInstanceOf(SpecException.class);
    }

    private static double sig(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    // W u + b (row block k of G·H rows)
    private static double affine(double[][] w, double[] v, double[] b, int row) {
        double s = b[row];
        for (int c = 0; c < v.length; c++) {
            s += w[row][c] * v[c];
        }
        return s;
    }

    /**
     * Every cell of the rnn family as f: the value against PyTorch's equations written here (LSTM gates i, f, g, o;
     * GRU r, z, n with r applied to W_hn h + b_hn), the Jacobian (from the rnn package's backward step) against
     * central differences ({@link AutoDiffTest#check}, 1e-6), with one input and without inputs; the spec round-trips.
     */
    @Test
    void rnnCellsAsTheTransition() {
        RandomGenerator r = Randoms.stream(9, 0);
        int hidden = 3;
        for (String type : CellFunction.TYPES) {
            for (int p : new int[] {1, 0}) {
                org.statespace.rnn.Cell cell = org.statespace.rnn.Cell.fromJson(type);
                int width = cell.gates() * hidden;
                double[][] ih = p == 0 ? null : random(width, p, r);
                double[][] hh = random(width, hidden, r);
                double[] bi = random(1, width, r)[0];
                double[] bh = random(1, width, r)[0];
                CellFunction f = new CellFunction(cell, hidden, p, ih, hh, bi, bh);
                int n = f.inputDimension();
                Sequence inputs = p == 0 ? Sequence.of("u", 1, new double[3])
                        : Sequence.of("u", 1, new double[3]).withInputs(1, new double[] {0.4, -1.2, 0.8});
                for (int t = 0; t < 3; t++) {
                    double[] x = random(1, n, r)[0];
                    double[] u = p == 0 ? new double[] {0} : new double[] {inputs.input(t, 0)};
                    double[][] wih = p == 0 ? new double[width][1] : ih;
                    double[] h = java.util.Arrays.copyOf(x, hidden);
                    double[] expected = new double[n];
                    for (int j = 0; j < hidden; j++) {
                        switch (type) {
                            case "tanh" -> expected[j] = Math.tanh(affine(wih, u, bi, j) + affine(hh, h, bh, j));
                            case "relu" -> expected[j] = Math.max(0, affine(wih, u, bi, j) + affine(hh, h, bh, j));
                            case "sigmoid" -> expected[j] = sig(affine(wih, u, bi, j) + affine(hh, h, bh, j));
                            case "lstm" -> {
                                double ig = sig(affine(wih, u, bi, j) + affine(hh, h, bh, j));
                                double fg = sig(affine(wih, u, bi, hidden + j) + affine(hh, h, bh, hidden + j));
                                double gg = Math.tanh(affine(wih, u, bi, 2 * hidden + j) + affine(hh, h, bh, 2 * hidden + j));
                                double og = sig(affine(wih, u, bi, 3 * hidden + j) + affine(hh, h, bh, 3 * hidden + j));
                                double c = fg * x[hidden + j] + ig * gg;
                                expected[j] = og * Math.tanh(c);
                                expected[hidden + j] = c;
                            }
                            default -> {
                                double rg = sig(affine(wih, u, bi, j) + affine(hh, h, bh, j));
                                double zg = sig(affine(wih, u, bi, hidden + j) + affine(hh, h, bh, hidden + j));
                                double ng = Math.tanh(affine(wih, u, bi, 2 * hidden + j) + rg * affine(hh, h, bh, 2 * hidden + j));
                                expected[j] = (1 - zg) * ng + zg * h[j];
                            }
                        }
                    }
                    double[] value = new double[n];
                    f.value(x, inputs, t, value);
                    for (int i = 0; i < n; i++) {
                        assertThat(value[i]).as("%s p=%s value %s", type, p, i).isCloseTo(expected[i], within(1e-13));
                    }
                    AutoDiffTest.check(f, x, inputs, t);
                }
                String spec = "{\"type\": \"nonlinear\", \"filter\": \"ekf\", \"transition\": " + f.toSpec()
                        + ", \"observation\": {\"type\": \"mlp\", \"layers\": [" + layer(random(1, n, r), new double[1])
                        + "]}, \"processNoise\": " + LinearModels.json(identity(n, 0.1)) + ", \"observationNoise\": [[1.0]], "
                        + "\"initialMean\": " + LinearModels.json(new double[n]) + ", \"initialCovariance\": " + LinearModels.json(identity(n, 1)) + "}";
                NonlinearModel model = read(spec);
                NonlinearModel back = new NonlinearType().read(SpecNode.root(model.toSpec(), "back"));
                assertThat(back).isEqualTo(model);
                assertThat(back.toSpec()).isEqualTo(model.toSpec());
                assertThat(model.system().inputDimension()).isEqualTo(p);
            }
        }
    }

    private static double[][] identity(int n, double v) {
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            a[i][i] = v;
        }
        return a;
    }
}
