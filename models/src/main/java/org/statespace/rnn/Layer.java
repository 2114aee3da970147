package org.statespace.rnn;

/**
 * One layer of a network: its cell, its hidden size H, and for vanilla cells the form in which the
 * nonlinearity is applied (gated cells are always {@link VanillaForm#I}).
 *
 * @param cell       the cell
 * @param hiddenSize H &gt;= 1
 * @param form       any {@link VanillaForm} for vanilla cells; {@link VanillaForm#I} for the others
 * @param emission   the emission of an HMM cell (its K = hiddenSize states); {@code null} for the others
 * @param diffuseStates a Kalman cell's states with an exact diffuse start (P_∞ = 1 on their diagonal; empty for
 *                   none and for the other cells)
 * @param feedthrough a Kalman cell's observation shift: 0, or d when d more pre-activations shift the predicted
 *                   observation (D u_t: the feedthrough); 0 for the other cells
 * @param learnedGain a Kalman cell in innovations form: a trainable gain K and innovation covariance S instead of
 *                   the covariance recursion (its state is the predicted mean alone); false for the other cells
 * @param diagonalNoise a Kalman cell whose process and observation noise covariances Q, R are diagonal, kept so by
 *                   their parametrisation (log standard deviations); false for the other cells
 */
public record Layer(Cell cell, int hiddenSize, VanillaForm form, BeliefEmission emission, java.util.List<Integer> diffuseStates,
        int feedthrough, boolean learnedGain, boolean diagonalNoise) {

    /** A layer with full noise covariances. */
    /** The most states of a hybrid (hmm or kalman) layer: it carries and reads K² or n² numbers. */
    public static final int MAX_HYBRID_STATES = 10_000;

    public Layer(Cell cell, int hiddenSize, VanillaForm form, BeliefEmission emission, java.util.List<Integer> diffuseStates,
            int feedthrough, boolean learnedGain) {
        this(cell, hiddenSize, form, emission, diffuseStates, feedthrough, learnedGain, false);
    }

    public Layer {
        if (cell == null || form == null) {
            throw new IllegalArgumentException("a layer needs a cell and a form");
        }
        if (hiddenSize < 1) {
            throw new IllegalArgumentException("hiddenSize must be at least 1, got " + hiddenSize);
        }
        if (cell.isHybrid() && hiddenSize > MAX_HYBRID_STATES) {
            // a hybrid cell carries and reads K² or n² numbers: beyond this their count overflows an int
            throw new IllegalArgumentException("hiddenSize of a " + cell.jsonName() + " layer must be at most "
                    + MAX_HYBRID_STATES + ", got " + hiddenSize);
        }
        if (!cell.isVanilla() && form != VanillaForm.I) {
            throw new IllegalArgumentException("form (" + form.jsonName() + ") is for vanilla cells, not " + cell.jsonName());
        }
        if ((cell == Cell.HMM) != (emission != null)) {
            throw new IllegalArgumentException(cell == Cell.HMM ? "an hmm layer needs an emission"
                    : "an emission is for an hmm layer, not " + cell.jsonName());
        }
        diffuseStates = diffuseStates == null ? java.util.List.of() : java.util.List.copyOf(diffuseStates);
        if (cell != Cell.KALMAN && (!diffuseStates.isEmpty() || feedthrough != 0 || learnedGain)) {
            throw new IllegalArgumentException("diffuseStates, feedthrough and learnedGain are for a kalman layer, not "
                    + cell.jsonName());
        }
        if (diagonalNoise && (cell != Cell.KALMAN || learnedGain)) {
            throw new IllegalArgumentException("diagonalNoise is for a kalman layer with the covariance recursion");
        }
        if (learnedGain && !diffuseStates.isEmpty()) {
            throw new IllegalArgumentException("a kalman layer with a learned gain carries no covariance, so no diffuse states");
        }
        if (feedthrough < 0) {
            throw new IllegalArgumentException("feedthrough must be 0 or the observation size, got " + feedthrough);
        }
        boolean[] seen = new boolean[hiddenSize];
        for (int i : diffuseStates) {
            if (i < 0 || i >= hiddenSize || seen[i]) {
                throw new IllegalArgumentException("diffuseStates: " + i + " is not a new state index in 0.." + (hiddenSize - 1));
            }
            seen[i] = true;
        }
    }

    /** A layer without the Kalman options. */
    public Layer(Cell cell, int hiddenSize, VanillaForm form, BeliefEmission emission) {
        this(cell, hiddenSize, form, emission, java.util.List.of(), 0, false);
    }

    /** A layer without an emission (every cell but the HMM). */
    public Layer(Cell cell, int hiddenSize, VanillaForm form) {
        this(cell, hiddenSize, form, null);
    }

    /** An HMM layer of K states with the given emission. */
    public static Layer hmm(int states, BeliefEmission emission) {
        return new Layer(Cell.HMM, states, VanillaForm.I, emission);
    }

    /** A layer in form (i). */
    public static Layer of(Cell cell, int hiddenSize) {
        return new Layer(cell, hiddenSize, VanillaForm.I);
    }

    /** G × H, the rows of this layer's weight matrices (K × K transition logits for an HMM cell). */
    public int width() {
        return cell == Cell.HMM ? hiddenSize * hiddenSize : cell == Cell.KALMAN ? hiddenSize + feedthrough
                : cell.gates() * hiddenSize;
    }

    /**
     * The width of the state the layer carries and its consumers read: H, or for a Kalman cell of n states
     * n + n² (its predicted mean and covariance P_*, row-major), n² more for the diffuse part P_∞ when it has
     * diffuse states, and d more for the observation shift when it has a feedthrough.
     */
    public int stateSize() {
        if (cell != Cell.KALMAN) {
            return hiddenSize;
        }
        int square = learnedGain ? 0 : hiddenSize * hiddenSize;
        return hiddenSize + square + (diffuseStates.isEmpty() ? 0 : square) + feedthrough;
    }

    /** A Kalman layer of n states. */
    public static Layer kalman(int states) {
        return new Layer(Cell.KALMAN, states, VanillaForm.I, null);
    }

    /**
     * A Kalman layer of n states with an exact diffuse start on {@code diffuseStates} and, for {@code feedthrough}
     * = d &gt; 0, an observation shift (D u_t) from d more pre-activations.
     */
    public static Layer kalman(int states, java.util.List<Integer> diffuseStates, int feedthrough) {
        return new Layer(Cell.KALMAN, states, VanillaForm.I, null, diffuseStates, feedthrough, false);
    }

    /** The same with diagonal noise covariances Q and R when {@code diagonalNoise}. */
    public static Layer kalman(int states, java.util.List<Integer> diffuseStates, int feedthrough, boolean diagonalNoise) {
        return new Layer(Cell.KALMAN, states, VanillaForm.I, null, diffuseStates, feedthrough, false, diagonalNoise);
    }

    /**
     * A Kalman layer of n states in innovations form (a steady-state Kalman filter whose gain K and innovation
     * covariance S are trained), with an observation shift of {@code feedthrough} = d or 0.
     */
    public static Layer kalmanGain(int states, int feedthrough) {
        return new Layer(Cell.KALMAN, states, VanillaForm.I, null, java.util.List.of(), feedthrough, true);
    }

    /**
     * Whether the state is a pre-activation a_t that its own recurrence and the head read through σ (a
     * vanilla layer in form (ii) or (ii-literal)).
     */
    public boolean preactivationState() {
        return form != VanillaForm.I;
    }

    /**
     * Whether the other layers that read this layer's state (the layer above, extra edges to other layers)
     * read it through σ: true for form (ii), false for form (ii-literal), irrelevant otherwise.
     */
    public boolean activatedForOtherLayers() {
        return form == VanillaForm.II;
    }
}
