package org.statespace.rnn;

import java.util.Locale;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.capability.FitSettings;
import org.statespace.spec.Json;

/**
 * How an RNN is trained by gradient descent (the optimiser, batches, clipping and early stopping are the
 * trainer's options).
 *
 * @param loss              the training loss
 * @param truncationStride  k1 of truncated BPTT: a backward pass every k1 steps; 0 for full BPTT
 * @param truncationWindow  k2: each backward pass goes k2 steps back (k2 &gt;= k1); 0 for full BPTT
 * @param shardSize         a batch is dealt round-robin (after sorting by length) into shards of at most
 *                          this many sequences, run in parallel and summed in shard order: the result
 *                          does not depend on the number of threads
 */
public record RnnFitSettings(Loss loss, int truncationStride, int truncationWindow, int shardSize) implements FitSettings {

    /** The training loss, per scored observation. */
    public enum Loss {
        /** The head's natural loss: squared error for a linear head, negative log-likelihood for the others. */
        DEFAULT,
        /**
         * -log p(o_t | past) under the predictive distribution (cross-entropy for softmax; for a linear
         * head the Gaussian with the variance of the model the evaluator was made from).
         */
        NLL,
        /** ½ ‖o_t - mean‖² over the observed components (for softmax, ½ Σ_k (p_k - [o_t = k])², the Brier score). */
        SQUARED_ERROR;

        /** default, nll, squared-error. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Loss fromJson(String s) {
            for (Loss l : values()) {
                if (l.jsonName().equals(s)) {
                    return l;
                }
            }
            throw new IllegalArgumentException("unknown loss \"" + s + "\"");
        }
    }

    public RnnFitSettings {
        if (loss == null) {
            throw new IllegalArgumentException("loss must be given");
        }
        if (truncationStride < 0 || truncationWindow < 0) {
            throw new IllegalArgumentException("truncation lengths must be non-negative, got k1 = " + truncationStride
                    + ", k2 = " + truncationWindow);
        }
        if ((truncationStride == 0) != (truncationWindow == 0)) {
            throw new IllegalArgumentException("give both k1 and k2 for truncated BPTT, or neither; got k1 = "
                    + truncationStride + ", k2 = " + truncationWindow);
        }
        if (truncationWindow < truncationStride) {
            throw new IllegalArgumentException("k2 (" + truncationWindow + ") must be at least k1 (" + truncationStride
                    + "): otherwise some losses would reach no step");
        }
        if (shardSize < 1) {
            throw new IllegalArgumentException("shardSize must be at least 1, got " + shardSize);
        }
    }

    /** The head's natural loss, full BPTT, shards of 16. */
    public static RnnFitSettings defaults() {
        return new RnnFitSettings(Loss.DEFAULT, 0, 0, 16);
    }

    public RnnFitSettings withLoss(Loss l) {
        return new RnnFitSettings(l, truncationStride, truncationWindow, shardSize);
    }

    /** Truncated BPTT(k1, k2): every k1 steps, backpropagate k2 steps. */
    public RnnFitSettings withTruncation(int k1, int k2) {
        return new RnnFitSettings(loss, k1, k2, shardSize);
    }

    public RnnFitSettings withShardSize(int n) {
        return new RnnFitSettings(loss, truncationStride, truncationWindow, n);
    }

    /** Whether BPTT is truncated. */
    public boolean truncated() {
        return truncationStride > 0;
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("loss", loss.jsonName());
        if (truncated()) {
            ObjectNode t = o.putObject("truncation");
            t.put("k1", truncationStride);
            t.put("k2", truncationWindow);
        }
        o.put("shardSize", shardSize);
        return o;
    }
}
