package org.statespace.capability;

import java.util.random.RandomGenerator;

import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;
import org.statespace.data.ObservedRows;

/**
 * A model that can draw a data-driven starting point of its own structure (random stochastic rows,
 * k-means++ means), for restarts of an iterative fit.
 *
 * <p>The draw reads the data in two kinds of pass ({@link ObservedRows}): counts over every row, then rows
 * chosen by index. So the same generator gives the same start from a dataset in memory and from one held
 * elsewhere (a cluster's partitions, a file read twice).
 */
public interface Initialization {

    /** A starting model of the same structure, drawn with {@code random} and informed by {@code data}. */
    StateSpaceModel<?, ?> initialize(Dataset data, RandomGenerator random, FitSettings settings);

    /**
     * The same draw as {@link #initialize(Dataset, RandomGenerator, FitSettings)} from the rows of data already
     * matched to this model's observation space: equal rows and generator state give an equal model.
     */
    StateSpaceModel<?, ?> initialize(ObservedRows data, RandomGenerator random, FitSettings settings);
}
