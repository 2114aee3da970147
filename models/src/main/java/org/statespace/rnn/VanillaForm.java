package org.statespace.rnn;

/**
 * Where a vanilla layer applies its nonlinearity σ (see the package documentation).
 * <ul>
 *   <li>{@link #I}: at the end. The state is h_t = σ(W [h_t^{below}; h_{t-1}] + b), and h_t is what
 *       every consumer reads.</li>
 *   <li>{@link #II}: at the start. The state is the pre-activation a_t = W [σ(a_t^{below}); σ(a_{t-1})] + b;
 *       every consumer of a hidden state applies σ to it first (never to the raw input x), and nothing
 *       is applied at the end.</li>
 *   <li>{@link #II_LITERAL}: form (ii) exactly as the course notes write it,
 *       h_t^l = W^l [h_t^{l-1}; σ(h_{t-1}^l)] + b^l: σ only where the layer reads its own earlier states
 *       (its recurrence, and an extra edge from itself) and where the head reads it; the layer above and
 *       extra edges to other layers read the raw state.</li>
 * </ul>
 * With the same W, b and matching initial states (h_0 = σ(a_0)), σ(a_t) = h_t at every layer and step
 * between forms (i) and (ii), for any loop graph. Form (i) and the literal form agree in the same way only
 * when no other layer reads the literal layer's state: a single layer (or the bottom layer of a stack
 * whose layers above are compared on their own); two stacked tanh layers already differ.
 */
public enum VanillaForm {
    /** σ at the end: h_t = σ(W [h_t^{l-1}; h_{t-1}^l] + b). */
    I("i"),
    /** σ at the start, on every hidden input: a_t = W [σ(a_t^{l-1}); σ(a_{t-1}^l)] + b. */
    II("ii"),
    /** σ only on the recurrent input, as the notes write it: a_t = W [a_t^{l-1}; σ(a_{t-1}^l)] + b. */
    II_LITERAL("ii-literal");

    private final String jsonName;

    VanillaForm(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The spec name: "i", "ii" or "ii-literal". */
    public String jsonName() {
        return jsonName;
    }

    /** The form of a spec name. */
    public static VanillaForm fromJson(String name) {
        for (VanillaForm f : values()) {
            if (f.jsonName.equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown form \"" + name + "\"; the forms are i, ii, ii-literal");
    }
}
