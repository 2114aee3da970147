package org.statespace;

/**
 * The base of every error the toolkit raises on purpose: a user's mistake (a bad spec, bad data, a
 * missing file) or a numerical failure. Unchecked, and its message is meant to be shown to a person as
 * it is: it names where the problem is (file, JSON path, line, step) and the offending value.
 */
public class StatespaceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StatespaceException(String message) {
        super(message);
    }

    public StatespaceException(String message, Throwable cause) {
        super(message, cause);
    }
}
