package org.statespace.data;

/** What the observations of a dataset are. */
public enum ObservationKind {
    /** Symbols from a finite alphabet, stored as indices 0..M-1 (dimension 1). */
    SYMBOLS,
    /** Real numbers or real vectors (counts included). */
    REAL;

    /** The name used in dataset JSON ({@code "observationType"}). */
    public String jsonName() {
        return this == SYMBOLS ? "symbols" : "real";
    }
}
