package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.spec.Json;
import org.statespace.study.StudyFolder;

/**
 * {@code compare --out DIR} never mixes two runs: a second run replaces the first one's files (and keeps
 * the user's), a folder of other files or one in use is refused, and the manifest lists exactly the
 * files of the run.
 */
class StudyOutputCommandLineTest {
    @TempDir
    Path dir;
    Path out;

    @BeforeEach
    void data() throws Exception {
        Path model = dir.resolve("weather.json");
        Files.writeString(model, MarkovCommandLineTest.WEATHER);
        // long enough that the training part sees every transition (an unseen one has probability zero in the
        // maximum-likelihood chain, and a held-out step of probability zero fails the row)
        CliRunner s = CliRunner.run("sample", "--model", model.toString(), "--length", "1000", "--seed", "3", "--out",
                dir.resolve("w.json").toString());
        assertThat(s.exitCode()).as(s.err()).isZero();
        out = dir.resolve("out");
    }

    private Path study(String name, String... models) throws IOException {
        StringBuilder m = new StringBuilder();
        for (String model : models) {
            m.append(m.length() == 0 ? "" : ", ").append("{\"name\": \"").append(model)
                    .append("\", \"template\": {\"type\": \"markov-chain\"}}");
        }
        Path study = dir.resolve(name);
        Files.writeString(study, "{\"name\": \"" + name + "\", \"datasets\": [{\"name\": \"w\", \"path\": \"w.json\"}],"
                + " \"seeds\": [1], \"models\": [" + m + "]}");
        return study;
    }

    private static List<String> files(Path dir) throws IOException {
        List<String> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).forEach(p -> all.add(dir.relativize(p).toString()));
        }
        all.sort(null);
        return all;
    }

    @Test
    void aSecondRunReplacesTheFirstRunsFilesAndKeepsTheUsers() throws IOException {
        CliRunner first = CliRunner.run("compare", study("first.json", "chain", "other").toString(), "--out", out.toString(), "--quiet");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(out.resolve("fitted/other__w__seed1.json")).exists();
        Files.writeString(out.resolve("my-notes.txt"), "mine");

        CliRunner second = CliRunner.run("compare", study("second.json", "chain").toString(), "--out", out.toString(), "--quiet");
        assertThat(second.exitCode()).as(second.err()).isZero();
        List<String> present = files(out);
        assertThat(present).as("files of the first run left beside the second's").noneMatch(f -> f.contains("other"));
        assertThat(present).contains("my-notes.txt", "results.json", "report.html", StudyFolder.MANIFEST)
                .doesNotContain(StudyFolder.INCOMPLETE);
        assertThat(Json.read(out.resolve("results.json")).get("study").asText()).isEqualTo("second.json");

        // the manifest lists every file of the run and nothing else
        List<String> listed = new ArrayList<>();
        for (JsonNode f : Json.read(out.resolve(StudyFolder.MANIFEST)).get("files")) {
            listed.add(f.get("path").asText());
        }
        List<String> expected = new ArrayList<>(present);
        expected.removeAll(List.of("my-notes.txt", StudyFolder.MANIFEST, ".statespace.lock"));
        assertThat(listed).containsExactlyElementsOf(expected);
    }

    @Test
    void aFolderOfOtherFilesIsRefusedAndLeftAsItWas() throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve("thesis.tex"), "three years of work");
        CliRunner r = CliRunner.run("compare", study("s.json", "chain").toString(), "--out", out.toString(), "--quiet");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errorLines()).containsExactly("error: " + out
                + ": the folder is not empty and is not an earlier study's output (it holds thesis.tex); choose an empty or new folder for --out");
        assertThat(files(out)).containsExactly("thesis.tex");
    }

    @Test
    void aFolderInUseIsRefused() throws IOException {
        try (StudyFolder running = StudyFolder.open(out)) {
            CliRunner r = CliRunner.run("compare", study("s.json", "chain").toString(), "--out", out.toString(), "--quiet");
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.errorLines()).hasSize(1);
            assertThat(r.err()).contains("another study run is writing into this folder");
            assertThat(out.resolve("results.json")).doesNotExist();
        }
    }

    @Test
    void aFolderFromBeforeManifestsIsAnEarlierRun() throws IOException {
        CliRunner first = CliRunner.run("compare", study("first.json", "chain", "other").toString(), "--out", out.toString(), "--quiet");
        assertThat(first.exitCode()).as(first.err()).isZero();
        Files.delete(out.resolve(StudyFolder.MANIFEST));
        Files.delete(out.resolve(".statespace.lock"));
        CliRunner second = CliRunner.run("compare", study("second.json", "chain").toString(), "--out", out.toString(), "--quiet");
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(files(out)).noneMatch(f -> f.contains("other"));
    }

    @Test
    void aKilledRunLeavesTheFolderMarkedIncompleteAndTheNextRunCleansIt() throws Exception {
        Path study = study("slow.json", "chain", "hmm2");
        // an HMM with many iterations keeps the run busy long enough to be killed while it writes
        Files.writeString(study, Files.readString(study).replace("{\"name\": \"hmm2\", \"template\": {\"type\": \"markov-chain\"}}",
                "{\"name\": \"hmm2\", \"template\": {\"type\": \"hmm\", \"states\": 2}, \"fit\": {\"maxIterations\": 100000, "
                        + "\"tolerance\": 0, \"restarts\": 50}}"));
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "compare", study.toString(), "--out",
                out.toString(), "--quiet", "--threads", "1"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(out.resolve(StudyFolder.INCOMPLETE)) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(p.isAlive()).as("the study ended before it could be killed: %s", Files.readString(dir.resolve("log.txt"))).isTrue();
        p.destroyForcibly();
        assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(out.resolve(StudyFolder.INCOMPLETE)).exists();
        assertThat(out.resolve(StudyFolder.MANIFEST)).doesNotExist();
        assertThat(out.resolve("results.json")).doesNotExist();

        CliRunner next = CliRunner.run("compare", study("quick.json", "chain").toString(), "--out", out.toString(), "--quiet");
        assertThat(next.exitCode()).as(next.err()).isZero();
        assertThat(files(out)).doesNotContain(StudyFolder.INCOMPLETE).contains(StudyFolder.MANIFEST, "results.json")
                .noneMatch(f -> f.contains("hmm2"));
    }
}
