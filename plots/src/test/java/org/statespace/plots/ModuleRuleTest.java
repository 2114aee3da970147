package org.statespace.plots;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The module rule: plots depends on inference and core, never on a model family (its tests may). */
class ModuleRuleTest {
    private static final Pattern FAMILY = Pattern.compile("org\\.statespace\\.(markov|hmm|kalman|rnn)\\b");

    @Test
    void noMainSourceNamesAModelFamily() throws Exception {
        Path main = Path.of("src/main/java");
        assertThat(main).isDirectory();
        List<Path> offenders;
        try (Stream<Path> files = Files.walk(main)) {
            offenders = files.filter(f -> f.toString().endsWith(".java")).filter(f -> {
                try {
                    return FAMILY.matcher(Files.readString(f)).find();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void noMainSourceSmoothsOrDecodes() throws Exception {
        // charts draw the smoothed and decoded results they are given (a study keeps its own), never run them
        Pattern run = Pattern.compile("\\.smoothStates\\(|\\.decode\\(|StateSmoothing|PathDecoding\\s+\\w+\\)");
        List<Path> offenders;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            offenders = files.filter(f -> f.toString().endsWith(".java")).filter(f -> {
                try {
                    return run.matcher(Files.readString(f)).find();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void thePomHasTheModelsOnlyForTests() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        assertThat(pom).contains("<artifactId>statespace-inference</artifactId>");
        assertThat(pom).containsPattern("<artifactId>statespace-models</artifactId>\\s*<scope>test</scope>");
    }
}
