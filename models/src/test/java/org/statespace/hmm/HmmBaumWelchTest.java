package org.statespace.hmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.math3.distribution.MultivariateNormalDistribution;
import org.junit.jupiter.api.Test;

import org.statespace.DataException;
import org.statespace.capability.SufficientStatistics;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;
import org.statespace.spec.ModelSpecs;

/**
 * Baum-Welch: one M-step against the expected statistics that enumeration gives (every emission type,
 * several sequences of different lengths); stationarity of EM's fixed point with partly missing vectors
 * checked by finite differences of the likelihood; fit settings; degenerate data.
 */
class HmmBaumWelchTest {

    static HmmStatistics eStep(HiddenMarkovModel model, List<Sequence> data) {
        SufficientStatistics stats = model.newStatistics();
        for (Sequence s : data) {
            model.expectation(s, stats);
        }
        return (HmmStatistics) stats;
    }

    static HiddenMarkovModel emStep(HiddenMarkovModel model, List<Sequence> data, HmmFitSettings settings) {
        return model.maximization(eStep(model, data), settings);
    }

    static double logLikelihood(HiddenMarkovModel model, List<Sequence> data) {
        double ll = 0;
        for (Sequence s : data) {
            ll += model.logLikelihood(s);
        }
        return ll;
    }

    // sequences of lengths 3, 5, 4 with whole steps missing only (the brute-force M-step below needs
    // complete vectors)
    static List<Sequence> data(HiddenMarkovModel model, RandomGenerator random) {
        List<Sequence> out = new ArrayList<>();
        int[] lengths = {3, 5, 4};
        for (int n = 0; n < lengths.length; n++) {
            Sequence s = model.sampleWithStates("s" + n, lengths[n], null, random);
            double[] y = s.observations();
            int d = s.dimension();
            Arrays.fill(y, d, 2 * d, Double.NaN); // step 1 missing in each
            out.add(Sequence.of("s" + n, d, y));
        }
        return out;
    }

    /** The M-step computed from enumerated posteriors, independently of the family's statistics. */
    static final class ExpectedCounts {
        final int k;
        final double[] initial;
        final double[][] transitions;
        final List<double[][]> gammas = new ArrayList<>();
        final List<Sequence> data;
        double logLikelihood;

        ExpectedCounts(HiddenMarkovModel model, List<Sequence> data) {
            this.k = model.stateCount();
            this.data = data;
            initial = new double[k];
            transitions = new double[k][k];
            for (Sequence s : data) {
                BruteForce.Enumeration e = BruteForce.enumerate(model, s);
                logLikelihood += e.logLikelihood();
                gammas.add(e.posterior());
                for (int i = 0; i < k; i++) {
                    initial[i] += e.posterior()[0][i];
                    for (int t = 0; t < s.length() - 1; t++) {
                        for (int j = 0; j < k; j++) {
                            transitions[i][j] += e.twoSlice()[t][i][j];
                        }
                    }
                }
            }
        }

        double[] pi() {
            return normalised(initial);
        }

        double[] row(int i) {
            return normalised(transitions[i]);
        }

        // Σ_t γ_t(k) w(t) over observed steps, with a per-step weight function
        interface StepWeight {
            double at(Sequence s, int t);
        }

        double sum(int state, StepWeight f) {
            double total = 0;
            for (int n = 0; n < data.size(); n++) {
                Sequence s = data.get(n);
                for (int t = 0; t < s.length(); t++) {
                    if (!s.isMissing(t)) {
                        total += gammas.get(n)[t][state] * f.at(s, t);
                    }
                }
            }
            return total;
        }
    }

    static double[] normalised(double[] v) {
        double s = Arrays.stream(v).sum();
        return Arrays.stream(v).map(x -> x / s).toArray();
    }

    @Test
    void oneMStepEqualsTheEnumeratedExpectedCounts() {
        RandomGenerator random = Randoms.seeded(31);
        for (HiddenMarkovModel model : TestModels.all()) {
            List<Sequence> data = data(model, random);
            ExpectedCounts expected = new ExpectedCounts(model, data);
            HmmStatistics stats = eStep(model, data);
            assertThat(stats.logLikelihood()).isCloseTo(expected.logLikelihood, within(1e-11));
            HiddenMarkovModel fitted = model.maximization(stats, HmmFitSettings.defaults());
            int k = model.stateCount();
            String what = model.toString();
            assertThat(fitted.initial()).as(what).containsExactly(expected.pi(), within(1e-12));
            for (int i = 0; i < k; i++) {
                assertThat(fitted.transitionMatrix()[i]).as(what).containsExactly(expected.row(i), within(1e-12));
            }
            checkEmission(model.emissionModel(), fitted.emissionModel(), expected);
        }
    }

