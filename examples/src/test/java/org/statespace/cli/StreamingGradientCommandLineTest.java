package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.Sampling;
import org.statespace.data.Dataset;
import org.statespace.data.DatasetCsv;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;
import org.statespace.rnn.Cell;
import org.statespace.rnn.Head;
import org.statespace.rnn.Layer;
import org.statespace.rnn.RnnArchitecture;
import org.statespace.rnn.RnnModel;
import org.statespace.spec.Json;

/**
 * {@code fit --stream} of an RNN trains by gradient epochs over the file and writes the spec the in-memory
 * {@code fit} writes from the same data (the in-memory trainer is the reference; a Gaussian head makes the
 * arithmetic the same, so the specs are equal number for number), from CSV and from JSON Lines; a bad value is one
 * error naming its line, before any output; options that cannot stream are refused by name.
 */
class StreamingGradientCommandLineTest {
    @TempDir
    Path dir;

    private static RnnModel network(long seed) {
        return RnnModel.initialized(RnnArchitecture.stack(1, List.of(Layer.of(Cell.GRU, 3)),
                Head.of(Head.Type.GAUSSIAN, 1)), seed);
    }

    // rnn.json, d.csv and d.jsonl: 17 sequences of 3 to 24 steps from a GRU
    private void files() throws IOException {
        Files.writeString(dir.resolve("rnn.json"), Json.write(network(4).toSpec()));
        RnnModel truth = network(12);
        List<Sequence> sequences = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 17; i++) {
            Sequence s = Sampling.sample(truth, "s" + i, 3 + (i * 7) % 22, null, Randoms.stream(2, i));
            sequences.add(s);
            lines.append("{\"id\": \"s").append(i).append("\", \"observations\": [");
            for (int t = 0; t < s.length(); t++) {
                lines.append(t == 0 ? "" : ", ").append(Double.toString(s.scalar(t)));
            }
            lines.append("]}\n");
        }
        DatasetCsv.write(Dataset.of(sequences), dir.resolve("d.csv"));
        Files.writeString(dir.resolve("d.jsonl"), lines);
    }

    private CliRunner fit(String data, String out, String... more) {
        List<String> args = new ArrayList<>(List.of("fit", "--model", dir.resolve("rnn.json").toString(), "--data",
                dir.resolve(data).toString(), "--max-iterations", "3", "--batch-size", "4", "--seed", "5", "--threads",
                "2", "--quiet", "--out", dir.resolve(out).toString()));
        args.addAll(List.of(more));
        return CliRunner.run(args.toArray(new String[0]));
    }

    @Test
    void aStreamedGradientFitWritesTheInMemoryFitsSpec() throws IOException {
        files();
        CliRunner memory = fit("d.csv", "memory.json", "--method", "gradient");
        assertThat(memory.exitCode()).as(memory.err()).isZero();
        CliRunner csv = fit("d.csv", "csv.json", "--stream");
        assertThat(csv.exitCode()).as(csv.err()).isZero();
        CliRunner jsonl = fit("d.jsonl", "jsonl.json", "--method", "gradient", "--chunk", "1000");
        assertThat(jsonl.exitCode()).as(jsonl.err()).isZero();
        assertThat(Json.read(dir.resolve("csv.json"))).isEqualTo(Json.read(dir.resolve("memory.json")));
        assertThat(Json.read(dir.resolve("jsonl.json"))).isEqualTo(Json.read(dir.resolve("memory.json")));
        assertThat(Json.read(dir.resolve("memory.json"))).isNotEqualTo(Json.read(dir.resolve("rnn.json")));
        assertThat(csv.err()).contains("fit: stopped at the iteration limit after 3 iterations (gradient)")
                .contains("gradient epochs as passes over");
    }

    @Test
    void oneLongSeriesStreamedInPiecesWritesTheInMemoryChunkedFitsSpec() throws IOException {
        Files.writeString(dir.resolve("rnn.json"), Json.write(network(4).toSpec()));
        Sequence s = Sampling.sample(network(12), "long", 20_011, null, Randoms.stream(3, 0));
        double[] y = s.observations();
        for (int t = 4; t < y.length; t += 13) {
            y[t] = Double.NaN;
        }
        DatasetCsv.write(Dataset.of(List.of(Sequence.of("long", 1, y))), dir.resolve("long.csv"));
        CliRunner memory = fit("long.csv", "memory.json", "--method", "gradient", "--chunk", "97");
        assertThat(memory.exitCode()).as(memory.err()).isZero();
        CliRunner streamed = fit("long.csv", "streamed.json", "--stream", "--chunk", "97");
        assertThat(streamed.exitCode()).as(streamed.err()).isZero();
        assertThat(Json.read(dir.resolve("streamed.json"))).isEqualTo(Json.read(dir.resolve("memory.json")));
        assertThat(Json.read(dir.resolve("memory.json"))).isNotEqualTo(Json.read(dir.resolve("rnn.json")));
    }

    @Test
    void aBadValueIsReportedWithItsLineBeforeAnyOutput() throws IOException {
        files();
        List<String> rows = new ArrayList<>(Files.readAllLines(dir.resolve("d.csv")));
        String[] cells = rows.get(40).split(",", -1);
        cells[cells.length - 1] = "NaN";
        rows.set(40, String.join(",", cells));
        Files.write(dir.resolve("bad.csv"), rows);
        CliRunner r = fit("bad.csv", "fitted.json", "--stream", "--checkpoint", dir.resolve("ck.json").toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("bad.csv").contains("line 41").contains("NaN");
        assertThat(r.out()).isEmpty();
        assertThat(dir.resolve("fitted.json")).doesNotExist();
        assertThat(dir.resolve("ck.json")).doesNotExist();
    }

    @Test
    void optionsThatCannotStreamAreRefusedByName() throws IOException {
        files();
        CliRunner restarts = fit("d.jsonl", "a.json", "--restarts", "2");
        assertThat(restarts.exitCode()).isNotZero();
        assertThat(restarts.err()).contains("--restarts").contains("gradient");
        Files.writeString(dir.resolve("rnn.json"), "{\"type\": \"rnn\", \"cell\": \"gru\", \"hiddenSize\": 3}");
        CliRunner template = fit("d.jsonl", "b.json");
        assertThat(template.exitCode()).isNotZero();
        assertThat(template.err()).contains("template").contains("--max-iterations 1 --out START.json");
    }
}
