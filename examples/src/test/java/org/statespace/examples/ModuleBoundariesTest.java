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
 * library it brings), picocli, an SLF4J binding and any printing (System.out, System.err, printStackTrace, even in
 * a Javadoc example) belong to the examples module; the library logs through slf4j-api.
 */
class ModuleBoundariesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @ParameterizedTest
    @ValueSource(strings = {"core", "models", "inference", "plots"})
    void aLibraryModuleHasNoTerminalDependencyAndPrintsNothing(String module) throws IOException {
        String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
        assertThat(pom).doesNotContain("<artifactId>progressbar</artifactId>").doesNotContain("<artifactId>picocli</artifactId>");
        // logging through the SLF4J API; a binding (slf4j-simple, slf4j-nop) at most for the module's own tests
        assertThat(pom).contains("<artifactId>slf4j-api</artifactId>");
        assertThat(pom.lines().filter(l -> l.contains("<artifactId>slf4j-simple</artifactId>")
                || l.contains("<artifactId>slf4j-nop</artifactId>"))).allSatisfy(l -> assertThat(l).contains("<scope>test</scope>"));
        try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                try {
                    String source = Files.readString(f);
                    assertThat(source).as(f.toString())
                            .doesNotContain("System.out").doesNotContain("System.err").doesNotContain("printStackTrace")
                            .doesNotContain("me.tongfei.progressbar");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }
}
