package org.statespace.markov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/** n-step distributions of random chains stay probability vectors, by squaring or by steps. */
class MarkovChainPropertiesTest {

    @Provide
    Arbitrary<MarkovChain> chains() {
        return Arbitraries.integers().between(1, 6).flatMap(s ->
                Arbitraries.doubles().between(0, 1).ofScale(6).array(double[].class).ofSize(s * s + s).map(raw -> {
                    double[][] rows = new double[s][s];
                    for (int i = 0; i < s; i++) {
                        double sum = 0;
                        for (int j = 0; j < s; j++) {
                            rows[i][j] = raw[i * s + j] * raw[i * s + j] + (j == (i + 1) % s ? 1e-3 : 0);
                            sum += rows[i][j];
                        }
                        for (int j = 0; j < s; j++) {
                            rows[i][j] /= sum;
                        }
                    }
                    double[] initial = new double[s];
                    double total = 0;
                    for (int i = 0; i < s; i++) {
                        initial[i] = raw[s * s + i] + 1e-3;
                        total += initial[i];
                    }
                    for (int i = 0; i < s; i++) {
                        initial[i] /= total;
                    }
                    return MarkovChain.of(initial, rows);
                }));
    }

    @Property(tries = 200)
    void nStepDistributionsStayStochastic(@ForAll("chains") MarkovChain chain,
            @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long n) {
        double[] p = chain.distributionAt(n);
        double sum = 0;
        for (double v : p) {
            assertThat(v).isGreaterThanOrEqualTo(0);
            sum += v;
        }
        assertThat(sum).isCloseTo(1.0, within(1e-9));
    }

    @Property(tries = 100)
    void squaringAgreesWithStepping(@ForAll("chains") MarkovChain chain) {
        double[] start = chain.initial();
        double[] stepped = start;
        for (int k = 0; k < 200; k++) {
            stepped = chain.distributionAfter(stepped, 1);
        }
        double[] squared = chain.distributionAfter(start, 200);
        for (int i = 0; i < stepped.length; i++) {
            assertThat(squared[i]).isCloseTo(stepped[i], within(1e-12));
        }
    }

}
