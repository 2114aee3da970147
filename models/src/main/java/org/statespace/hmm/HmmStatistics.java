package org.statespace.hmm;

import org.statespace.capability.SufficientStatistics;

/**
 * Baum-Welch's expected sufficient statistics over any number of sequences: Σ_n γ_0 (initial counts),
 * Σ_n Σ_t ξ_t (expected transition counts, K×K) and the emission statistics, with the summed
 * log-likelihood of the sequences.
 */
final class HmmStatistics implements SufficientStatistics {
    final int states;
    final double[] initial;
    final double[] transitions;
    final EmissionModel.Statistics emission;
    double logLikelihood;
    int sequences;

    HmmStatistics(int states, EmissionModel.Statistics emission) {
        this.states = states;
        this.initial = new double[states];
        this.transitions = new double[states * states];
        this.emission = emission;
    }

    @Override
    public void merge(SufficientStatistics other) {
        HmmStatistics o = (HmmStatistics) other;
        if (o.states != states) {
            throw new IllegalArgumentException("cannot merge statistics of " + o.states + " states into " + states);
        }
        GaussianEmission.Stats.add(initial, o.initial);
        GaussianEmission.Stats.add(transitions, o.transitions);
        emission.merge(o.emission);
        logLikelihood += o.logLikelihood;
        sequences += o.sequences;
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
        HmmStatistics o = (HmmStatistics) other;
        if (o.states != states) {
            throw new IllegalArgumentException("cannot blend statistics of " + o.states + " states into " + states);
        }
        SufficientStatistics.blend(initial, keep, o.initial, add);
        SufficientStatistics.blend(transitions, keep, o.transitions, add);
        emission.blend(keep, o.emission, add);
        logLikelihood = keep == 0 ? add * o.logLikelihood : keep * logLikelihood + add * o.logLikelihood;
        sequences += o.sequences;
    }

    /** initial, transitions, the log-likelihood, then the emission statistics. */
    @Override
    public double[] toArray() {
        return SufficientStatistics.concat(initial, transitions, new double[] {logLikelihood}, emission.toArray());
    }

    @Override
    public void setFrom(double[] values) {
        double[] ll = new double[1];
        int own = initial.length + transitions.length + 1;
        if (values.length < own) {
            throw new IllegalArgumentException(values.length + " values are too few for these statistics");
        }
        double[] rest = new double[values.length - own];
        SufficientStatistics.split(values, initial, transitions, ll, rest);
        emission.setFrom(rest);
        logLikelihood = ll[0];
    }
}
