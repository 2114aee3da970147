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

    /** A call of a smoother or decoder. */
    private static final Pattern SMOOTH_OR_DECODE =
            Pattern.compile("\\.smoothStates\\(|\\.decode\\(|StateSmoothing|PathDecoding\\s+\\w+\\)");
    /** A run of the filter engine, of a model's filter or recurrence, or the engine's raw run of a sequence. */
    private static final Pattern RUN_FILTER = Pattern.compile("FilterEngine|FileFilter|SequenceTrace|FilterResult\\b"
            + "|StateFiltering|\\.filterStates\\(|StateRecording|StateTransition|Recurrence\\b|Forecasting");

    @Test
    void noMainSourceSmoothsOrDecodes() throws Exception {
        // charts draw the smoothed and decoded results they are given (a study keeps its own), never run them
        assertThat(mainSourcesMatching(SMOOTH_OR_DECODE)).isEmpty();
    }

    @Test
    void noMainSourceRunsTheFilter() throws Exception {
        // charts draw the filter results they are given (a study keeps its own one-step predictions, a file holds a
        // filter result), never run the engine, a model's filter or its recurrence, nor read the engine's raw traces
        assertThat(mainSourcesMatching(RUN_FILTER)).isEmpty();
    }

    @Test
    void theRulesCatchTheCallsTheyForbid() {
        // the lines plots had before the study kept its results: a rule that matched nothing could not fail
        assertThat(RUN_FILTER.matcher("SequenceTrace trace = fitted.shown().orElseGet(() -> "
                + "FilterEngine.singleThreaded().run(model, sequence));").find()).isTrue();
        assertThat(RUN_FILTER.matcher("var estimates = ((StateFiltering) model).filterStates(sequence);").find())
                .isTrue();
        assertThat(SMOOTH_OR_DECODE.matcher("var estimates = ((StateSmoothing) model).smoothStates(sequence);").find())
                .isTrue();
        assertThat(RUN_FILTER.matcher("FilterReport.Run run = kept.run();").find()).isFalse();
    }

    private static List<Path> mainSourcesMatching(Pattern run) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            return files.filter(f -> f.toString().endsWith(".java")).filter(f -> {
                try {
                    return run.matcher(Files.readString(f)).find();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void thePomHasTheModelsOnlyForTests() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        assertThat(pom).contains("<artifactId>statespace-inference</artifactId>");
        assertThat(pom).containsPattern("<artifactId>statespace-models</artifactId>\\s*<scope>test</scope>");
    }
}
