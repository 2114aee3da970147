package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.spec.Json;

/**
 * Kill and resume, as a user would meet it: {@code statespace fit} with checkpoints runs in a separate
 * JVM, is killed with SIGKILL in the middle, and is resumed from its checkpoint; the fitted parameters
 * equal those of an uninterrupted run, and the killed run left no output file at all.
 */
class KillAndResumeTest {
    @TempDir
    Path dir;

    static final String START = """
            {"type": "hmm", "initial": [0.6, 0.4], "transition": [[0.7, 0.3], [0.4, 0.6]],
             "emission": {"type": "categorical", "probabilities": [[0.2, 0.2, 0.2, 0.2, 0.1, 0.1], [0.1, 0.1, 0.2, 0.2, 0.2, 0.2]]}}
            """;
    static final String CASINO = """
            {"type": "hmm", "initial": [0.5, 0.5], "transition": [[0.95, 0.05], [0.1, 0.9]],
             "emission": {"type": "categorical", "probabilities": [[0.16666666666666666, 0.16666666666666666,
               0.16666666666666666, 0.16666666666666666, 0.16666666666666666, 0.16666666666666669],
               [0.1, 0.1, 0.1, 0.1, 0.1, 0.5]]}}
            """;

    @Test
    void aKilledFitResumesToTheParametersOfAnUninterruptedOne() throws Exception {
        Path truth = dir.resolve("casino.json");
        Files.writeString(truth, CASINO);
        Path start = dir.resolve("start.json");
        Files.writeString(start, START);
        Path data = dir.resolve("rolls.json");
        assertThat(CliRunner.run("sample", "--model", truth.toString(), "--length", "4000", "--sequences", "3",
                "--seed", "11", "--out", data.toString()).exitCode()).isZero();
        String[] fit = {"fit", "--model", start.toString(), "--data", data.toString(), "--max-iterations", "3000",
            "--tolerance", "0", "--threads", "1", "--quiet"};

        Path whole = dir.resolve("whole.json");
        CliRunner uninterrupted = CliRunner.run(concat(fit, "--out", whole.toString()));
        assertThat(uninterrupted.exitCode()).as(uninterrupted.err()).isZero();

        Path out = dir.resolve("fitted.json");
        Path checkpoint = dir.resolve("checkpoint.json");
        killWhen(concat(fit, "--out", out.toString(), "--checkpoint", checkpoint.toString(), "--checkpoint-every", "1"),
                out, checkpoint, c -> c.get("iteration").asInt() >= 20);
        JsonNode saved = Json.read(checkpoint);
        assertThat(saved.get("iteration").asInt()).isBetween(20, 2999);

        CliRunner resumed = CliRunner.run(concat(fit, "--out", out.toString(), "--resume", checkpoint.toString()));
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(Json.read(out)).isEqualTo(Json.read(whole));
    }

    /**
     * Online EM on one long series, killed part way through its first pass (its checkpoints count updates), resumes
     * to the parameters of an uninterrupted run.
     */
    @Test
    void aKilledOnlineEmFitResumesPartWayThroughAPass() throws Exception {
        Path truth = dir.resolve("casino.json");
        Files.writeString(truth, CASINO);
        Path start = dir.resolve("start.json");
        Files.writeString(start, START);
        Path data = dir.resolve("rolls.json");
        assertThat(CliRunner.run("sample", "--model", truth.toString(), "--length", "20000", "--seed", "12", "--out",
                data.toString()).exitCode()).isZero();
        String[] fit = {"fit", "--model", start.toString(), "--data", data.toString(), "--method", "online-em",
            "--chunk", "20", "--max-iterations", "2", "--tolerance", "0", "--threads", "1", "--quiet"};

        Path whole = dir.resolve("whole.json");
        CliRunner uninterrupted = CliRunner.run(concat(fit, "--out", whole.toString()));
        assertThat(uninterrupted.exitCode()).as(uninterrupted.err()).isZero();

        Path out = dir.resolve("fitted.json");
        Path checkpoint = dir.resolve("checkpoint.json");
        killWhen(concat(fit, "--out", out.toString(), "--checkpoint", checkpoint.toString(), "--checkpoint-every", "50"),
                out, checkpoint, c -> c.path("online").path("updates").asLong() >= 50);
        JsonNode saved = Json.read(checkpoint);
        // killed inside a pass of 1000 updates: the checkpoint is part way through one
        assertThat(saved.path("online").path("position").asInt()).isBetween(50, 999);

        CliRunner resumed = CliRunner.run(concat(fit, "--out", out.toString(), "--resume", checkpoint.toString()));
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(Json.read(out)).isEqualTo(Json.read(whole));
    }

    /**
     * Runs {@code args} in a fresh JVM and kills it with SIGKILL once its checkpoint satisfies {@code reached};
     * checks it was still running then, and that it left no output.
     */
    private void killWhen(String[] args, Path out, Path checkpoint, java.util.function.Predicate<JsonNode> reached)
            throws Exception {
        Process p = new ProcessBuilder(command(args)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log.txt").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && p.isAlive()
                && !(Files.exists(checkpoint) && reached.test(Json.read(checkpoint)))) {
            Thread.sleep(5);
        }
        assertThat(p.isAlive()).as("the fit was still running when killed; log: %s",
                Files.exists(dir.resolve("log.txt")) ? Files.readString(dir.resolve("log.txt")) : "").isTrue();
        p.destroyForcibly(); // SIGKILL on Linux
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(137);
        assertThat(out).as("a killed fit writes no output").doesNotExist();
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(new String[0]);
    }

    /** The same command line in a fresh JVM on this test's class path. */
    private static List<String> command(String[] args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }
}
