package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.statespace.capability.FitSettings;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.markov.MarkovChain;

/**
 * A fitted Markov chain's standard errors from the observed information (numerical Hessian in the rows' logits,
 * delta method) against the closed form of the multinomial MLE (Anderson &amp; Goodman 1957): se(p̂_ij) =
 * sqrt(p̂_ij (1 - p̂_ij) / n_i), n_i the transitions counted out of state i.
 */
class MarkovChainStandardErrorsTest {

    @Test
    void theObservedInformationGivesTheMultinomialStandardErrors() {
        Dataset data = FilterEngineTest.sample(4, 1500);
        MarkovChain fitted = (MarkovChain) FilterEngineTest.WEATHER.fitClosedForm(data, FitSettings.NONE);
        double[] n = new double[3];
        for (Sequence s : data.sequences()) {
            for (int t = 1; t < s.length(); t++) {
                n[s.symbol(t - 1)]++;
            }
        }
        StandardErrors se = StandardErrors.of(fitted, data, FilterEngine.singleThreaded());
        assertThat(se.available()).as(se.problem()).isTrue();
        assertThat(se.names()).hasSize(9).contains("transition[sunny->rainy]");
        double[][] p = fitted.transitionMatrix();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                int k = 3 * i + j;
                assertThat(se.estimates()[k]).isEqualTo(p[i][j]);
                double expected = Math.sqrt(p[i][j] * (1 - p[i][j]) / n[i]);
                assertThat(se.standardErrors()[k]).as(se.names().get(k)).isCloseTo(expected, within(1e-4 * expected));
            }
        }
    }
}
