package org.statespace.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.statespace.study.StudyResult;

/**
 * The README's cross-family comparison is the example's code (the lines between the example's markers, the
 * README's only Java block that builds a study), it stays under 20 lines, and running it scores every model.
 */
class CrossFamilyComparisonTest {
    private static final String START = "// README:comparison:start";
    private static final String END = "// README:comparison:end";

    @Test
    void readmeShowsTheExampleCode() throws IOException {
        List<String> source = Files.readAllLines(Path.of(
                "src/main/java/org/statespace/examples/CrossFamilyComparison.java"));
        int from = indexOfTrimmed(source, START);
        int to = indexOfTrimmed(source, END);
        assertThat(from).isNotNegative();
        assertThat(to).isGreaterThan(from);
        String indent = source.get(from).substring(0, source.get(from).indexOf("//"));
        List<String> snippet = source.subList(from + 1, to).stream()
                .map(l -> l.startsWith(indent) ? l.substring(indent.length()) : l).collect(Collectors.toList());
        assertThat(snippet.size()).isLessThan(20);

        String readme = Files.readString(Path.of("../README.md"));
        List<String> blocks = javaBlocks(readme).stream().filter(b -> b.contains("Study.builder()")).toList();
        assertThat(blocks).hasSize(1);
        assertThat(blocks.get(0)).isEqualTo(String.join("\n", snippet));
    }

    @Test
    void scoresEveryModelOnTheSameMetric() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        StudyResult result = CrossFamilyComparison.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        List<StudyResult.Summary> summary = result.summary();
        assertThat(summary).extracting(StudyResult.Summary::model).containsExactly("hmm", "local-level", "gru");
        assertThat(summary).extracting(StudyResult.Summary::type).containsExactly("hmm", "local-level", "rnn");
        for (StudyResult.Summary s : summary) {
            assertThat(s.ok()).as(s.model() + ": " + s.reason()).isTrue();
            // Nile flows are in the hundreds to a thousand; any sensible predictive density of them has a log
            // score between log(1e-6) and log(1): a NaN or a missing score fails here
            assertThat(s.mean("meanLogScore")).as(s.model()).isBetween(-14.0, 0.0);
        }
        String printed = buffer.toString(StandardCharsets.UTF_8);
        assertThat(printed.lines()).hasSize(3);
        assertThat(printed).contains("hmm").contains("local-level").contains("gru").contains("mean log score");
    }

    private static int indexOfTrimmed(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().equals(marker)) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> javaBlocks(String markdown) {
        List<String> out = new java.util.ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        StringBuilder b = null;
        for (String line : lines) {
            if (b == null && line.equals("```java")) {
                b = new StringBuilder();
            } else if (b != null && line.equals("```")) {
                out.add(b.toString().stripTrailing());
                b = null;
            } else if (b != null) {
                b.append(line).append('\n');
            }
        }
        return out;
    }
}
