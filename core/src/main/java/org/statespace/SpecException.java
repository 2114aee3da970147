package org.statespace;

/**
 * A model spec, fit options or study spec is malformed: a missing or unknown field, a wrong type, a
 * non-stochastic row, a covariance that is not positive definite. The message names the JSON path
 * ({@code transition[2]}) and the offending value; {@link #path()} and {@link #source()} give them apart.
 */
public final class SpecException extends StatespaceException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String path;
    private final String problem;

    /**
     * @param source  where the JSON came from (a file name, or a description such as "spec"); may be empty
     * @param path    the JSON path of the offending node, e.g. {@code transition[2]}; empty for the root
     * @param problem what is wrong, with the value
     */
    public SpecException(String source, String path, String problem) {
        super(format(source, path, problem));
        this.source = source == null ? "" : source;
        this.path = path == null ? "" : path;
        this.problem = problem;
    }

    private static String format(String source, String path, String problem) {
        StringBuilder b = new StringBuilder();
        if (source != null && !source.isEmpty()) {
            b.append(source).append(": ");
        }
        if (path != null && !path.isEmpty()) {
            b.append(path).append(": ");
        }
        return b.append(problem).toString();
    }

    /** The file or description the spec came from. */
    public String source() {
        return source;
    }

    /** The JSON path of the offending node; empty for the whole document. */
    public String path() {
        return path;
    }

    /** The problem without source and path. */
    public String problem() {
        return problem;
    }

    /** The same problem attributed to another source (used when a reader learns the file name late). */
    public SpecException withSource(String newSource) {
        return new SpecException(newSource, path, problem);
    }
}
