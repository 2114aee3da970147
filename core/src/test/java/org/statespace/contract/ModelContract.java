package org.statespace.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import org.statespace.DataException;
import org.statespace.Emission;
import org.statespace.Recurrence;
import org.statespace.Sampling;
import org.statespace.StateSpaceModel;
import org.statespace.StateTransition;
import org.statespace.data.Dataset;
import org.statespace.data.ObservationKind;
import org.statespace.data.Sequence;
import org.statespace.distribution.Categorical;
import org.statespace.distribution.PredictiveDistribution;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/**
 * The contract every family keeps, as a test suite a family's test class extends. The family gives
 * tiny models, sequences for them (with missing values where it supports them) and an independent
 * brute-force log-likelihood (enumeration of hidden paths, or a closed form); the suite checks:
 * <ul>
 *   <li>the recurrence's summed predictive log-densities equal the brute force to 1e-10 relative;</li>
 *   <li>every spec round-trips: read(write(m)) equals m, and writing again gives the same text;</li>
 *   <li>every predictive distribution is normalised (categorical: sums to 1; real scalar: integrates to 1);</li>
 *   <li>quantiles invert the distribution function;</li>
 *   <li>sampling is reproducible from a seed and gives data the model accepts;</li>
 *   <li>data of the wrong kind or shape is rejected with a {@link DataException}.</li>
 * </ul>
 */
public abstract class ModelContract {

    /** A few small models of the family, covering its variants. */
    protected abstract List<StateSpaceModel<?, ?>> tinyModels();

    /** Short sequences (T &lt;= 6 or so) that the model accepts, some with missing observations if supported. */
    protected abstract List<Sequence> sequencesFor(StateSpaceModel<?, ?> model, RandomGenerator random);

    /** log p(o_0..o_{T-1}) computed independently of the recurrence (enumeration, closed form). */
    protected abstract double bruteForceLogLikelihood(StateSpaceModel<?, ?> model, Sequence sequence);

    @Test
    void recurrenceEqualsBruteForce() {
        RandomGenerator random = Randoms.seeded(11);
        for (StateSpaceModel<?, ?> model : tinyModels()) {
            for (Sequence s : sequencesFor(model, random)) {
                double expected = bruteForceLogLikelihood(model, s);
                double actual = Recurrence.logLikelihood(model, s);
                assertThat(actual).as("%s on %s", model, s).isCloseTo(expected, within(1e-10 * Math.max(1, Math.abs(expected))));
            }
        }
    }

    @Test
    void specsRoundTrip() {
        for (StateSpaceModel<?, ?> model : tinyModels()) {
            String written = ModelSpecs.write(model);
            StateSpaceModel<?, ?> back = ModelSpecs.parse(written, "round trip");
            assertThat(back).as("read(write(%s))", model).isEqualTo(model);
            assertThat(ModelSpecs.write(back)).isEqualTo(written);
            assertThat(Json.parse(written, "again")).isEqualTo(model.toSpec());
        }
    }

    @Test
    void predictiveDistributionsAreNormalised() {
        RandomGenerator random = Randoms.seeded(12);
        for (StateSpaceModel<?, ?> model : tinyModels()) {
            for (Sequence s : sequencesFor(model, random)) {
                Recurrence.workspace(model).run(s, (t, state, predicted, logDensity) -> checkNormalised(predicted));
            }
        }
    }

