package org.statespace.kalman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.random.RandomGenerator;

import org.hipparchus.filtering.kalman.KalmanSmoother;
import org.hipparchus.filtering.kalman.Measurement;
import org.hipparchus.filtering.kalman.ProcessEstimate;
import org.hipparchus.filtering.kalman.linear.LinearEvolution;
import org.hipparchus.filtering.kalman.linear.LinearKalmanFilter;
import org.hipparchus.linear.CholeskyDecomposer;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.RealVector;
import org.junit.jupiter.api.Test;

import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * Random models with 3 states, 2 observed components and 1 input: our filter and smoother equal
 * Hipparchus' {@code LinearKalmanFilter} and its RTS {@code KalmanSmoother} to 1e-9 (relative to the
 * size of the numbers). Hipparchus has no offsets, so b rides as an extra control column on a constant
 * input 1 and y - D u - d is what it measures; its first step predicts with the identity and no noise,
 * which leaves the prior N(m0, P0) as the prediction of x_0.
 */
class HipparchusCrossCheckTest {
    private static final int N = 3;
    private static final int M = 2;
    private static final int P = 1;
    private static final int LENGTH = 60;

    @Test
    void filterAndSmootherAgreeWithHipparchus() {
        for (long seed = 1; seed <= 5; seed++) {
            RandomGenerator random = Randoms.seeded(seed);
            LinearGaussianModel model = randomModel(random);
            Sequence s = model.sampleWithStates("s", LENGTH, KalmanSmootherTest.inputs(model, LENGTH, seed), random);
            compare(model, s);
        }
    }

    static LinearGaussianModel randomModel(RandomGenerator random) {
        double[][] f = matrix(random, N, N, 0.4);
        f[0][0] += 0.5;
        f[1][1] += 0.3;
        return LinearGaussianModel.of(f, psd(random, N, 0.2), matrix(random, M, N, 1), psd(random, M, 0.3),
                vector(random, N), psd(random, N, 1))
                .withControlMatrix(matrix(random, N, P, 1))
                .withFeedthroughMatrix(matrix(random, M, P, 1))
                .withTransitionOffset(vector(random, N))
                .withObservationOffset(vector(random, M));
    }

    private void compare(LinearGaussianModel model, Sequence s) {
        double[][] f = model.transitionMatrix();
        double[][] b = model.controlMatrix().orElseThrow();
        double[] bo = model.transitionOffset().orElseThrow();
        double[][] bAugmented = new double[N][P + 1];
        for (int i = 0; i < N; i++) {
            System.arraycopy(b[i], 0, bAugmented[i], 0, P);
            bAugmented[i][P] = bo[i];
        }
        RealMatrix transition = MatrixUtils.createRealMatrix(f);
        RealMatrix control = MatrixUtils.createRealMatrix(bAugmented);
        RealMatrix q = MatrixUtils.createRealMatrix(model.processNoise());
        RealMatrix h = MatrixUtils.createRealMatrix(model.observationMatrix());
        RealMatrix r = MatrixUtils.createRealMatrix(model.observationNoise());
        double[][] d = model.feedthroughMatrix().orElseThrow();
        double[] dOffset = model.observationOffset().orElseThrow();
        LinearKalmanFilter<Step> filter = new LinearKalmanFilter<>(new CholeskyDecomposer(1e-12, 1e-14),
                step -> {
                    if (step.t == 0) {
                        return new LinearEvolution(MatrixUtils.createRealIdentityMatrix(N), control,
                                MatrixUtils.createRealVector(new double[P + 1]), MatrixUtils.createRealMatrix(N, N), h);
                    }
                    double[] command = new double[P + 1];
                    for (int j = 0; j < P; j++) {
                        command[j] = s.input(step.t, j);
                    }
                    command[P] = 1;
                    return new LinearEvolution(transition, control, MatrixUtils.createRealVector(command), q, h);
                },
                new ProcessEstimate(0, MatrixUtils.createRealVector(model.initialMean()),
                        MatrixUtils.createRealMatrix(model.initialCovariance())));
        KalmanSmoother smoother = new KalmanSmoother(new CholeskyDecomposer(1e-12, 1e-14));
        filter.setObserver(smoother);
        KalmanFilterResult ours = model.filterStates(s);
        for (int t = 0; t < s.length(); t++) {
            double[] y = new double[M];
            for (int i = 0; i < M; i++) {
                y[i] = s.value(t, i) - dOffset[i];
                for (int j = 0; j < P; j++) {
                    y[i] -= d[i][j] * s.input(t, j);
                }
            }
            filter.estimationStep(new Step(t, MatrixUtils.createRealVector(y), r));
            ProcessEstimate predicted = filter.getPredicted();
            ProcessEstimate corrected = filter.getCorrected();
            for (int i = 0; i < N; i++) {
                close(ours.predictedMean(t, i), predicted.getState().getEntry(i));
                close(ours.filteredMean(t, i), corrected.getState().getEntry(i));
                for (int j = 0; j < N; j++) {
                    close(ours.predictedCovariance(t, i, j), predicted.getCovariance().getEntry(i, j));
                    close(ours.filteredCovariance(t, i, j), corrected.getCovariance().getEntry(i, j));
                }
            }
        }
        List<ProcessEstimate> smoothed = smoother.backwardsSmooth();
        KalmanSmootherResult ourSmoothed = model.smoothStates(s);
        // Hipparchus smooths its initial estimate too: entry t + 1 is step t
        assertThat(smoothed).hasSize(s.length() + 1);
        for (int t = 0; t < s.length(); t++) {
            ProcessEstimate theirs = smoothed.get(t + 1);
            for (int i = 0; i < N; i++) {
                close(ourSmoothed.mean(t, i), theirs.getState().getEntry(i));
                for (int j = 0; j < N; j++) {
                    close(ourSmoothed.covariance(t, i, j), theirs.getCovariance().getEntry(i, j));
                }
            }
        }
    }

    private static void close(double ours, double theirs) {
        assertThat(ours).isCloseTo(theirs, within(1e-9 * Math.max(1, Math.abs(theirs))));
    }

    private record Step(int t, RealVector value, RealMatrix covariance) implements Measurement {
        @Override
        public double getTime() {
            return t;
        }

        @Override
        public RealVector getValue() {
            return value;
        }

        @Override
        public RealMatrix getCovariance() {
            return covariance;
        }
    }

    static double[][] matrix(RandomGenerator random, int rows, int cols, double scale) {
        double[][] a = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                a[i][j] = scale * random.nextGaussian();
            }
        }
        return a;
    }

    static double[] vector(RandomGenerator random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    /** A A' / n + floor I, A standard normal. */
    static double[][] psd(RandomGenerator random, int n, double floor) {
        double[][] a = matrix(random, n, n, 1);
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = i == j ? floor : 0;
                for (int k = 0; k < n; k++) {
                    sum += a[i][k] * a[j][k] / n;
                }
                s[i][j] = sum;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                s[i][j] = s[j][i];
            }
        }
        return s;
    }
}
