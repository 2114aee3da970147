package org.statespace.kalman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.function.ToDoubleFunction;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

import org.statespace.SpecException;
import org.statespace.capability.SufficientStatistics;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;
import org.statespace.spec.SpecNode;

/**
 * Shumway-Stoffer EM under an lgssm spec's {@code "fit"} and {@code "prior"} blocks: single fixed entries of F stay
 * bit for bit while EM converges to a stationary point of the Kalman filter's log-likelihood in the free ones
 * (checked by central differences of the filter, not of EM), and inverse-Wishart priors on Q and R make the
 * fixed point a stationary point of the filter's log-likelihood plus the inverse-Gamma log-densities written here.
 */
class LgssmPriorAndFixedEntriesTest {

    static LinearGaussianModel read(ObjectNode spec) {
        return new LinearGaussianType().read(SpecNode.root(spec, "test"));
    }

    static double logLikelihood(LinearGaussianModel m, Sequence s) {
        return m.filterStates(s).logLikelihood();
    }

    static LinearGaussianModel em(LinearGaussianModel m, Sequence s, int iterations, boolean posterior) {
        double previous = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < iterations; i++) {
            SufficientStatistics stats = m.newStatistics();
            m.expectation(s, stats);
            double objective = stats.logLikelihood() + (posterior ? m.logPrior() : 0);
            assertThat(objective).as("iteration %d", i).isGreaterThanOrEqualTo(previous - 1e-9 * Math.abs(previous));
            previous = objective;
            m = m.maximization(stats, KalmanFitSettings.defaults());
        }
        return m;
    }

    // central difference of f at the model whose spec entry `path` (a JSON pointer) is moved by ±h
    static double derivative(LinearGaussianModel m, String pointer, ToDoubleFunction<LinearGaussianModel> f, double h) {
        double[] values = new double[2];
        for (int side = 0; side < 2; side++) {
            ObjectNode spec = m.toSpec();
            spec.remove("fit");
            spec.remove("prior");
            int cut = pointer.lastIndexOf('/');
            var array = (com.fasterxml.jackson.databind.node.ArrayNode) spec.at(pointer.substring(0, cut));
            String[] parts = pointer.split("/");
            int last = Integer.parseInt(parts[parts.length - 1]);
            array.set(last, Json.mapper().getNodeFactory().numberNode(array.get(last).asDouble() + (side == 0 ? h : -h)));
            values[side] = f.applyAsDouble(read(spec));
        }
        return (values[0] - values[1]) / (2 * h);
    }

    @Test
    void singleFixedEntriesOfFStayWhileTheFreeOnesReachAStationaryPoint() {
        ObjectNode truthSpec = (ObjectNode) Json.parse("""
                {"type": "lgssm", "transitionMatrix": [[0.7, 0.25], [0.1, 0.5]], "processNoise": [[0.5, 0.1], [0.1, 0.4]],
                 "observationMatrix": [[1, 1]], "observationNoise": [[1.5]], "initialMean": [0, 0],
                 "initialCovariance": [[1, 0], [0, 1]]}
                """, "test");
        Sequence sampled = read(truthSpec).sampleWithStates("s", 400, null, Randoms.seeded(4));
        Sequence s = Sequence.of("s", 1, sampled.observations());
        ObjectNode spec = truthSpec.deepCopy();
        spec.set("transitionMatrix", Json.parse("[[0.5, 0.25], [0.1, 0.3]]", "test"));
        spec.set("fit", Json.parse("""
                {"fixed": ["transitionMatrix[0][1]", "transitionMatrix[1][0]", "observationMatrix", "processNoise",
                           "initialMean", "initialCovariance"]}
                """, "test"));
        LinearGaussianModel fitted = em(read(spec), s, 3000, false);
        assertThat(fitted.transition[1]).isEqualTo(0.25);
        assertThat(fitted.transition[2]).isEqualTo(0.1);
        assertThat(fitted.observation).containsExactly(1, 1);
        assertThat(fitted.transition[0]).isNotEqualTo(0.5);
        ToDoubleFunction<LinearGaussianModel> ll = m -> logLikelihood(m, s);
        assertThat(fitted.observationNoise[0]).isGreaterThan(0.1);   // an interior point, where derivatives vanish
        for (String pointer : new String[] {"/transitionMatrix/0/0", "/transitionMatrix/1/1", "/observationNoise/0/0"}) {
            assertThat(derivative(fitted, pointer, ll, 1e-5)).as(pointer).isCloseTo(0, within(1e-3));
        }
        // the fixed entries are not at the likelihood's maximum: their derivatives are not 0 (the check can fail)
        assertThat(Math.abs(derivative(fitted, "/transitionMatrix/0/1", ll, 1e-5))).isGreaterThan(0.1);
        assertThat(fitted.toSpec().get("fit")).isEqualTo(spec.get("fit"));
        assertThat(read(fitted.toSpec())).isEqualTo(fitted);
    }

    /**
     * One M-step with single entries of F fixed against a Nelder-Mead search of the expected complete-data
     * log-likelihood's transition part, -½ tr(Q⁻¹ (S_xx - F S_xzᵀ - S_xz Fᵀ + F S_zz Fᵀ)) over the free entries, written
     * here from the E-step's sums: the step is that function's maximum given the current Q.
     */
    @Test
    void theStepWithFixedEntriesIsTheConditionalMaximum() {
        ObjectNode spec = (ObjectNode) Json.parse("""
                {"type": "lgssm", "transitionMatrix": [[0.6, 0.25], [0.1, 0.4]], "processNoise": [[0.5, 0.2], [0.2, 0.4]],
                 "observationMatrix": [[1, 0.5]], "observationNoise": [[1]], "initialMean": [0, 0],
                 "initialCovariance": [[1, 0], [0, 1]], "fit": {"fixed": ["transitionMatrix[0][1]", "transitionMatrix[1][0]"]}}
                """, "test");
        LinearGaussianModel model = read(spec);
        Sequence sampled = model.sampleWithStates("s", 200, null, Randoms.seeded(12));
        Sequence s = Sequence.of("s", 1, sampled.observations());
        ShumwayStoffer.Statistics st = (ShumwayStoffer.Statistics) model.newStatistics();
        model.expectation(s, st);
        LinearGaussianModel next = model.maximization(st, KalmanFitSettings.defaults());
        int k = st.k;
        double[] q = model.processNoise;
        double det = q[0] * q[3] - q[1] * q[2];
        double[] w = {q[3] / det, -q[1] / det, -q[2] / det, q[0] / det};
        org.apache.commons.math3.analysis.MultivariateFunction qFunction = free -> {
            double[] f = {free[0], 0.25, 0.1, free[1]};
            // M = S_xx - F S_xzᵀ - S_xz Fᵀ + F S_zz Fᵀ over the state block (the first two regressor columns)
            double[] mm = new double[4];
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    double v = st.sxx[i * 2 + j];
                    for (int a = 0; a < 2; a++) {
                        v -= f[i * 2 + a] * st.sxz[j * k + a] + st.sxz[i * k + a] * f[j * 2 + a];
                        for (int b = 0; b < 2; b++) {
                            v += f[i * 2 + a] * st.szz[a * k + b] * f[j * 2 + b];
                        }
                    }
                    mm[i * 2 + j] = v;
                }
            }
            return -0.5 * (w[0] * mm[0] + w[1] * mm[2] + w[2] * mm[1] + w[3] * mm[3]);
        };
        var best = new org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer(1e-14, 1e-14).optimize(
                new org.apache.commons.math3.optim.MaxEval(100_000),
                new org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction(qFunction),
                org.apache.commons.math3.optim.nonlinear.scalar.GoalType.MAXIMIZE,
                new org.apache.commons.math3.optim.InitialGuess(new double[] {0.5, 0.5}),
                new org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex(2, 0.1));
        assertThat(next.transition[0]).isCloseTo(best.getPoint()[0], within(1e-6));
        assertThat(next.transition[3]).isCloseTo(best.getPoint()[1], within(1e-6));
        assertThat(next.transition[1]).isEqualTo(0.25);
        assertThat(next.transition[2]).isEqualTo(0.1);
        // with Q not diagonal the weighted step differs from fitting each row alone (ordinary least squares)
        double olsF00 = (st.sxz[0] - 0.25 * st.szz[1]) / st.szz[0];
        assertThat(Math.abs(next.transition[0] - olsF00)).isGreaterThan(1e-4);
    }

    // log IG(x | ν/2, ψ/2), the one-dimensional inverse-Wishart, written out
    static double inverseGamma(double x, double psi, double nu) {
        double a = nu / 2;
        double b = psi / 2;
        return a * Math.log(b) - Gamma.logGamma(a) - (a + 1) * Math.log(x) - b / x;
    }

    @Test
    void inverseWishartPriorsOnQAndRGiveTheMaximumAPosteriori() {
        ObjectNode spec = (ObjectNode) Json.parse("""
                {"type": "lgssm", "transitionMatrix": [[0.9]], "processNoise": [[0.2]], "observationMatrix": [[1]],
                 "observationNoise": [[1]], "initialMean": [0], "initialCovariance": [[1]]}
                """, "test");
        Sequence sampled = read(spec).sampleWithStates("s", 60, null, Randoms.seeded(8));
        Sequence s = Sequence.of("s", 1, sampled.observations());
        spec.set("prior", Json.parse("""
                {"processNoise": {"scale": 0.5, "degreesOfFreedom": 3}, "observationNoise": {"scale": [[2]], "degreesOfFreedom": 4}}
                """, "test"));
        spec.set("fit", Json.parse("{\"fixed\": [\"observationMatrix\", \"initialMean\", \"initialCovariance\"]}", "test"));
        LinearGaussianModel fitted = em(read(spec), s, 4000, true);
        ToDoubleFunction<LinearGaussianModel> posterior = m -> logLikelihood(m, s)
                + inverseGamma(m.processNoise[0], 0.5, 3) + inverseGamma(m.observationNoise[0], 2, 4);
        assertThat(fitted.logPrior()).isCloseTo(inverseGamma(fitted.processNoise[0], 0.5, 3)
                + inverseGamma(fitted.observationNoise[0], 2, 4), within(1e-12));
        for (String pointer : new String[] {"/transitionMatrix/0/0", "/processNoise/0/0", "/observationNoise/0/0"}) {
            assertThat(derivative(fitted, pointer, posterior, 1e-6)).as(pointer).isCloseTo(0, within(1e-3));
        }
        // without the prior the same data give another fixed point: the prior moved it
        ObjectNode flat = spec.deepCopy();
        flat.remove("prior");
        LinearGaussianModel ml = em(read(flat), s, 4000, false);
        assertThat(Math.abs(ml.observationNoise[0] - fitted.observationNoise[0])).isGreaterThan(1e-3);
    }

    @Test
    void badBlocksNameThePath() {
        ObjectNode spec = (ObjectNode) Json.parse("""
                {"type": "lgssm", "transitionMatrix": [[0.9]], "processNoise": [[0.2]], "observationMatrix": [[1]],
                 "observationNoise": [[1]], "initialMean": [0], "initialCovariance": [[1]],
                 "fit": {"fixed": ["transitionMatrx[0][0]"]}}
                """, "test");
        assertThatThrownBy(() -> read(spec)).isInstanceOf(SpecException.class)
                .hasMessageContaining("fit.fixed[0]").hasMessageContaining("nearest valid path is \"transitionMatrix[0][0]\"");
        spec.remove("fit");
        spec.set("prior", Json.parse("{\"processNoise\": {\"scale\": 1, \"degreesOfFreedom\": -1}}", "test"));
        assertThatThrownBy(() -> read(spec)).isInstanceOf(SpecException.class)
                .hasMessageContaining("prior.processNoise.degreesOfFreedom").hasMessageContaining("got -1");
    }
}
