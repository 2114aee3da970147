package org.statespace.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.statespace.StatespaceException;

/**
 * What every fuzz target checks: an input either loads or fails with the toolkit's own documented
 * exception (a {@link StatespaceException}) whose message says something. Anything else that escapes
 * (a NullPointerException, an index or number-format error, an ArithmeticException, a
 * StackOverflowError, a Jackson exception, an OutOfMemoryError) reaches Jazzer as a finding.
 */
final class FuzzChecks {
    private FuzzChecks() {
    }

    /** Runs a reader; a {@link StatespaceException} is an accepted outcome if it has a message. */
    static void loadsOrFailsCleanly(Runnable reader) {
        try {
            reader.run();
        } catch (StatespaceException e) {
            String message = e.getMessage();
            if (message == null || message.isBlank()) {
                throw new AssertionError("a " + e.getClass().getSimpleName() + " without a message", e);
            }
        }
    }

    /** Seed files as JSON trees (for the tree-mutating targets). */
    static List<com.fasterxml.jackson.databind.JsonNode> parsed(List<String> texts) {
        List<com.fasterxml.jackson.databind.JsonNode> out = new ArrayList<>();
        for (String t : texts) {
            out.add(org.statespace.spec.Json.parse(t, "seed"));
        }
        return out;
    }

    /** The inputs of a fuzz test as text, for targets that build on them (one file per seed). */
    static List<String> seeds(Class<?> testClass, String method) {
        return seeds(testClass.getSimpleName() + "Inputs/" + method);
    }

    /** The files of a resource folder next to this class, as text, in name order. */
    static List<String> seeds(String folder) {
        Class<?> testClass = FuzzChecks.class;
        URL url = testClass.getResource(folder);
        if (url == null) {
            throw new IllegalStateException("no seed folder " + folder + " next to " + testClass.getName());
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            List<String> out = new ArrayList<>();
            for (Path f : files.sorted().toList()) {
                out.add(Files.readString(f, StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
