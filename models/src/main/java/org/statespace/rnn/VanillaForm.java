package org.statespace.rnn;

/**
 * Where a vanilla layer applies its nonlinearity σ (see the package documentation).
 * <ul>
 *   <li>{@link #I}: at the end. The state is h_t = σ(W [h_t^{below}; h_{t-1}] + b), and h_t is what
 *       every consumer reads.</li>
 *   <li>{@link #II}: at the start. The state is the pre-activation a_t = W [σ(a_t^{below}); σ(a_{t-1})] + b;
 *       every consumer of a hidden state applies σ to it first (never to the raw input x), and nothing
 *       is applied at the end.</li>
 * </ul>
 * With the same W, b and matching initial states (h_0 = σ(a_0)), σ(a_t) = h_t at every layer and step.
 */
public enum VanillaForm {
    /** σ at the end: h_t = σ(W [h_t^{l-1}; h_{t-1}^l] + b). */
    I("i"),
    /** σ at the start: a_t = W [σ(a_t^{l-1}); σ(a_{t-1}^l)] + b. */
    II("ii");

    private final String jsonName;

    VanillaForm(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The spec name: "i" or "ii". */
    public String jsonName() {
        return jsonName;
    }
}
