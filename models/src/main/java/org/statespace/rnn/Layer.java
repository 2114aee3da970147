package org.statespace.rnn;

/**
 * One layer of a network: its cell, its hidden size H, and for vanilla cells the form in which the
 * nonlinearity is applied (gated cells are always {@link VanillaForm#I}).
 *
 * @param cell       the cell
 * @param hiddenSize H &gt;= 1
 * @param form       any {@link VanillaForm} for vanilla cells; {@link VanillaForm#I} for the others
 * @param emission   the emission of an HMM cell (its K = hiddenSize states); {@code null} for the others
 */
public record Layer(Cell cell, int hiddenSize, VanillaForm form, BeliefEmission emission) {

    public Layer {
        if (cell == null || form == null) {
            throw new IllegalArgumentException("a layer needs a cell and a form");
        }
        if (hiddenSize < 1) {
            throw new IllegalArgumentException("hiddenSize must be at least 1, got " + hiddenSize);
        }
        if (!cell.isVanilla() && form != VanillaForm.I) {
            throw new IllegalArgumentException("form (" + form.jsonName() + ") is for vanilla cells, not " + cell.jsonName());
        }
        if ((cell == Cell.HMM) != (emission != null)) {
            throw new IllegalArgumentException(cell == Cell.HMM ? "an hmm layer needs an emission"
                    : "an emission is for an hmm layer, not " + cell.jsonName());
        }
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
        return cell == Cell.HMM ? hiddenSize * hiddenSize : cell == Cell.KALMAN ? hiddenSize : cell.gates() * hiddenSize;
    }

    /**
     * The width of the state the layer carries and its consumers read: H, or n + n² for a Kalman cell of n
     * states (its predicted mean and covariance, row-major).
     */
    public int stateSize() {
        return cell == Cell.KALMAN ? hiddenSize + hiddenSize * hiddenSize : hiddenSize;
    }

    /** A Kalman layer of n states. */
    public static Layer kalman(int states) {
        return new Layer(Cell.KALMAN, states, VanillaForm.I, null);
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
