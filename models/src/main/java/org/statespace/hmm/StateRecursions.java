package org.statespace.hmm;

import org.statespace.capability.DecodedPath;
import org.statespace.data.Sequence;

/**
 * The whole-sequence kernels of a model with K discrete hidden states, over one sequence at a time with
 * reusable workspaces (not thread-safe: one per thread): the scaled forward filter, the forward-backward
 * smoother, the log-likelihood and Viterbi. {@link ForwardBackward} runs HMMs and input-output HMMs; the
 * semi-Markov kernels run the expanded chain of an HSMM. {@link DiscreteStateModel} turns them into the
 * filtering, smoothing and decoding capabilities.
 */
public interface StateRecursions {

    /** The forward filter; keeps the filtered probabilities and returns the log-likelihood. */
    double forward(Sequence sequence);

    /** The forward filter and the backward pass; keeps the posterior marginals and returns the log-likelihood. */
    double smooth(Sequence sequence);

    /** log p(o_0..o_{T-1}), by the cheapest path the kernels have. */
    double logLikelihood(Sequence sequence);

    /** p(s_t | o_0..o_t) of the last {@link #forward} (T×K, a copy). */
    double[] filteredProbabilities();

    /** p(s_t | o_0..o_{T-1}) of the last {@link #smooth} (T×K, a copy). */
    double[] posteriorProbabilities();

    /** The most probable state path and its joint log-probability. */
    DecodedPath viterbi(Sequence sequence);
}
