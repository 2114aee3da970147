package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.statespace.cli.StreamingFixtures.ok;
import static org.statespace.cli.StreamingFixtures.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statespace.data.SequenceReader;

/**
 * {@code filter --stream} of a network on standardised data (a {@code "standardized"} spec, observations and
 * inputs) over a CSV longer than a chunk ({@link SequenceReader#DEFAULT_CHUNK_STEPS} steps) writes the
 * file the in-memory {@code filter} writes, line for line, and so does {@code filter --stream --states} (the
 * network's hidden units and LSTM cells).
 */
class StreamingStandardizedCommandLineTest {
    @TempDir
    Path dir;

    private static final String MODEL = "{\"type\": \"standardized\", \"observationMean\": [52.5], "
            + "\"observationScale\": [6.5], \"inputMean\": [3], \"inputScale\": [0.6], \"model\": "
            + "{\"type\": \"rnn\", \"inputSize\": 2, \"layers\": [{\"cell\": \"lstm\", \"hiddenSize\": 2}], "
            + "\"head\": {\"type\": \"gaussian\", \"outputSize\": 1}, \"seed\": 5}}";

    @Test
    void aStandardizedNetworkStreamsPastTwoChunksAsInMemory() throws IOException {
        int length = SequenceReader.DEFAULT_CHUNK_STEPS + 1500; // the second chunk no longer holds step 0
        Random r = new Random(17);
        StringBuilder csv = new StringBuilder("t,y,input\n");
        double level = 0;
        for (int t = 0; t < length; t++) {
            double u = 3 + 0.6 * r.nextGaussian();
            level = 0.9 * level + r.nextGaussian();
            String y = t % 997 == 500 ? "" : String.format(Locale.ROOT, "%.4f", 50 + 5 * level + 2 * u);
            csv.append(t).append(',').append(y).append(',').append(String.format(Locale.ROOT, "%.4f", u)).append('\n');
        }
        Path data = write(dir, "d.csv", csv.toString());
        Path model = write(dir, "m.json", MODEL);
        for (String[] more : new String[][] {{}, {"--states"}}) {
            Path memory = dir.resolve("memory.csv");
            Path streamed = dir.resolve("streamed.csv");
            ok(StreamingFixtures.args(new String[] {"filter", "--model", model.toString(), "--data", data.toString(),
                "--out", memory.toString()}, more));
            ok(StreamingFixtures.args(new String[] {"filter", "--model", model.toString(), "--data", data.toString(),
                "--stream", "--out", streamed.toString()}, more));
            List<String> expected = Files.readAllLines(memory);
            assertThat(expected).hasSize(length + 1);
            if (more.length > 0) {
                assertThat(expected.get(0)).contains("hidden_l0", "cell_l0");
            }
            assertThat(Files.readAllLines(streamed)).as("%s", List.of(more)).containsExactlyElementsOf(expected);
        }
    }
}
