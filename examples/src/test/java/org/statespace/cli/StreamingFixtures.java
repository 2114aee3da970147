package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * What the streaming command tests share: a command run that must succeed, and one data set written in the four
 * forms a streamed command reads (CSV with a sequence column, JSON Lines one step a line, JSON Lines one sequence a
 * line, dataset JSON), so that each form's result can be held against the in-memory command's.
 */
final class StreamingFixtures {
    private StreamingFixtures() {
    }

    /** A local linear trend (n = 2, m = 1) with a known prior: a model whose state is continuous. */
    static final String TREND = "{\"type\": \"lgssm\", \"transitionMatrix\": [[1, 1], [0, 1]], \"processNoise\": "
            + "[[0.3, 0.05], [0.05, 0.1]], \"observationMatrix\": [[1, 0]], \"observationNoise\": [[2]], "
            + "\"initialMean\": [0, 0.5], \"initialCovariance\": [[10, 0], [0, 4]]}";

    /** The command's run; fails the test with its standard error unless it exits 0. */
    static CliRunner ok(String... args) {
        CliRunner r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r;
    }

    /** {@code text} written to {@code dir/name}. */
    static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /**
     * Sequences "a", "b", ... of these lengths, one scalar a step (a drifting sine with noise, 5 decimals), steps
     * 9 and every 97th of the first sequence missing, written as d.csv, steps.jsonl, seqs.jsonl and d.json in
     * {@code dir}, in that order.
     */
    static Path[] scalarFiles(Path dir, long seed, int... lengths) throws IOException {
        Random r = new Random(seed);
        StringBuilder csv = new StringBuilder("sequence,t,y\n");
        StringBuilder steps = new StringBuilder();
        StringBuilder lines = new StringBuilder();
        StringBuilder doc = new StringBuilder("{\"sequences\": [");
        for (int i = 0; i < lengths.length; i++) {
            String id = Character.toString('a' + i);
            StringBuilder obs = new StringBuilder();
            for (int t = 0; t < lengths[i]; t++) {
                boolean missing = i == 0 && (t == 9 || t % 97 == 50);
                String y = missing ? null : String.format(Locale.ROOT, "%.5f", 0.02 * t + 3 * Math.sin(t / 40.0)
                        + r.nextGaussian());
                csv.append(id).append(',').append(t).append(',').append(y == null ? "" : y).append('\n');
                steps.append("{\"sequence\": \"").append(id).append("\", \"t\": ").append(t).append(", \"observation\": ")
                        .append(y).append("}\n");
                obs.append(t == 0 ? "" : ", ").append(y);
            }
            String seq = "{\"id\": \"" + id + "\", \"observations\": [" + obs + "]}";
            lines.append(seq).append('\n');
            doc.append(i == 0 ? "" : ", ").append(seq);
        }
        doc.append("]}");
        return new Path[] {write(dir, "d.csv", csv.toString()), write(dir, "steps.jsonl", steps.toString()),
            write(dir, "seqs.jsonl", lines.toString()), write(dir, "d.json", doc.toString())};
    }
}