    private static void checkEmission(EmissionModel before, EmissionModel after, ExpectedCounts c) {
        int k = c.k;
        if (after instanceof CategoricalEmission cat) {
            for (int state = 0; state < k; state++) {
                double n = c.sum(state, (s, t) -> 1);
                for (int m = 0; m < cat.symbolCount(); m++) {
                    int symbol = m;
                    double count = c.sum(state, (s, t) -> s.symbol(t) == symbol ? 1 : 0);
                    assertThat(cat.probability(state, m)).isCloseTo(count / n, within(1e-12));
                }
            }
        } else if (after instanceof GaussianEmission g) {
            int d = g.dimension();
            double[][][] scatter = new double[k][][];
            double[] weight = new double[k];
            for (int state = 0; state < k; state++) {
                weight[state] = c.sum(state, (s, t) -> 1);
                double[] mean = new double[d];
                for (int j = 0; j < d; j++) {
                    int jj = j;
                    mean[j] = c.sum(state, (s, t) -> s.value(t, jj)) / weight[state];
                }
                assertThat(g.mean(state)).containsExactly(mean, within(1e-10));
                scatter[state] = new double[d][d];
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        int aa = a;
                        int bb = b;
                        scatter[state][a][b] = c.sum(state,
                                (s, t) -> (s.value(t, aa) - mean[aa]) * (s.value(t, bb) - mean[bb])) / weight[state];
                    }
                }
            }
            for (int state = 0; state < k; state++) {
                double[][] expected = switch (g.covarianceType()) {
                    case FULL -> scatter[state];
                    case DIAGONAL -> diagonalOf(scatter[state]);
                    case SPHERICAL -> {
                        double v = 0;
                        for (int j = 0; j < d; j++) {
                            v += scatter[state][j][j] / d;
                        }
                        yield scaledIdentity(d, v);
                    }
                    case TIED -> {
                        double[][] pooled = new double[d][d];
                        double total = Arrays.stream(weight).sum();
                        for (int i = 0; i < k; i++) {
                            for (int a = 0; a < d; a++) {
                                for (int b = 0; b < d; b++) {
                                    pooled[a][b] += weight[i] * scatter[i][a][b] / total;
                                }
                            }
                        }
                        yield pooled;
                    }
                };
                for (int a = 0; a < d; a++) {
                    assertThat(g.covariance(state)[a]).as("%s state %d", g, state).containsExactly(expected[a], within(1e-10));
                }
            }
        } else if (after instanceof GaussianMixtureEmission g) {
            GaussianMixtureEmission old = (GaussianMixtureEmission) before;
            int d = g.dimension();
            int cc = g.componentCount();
            for (int state = 0; state < k; state++) {
                int st = state;
                double total = c.sum(state, (s, t) -> 1);
                for (int comp = 0; comp < cc; comp++) {
                    int co = comp;
                    // responsibility of the component within the state, by Commons Math densities
                    ExpectedCounts.StepWeight r = (s, t) -> responsibility(old, st, co, s, t);
                    double w = c.sum(state, r);
                    assertThat(g.weight(state, comp)).isCloseTo(w / total, within(1e-10));
                    double[] mean = new double[d];
                    for (int j = 0; j < d; j++) {
                        int jj = j;
                        mean[j] = c.sum(state, (s, t) -> r.at(s, t) * s.value(t, jj)) / w;
                    }
                    assertThat(g.mean(state, comp)).containsExactly(mean, within(1e-9));
                    for (int a = 0; a < d; a++) {
                        for (int b = 0; b < d; b++) {
                            int aa = a;
                            int bb = b;
                            double v = c.sum(state, (s, t) -> r.at(s, t) * (s.value(t, aa) - mean[aa])
                                    * (s.value(t, bb) - mean[bb])) / w;
                            if (g.covarianceType() == CovarianceType.DIAGONAL && a != b) {
                                v = 0;
                            }
                            assertThat(g.covariance(state, comp)[a][b]).isCloseTo(v, within(1e-9));
                        }
                    }
                }
            }
        } else {
            PoissonEmission p = (PoissonEmission) after;
            for (int state = 0; state < k; state++) {
                double n = c.sum(state, (s, t) -> 1);
                for (int j = 0; j < p.dimension(); j++) {
                    int jj = j;
                    assertThat(p.rate(state, j)).isCloseTo(c.sum(state, (s, t) -> s.value(t, jj)) / n, within(1e-11));
                }
            }
        }
    }

    private static double responsibility(GaussianMixtureEmission g, int state, int comp, Sequence s, int t) {
        double[] y = new double[g.dimension()];
        s.copyObservation(t, y, 0);
        double total = 0;
        double mine = 0;
        for (int c = 0; c < g.componentCount(); c++) {
            double p = g.weight(state, c) * new MultivariateNormalDistribution(null, g.mean(state, c),
                    g.covariance(state, c)).density(y);
            total += p;
            if (c == comp) {
                mine = p;
            }
        }
        return mine / total;
    }

    private static double[][] diagonalOf(double[][] m) {
        double[][] out = new double[m.length][m.length];
        for (int i = 0; i < m.length; i++) {
            out[i][i] = m[i][i];
        }
        return out;
    }

    private static double[][] scaledIdentity(int d, double v) {
        double[][] out = new double[d][d];
        for (int i = 0; i < d; i++) {
            out[i][i] = v;
        }
        return out;
    }

    // ----------------------------------------------------------------------------------------------
    // partly missing vectors: EM's fixed point must be a stationary point of the observed likelihood,
    // in the means and in every covariance entry

    @Test
    void withPartlyMissingVectorsEmConvergesToAStationaryPoint() {
        RandomGenerator random = Randoms.seeded(41);
        for (TestModels.Kind kind : new TestModels.Kind[] {TestModels.Kind.FULL, TestModels.Kind.TIED,
                TestModels.Kind.DIAGONAL, TestModels.Kind.SPHERICAL, TestModels.Kind.GMM_FULL}) {
            HiddenMarkovModel truth = TestModels.random(random, kind, 2);
            List<Sequence> data = new ArrayList<>();
            for (int n = 0; n < 3; n++) {
                data.add(TestModels.withGaps(truth, "s" + n, 100, random));
            }
            // from the truth, EM climbs to the nearby maximum instead of collapsing a state onto a few
            // points (where the covariance floor would bind and the gradient need not vanish)
            HiddenMarkovModel model = truth;
            double before = maxEmissionGradient(model, data);
            double previous = Double.NEGATIVE_INFINITY;
            for (int it = 0; it < 3000; it++) {
                HmmStatistics stats = eStep(model, data);
                double ll = stats.logLikelihood();
                if (ll - previous < 1e-13 * Math.abs(ll)) {
                    break;
                }
                previous = ll;
                model = model.maximization(stats, HmmFitSettings.defaults());
            }
            double after = maxEmissionGradient(model, data);
            assertThat(before).as("%s: the start is not stationary", kind).isGreaterThan(1e-2);
            assertThat(after).as("%s: gradient of the log-likelihood at EM's fixed point", kind).isLessThan(1e-4);
        }
    }

    /**
     * max |∂ log L / ∂θ| over every emission mean and covariance entry θ, by central differences on the
     * spec (a symmetric pair of off-diagonal covariance entries moves together).
     */
    static double maxEmissionGradient(HiddenMarkovModel model, List<Sequence> data) {
        double h = 1e-5;
        ObjectNode spec = model.toSpec();
        boolean matrices = spec.get("emission").get("covarianceType").asText().matches("full|tied");
        List<int[]> leaves = new ArrayList<>();
        for (String field : new String[] {"means", "covariances"}) {
            collect(spec.get("emission").get(field), new ArrayList<>(), leaves, field.equals("covariances") ? 1 : 0);
        }
        double max = 0;
        for (int[] leaf : leaves) {
            int field = leaf[0];
            int[] path = Arrays.copyOfRange(leaf, 1, leaf.length);
            boolean pair = field == 1 && matrices;
            if (pair && path[path.length - 2] > path[path.length - 1]) {
                continue;
            }
            double up = logLikelihood(perturbed(spec, field, path, h, pair), data);
            double down = logLikelihood(perturbed(spec, field, path, -h, pair), data);
            max = Math.max(max, Math.abs((up - down) / (2 * h)));
        }
        return max;
    }

    private static void collect(JsonNode node, List<Integer> at, List<int[]> out, int field) {
        if (node.isNumber()) {
            int[] leaf = new int[at.size() + 1];
            leaf[0] = field;
            for (int i = 0; i < at.size(); i++) {
                leaf[i + 1] = at.get(i);
            }
            out.add(leaf);
            return;
        }
        for (int i = 0; i < node.size(); i++) {
            at.add(i);
            collect(node.get(i), at, out, field);
            at.remove(at.size() - 1);
        }
    }

    private static HiddenMarkovModel perturbed(ObjectNode spec, int field, int[] path, double h, boolean pair) {
        ObjectNode copy = spec.deepCopy();
        JsonNode array = copy.get("emission").get(field == 0 ? "means" : "covariances");
        add(array, path, h);
        if (pair && path[path.length - 2] != path[path.length - 1]) {
            int[] mirror = path.clone();
            mirror[path.length - 2] = path[path.length - 1];
            mirror[path.length - 1] = path[path.length - 2];
            add(array, mirror, h);
        }
        return (HiddenMarkovModel) ModelSpecs.read(copy, "perturbed");
    }

    private static void add(JsonNode array, int[] path, double h) {
        JsonNode node = array;
        for (int i = 0; i < path.length - 1; i++) {
            node = node.get(path[i]);
        }
        ArrayNode last = (ArrayNode) node;
        int i = path[path.length - 1];
        last.set(i, last.get(i).asDouble() + h);
    }

    // ----------------------------------------------------------------------------------------------
    // settings

    @Test
    void fixedPartsStayFixed() {
        RandomGenerator random = Randoms.seeded(51);
        HiddenMarkovModel model = TestModels.gaussian().get(2);
        List<Sequence> data = data(model, random);
        HmmFitSettings none = HmmFitSettings.defaults().withFitInitial(false).withFitTransition(false)
                .withFitEmission(false);
        assertThat(emStep(model, data, none)).isEqualTo(model);
        HiddenMarkovModel onlyEmission = emStep(model, data, none.withFitEmission(true));
        assertThat(onlyEmission.initial()).containsExactly(model.initial());
        assertThat(onlyEmission.transitionMatrix()).isDeepEqualTo(model.transitionMatrix());
        assertThat(onlyEmission.emissionModel()).isNotEqualTo(model.emissionModel());
        HiddenMarkovModel onlyTransition = emStep(model, data, none.withFitTransition(true));
        assertThat(onlyTransition.emissionModel()).isEqualTo(model.emissionModel());
        assertThat(onlyTransition.initial()).containsExactly(model.initial());
        assertThat(onlyTransition.transitionMatrix()).isNotEqualTo(model.transitionMatrix());
        HiddenMarkovModel onlyInitial = emStep(model, data, none.withFitInitial(true));
        assertThat(onlyInitial.transitionMatrix()).isDeepEqualTo(model.transitionMatrix());
        assertThat(onlyInitial.initial()).isNotEqualTo(model.initial());
    }

    @Test
    void pseudoCountsAreDirichletPosteriorModes() {
        RandomGenerator random = Randoms.seeded(52);
        HiddenMarkovModel model = TestModels.categorical().get(1);
        List<Sequence> data = data(model, random);
        ExpectedCounts c = new ExpectedCounts(model, data);
        HmmFitSettings settings = HmmFitSettings.defaults().withInitialPseudoCount(2).withTransitionPseudoCount(0.5)
                .withSelfTransitionPseudoCount(3).withEmissionPseudoCount(1.5);
        HiddenMarkovModel fitted = emStep(model, data, settings);
        int k = 3;
        double initialTotal = Arrays.stream(c.initial).sum() + 2 * k;
        for (int i = 0; i < k; i++) {
            assertThat(fitted.initial()[i]).isCloseTo((c.initial[i] + 2) / initialTotal, within(1e-12));
            double rowTotal = Arrays.stream(c.transitions[i]).sum() + 0.5 * k + 3;
            for (int j = 0; j < k; j++) {
                double expected = (c.transitions[i][j] + 0.5 + (i == j ? 3 : 0)) / rowTotal;
                assertThat(fitted.transition(i, j)).isCloseTo(expected, within(1e-12));
            }
            CategoricalEmission e = (CategoricalEmission) fitted.emissionModel();
            int state = i;
            double n = c.sum(state, (s, t) -> 1) + 1.5 * 4;
            for (int m = 0; m < 4; m++) {
                int symbol = m;
                double count = c.sum(state, (s, t) -> s.symbol(t) == symbol ? 1 : 0);
                assertThat(e.probability(i, m)).isCloseTo((count + 1.5) / n, within(1e-12));
            }
        }
    }

    @Test
    void covarianceFloorBoundsEveryEigenvalue() {
        RandomGenerator random = Randoms.seeded(53);
        for (TestModels.Kind kind : new TestModels.Kind[] {TestModels.Kind.FULL, TestModels.Kind.DIAGONAL,
                TestModels.Kind.SPHERICAL, TestModels.Kind.TIED, TestModels.Kind.GMM_DIAGONAL, TestModels.Kind.GMM_FULL}) {
            HiddenMarkovModel model = TestModels.random(random, kind, 2);
            List<Sequence> data = List.of(TestModels.withGaps(model, "s", 40, random));
            HiddenMarkovModel fitted = emStep(model, data, HmmFitSettings.defaults().withCovarianceFloor(5));
            for (double[][] cov : covariances(fitted.emissionModel())) {
                double[] eig = org.statespace.numeric.Validate.eigenvalues(cov);
                assertThat(eig[0]).as("%s", kind).isGreaterThanOrEqualTo(5 - 1e-9);
            }
        }
    }

    static List<double[][]> covariances(EmissionModel e) {
        List<double[][]> out = new ArrayList<>();
        if (e instanceof GaussianEmission g) {
            for (int k = 0; k < g.stateCount(); k++) {
                out.add(g.covariance(k));
            }
        } else if (e instanceof GaussianMixtureEmission g) {
            for (int k = 0; k < g.stateCount(); k++) {
                for (int c = 0; c < g.componentCount(); c++) {
                    out.add(g.covariance(k, c));
                }
            }
        }
        return out;
    }

    // ----------------------------------------------------------------------------------------------
    // degenerate data

    static void assertFinite(HiddenMarkovModel m) {
        assertThat(m.toSpec().toString()).doesNotContain("null").doesNotContain("NaN");
        for (double p : m.initial()) {
            assertThat(p).isBetween(0.0, 1.0);
        }
    }

    @Test
    void constantSeriesGiveFlooredVariancesNotNaN() {
        double[] constant = new double[50];
        Arrays.fill(constant, 3.0);
        List<Sequence> data = List.of(Sequence.ofScalars("c", constant));
        for (HiddenMarkovModel start : List.of(
                HiddenMarkovModel.of(TestModels.PI2, TestModels.A2, GaussianEmission.univariate(new double[] {0, 5}, new double[] {1, 2})),
                HiddenMarkovModel.of(TestModels.PI2, TestModels.A2, GaussianMixtureEmission.diagonal(
                        new double[][] {{0.5, 0.5}, {0.5, 0.5}}, new double[][][] {{{0}, {1}}, {{4}, {5}}},
                        new double[][][] {{{1}, {1}}, {{1}, {1}}})))) {
            HiddenMarkovModel m = start;
            double previous = Double.NEGATIVE_INFINITY;
            for (int it = 0; it < 30; it++) {
                HmmStatistics stats = eStep(m, data);
                assertThat(stats.logLikelihood()).isFinite().isGreaterThanOrEqualTo(previous - 1e-8 * Math.abs(previous));
                previous = stats.logLikelihood();
                m = m.maximization(stats, HmmFitSettings.defaults());
                assertFinite(m);
            }
            for (double[][] cov : covariances(m.emissionModel())) {
                assertThat(cov[0][0]).isGreaterThanOrEqualTo(1e-6);
            }
        }
        // a constant 2-D series with full covariances: the scatter is the zero matrix
        double[][] rows = new double[30][];
        for (int t = 0; t < rows.length; t++) {
            rows[t] = new double[] {1, -2};
        }
        HiddenMarkovModel full = TestModels.random(Randoms.seeded(3), TestModels.Kind.FULL, 2);
        List<Sequence> vectors = List.of(Sequence.ofVectors("v", rows));
        for (int it = 0; it < 10; it++) {
            full = emStep(full, vectors, HmmFitSettings.defaults());
            assertFinite(full);
        }
        assertThat(full.logLikelihood(vectors.get(0))).isFinite();
    }

    @Test
    void aStateWithoutResponsibilityKeepsItsParameters() {
        // state 2 can never be reached: π_2 = 0 and no transition enters it
        HiddenMarkovModel model = HiddenMarkovModel.of(new double[] {0.5, 0.5, 0},
                new double[][] {{0.9, 0.1, 0}, {0.2, 0.8, 0}, {0.3, 0.3, 0.4}},
                GaussianEmission.full(new double[][] {{0, 0}, {3, 3}, {10, 10}},
                        new double[][][] {{{1, 0}, {0, 1}}, {{1, 0.5}, {0.5, 1}}, {{2, 0}, {0, 2}}}));
        List<Sequence> data = List.of(TestModels.withGaps(model, "s", 80, Randoms.seeded(4)));
        HiddenMarkovModel m = model;
        for (int it = 0; it < 5; it++) {
            HmmStatistics stats = eStep(m, data);
            assertThat(stats.emission.responsibility(2)).isZero();
            m = m.maximization(stats, HmmFitSettings.defaults());
            assertFinite(m);
        }
        GaussianEmission e = (GaussianEmission) m.emissionModel();
        assertThat(e.mean(2)).containsExactly(10, 10);
        assertThat(e.covariance(2)).isDeepEqualTo(new double[][] {{2, 0}, {0, 2}});
        assertThat(m.transitionMatrix()[2]).containsExactly(0.3, 0.3, 0.4);
        assertThat(m.initial()[2]).isZero();
        for (HiddenMarkovModel other : List.of(
                HiddenMarkovModel.of(new double[] {1, 0}, new double[][] {{1, 0}, {0.5, 0.5}},
                        CategoricalEmission.of(new double[][] {{0.5, 0.5}, {0.1, 0.9}})),
                HiddenMarkovModel.of(new double[] {1, 0}, new double[][] {{1, 0}, {0.5, 0.5}},
                        PoissonEmission.of(new double[][] {{2}, {7}})))) {
            HiddenMarkovModel fitted = emStep(other, List.of(other.sampleWithStates("s", 30, null, Randoms.seeded(5))),
                    HmmFitSettings.defaults());
            assertFinite(fitted);
            assertThat(fitted.emissionModel().toSpec().get(fitted.emissionModel() instanceof PoissonEmission
                    ? "rates" : "probabilities").get(1)).isEqualTo(other.emissionModel().toSpec()
                    .get(other.emissionModel() instanceof PoissonEmission ? "rates" : "probabilities").get(1));
        }
    }

    @Test
    void unseenSymbolsAndAllZeroCountsStayFinite() {
        HiddenMarkovModel cat = TestModels.categorical().get(1);
        List<Sequence> zeros = List.of(Sequence.ofSymbols("z", new int[] {0, 0, 0, 0, 0, 0, 0, 0}));
        HiddenMarkovModel fitted = emStep(emStep(cat, zeros, HmmFitSettings.defaults()), zeros, HmmFitSettings.defaults());
        assertFinite(fitted);
        assertThat(((CategoricalEmission) fitted.emissionModel()).probability(0, 0)).isCloseTo(1, within(1e-12));
        assertThat(fitted.logLikelihood(zeros.get(0))).isCloseTo(0, within(1e-9));

        HiddenMarkovModel poisson = TestModels.poisson().get(0);
        List<Sequence> noCounts = List.of(Sequence.ofScalars("z", new double[20]));
        HiddenMarkovModel p = poisson;
        for (int it = 0; it < 5; it++) {
            p = emStep(p, noCounts, HmmFitSettings.defaults());
            assertFinite(p);
        }
        for (int k = 0; k < 3; k++) {
            assertThat(((PoissonEmission) p.emissionModel()).rate(k, 0)).isGreaterThanOrEqualTo(1e-9);
        }
        assertThat(p.logLikelihood(noCounts.get(0))).isFinite();
    }

    @Test
    void sequencesThatAreEntirelyMissingContributeOnlyThroughTheChain() {
        HiddenMarkovModel model = TestModels.gaussian().get(0);
        Sequence missing = Sequence.ofScalars("m", new double[] {Double.NaN, Double.NaN, Double.NaN});
        HmmStatistics stats = eStep(model, List.of(missing));
        assertThat(stats.logLikelihood()).isZero();
        HiddenMarkovModel fitted = model.maximization(stats, HmmFitSettings.defaults());
        assertThat(fitted.emissionModel()).isEqualTo(model.emissionModel());
        assertThat(fitted.initial()).containsExactly(model.initial(), within(1e-15));
        assertFinite(fitted);
    }

    @Test
    void emptySequencesAreHarmless() {
        HiddenMarkovModel model = TestModels.gaussian().get(1);
        Sequence empty = Sequence.of("empty", 2, new double[0]);
        assertThat(model.logLikelihood(empty)).isZero();
        assertThat(model.smoothStates(empty).length()).isZero();
        assertThat(model.filterStates(empty).values()).isEmpty();
        assertThat(model.decode(empty).length()).isZero();
        assertThat(model.twoSliceMarginals(empty)).isEmpty();
        assertThat(model.samplePosteriorPaths(empty, 2, Randoms.seeded(1)).get(0)).isEmpty();
        List<Sequence> data = List.of(empty, TestModels.withGaps(model, "s", 20, Randoms.seeded(2)));
        HmmStatistics stats = eStep(model, data);
        assertThat(stats.sequences).isEqualTo(2);
        assertThat(stats.logLikelihood()).isCloseTo(model.logLikelihood(data.get(1)), within(1e-12));
        assertFinite(model.maximization(stats, HmmFitSettings.defaults()));
    }

    @Test
    void oneStateIsAnIidGaussianFit() {
        double[] y = {0.3, -1.2, 2.5, 0.9, Double.NaN, 1.4, -0.6};
        HiddenMarkovModel model = HiddenMarkovModel.of(new double[] {1}, new double[][] {{1}},
                GaussianEmission.univariate(new double[] {0}, new double[] {1}));
        Sequence s = Sequence.ofScalars("iid", y);
        double expected = 0;
        double sum = 0;
        int n = 0;
        for (double v : y) {
            if (!Double.isNaN(v)) {
                expected += -0.5 * Math.log(2 * Math.PI) - 0.5 * v * v;
                sum += v;
                n++;
            }
        }
        assertThat(model.logLikelihood(s)).isCloseTo(expected, within(1e-12));
        GaussianEmission fitted = (GaussianEmission) emStep(model, List.of(s), HmmFitSettings.defaults()).emissionModel();
        double mean = sum / n;
        double variance = 0;
        for (double v : y) {
            if (!Double.isNaN(v)) {
                variance += (v - mean) * (v - mean) / n;
            }
        }
        assertThat(fitted.mean(0)[0]).isCloseTo(mean, within(1e-12));
        assertThat(fitted.covariance(0)[0][0]).isCloseTo(variance, within(1e-12));
        HiddenMarkovModel restart = model.initialize(Dataset.of(List.of(s)), Randoms.seeded(1), HmmFitSettings.defaults());
        assertThat(restart.transitionMatrix()[0]).containsExactly(1.0);
    }

    @Test
    void impossibleObservationsAreClearErrors() {
        HiddenMarkovModel model = HiddenMarkovModel.of(TestModels.PI2, TestModels.A2,
                CategoricalEmission.of(new double[][] {{1, 0, 0}, {0.5, 0.5, 0}}));
        Sequence impossible = Sequence.ofSymbols("bad", new int[] {0, 1, 2});
        assertThat(model.logLikelihood(impossible)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(org.statespace.Recurrence.logLikelihood(model, impossible)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThatThrownBy(() -> model.smoothStates(impossible)).isInstanceOf(org.statespace.NumericalException.class)
                .hasMessageContaining("'bad', step 2");
        assertThatThrownBy(() -> model.decode(impossible)).isInstanceOf(org.statespace.NumericalException.class)
                .hasMessageContaining("step 2");
        Sequence outside = Sequence.ofSymbols("outside", new int[] {0, 5});
        assertThatThrownBy(() -> model.logLikelihood(outside)).isInstanceOf(DataException.class)
                .hasMessageContaining("'outside', step 1").hasMessageContaining("symbol 5 outside");
        HiddenMarkovModel poisson = TestModels.poisson().get(0);
        assertThatThrownBy(() -> poisson.smoothStates(Sequence.ofScalars("frac", new double[] {1, 2.5})))
                .isInstanceOf(DataException.class).hasMessageContaining("'frac', step 1").hasMessageContaining("2.5");
    }

    // ----------------------------------------------------------------------------------------------
    // starts and parameter counts

    @Test
    void startsAreSeededValidAndDataDriven() {
        RandomGenerator random = Randoms.seeded(61);
        for (TestModels.Kind kind : TestModels.Kind.values()) {
            HiddenMarkovModel truth = TestModels.random(random, kind, 3);
            Dataset data = Dataset.of(List.of(TestModels.withGaps(truth, "a", 200, random),
                    TestModels.withGaps(truth, "b", 50, random)));
            HiddenMarkovModel a = truth.initialize(data, Randoms.seeded(9), HmmFitSettings.defaults());
            HiddenMarkovModel b = truth.initialize(data, Randoms.seeded(9), HmmFitSettings.defaults());
            HiddenMarkovModel c = truth.initialize(data, Randoms.seeded(10), HmmFitSettings.defaults());
            assertThat(a).as("%s reproducible", kind).isEqualTo(b);
            assertThat(a).as("%s depends on the seed", kind).isNotEqualTo(c);
            assertFinite(a);
            // a start is a model the data accepts
            assertThat(logLikelihood(a, data.sequences())).isFinite();
            HiddenMarkovModel fixed = truth.initialize(data, Randoms.seeded(9),
                    HmmFitSettings.defaults().withFitEmission(false).withFitTransition(false));
            assertThat(fixed.emissionModel()).isEqualTo(truth.emissionModel());
            assertThat(fixed.transitionMatrix()).isDeepEqualTo(truth.transitionMatrix());
        }
    }

    @Test
    void kMeansStartsFindWellSeparatedMeans() {
        HiddenMarkovModel truth = HiddenMarkovModel.of(TestModels.PI3, TestModels.A3,
                GaussianEmission.univariate(new double[] {-10, 0, 10}, new double[] {1, 1, 1}));
        Dataset data = Dataset.of(List.of(truth.sampleWithStates("s", 600, null, Randoms.seeded(1))));
        GaussianEmission start = (GaussianEmission) truth.initialize(data, Randoms.seeded(2), HmmFitSettings.defaults())
                .emissionModel();
        double[] means = {start.mean(0)[0], start.mean(1)[0], start.mean(2)[0]};
        Arrays.sort(means);
        assertThat(means).containsExactly(new double[] {-10, 0, 10}, within(0.5));
    }

    @Test
    void constantDataGivesAValidStart() {
        double[] constant = new double[40];
        Arrays.fill(constant, 2);
        Dataset data = Dataset.of(List.of(Sequence.ofScalars("c", constant)));
        for (HiddenMarkovModel m : List.of(TestModels.gaussian().get(0), TestModels.mixture().get(0), TestModels.poisson().get(0))) {
            HiddenMarkovModel start = m.initialize(data, Randoms.seeded(3), HmmFitSettings.defaults());
            assertFinite(start);
            assertThat(start.logLikelihood(data.sequence(0))).isFinite();
        }
        Dataset nothing = Dataset.of(List.of(Sequence.ofScalars("n", new double[] {Double.NaN, Double.NaN})));
        assertThatThrownBy(() -> TestModels.gaussian().get(0).initialize(nothing, Randoms.seeded(3),
                HmmFitSettings.defaults())).isInstanceOf(DataException.class).hasMessageContaining("no observed value");
    }

    @Test
    void parameterCountsForAicAndBic() {
        // chain: (K-1) + K(K-1)
        assertThat(TestModels.categorical().get(0).parameterCount()).isEqualTo(1 + 2 + 2 * 2);        // K=2, M=3
        assertThat(TestModels.categorical().get(1).parameterCount()).isEqualTo(2 + 6 + 3 * 3);        // K=3, M=4
        List<HiddenMarkovModel> g = TestModels.gaussian();
        assertThat(g.get(0).parameterCount()).isEqualTo(2 + 6 + 3 + 3);                                // 1-D spherical
        assertThat(g.get(1).parameterCount()).isEqualTo(1 + 2 + 2 * 2 + 2 * 3);                        // full, d=2
        assertThat(g.get(2).parameterCount()).isEqualTo(2 + 6 + 3 * 2 + 3 * 2);                        // diagonal
        assertThat(g.get(3).parameterCount()).isEqualTo(1 + 2 + 2 * 3 + 2);                            // spherical, d=3
        assertThat(g.get(4).parameterCount()).isEqualTo(2 + 6 + 3 * 2 + 3);                            // tied, d=2
        List<HiddenMarkovModel> m = TestModels.mixture();
        assertThat(m.get(0).parameterCount()).isEqualTo(1 + 2 + 2 * 1 + 4 * 1 + 4 * 1);                // K=2,C=2,d=1 diag
        assertThat(m.get(1).parameterCount()).isEqualTo(1 + 2 + 2 * 1 + 4 * 2 + 4 * 2);                // d=2 diag
        assertThat(m.get(2).parameterCount()).isEqualTo(2 + 6 + 3 * 2 + 9 * 2 + 9 * 3);                // K=3,C=3,d=2 full
        assertThat(TestModels.poisson().get(0).parameterCount()).isEqualTo(2 + 6 + 3);
        assertThat(TestModels.poisson().get(1).parameterCount()).isEqualTo(1 + 2 + 4);
    }
}
