package org.statespace.hsmm;

import org.statespace.capability.SufficientStatistics;
import org.statespace.hmm.EmissionModel;

/**
 * Expected sufficient statistics of an explicit-duration HMM over any number of sequences: initial state
 * counts (K), transition counts between segments (K×K), expected segment ends in each slot of the expanded
 * chain (M: a segment of state k ending after e steps), the posterior of the last step of each sequence over
 * the slots (M: censored segments, still running when the sequence ends), occupancy of each state over the
 * steps that have a successor (K, for geometric durations), the emission statistics and the log-likelihood.
 */
final class SemiMarkovStatistics implements SufficientStatistics {
    final int states;
    final int size;
    final double[] initial;
    final double[] transitions;
    final double[] ends;
    final double[] censored;
    final double[] occupancy;
    final EmissionModel.Statistics emission;
    double logLikelihood;

    SemiMarkovStatistics(int states, int size, EmissionModel.Statistics emission) {
        this.states = states;
        this.size = size;
        initial = new double[states];
        transitions = new double[states * states];
        ends = new double[size];
        censored = new double[size];
        occupancy = new double[states];
        this.emission = emission;
    }

    @Override
    public void merge(SufficientStatistics other) {
        SemiMarkovStatistics o = (SemiMarkovStatistics) other;
        if (o.states != states || o.size != size) {
            throw new IllegalArgumentException("cannot merge statistics of another explicit-duration HMM");
        }
        add(initial, o.initial);
        add(transitions, o.transitions);
        add(ends, o.ends);
        add(censored, o.censored);
        add(occupancy, o.occupancy);
        emission.merge(o.emission);
        logLikelihood += o.logLikelihood;
    }

    private static void add(double[] into, double[] x) {
        for (int i = 0; i < into.length; i++) {
            into[i] += x[i];
        }
    }

    @Override
    public double logLikelihood() {
        return logLikelihood;
    }

    @Override
    public boolean blendable() {
        return true;
    }

    @Override
    public void blend(double keep, SufficientStatistics other, double add) {
        SemiMarkovStatistics o = (SemiMarkovStatistics) other;
        if (o.states != states || o.size != size) {
            throw new IllegalArgumentException("cannot blend statistics of another explicit-duration HMM");
        }
        SufficientStatistics.blend(initial, keep, o.initial, add);
        SufficientStatistics.blend(transitions, keep, o.transitions, add);
        SufficientStatistics.blend(ends, keep, o.ends, add);
        SufficientStatistics.blend(censored, keep, o.censored, add);
        SufficientStatistics.blend(occupancy, keep, o.occupancy, add);
        emission.blend(keep, o.emission, add);
        logLikelihood = keep == 0 ? add * o.logLikelihood : keep * logLikelihood + add * o.logLikelihood;
    }

    /** initial, transitions, ends, censored, occupancy, the log-likelihood, then the emission statistics. */
    @Override
    public double[] toArray() {
        return SufficientStatistics.concat(initial, transitions, ends, censored, occupancy, new double[] {logLikelihood},
                emission.toArray());
    }

    @Override
    public void setFrom(double[] values) {
        double[] ll = new double[1];
        int own = initial.length + transitions.length + ends.length + censored.length + occupancy.length + 1;
        if (values.length < own) {
            throw new IllegalArgumentException(values.length + " values are too few for these statistics");
        }
        double[] rest = new double[values.length - own];
        SufficientStatistics.split(values, initial, transitions, ends, censored, occupancy, ll, rest);
        emission.setFrom(rest);
        logLikelihood = ll[0];
    }
}