    private static void checkNormalised(PredictiveDistribution p) {
        if (p instanceof Categorical c) {
            double sum = 0;
            for (int k = 0; k < c.size(); k++) {
                assertThat(c.probability(k)).isBetween(0.0, 1.0);
                sum += c.probability(k);
            }
            assertThat(sum).isCloseTo(1.0, within(1e-12));
            return;
        }
        if (p.dimension() != 1) {
            return;
        }
        // integrate the density over mean +- 12 sd (Simpson), or sum a count distribution
        double mean = p.mean(0);
        double sd = Math.sqrt(p.variance(0));
        double[] y = new double[1];
        if (isCountDistribution(p)) {
            double sum = 0;
            for (int k = 0; k < mean + 40 * sd + 50; k++) {
                y[0] = k;
                sum += Math.exp(p.logDensity(y, 0));
            }
            assertThat(sum).isCloseTo(1.0, within(1e-8));
            return;
        }
        int n = 20_000;
        double a = mean - 12 * sd;
        double b = mean + 12 * sd;
        double h = (b - a) / n;
        double sum = 0;
        for (int i = 0; i <= n; i++) {
            y[0] = a + i * h;
            double w = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2);
            sum += w * Math.exp(p.logDensity(y, 0));
        }
        assertThat(sum * h / 3).isCloseTo(1.0, within(1e-6));
    }

    /** Whether a distribution lives on the non-negative integers (Poisson and mixtures of them). */
    protected static boolean isCountDistribution(PredictiveDistribution p) {
        double[] y = new double[p.dimension()];
        java.util.Arrays.fill(y, 0.5);
        return p.logDensity(y, 0) == Double.NEGATIVE_INFINITY;
    }

    @Test
    void quantilesInvertTheDistributionFunction() {
        RandomGenerator random = Randoms.seeded(13);
        for (StateSpaceModel<?, ?> model : tinyModels()) {
            if (model.observationSpace().kind() == ObservationKind.SYMBOLS) {
                continue;
            }
            for (Sequence s : sequencesFor(model, random)) {
                Recurrence.workspace(model).run(s, (t, state, predicted, logDensity) -> {
                    if (isCountDistribution(predicted)) {
                        return;
                    }
                    for (int j = 0; j < predicted.dimension(); j++) {
                        for (double level : new double[] {0.05, 0.25, 0.5, 0.75, 0.95}) {
                            double q = predicted.quantile(j, level);
                            assertThat(predicted.cdf(j, q)).isCloseTo(level, within(1e-7));
                        }
                    }
                });
            }
        }
    }

    @Test
    void samplingIsReproducibleAndAccepted() {
        for (StateSpaceModel<?, ?> model : tinyModels()) {
            Sequence inputs = inputsFor(model, 20);
            Sequence a = Sampling.sample(model, "a", 20, inputs, Randoms.seeded(5));
            Sequence b = Sampling.sample(model, "a", 20, inputs, Randoms.seeded(5));
            assertThat(a).isEqualTo(b);
            Dataset data = model.observationSpace().kind() == ObservationKind.SYMBOLS
                    ? Dataset.ofSymbols(List.of(a), model.symbolNames()) : Dataset.of(List.of(a));
            assertThat(model.observationSpace().incompatibility(data)).isEmpty();
            assertThat(Recurrence.logLikelihood(model, a)).isFinite();
        }
    }

    /** Inputs for sampling from a model that takes them (random normals), else {@code null}. */
    protected Sequence inputsFor(StateSpaceModel<?, ?> model, int length) {
        int p = model.observationSpace().inputDimension();
        if (p == 0) {
            return null;
        }
        RandomGenerator r = Randoms.seeded(99);
        double[] u = new double[length * p];
        for (int i = 0; i < u.length; i++) {
            u[i] = r.nextGaussian();
        }
        double[] obs = new double[length * model.observationSpace().dimension()];
        java.util.Arrays.fill(obs, Double.NaN);
        return Sequence.of("inputs", model.observationSpace().dimension(), obs).withInputs(p, u);
    }

    @Test
    void rejectsDataOfTheWrongShape() {
        for (StateSpaceModel<?, ?> model : tinyModels()) {
            int d = model.observationSpace().dimension();
            Sequence wrong = Sequence.of("wrong", d + 1, new double[(d + 1) * 3]);
            Dataset data = Dataset.of(List.of(wrong));
            assertThatThrownBy(() -> model.observationSpace().requireCompatible(data, "wrong.json"))
                    .isInstanceOf(DataException.class).hasMessageContaining("wrong.json");
        }
    }

    @Test
    void workspacesAreReusableAcrossSequences() {
        RandomGenerator random = Randoms.seeded(14);
        for (StateSpaceModel<?, ?> model : tinyModels()) {
            List<Sequence> seqs = new ArrayList<>(sequencesFor(model, random));
            Recurrence.Workspace<?, ?> shared = Recurrence.workspace(model);
            for (Sequence s : seqs) {
                assertThat(shared.run(s, null)).isEqualTo(Recurrence.logLikelihood(model, s));
            }
        }
    }

    /**
     * The recurrence allocates nothing per step: after warm-up, running a workspace over a long sampled
     * sequence allocates (on this thread) a few hundred bytes at most, whatever the length.
     */
    @Test
    void noAllocationPerStep() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (StateSpaceModel<?, ?> model : tinyModels()) {
            int length = 20_000;
            Sequence s = Sampling.sample(model, "long", length, inputsFor(model, length), Randoms.seeded(8));
            Recurrence.Workspace<?, ?> workspace = Recurrence.workspace(model);
            for (int i = 0; i < 20; i++) {
                workspace.run(s, null);
            }
            long id = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(id);
            workspace.run(s, null);
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            assertThat(allocated).as("bytes allocated by %d steps of %s", length, model).isLessThan(2_000);
        }
    }

    /** Runs f and g by hand for callers that need the raw states (a family test may use it). */
    protected static <S, D extends PredictiveDistribution> List<Double> logDensitiesByHand(StateSpaceModel<S, D> model,
            Sequence s) {
        StateTransition<S> f = model.transition();
        Emission<S, D> g = model.emission();
        S h = f.newState();
        D d = g.newDistribution();
        List<Double> out = new ArrayList<>();
        for (int t = 0; t < s.length(); t++) {
            if (t == 0) {
                f.start(h, s);
            } else {
                f.step(h, s, t);
            }
            g.predict(h, s, t, d);
            out.add(g.logDensity(h, d, s, t));
        }
        return out;
    }
}
