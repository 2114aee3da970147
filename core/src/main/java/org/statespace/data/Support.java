package org.statespace.data;

/**
 * What values the observations of a dataset take, which decides how predictions are scored on it: a
 * density on {@link #COUNTS} is scored by the mass it gives to the unit interval around each count (the
 * discretised log score), so that it competes fairly with models that predict a mass; models of counts
 * or symbols do not apply to {@link #REAL} data.
 *
 * <p>Inferred from the data unless a dataset declares it ({@code "support"} in dataset JSON): a symbolic
 * dataset has {@link #SYMBOLS}; a real one whose observed values are all non-negative integers has
 * {@link #COUNTS}; anything else {@link #REAL}. Integer-valued measurements that are not counts (a river
 * flow recorded in whole units) are inferred as counts and should declare {@code "real"}.
 */
public enum Support {
    /** Non-negative integers 0, 1, 2, ... (every component). */
    COUNTS,
    /** Real numbers or real vectors. */
    REAL,
    /** Symbols from a finite alphabet. */
    SYMBOLS;

    /** The name in dataset JSON: "counts", "real" or "symbols". */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The support with a JSON name.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Support fromJsonName(String name) {
        for (Support s : values()) {
            if (s.jsonName().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown support \"" + name + "\"; expected counts, real or symbols");
    }
}
