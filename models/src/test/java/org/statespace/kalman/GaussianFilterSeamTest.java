package org.statespace.kalman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.ObservationSpace;
import org.statespace.Recurrence;
import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.distribution.Gaussian;
import org.statespace.spec.Json;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;

/**
 * The filter's seam: {@link ConventionalKalmanFilter} and {@link SequentialKalmanFilter} run over any
 * {@link GaussianStateSpace}. An "extended" filter written here, in the tests, without touching a filter
 * class (the model's f and h as plain functions, F and H by central differences) must give the linear
 * model's Kalman filter to 1e-9; the conventional filter over the linear model's own state space is its
 * recurrence bit for bit (the same kernels); the sequential filter equals the conventional one to 1e-10.
 */
class GaussianFilterSeamTest {

    static final LinearGaussianModel FOUR_BY_TWO = LinearGaussianModel.of(
            new double[][] {{0.9, 0.1, 0, 0}, {0, 0.8, 0.1, 0}, {0, 0, 0.7, 0.2}, {0.05, 0, 0, 0.6}},
            new double[][] {{0.3, 0.05, 0, 0}, {0.05, 0.2, 0.02, 0}, {0, 0.02, 0.2, 0.01}, {0, 0, 0.01, 0.1}},
            new double[][] {{1, 0, 0.5, 0}, {0, 1, 0, 0.5}}, new double[][] {{0.5, 0.1}, {0.1, 0.4}},
            new double[4], new double[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}});

    static List<LinearGaussianModel> models() {
        return List.of(KalmanContractTest.SCALAR, KalmanContractTest.FULL,
                HipparchusCrossCheckTest.randomModel(Randoms.seeded(8)), FOUR_BY_TWO,
                StructuralModel.localLinearTrend(1, 0.2, 0.05)
                        .withKnownInitialization(new double[] {1, 0}, new double[][] {{3, 0}, {0, 1}}).asLinearGaussian());
    }

    /** A non-linear-capable state space from f(x, u_t) and h(x, u_t) alone, with Jacobians by central differences. */
    static final class NumericalJacobianStateSpace implements GaussianStateSpace {
        interface Function {
            void apply(double[] x, Sequence inputs, int t, double[] out);
        }

        // central differences of an affine map have no truncation error, so the step only sets the rounding:
        // 1e-3 of the coordinate's scale leaves Jacobians good to about 1e-13
        private static final double STEP = 1e-3;
        private final int n;
        private final int m;
        private final Function f;
        private final Function h;
        private final double[] q;
        private final double[] r;
        private final double[] m0;
        private final double[] p0;

        NumericalJacobianStateSpace(int n, int m, Function f, Function h, double[] q, double[] r, double[] m0, double[] p0) {
            this.n = n;
            this.m = m;
            this.f = f;
            this.h = h;
            this.q = q;
            this.r = r;
            this.m0 = m0;
            this.p0 = p0;
        }

        @Override
        public int stateDimension() {
            return n;
        }

        @Override
        public int observationDimension() {
            return m;
        }

        @Override
        public void initialMean(double[] out) {
            System.arraycopy(m0, 0, out, 0, n);
        }

        @Override
        public void initialCovariance(double[] out) {
            System.arraycopy(p0, 0, out, 0, n * n);
        }

        // J (rows × n) of g at x by central differences (a test helper: it allocates)
        private double[] jacobian(Function g, int rows, double[] x, Sequence inputs, int t) {
            double[] jac = new double[rows * n];
            double[] plus = new double[rows];
            double[] minus = new double[rows];
            for (int c = 0; c < n; c++) {
                double[] xp = x.clone();
                double[] xm = x.clone();
                double step = STEP * Math.max(1, Math.abs(x[c]));
                xp[c] += step;
                xm[c] -= step;
                g.apply(xp, inputs, t, plus);
                g.apply(xm, inputs, t, minus);
                for (int i = 0; i < rows; i++) {
                    jac[i * n + c] = (plus[i] - minus[i]) / (xp[c] - xm[c]);
                }
            }
            return jac;
        }

        @Override
        public void propagateMean(double[] filteredMean, Sequence inputs, int t, double[] out) {
            f.apply(filteredMean, inputs, t, out);
        }

        @Override
        public void propagateCovariance(double[] filteredMean, double[] filteredCovariance, Sequence inputs, int t,
                double[] out, double[] scratch) {
            double[] jac = jacobian(f, n, filteredMean, inputs, t);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = q[i * n + j];
                    for (int a = 0; a < n; a++) {
                        for (int b = 0; b < n; b++) {
                            sum += jac[i * n + a] * filteredCovariance[a * n + b] * jac[j * n + b];
                        }
                    }
                    out[i * n + j] = sum;
                }
            }
            symmetrize(out, n);
        }

        @Override
        public void observationMean(double[] mean, Sequence inputs, int t, double[] out) {
            h.apply(mean, inputs, t, out);
        }

        @Override
        public void crossCovariance(double[] mean, double[] covariance, Sequence inputs, int t, double[] out) {
            double[] jac = jacobian(h, m, mean, inputs, t);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int a = 0; a < n; a++) {
                        sum += jac[i * n + a] * covariance[a * n + j];
                    }
                    out[i * n + j] = sum;
                }
            }
        }

        @Override
        public void innovationCovariance(double[] mean, double[] crossCovariance, Sequence inputs, int t, double[] out) {
            double[] jac = jacobian(h, m, mean, inputs, t);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    double sum = r[i * m + j];
                    for (int a = 0; a < n; a++) {
                        sum += crossCovariance[i * n + a] * jac[j * n + a];
                    }
                    out[i * m + j] = sum;
                }
            }
            symmetrize(out, m);
        }

        @Override
        public void observationJacobian(double[] mean, Sequence inputs, int t, double[] out) {
            System.arraycopy(jacobian(h, m, mean, inputs, t), 0, out, 0, m * n);
        }

        @Override
        public void observationNoise(Sequence inputs, int t, double[] out) {
            System.arraycopy(r, 0, out, 0, m * m);
        }

        private static void symmetrize(double[] a, int k) {
            for (int i = 0; i < k; i++) {
                for (int j = i + 1; j < k; j++) {
                    double s = 0.5 * (a[i * k + j] + a[j * k + i]);
                    a[i * k + j] = s;
                    a[j * k + i] = s;
                }
            }
        }
    }

    /** x ↦ A x + G u_t + c, written from the model's public accessors only. */
    static NumericalJacobianStateSpace.Function affine(double[][] a, double[][] g, double[] c) {
        return (x, inputs, t, out) -> {
            for (int i = 0; i < a.length; i++) {
                double sum = 0;
                for (int j = 0; j < x.length; j++) {
                    sum += a[i][j] * x[j];
                }
                if (g != null) {
                    for (int j = 0; j < g[i].length; j++) {
                        sum += g[i][j] * inputs.input(t, j);
                    }
                }
                out[i] = sum + (c == null ? 0 : c[i]);
            }
        };
    }

    static NumericalJacobianStateSpace extended(LinearGaussianModel model) {
        int n = model.stateDimension();
        int m = model.observationDimension();
        return new NumericalJacobianStateSpace(n, m,
                affine(model.transitionMatrix(), model.controlMatrix().orElse(null), model.transitionOffset().orElse(null)),
                affine(model.observationMatrix(), model.feedthroughMatrix().orElse(null),
                        model.observationOffset().orElse(null)),
                flat(model.processNoise()), flat(model.observationNoise()), model.initialMean(),
                flat(model.initialCovariance()));
    }

    static double[] flat(double[][] a) {
        double[] out = new double[a.length * a[0].length];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, out, i * a[0].length, a[0].length);
        }
        return out;
    }

    static Sequence data(LinearGaussianModel model, int length, long seed) {
        return KalmanSmootherTest.withGaps(model, length, seed, 20);
    }

    /** Runs predict/correct, handing each step's filtered state and log-density term to {@code check}. */
    static void run(GaussianStateSpace space, boolean sequential, Sequence s, BiConsumer<FilterState, Double> check) {
        ConventionalKalmanFilter conventional = sequential ? null : new ConventionalKalmanFilter(space);
        SequentialKalmanFilter univariate = sequential ? new SequentialKalmanFilter(space) : null;
        FilterState state = sequential ? univariate.newState() : conventional.newState();
        for (int t = 0; t < s.length(); t++) {
            if (t == 0) {
                if (sequential) {
                    univariate.start(state);
                } else {
                    conventional.start(state);
                }
            } else if (sequential) {
                univariate.predict(state, s, t);
            } else {
                conventional.predict(state, s, t);
            }
            double term = sequential ? univariate.correct(state, s, t) : conventional.correct(state, s, t);
            check.accept(state, term);
        }
    }

    @Test
    void anExtendedFilterWrittenInTheTestsMatchesTheKalmanFilter() {
        for (LinearGaussianModel model : models()) {
            Sequence s = data(model, 300, 11);
            KalmanFilterResult expected = model.filterStates(s);
            int n = model.stateDimension();
            double[] total = new double[1];
            run(extended(model), false, s, (state, term) -> {
                int t = state.step();
                assertThat(term).isCloseTo(expected.logLikelihoodTerm(t), within(1e-9 * Math.max(1, Math.abs(term))));
                for (int i = 0; i < n; i++) {
                    double mean = expected.filteredMean(t, i);
                    assertThat(state.mean(i)).isCloseTo(mean, within(1e-9 * Math.max(1, Math.abs(mean))));
                    for (int j = 0; j < n; j++) {
                        double cov = expected.filteredCovariance(t, i, j);
                        assertThat(state.covariance(i, j)).isCloseTo(cov, within(1e-9 * Math.max(1, Math.abs(cov))));
                    }
                }
                total[0] += term;
            });
            assertThat(total[0]).isCloseTo(expected.logLikelihood(), within(1e-9 * Math.abs(expected.logLikelihood())));
        }
    }

    @Test
    void theConventionalFilterOverTheLinearStateSpaceIsTheModelsRecurrenceBitForBit() {
        for (LinearGaussianModel model : models()) {
            Sequence s = data(model, 400, 12);
            KalmanFilterResult expected = model.filterStates(s);
            int n = model.stateDimension();
            run(model.stateSpace(), false, s, (state, term) -> {
                int t = state.step();
                assertThat(term).isEqualTo(expected.logLikelihoodTerm(t));
                for (int i = 0; i < n; i++) {
                    assertThat(state.mean(i)).isEqualTo(expected.filteredMean(t, i));
                    for (int j = 0; j < n; j++) {
                        assertThat(state.covariance(i, j)).isEqualTo(expected.filteredCovariance(t, i, j));
                    }
                }
            });
            assertThat(new ConventionalKalmanFilter(model.stateSpace()).logLikelihood(s))
                    .isEqualTo(expected.logLikelihood());
        }
    }

    @Test
    void theSequentialFilterEqualsTheConventionalOneForADiagonalObservationNoise() {
        LinearGaussianModel random = HipparchusCrossCheckTest.randomModel(Randoms.seeded(21));
        double[][] r = random.observationNoise();
        LinearGaussianModel diagonalRandom = LinearGaussianModel.of(random.transitionMatrix(), random.processNoise(),
                random.observationMatrix(), new double[][] {{r[0][0], 0}, {0, r[1][1]}}, random.initialMean(),
                random.initialCovariance());
        LinearGaussianModel diagonalFour = LinearGaussianModel.of(FOUR_BY_TWO.transitionMatrix(),
                FOUR_BY_TWO.processNoise(), FOUR_BY_TWO.observationMatrix(), new double[][] {{0.5, 0}, {0, 0.4}},
                FOUR_BY_TWO.initialMean(), FOUR_BY_TWO.initialCovariance());
        LinearGaussianModel three = LinearGaussianModel.of(new double[][] {{0.95, 0.1}, {0, 0.6}},
                new double[][] {{0.2, 0.05}, {0.05, 0.3}}, new double[][] {{1, 0}, {0.4, 1}, {-1, 2}},
                new double[][] {{0.3, 0, 0}, {0, 0.5, 0}, {0, 0, 0.9}}, new double[] {0.5, -1},
                new double[][] {{2, 0.1}, {0.1, 1}});
        for (LinearGaussianModel model : List.of(KalmanContractTest.SCALAR, diagonalRandom, diagonalFour, three,
                StructuralModel.localLinearTrend(1, 0.2, 0.05)
                        .withKnownInitialization(new double[] {1, 0}, new double[][] {{3, 0}, {0, 1}}).asLinearGaussian())) {
            Sequence s = data(model, 300, 13);
            KalmanFilterResult expected = model.filterStates(s);
            int n = model.stateDimension();
            double[] total = new double[1];
            run(model.stateSpace(), true, s, (state, term) -> {
                int t = state.step();
                assertThat(term).isCloseTo(expected.logLikelihoodTerm(t), within(1e-10 * Math.max(1, Math.abs(term))));
                for (int i = 0; i < n; i++) {
                    double mean = expected.filteredMean(t, i);
                    assertThat(state.mean(i)).isCloseTo(mean, within(1e-10 * Math.max(1, Math.abs(mean))));
                    for (int j = 0; j < n; j++) {
                        double cov = expected.filteredCovariance(t, i, j);
                        assertThat(state.covariance(i, j)).isCloseTo(cov, within(1e-10 * Math.max(1, Math.abs(cov))));
                    }
                }
                total[0] += term;
            });
            assertThat(total[0]).isCloseTo(expected.logLikelihood(), within(1e-10 * Math.abs(expected.logLikelihood())));
        }
    }

    @Test
    void theSequentialFilterRefusesACorrelatedObservationNoiseNamingTheEntry() {
        Sequence s = data(KalmanContractTest.FULL, 5, 1);
        SequentialKalmanFilter filter = new SequentialKalmanFilter(KalmanContractTest.FULL.stateSpace());
        FilterState state = filter.newState();
        filter.start(state);
        assertThatThrownBy(() -> filter.correct(state, s, 0)).isInstanceOf(SpecException.class)
                .hasMessageContaining("observationNoise[0][1]").hasMessageContaining("0.2");
    }

    @Test
    void aDiffuseModelHasNoPlainStateSpaceAndStepsMustComeInOrder() {
        assertThatThrownBy(KalmanContractTest.DIFFUSE::stateSpace).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("diffuse");
        ConventionalKalmanFilter filter = new ConventionalKalmanFilter(KalmanContractTest.SCALAR.stateSpace());
        FilterState state = filter.newState();
        filter.start(state);
        Sequence s = data(KalmanContractTest.SCALAR, 5, 2);
        assertThatThrownBy(() -> filter.predict(state, s, 1)).isInstanceOf(IllegalStateException.class);
    }

    /** A model written against the interface alone, run by the engine through {@link GaussianFilterRecurrence}. */
    static final class ExtendedModel implements StateSpaceModel<GaussianFilterRecurrence.Run, Gaussian> {
        private final GaussianFilterRecurrence recurrence;
        private final int m;
        private final int p;

        ExtendedModel(GaussianStateSpace space, int p) {
            this.recurrence = new GaussianFilterRecurrence(space);
            this.m = space.observationDimension();
            this.p = p;
        }

        @Override
        public String type() {
            return "test-extended";
        }

        @Override
        public ObservationSpace observationSpace() {
            return ObservationSpace.reals(m).withInputs(p);
        }

        @Override
        public GaussianFilterRecurrence transition() {
            return recurrence;
        }

        @Override
        public GaussianFilterRecurrence emission() {
            return recurrence;
        }

        @Override
        public int parameterCount() {
            return 0;
        }

        @Override
        public ObjectNode toSpec() {
            return Json.object();
        }
    }

    @Test
    void theExtendedFilterRunsInTheEngineAndGivesTheKalmanLogLikelihood() {
        for (LinearGaussianModel model : models()) {
            Sequence s = data(model, 300, 14);
            double expected = Recurrence.logLikelihood(model, s);
            double extended = Recurrence.logLikelihood(new ExtendedModel(extended(model), model.inputDimension()), s);
            assertThat(extended).isCloseTo(expected, within(1e-9 * Math.abs(expected)));
            // the linear state space through the same generic recurrence: the recurrence's bits, exactly
            // (the engine's Gaussian scores a fully observed step with the same operations as the filter)
            double generic = Recurrence.logLikelihood(new ExtendedModel(model.stateSpace(), model.inputDimension()), s);
            assertThat(generic).isCloseTo(expected, within(1e-12 * Math.abs(expected)));
        }
    }
}
