package org.statespace.capability;

/**
 * Expected sufficient statistics accumulated over sequences in an E-step. Mutable; one accumulator per
 * thread, then merged (merging in a fixed order keeps results independent of the thread count).
 *
 * <p>Stepwise (online) EM keeps a running accumulator s and after each batch sets
 * s &larr; keep&middot;s + add&middot;&#349; ({@link #blend}); checkpoints store it as numbers ({@link #toArray},
 * {@link #setFrom}).
 */
public interface SufficientStatistics {

    /**
     * Adds another accumulator of the same model into this one. {@code other} is not used afterwards: what it holds
     * outside the heap (see {@link #release}) may be handed over to this one.
     */
    void merge(SufficientStatistics other);

    /**
     * Frees what the accumulator holds outside the heap (an input-output HMM's transition rows in a spill file
     * after a streamed E-step); the accumulator is not used afterwards. Its owner calls it when done with it, also
     * on error. Nothing by default.
     */
    default void release() {
    }

    /** The summed log-likelihood of the sequences accumulated so far. */
    double logLikelihood();

    /**
     * Stepwise EM's update this &larr; keep&middot;this + add&middot;other, every statistic and the
     * log-likelihood alike. Statistics that a family takes about a reference point of the model they were
     * taken under (Gaussian moments about the current means, observations about the current offset) are
     * first moved exactly to {@code other}'s reference point, so the result is the statistics of the newer
     * model's parameterisation and its M-step is that model's. With {@code keep} = 0 this becomes
     * add&middot;other (an exact copy when add = 1), whatever it held before.
     */
    default void blend(double keep, SufficientStatistics other, double add) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot blend (no online EM)");
    }

    /** Every number of the accumulator (reference points included) in a fixed order, for checkpoints. */
    default double[] toArray() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot be saved (no online EM)");
    }

    /**
     * Sets every number from {@link #toArray}'s layout of an accumulator of the same model structure.
     *
     * @throws IllegalArgumentException if {@code values} has another length
     */
    default void setFrom(double[] values) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot be restored (no online EM)");
    }

    /**
     * Whether {@link #blend}, {@link #toArray} and {@link #setFrom} are implemented, which online EM needs. False
     * by default, so a family's statistics written before online EM still compile and are refused by it.
     */
    default boolean blendable() {
        return false;
    }

    /** into &larr; keep&middot;into + add&middot;from element by element; add&middot;from exactly when keep = 0. */
    static void blend(double[] into, double keep, double[] from, double add) {
        if (into.length != from.length) {
            throw new IllegalArgumentException("cannot blend " + from.length + " statistics into " + into.length);
        }
        for (int i = 0; i < into.length; i++) {
            into[i] = keep == 0 ? add * from[i] : keep * into[i] + add * from[i];
        }
    }

    /** The arrays one after another (a helper for {@link #toArray}). */
    static double[] concat(double[]... parts) {
        int n = 0;
        for (double[] p : parts) {
            n += p.length;
        }
        double[] out = new double[n];
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /**
     * Fills the arrays one after another from {@code values} (a helper for {@link #setFrom}).
     *
     * @throws IllegalArgumentException unless {@code values} has exactly their total length
     */
    static void split(double[] values, double[]... parts) {
        int n = 0;
        for (double[] p : parts) {
            n += p.length;
        }
        if (values.length != n) {
            throw new IllegalArgumentException(values.length + " values where these statistics have " + n);
        }
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(values, at, p, 0, p.length);
            at += p.length;
        }
    }
}
