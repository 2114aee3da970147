package org.statespace.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;

import org.statespace.ResourceException;
import org.statespace.io.AtomicFiles;
import org.statespace.spec.Json;

/**
 * The output plumbing the streamed {@code smooth} and {@code decode} share: the provenance block as it is
 * embedded in the hand-written JSON, the JSON written to standard output or atomically over {@code --out}, the
 * writer's failures as one error naming the output, and a sink that writes text to a writer.
 */
final class StreamedOutput {
    private StreamedOutput() {
    }

    /** The provenance, pretty-printed and indented to sit as a field of the result object. */
    static String provenance(ObjectNode provenance) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(provenance).replace("\n", "\n  ");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON result: to standard output (flushed, not closed) or to a temporary file moved over {@code out}. */
    static void json(CommandLine command, Path out, AtomicFiles.TextContent content) {
        if (OutputPaths.isStandardOutput(out)) {
            try {
                Writer w = new BufferedWriter(command.getOut());
                content.writeTo(w);
                w.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            AtomicFiles.writeText(out, content);
        }
    }

    /** A failure of the output writer, as the one error the command line prints. */
    static ResourceException cannotWrite(Path out, UncheckedIOException e) {
        return new ResourceException((out == null ? "standard output" : out.toString()) + ": cannot write ("
                + e.getCause().getMessage() + ")", e);
    }

    /** A JSON string literal. */
    static String quoted(String s) {
        try {
            return Json.mapper().writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Text appended to a writer, its I/O failure unchecked (the command turns it into {@link #cannotWrite}). */
    abstract static class Writing {
        final Writer w;

        Writing(Writer w) {
            this.w = w;
        }

        void out(CharSequence s) {
            try {
                w.append(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
