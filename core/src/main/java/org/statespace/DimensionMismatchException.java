package org.statespace;

/**
 * Two shapes that must agree do not: {@code observationNoise: expected 2x2, got 3x3}.
 */
public final class DimensionMismatchException extends StatespaceException {
    private static final long serialVersionUID = 1L;

    public DimensionMismatchException(String what, String expected, String actual) {
        super(what + ": expected " + expected + ", got " + actual);
    }
}
