package org.statespace.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The exact sum against BigDecimal, and its independence of order and of the split into merged parts. */
class ExactSumTest {

    @Test
    void anyOrderAndAnySplitGiveTheCorrectlyRoundedSum() {
        Random r = new Random(7);
        for (int trial = 0; trial < 50; trial++) {
            List<Double> terms = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                // magnitudes from 1e-20 to 1e20 and cancelling pairs: a left-to-right sum loses most digits
                double v = (r.nextBoolean() ? 1 : -1) * Math.pow(10, r.nextInt(41) - 20) * r.nextDouble();
                terms.add(v);
                if (r.nextInt(5) == 0) {
                    terms.add(-v * (1 + 1e-15));
                }
            }
            BigDecimal exact = BigDecimal.ZERO;
            for (double v : terms) {
                exact = exact.add(new BigDecimal(v));
            }
            double expected = Double.parseDouble(exact.toString()); // correctly rounded
            double first = Double.NaN;
            for (int order = 0; order < 4; order++) {
                Collections.shuffle(terms, r);
                int cut = r.nextInt(terms.size());
                ExactSum a = new ExactSum();
                ExactSum b = new ExactSum();
                for (int i = 0; i < terms.size(); i++) {
                    (i < cut ? a : b).add(terms.get(i));
                }
                b.merge(a);
                if (order == 0) {
                    first = b.value();
                }
                assertThat(b.value()).isEqualTo(expected).isEqualTo(first);
            }
        }
    }

    @Test
    void aPlainLeftToRightSumDependsOnTheOrderSoTheTestAboveCanFail() {
        double[] terms = {1e16, 1.0, -1e16, 1.0};
        double leftToRight = 0;
        for (double v : terms) {
            leftToRight += v;
        }
        ExactSum s = new ExactSum();
        for (double v : terms) {
            s.add(v);
        }
        assertThat(leftToRight).isNotEqualTo(2.0);
        assertThat(s.value()).isEqualTo(2.0);
    }

    @Test
    void anEmptySumIsZeroAndANonFiniteTermMakesItNonFinite() {
        ExactSum s = new ExactSum();
        assertThat(s.value()).isZero();
        s.add(1);
        s.add(Double.POSITIVE_INFINITY);
        assertThat(s.value()).isEqualTo(Double.POSITIVE_INFINITY);
    }
}
