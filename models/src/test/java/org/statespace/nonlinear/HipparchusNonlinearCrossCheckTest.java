package org.statespace.nonlinear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.function.BiFunction;

import org.hipparchus.filtering.kalman.Measurement;
import org.hipparchus.filtering.kalman.ProcessEstimate;
import org.hipparchus.filtering.kalman.extended.ExtendedKalmanFilter;
import org.hipparchus.filtering.kalman.extended.NonLinearEvolution;
import org.hipparchus.filtering.kalman.extended.NonLinearProcess;
import org.hipparchus.filtering.kalman.unscented.UnscentedEvolution;
import org.hipparchus.filtering.kalman.unscented.UnscentedKalmanFilter;
import org.hipparchus.filtering.kalman.unscented.UnscentedProcess;
import org.hipparchus.linear.CholeskyDecomposer;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.RealVector;
import org.hipparchus.util.MerweUnscentedTransform;
import org.junit.jupiter.api.Test;

import org.statespace.capability.StateEstimates;
import org.statespace.capability.Track;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * Our extended and unscented filters against Hipparchus' {@link ExtendedKalmanFilter} and
 * {@link UnscentedKalmanFilter} (hipparchus-filtering 4.0.1) on the same non-linear models, predicted and
 * filtered moments at every step within 1e-9 (relative). On the Hipparchus side f, h and their Jacobians are
 * written by hand here (not by our automatic differentiation), and its sigma points come from its own
 * {@link MerweUnscentedTransform}. Hipparchus predicts before every measurement; at step 0 its process is the
 * identity with no noise, since our x_0 ~ N(m0, P0) is already the predicted belief of step 0.
 */
class HipparchusNonlinearCrossCheckTest {

    /** A hand-written model: f, F = ∂f/∂x, h, H = ∂h/∂x. */
    record Hand(BiFunction<double[], Integer, double[]> f, BiFunction<double[], Integer, double[][]> fJacobian,
            BiFunction<double[], Integer, double[]> h, BiFunction<double[], Integer, double[][]> hJacobian) {
    }

    static final Hand GROWTH = new Hand(
            (x, t) -> new double[] {x[0] / 2 + 25 * x[0] / (1 + x[0] * x[0]) + 8 * Math.cos(1.2 * t)},
            (x, t) -> new double[][] {{0.5 + 25 * (1 - x[0] * x[0]) / ((1 + x[0] * x[0]) * (1 + x[0] * x[0]))}},
            (x, t) -> new double[] {x[0] * x[0] / 20},
            (x, t) -> new double[][] {{x[0] / 10}});

    static final double G = 9.81;
    static final double DT = 0.01;
    static final Hand PENDULUM = new Hand(
            (x, t) -> new double[] {x[0] + x[1] * DT, x[1] - G * Math.sin(x[0]) * DT},
            (x, t) -> new double[][] {{1, DT}, {-G * Math.cos(x[0]) * DT, 1}},
            (x, t) -> new double[] {Math.sin(x[0])},
            (x, t) -> new double[][] {{Math.cos(x[0]), 0}});

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

    private static void close(double ours, double theirs) {
        assertThat(ours).isCloseTo(theirs, within(1e-9 * Math.max(1, Math.abs(theirs))));
    }

