package org.statespace.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The library modules carry no command-line machinery: the terminal progress bar (and the native terminal
 * library it brings), picocli and standard-output printing belong to the examples module.
 */
class ModuleBoundariesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @ParameterizedTest
    @ValueSource(strings = {"core", "models", "inference", "plots"})
    void aLibraryModuleHasNoTerminalDependencyAndPrintsNothing(String module) throws IOException {
        String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
        assertThat(pom).doesNotContain("<artifactId>progressbar</artifactId>").doesNotContain("<artifactId>picocli</artifactId>");
        try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                try {
                    String source = Files.readString(f);
                    assertThat(source).as(f.toString())
                            .doesNotContain("System.out.print").doesNotContain("System.err.print")
                            .doesNotContain("me.tongfei.progressbar");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }
}
