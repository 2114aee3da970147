package org.statespace.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import org.statespace.rnn.RnnModel;
import org.statespace.rnn.VanillaForm;

/**
 * The example's counter-example, recomputed by hand: two tanh layers written as plain loops over the
 * weight matrices, once in form (i) and once as the notes write form (ii) (σ only on the recurrent input),
 * from zero initial states. The library's difference must be the hand-computed one, and it is not small.
 */
class FormsEquivalenceExampleTest {

    @Test
    void twoTanhLayersInTheLiteralFormDifferFromFormIByTheHandComputedAmount() {
        RnnModel m = FormsEquivalence.counterExampleModel(VanillaForm.I);
        double[][] x = FormsEquivalence.counterExampleInputs();
        double[][] formI = byHand(m, x, false);
        double[][] literal = byHand(m, x, true);
        double expected = 0;
        for (int t = 0; t < x.length; t++) {
            expected = Math.max(expected, Math.abs(formI[t][0] - literal[t][0]));
        }
        assertThat(expected).as("the hand computation shows a real difference").isGreaterThan(0.1);
        assertThat(FormsEquivalence.counterExample()).isCloseTo(expected, within(1e-12));
    }

    // y_t of a 2-layer tanh network with a linear head, from h_{-1} = a_{-1} = 0.
    // form (i):       h_t^l = tanh(W_ih^l in + b_ih^l + W_hh^l h_{t-1}^l + b_hh^l), in = x_t or h_t^{l-1}; y = W h_t^1 + b
    // literal (ii):   a_t^l = W_ih^l in + b_ih^l + W_hh^l tanh(a_{t-1}^l) + b_hh^l,  in = x_t or a_t^{l-1}; y = W tanh(a_t^1) + b
    private static double[][] byHand(RnnModel m, double[][] x, boolean literal) {
        int h = 3;
        double[][] state = new double[2][h];
        double[][] y = new double[x.length][1];
        for (int t = 0; t < x.length; t++) {
            double[] in = x[t];
            for (int l = 0; l < 2; l++) {
                double[][] wih = m.weightMatrix("weight_ih_l" + l);
                double[][] whh = m.weightMatrix("weight_hh_l" + l);
                double[] bih = m.weight("bias_ih_l" + l);
                double[] bhh = m.weight("bias_hh_l" + l);
                double[] next = new double[h];
                for (int i = 0; i < h; i++) {
                    double z = bih[i] + bhh[i];
                    for (int j = 0; j < in.length; j++) {
                        z += wih[i][j] * in[j];
                    }
                    for (int j = 0; j < h; j++) {
                        z += whh[i][j] * (literal ? Math.tanh(state[l][j]) : state[l][j]);
                    }
                    next[i] = literal ? z : Math.tanh(z);
                }
                state[l] = next;
                in = next;
            }
            double[][] w = m.weightMatrix("head.weight");
            double[] b = m.weight("head.bias");
            double v = b[0];
            for (int j = 0; j < h; j++) {
                v += w[0][j] * (literal ? Math.tanh(state[1][j]) : state[1][j]);
            }
            y[t][0] = v;
        }
        return y;
    }
}
