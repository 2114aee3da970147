package org.statespace.plots;

/**
 * A drawing with what a report needs to show it: a file name, the section it belongs to, a title and a
 * one-line caption.
 *
 * @param name    file base name without extension, e.g. "predictive-nile-local-level"; letters, digits,
 *                '.', '_' and '-' only
 * @param section the report section, e.g. "nile" or "Learning curves"
 * @param title   a short title
 * @param caption what the figure shows and how to read it
 * @param drawing the drawing
 */
public record Figure(String name, String section, String title, String caption, Drawing drawing) {
    public Figure {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("figure name \"" + name + "\" must use only letters, digits, '.', '_' and '-'");
        }
    }

    /** A name made safe for files: other characters become '_'. */
    public static String safeName(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
