package org.statespace;

/**
 * A computation failed numerically: a covariance lost positive definiteness, a likelihood became
 * zero or NaN. The message names the step (and sequence) where it happened.
 */
public final class NumericalException extends StatespaceException {
    private static final long serialVersionUID = 1L;

    public NumericalException(String message) {
        super(message);
    }
}
