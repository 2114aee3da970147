package org.statespace.capability;

import java.util.List;

import org.statespace.data.Sequence;

/**
 * A {@link GradientEvaluator} that cuts a batch into shards, evaluates each shard on its own and adds the
 * shards' sums in shard order: the form that lets a cluster evaluate the shards of one batch on different
 * machines and still get the single JVM's gradient bit for bit. {@link #evaluate} is exactly
 * <pre>{@code
 * int[][] shards = shards(lengths of batch);
 * gradient := 0; loss := 0; scored := 0
 * for s in 0..shards.length-1:       // each shardSum may run anywhere
 *     Sum p = shardSum(parameters, rows of shard s in the order shards[s] gives, g_s)
 *     gradient += g_s; loss += p.loss(); scored += p.scored()
 * return finish(loss, scored, gradient)
 * }</pre>
 */
public interface ShardedGradient extends GradientEvaluator {

    /** A shard's summed loss and the number of observations it scored. */
    record Sum(double loss, long scored) {
    }

    /**
     * The shards of a batch whose sequences have these lengths (in batch order): per shard, the batch positions
     * of its rows in the order the shard runs them. Every position appears in exactly one shard.
     */
    int[][] shards(int[] lengths);

    /**
     * One shard's summed (not averaged) loss and gradient: {@code gradientSum} (n×1, overwritten) receives the
     * gradient of the summed loss over {@code rows}, given in the order {@link #shards} returned.
     */
    Sum shardSum(double[] parameters, List<Sequence> rows, double[] gradientSum);

    /**
     * The batch's mean loss per scored observation from the shard sums added in shard order; {@code gradientSum}
     * becomes the gradient of the mean (scaled in place by 1/scored, parameters held fixed zeroed). 0 when
     * nothing was scored.
     */
    double finish(double lossSum, long scored, double[] gradientSum);
}
