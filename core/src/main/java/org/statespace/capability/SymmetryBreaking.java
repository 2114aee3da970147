package org.statespace.capability;

import java.util.Optional;
import java.util.random.RandomGenerator;

import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;
import org.statespace.data.ObservedRows;

/**
 * A latent-state model that can tell when its states are interchangeable on the data, and move them apart.
 *
 * <p>EM from a start whose states are all alike (an HMM with identical transition rows and identical
 * emission densities) gives every state the same posterior at every step, so each M-step returns a model
 * whose states are again alike: the likelihood is at a saddle point EM never leaves, and its relative
 * improvement is zero, which looks like convergence. The trainer asks {@link #symmetry} before it runs EM
 * from a start and, when the states are interchangeable, starts from {@link #brokenSymmetry} instead and
 * says so in the fit's warnings.
 */
public interface SymmetryBreaking {

    /**
     * The trainer moves a degenerate start of restart r with the random stream {@code MOVE_STREAM - r} of the
     * fit's seed ({@code Randoms.stream(seed, MOVE_STREAM - r)}), a stream no restart's own draw uses.
     */
    long MOVE_STREAM = -1_000_000;

    /**
     * Why EM cannot separate this model's states on {@code data} (one sentence, naming what is identical),
     * or empty when it can.
     */
    Optional<String> symmetry(Dataset data);

    /**
     * A nearby start whose states differ: the same structure, moved a fixed share of the way towards a
     * data-driven random start drawn with {@code random} (so deterministic given its seed). Parts the
     * settings hold fixed are kept.
     */
    StateSpaceModel<?, ?> brokenSymmetry(Dataset data, RandomGenerator random, FitSettings settings);

    /**
     * The same move as {@link #brokenSymmetry(Dataset, RandomGenerator, FitSettings)} with the random start drawn
     * from rows ({@link ObservedRows}) of data already matched to this model's observation space.
     */
    StateSpaceModel<?, ?> brokenSymmetry(ObservedRows data, RandomGenerator random, FitSettings settings);
}
