package org.statespace;

/**
 * A file or other resource could not be read or written: it does not exist, it is not readable, the
 * disk is full. The message names the file and the reason.
 */
public final class ResourceException extends StatespaceException {
    private static final long serialVersionUID = 1L;

    public ResourceException(String message, Throwable cause) {
        super(message, cause);
    }

    public ResourceException(String message) {
        super(message);
    }
}
