package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.spec.Json;

/**
 * Outputs never destroy anything: an output that is an input (by any spelling: a link, {@code ./x}, a
 * hard link) or another output is refused before the command runs; a FIFO stays a FIFO; {@code -} is
 * standard output; a failed write to standard output fails the command; a replaced file keeps its mode.
 */
class OutputSafetyCommandLineTest {
    static final String LEVEL = "{\"type\": \"local-level\", \"observationVariance\": 2, \"levelVariance\": 0.5}";
    static final String DATA = "{\"sequences\": [{\"id\": \"r\", \"observations\": [1.5, 2, null, 0.5, 3]}]}";

    @TempDir
    Path dir;
    Path model;
    Path data;

    @BeforeEach
    void files() throws IOException {
        model = dir.resolve("level.json");
        data = dir.resolve("data.json");
        Files.writeString(model, LEVEL);
        Files.writeString(data, DATA);
    }

    private void assertRefused(CliRunner r, String... expected) throws IOException {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.errorLines()[0]).startsWith("error: ").contains(expected);
        assertThat(r.err()).doesNotContain("Exception");
        assertThat(Files.readString(model)).isEqualTo(LEVEL);
        assertThat(Files.readString(data)).isEqualTo(DATA);
    }

    @Test
    void anOutputOnAnInputIsAUsageErrorAndTheInputSurvives() throws IOException {
        assertRefused(CliRunner.run("filter", "--model", model.toString(), "--data", data.toString(), "--out", data.toString()),
                "--out " + data, "is the input --data " + data);
        assertRefused(CliRunner.run("sample", "--model", model.toString(), "--length", "3", "--seed", "1",
                "--out", model.toString()), "is the input --model");
        assertRefused(CliRunner.run("fit", "--model", model.toString(), "--data", data.toString(), "--out",
                dir.resolve("f.json").toString(), "--checkpoint", data.toString()), "--checkpoint", "is the input --data");
        assertRefused(CliRunner.run("fit", "--model", model.toString(), "--data", data.toString(), "--out",
                model.toString()), "is the input --model");
        assertThat(dir.resolve("f.json")).doesNotExist();
    }

    @Test
    void pathsAreComparedAsFilesNotAsText() throws IOException {
        // ./x and x, a/../x
        Path dotted = dir.resolve(".").resolve("sub").resolve("..").resolve("data.json");
        assertRefused(CliRunner.run("filter", "--model", model.toString(), "--data", data.toString(), "--out", dotted.toString()),
                "is the input --data");
        // a symbolic link to the input
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), data);
        assertRefused(CliRunner.run("filter", "--model", model.toString(), "--data", data.toString(), "--out", link.toString()),
                "is the input --data");
        // a hard link of the input
        Path hard = Files.createLink(dir.resolve("hard.json"), data);
        assertRefused(CliRunner.run("smooth", "--model", model.toString(), "--data", hard.toString(), "--out", data.toString()),
                "is the input --data");
        // a link to a folder on the way
        Path alias = Files.createSymbolicLink(dir.resolve("alias"), dir);
        assertRefused(CliRunner.run("forecast", "--model", model.toString(), "--data", data.toString(), "--steps", "2",
                "--out", alias.resolve("level.json").toString()), "is the input --model");
    }

    @Test
    void twoOutputsOnOneFileAreAUsageError() throws IOException {
        Path r = dir.resolve("r.json");
        assertRefused(CliRunner.run("fit", "--model", model.toString(), "--data", data.toString(), "--out", r.toString(),
                "--report", r.toString()), "--out " + r + " and --report " + r + " are the same file");
        assertRefused(CliRunner.run("fit", "--model", model.toString(), "--data", data.toString(), "--out", r.toString(),
                "--checkpoint", dir.resolve("x/../r.json").toString()), "are the same file");
        assertRefused(CliRunner.run("fit", "--model", model.toString(), "--data", data.toString(), "--out", "-",
                "--report", "/dev/stdout"), "are the same output");
        assertThat(r).doesNotExist();
    }

    @Test
    void resumeMayGoOnCheckpointingToItsOwnFile() throws IOException {
        Path ck = dir.resolve("ck.json");
        Path out = dir.resolve("fitted.json");
        CliRunner first = CliRunner.run("fit", "--model", model.toString(), "--data", data.toString(), "--out", out.toString(),
                "--checkpoint", ck.toString(), "--max-iterations", "3", "--quiet");
        assertThat(first.exitCode()).as(first.err()).isZero();
        CliRunner again = CliRunner.run("fit", "--model", model.toString(), "--data", data.toString(), "--out", out.toString(),
                "--resume", ck.toString(), "--checkpoint", ck.toString(), "--max-iterations", "3", "--quiet");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertRefused(CliRunner.run("fit", "--model", model.toString(), "--data", data.toString(), "--out", ck.toString(),
                "--resume", ck.toString(), "--quiet"), "is the input --resume");
    }

    @Test
    void aDashIsStandardOutput() throws IOException {
        CliRunner r = CliRunner.run("filter", "--model", model.toString(), "--data", data.toString(), "--out", "-");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Json.read(new java.io.ByteArrayInputStream(r.out().getBytes(StandardCharsets.UTF_8)), "stdout")
                .has("logLikelihood")).isTrue();
        CliRunner fit = CliRunner.run("fit", "--model", model.toString(), "--data", data.toString(), "--out", "/dev/stdout",
                "--quiet");
        assertThat(fit.exitCode()).as(fit.err()).isZero();
        assertThat(fit.out()).contains("\"local-level\"");
        assertThat(dir.resolve("-")).doesNotExist();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aFifoOutputIsWrittenIntoAndStaysAFifo() throws Exception {
        Path fifo = dir.resolve("pipe");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        FileChannel pipe = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
            StringBuilder b = new StringBuilder();
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            try {
                while (!b.toString().contains("\"provenance\"") || !b.toString().trim().endsWith("}")) {
                    buf.clear();
                    if (pipe.read(buf) < 0) {
                        break;
                    }
                    b.append(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                b.append("read failed: ").append(e);
            }
            return b.toString();
        });
        try {
            CliRunner r = CliRunner.run("filter", "--model", model.toString(), "--data", data.toString(), "--out", fifo.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(Files.isRegularFile(fifo)).as("the FIFO was replaced by a regular file").isFalse();
            assertThat(reader.get(30, TimeUnit.SECONDS)).contains("\"logLikelihood\"");
        } finally {
            pipe.close();
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aCheckpointMustBeAFile() throws Exception {
        Path fifo = dir.resolve("pipe");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Path out = dir.resolve("f.json");
        CliRunner r = CliRunner.run("fit", "--model", model.toString(), "--data", data.toString(), "--out", out.toString(),
                "--checkpoint", fifo.toString(), "--quiet");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errorLines()).containsExactly("error: " + fifo + ": is not a regular file, a checkpoint must be one (--checkpoint)");
        assertThat(Files.isRegularFile(fifo)).isFalse();
        assertThat(out).doesNotExist();
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aReplacedOutputKeepsItsPermissions() throws IOException {
        Path out = dir.resolve("r.json");
        Files.writeString(out, "{}");
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-------"));
        CliRunner r = CliRunner.run("filter", "--model", model.toString(), "--data", data.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readString(out)).contains("logLikelihood");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
    }

    @Test
    void aFailedWriteToStandardOutputFailsTheCommand() {
        OutputStream full = new OutputStream() {
            int written;

            @Override
            public void write(int b) throws IOException {
                if (++written > 40) {
                    throw new IOException("No space left on device");
                }
            }
        };
        PrintWriter out = new PrintWriter(new OutputStreamWriter(full, StandardCharsets.UTF_8), true);
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[] {"filter", "--model", model.toString(), "--data", data.toString()}, out,
                new PrintWriter(err, true));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("error: cannot write to standard output");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void standardOutputOnAFullDiskExitsNonZero() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of("filter", "--model", model.toString(), "--data", data.toString()));
        Path log = dir.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(new File("/dev/full")).redirectError(log.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(log)).isEqualTo(1);
        assertThat(Files.readString(log)).startsWith("error: cannot write to standard output");
    }
}
