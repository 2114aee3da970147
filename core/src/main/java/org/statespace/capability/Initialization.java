package org.statespace.capability;

import java.util.random.RandomGenerator;

import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;

/**
 * A model that can draw a data-driven starting point of its own structure (random stochastic rows,
 * k-means++ means), for restarts of an iterative fit.
 */
public interface Initialization {

    /** A starting model of the same structure, drawn with {@code random} and informed by {@code data}. */
    StateSpaceModel<?, ?> initialize(Dataset data, RandomGenerator random, FitSettings settings);
}
