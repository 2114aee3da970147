package org.statespace.plots;

/**
 * A discrete path drawn as a coloured strip under a probability chart: the Viterbi path, the true
 * hidden path of simulated data, or the observed symbols.
 *
 * @param name  the strip's label, e.g. "Viterbi path"
 * @param path  T state (or symbol) indices in 0..K-1; -1 where unknown (drawn blank)
 */
public record LabelledPath(String name, int[] path) {
    public LabelledPath {
        path = path.clone();
    }

    @Override
    public int[] path() {
        return path.clone();
    }
}
