package org.statespace;

/**
 * A dataset is malformed or does not fit the model: a wrong observation shape, a symbol out of range,
 * NaN where only {@code null} may mark a missing value, a CSV line with the wrong number of cells. The
 * message names the file, the sequence, step or line, and the value.
 */
public final class DataException extends StatespaceException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
