package org.statespace.translate;

import java.util.List;

import org.statespace.markov.MarkovChain;
import org.statespace.rnn.BeliefEmission;
import org.statespace.rnn.Head;
import org.statespace.rnn.Layer;
import org.statespace.rnn.RnnArchitecture;
import org.statespace.rnn.RnnModel;

/**
 * A Markov chain of order k over S states as an rnn: one HMM cell over the S^k windows z = (s_t..s_{t+k-1})
 * (contexts in the chain's lexicographic order), initial logits log of the chain's initial window
 * distribution, transition logits log A[z][j] from z to (z mod S^{k-1})·S + j and LOG_ZERO elsewhere, and a
 * categorical emission that gives the window's first state with probability 1 (the identity for k = 1).
 */
public final class MarkovToRnn {
    private MarkovToRnn() {
    }

    public static RnnModel translate(MarkovChain chain) {
        int s = chain.stateCount();
        int windows = chain.contextCount();
        int suffixes = windows / s;
        Head head = Head.belief(s, true, chain.stateNames());
        RnnArchitecture a = RnnArchitecture.stack(s, List.of(Layer.hmm(windows,
                BeliefEmission.of(BeliefEmission.Kind.CATEGORICAL))), head);
        double[] theta = new double[a.parameterCount()];
        HmmToRnn.fill(theta, a, "initial_logits_l0", chain.initial());
        int off = a.block("bias_ih_l0").offset();
        java.util.Arrays.fill(theta, off, off + windows * windows, ToRnn.LOG_ZERO);
        double[][] transition = chain.transitionMatrix();
        for (int z = 0; z < windows; z++) {
            int base = (z % suffixes) * s;
            for (int j = 0; j < s; j++) {
                theta[off + z * windows + base + j] = ToRnn.log(transition[z][j]);
            }
        }
        int e = a.block("emission_logits_l0").offset();
        for (int z = 0; z < windows; z++) {
            int first = z / suffixes;
            for (int j = 0; j < s; j++) {
                theta[e + z * s + j] = j == first ? 0 : ToRnn.LOG_ZERO;
            }
        }
        return RnnModel.of(a, theta, null, 0);
    }
}
