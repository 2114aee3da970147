package org.statespace.capability;

import java.util.List;

import org.statespace.data.Sequence;

/**
 * Computes a training loss and its exact gradient for a batch of sequences at given parameters. A
 * mutable workspace (one per thread) that keeps its buffers across calls.
 */
public interface GradientEvaluator {

    /**
     * The mean loss per scored observation over {@code batch} at {@code parameters}, and its gradient
     * written into {@code gradient} (overwritten, same length as the parameters).
     */
    double evaluate(double[] parameters, List<Sequence> batch, double[] gradient);
}
