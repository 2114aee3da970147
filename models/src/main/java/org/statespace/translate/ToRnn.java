package org.statespace.translate;

import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.hmm.HiddenMarkovModel;
import org.statespace.kalman.LinearGaussianModel;
import org.statespace.kalman.StructuralModel;
import org.statespace.markov.MarkovChain;
import org.statespace.rnn.RnnModel;

/**
 * The exact translation of a model into an rnn-family model (see the package documentation): Markov chains
 * ({@link MarkovToRnn}), HMMs of every emission type ({@link HmmToRnn}), linear-Gaussian models and structural
 * models, exact diffuse starts and feedthroughs included ({@link KalmanToRnn}).
 */
public final class ToRnn {
    private ToRnn() {
    }

    /**
     * The rnn with the same predictive distributions and log-likelihood on any data.
     *
     * @throws SpecException (path {@code type}) for a model type without an exact translation
     */
    public static RnnModel translate(StateSpaceModel<?, ?> model) {
        if (model instanceof MarkovChain chain) {
            return MarkovToRnn.translate(chain);
        }
        if (model instanceof HiddenMarkovModel hmm) {
            return HmmToRnn.translate(hmm);
        }
        if (model instanceof LinearGaussianModel lgssm) {
            return KalmanToRnn.translate(lgssm);
        }
        if (model instanceof StructuralModel structural) {
            return KalmanToRnn.translate(structural);
        }
        if (model instanceof RnnModel) {
            throw new SpecException("", "type", "a model of type \"rnn\" is already an rnn");
        }
        throw new SpecException("", "type", "a model of type \"" + model.type() + "\" has no exact translation to an rnn; "
                + "the types that have one are " + String.join(", ", supportedTypes()));
    }

    /** The spec types {@link #translate} accepts. */
    public static java.util.List<String> supportedTypes() {
        return java.util.List.of(MarkovChain.TYPE, HiddenMarkovModel.TYPE, LinearGaussianModel.TYPE,
                StructuralModel.Form.LOCAL_LEVEL.type(), StructuralModel.Form.LOCAL_LINEAR_TREND.type());
    }

    /** log p, or {@link #LOG_ZERO} for p = 0: a finite logit whose softmax weight is exactly 0. */
    static double log(double p) {
        return p > 0 ? Math.log(p) : LOG_ZERO;
    }

    /** The logit of a zero probability (finite, so a spec can hold it and training keeps it). */
    public static final double LOG_ZERO = -1e300;
}
