package org.statespace.capability;

import java.util.Arrays;

/**
 * The most probable hidden path and its log-probability log p(s_0..s_{T-1}, o_0..o_{T-1}).
 *
 * @param path           s_0..s_{T-1}, state indices
 * @param logProbability the joint log-probability of path and observations
 */
public record DecodedPath(int[] path, double logProbability) {

    public DecodedPath {
        path = path.clone();
    }

    @Override
    public int[] path() {
        return path.clone();
    }

    /** s_t. */
    public int state(int t) {
        return path[t];
    }

    public int length() {
        return path.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecodedPath p && Arrays.equals(path, p.path)
                && Double.compare(logProbability, p.logProbability) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(path) * 31 + Double.hashCode(logProbability);
    }

    @Override
    public String toString() {
        return "DecodedPath[T=" + path.length + ", logProbability=" + logProbability + "]";
    }
}