    private static Track track(StateEstimates e, String name) {
        return e.tracks().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    private static void compareStep(StateEstimates ours, int t, int n, ProcessEstimate predicted, ProcessEstimate corrected) {
        for (int i = 0; i < n; i++) {
            close(track(ours, "predictedMeans").value(t, i), predicted.getState().getEntry(i));
            close(track(ours, "filteredMeans").value(t, i), corrected.getState().getEntry(i));
            for (int j = 0; j < n; j++) {
                close(track(ours, "predictedCovariances").value(t, i * n + j), predicted.getCovariance().getEntry(i, j));
                close(track(ours, "filteredCovariances").value(t, i * n + j), corrected.getCovariance().getEntry(i, j));
            }
        }
    }

    private static void extended(BuiltinModel builtin, Hand hand, int length) {
        NonlinearModel model = NonlinearModel.builtin(builtin, NonlinearFilter.EXTENDED);
        NonlinearSystem system = model.system();
        int n = system.stateDimension();
        Sequence s = system.sample("x", length, null, Randoms.seeded(11));
        RealMatrix q = MatrixUtils.createRealMatrix(system.processNoise());
        RealMatrix r = MatrixUtils.createRealMatrix(system.observationNoise());
        NonLinearProcess<Step> process = new NonLinearProcess<>() {
            @Override
            public NonLinearEvolution getEvolution(double previousTime, RealVector previousState, Step step) {
                double[] x = previousState.toArray();
                if (step.t == 0) {
                    return new NonLinearEvolution(0, previousState, MatrixUtils.createRealIdentityMatrix(n),
                            MatrixUtils.createRealMatrix(n, n), MatrixUtils.createRealMatrix(hand.hJacobian.apply(x, 0)));
                }
                double[] next = hand.f.apply(x, step.t);
                return new NonLinearEvolution(step.t, MatrixUtils.createRealVector(next),
                        MatrixUtils.createRealMatrix(hand.fJacobian.apply(x, step.t)), q,
                        MatrixUtils.createRealMatrix(hand.hJacobian.apply(next, step.t)));
            }

            @Override
            public RealVector getInnovation(Step step, NonLinearEvolution evolution, RealMatrix innovationCovariance) {
                double[] yHat = hand.h.apply(evolution.getCurrentState().toArray(), step.t);
                return step.value.subtract(MatrixUtils.createRealVector(yHat));
            }
        };
        ExtendedKalmanFilter<Step> filter = new ExtendedKalmanFilter<>(new CholeskyDecomposer(1e-12, 1e-14), process,
                new ProcessEstimate(0, MatrixUtils.createRealVector(system.initialMean()),
                        MatrixUtils.createRealMatrix(system.initialCovariance())));
        StateEstimates ours = model.filterStates(s);
        for (int t = 0; t < length; t++) {
            filter.estimationStep(new Step(t, MatrixUtils.createRealVector(new double[] {s.value(t, 0)}), r));
            compareStep(ours, t, n, filter.getPredicted(), filter.getCorrected());
        }
    }

    private static void unscented(BuiltinModel builtin, Hand hand, int length, NonlinearOptions options) {
        NonlinearModel model = NonlinearModel.builtin(builtin, NonlinearFilter.UNSCENTED)
                .withFilter(NonlinearFilter.UNSCENTED, options);
        NonlinearSystem system = model.system();
        int n = system.stateDimension();
        Sequence s = system.sample("x", length, null, Randoms.seeded(12));
        RealMatrix q = MatrixUtils.createRealMatrix(system.processNoise());
        RealMatrix r = MatrixUtils.createRealMatrix(system.observationNoise());
        UnscentedProcess<Step> process = new UnscentedProcess<>() {
            @Override
            public UnscentedEvolution getEvolution(double previousTime, RealVector[] sigmaPoints, Step step) {
                if (step.t == 0) {
                    return new UnscentedEvolution(0, sigmaPoints);
                }
                RealVector[] next = new RealVector[sigmaPoints.length];
                for (int i = 0; i < next.length; i++) {
                    next[i] = MatrixUtils.createRealVector(hand.f.apply(sigmaPoints[i].toArray(), step.t));
                }
                return new UnscentedEvolution(step.t, next);
            }

            @Override
            public RealMatrix getProcessNoiseMatrix(double previousTime, RealVector predictedState, Step step) {
                return step.t == 0 ? MatrixUtils.createRealMatrix(n, n) : q;
            }

            @Override
            public RealVector[] getPredictedMeasurements(RealVector[] sigmaPoints, Step step) {
                RealVector[] out = new RealVector[sigmaPoints.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = MatrixUtils.createRealVector(hand.h.apply(sigmaPoints[i].toArray(), step.t));
                }
                return out;
            }

            @Override
            public RealVector getInnovation(Step step, RealVector predictedMeasurement, RealVector predictedState,
                    RealMatrix innovationCovariance) {
                return step.value.subtract(predictedMeasurement);
            }
        };
        UnscentedKalmanFilter<Step> filter = new UnscentedKalmanFilter<>(new CholeskyDecomposer(1e-12, 1e-14), process,
                new ProcessEstimate(0, MatrixUtils.createRealVector(system.initialMean()),
                        MatrixUtils.createRealMatrix(system.initialCovariance())),
                new MerweUnscentedTransform(n, options.alpha(), options.beta(), options.kappa()));
        StateEstimates ours = model.filterStates(s);
        for (int t = 0; t < length; t++) {
            filter.estimationStep(new Step(t, MatrixUtils.createRealVector(new double[] {s.value(t, 0)}), r));
            compareStep(ours, t, n, filter.getPredicted(), filter.getCorrected());
        }
    }

    @Test
    void extendedFilterAgreesWithHipparchus() {
        extended(BuiltinModel.GROWTH, GROWTH, 60);
        extended(BuiltinModel.PENDULUM, PENDULUM, 200);
    }

    @Test
    void unscentedFilterAgreesWithHipparchus() {
        unscented(BuiltinModel.GROWTH, GROWTH, 60, NonlinearOptions.defaults());
        unscented(BuiltinModel.GROWTH, GROWTH, 60, NonlinearOptions.defaults().withAlpha(0.5).withKappa(2));
        unscented(BuiltinModel.PENDULUM, PENDULUM, 200, NonlinearOptions.defaults());
    }
}
