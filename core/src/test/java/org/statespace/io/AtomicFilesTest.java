package org.statespace.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out.json");
        AtomicFiles.writeString(file, "first");
        assertThatThrownBy(() -> AtomicFiles.write(file, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        })).hasMessageContaining("out.json: cannot write").hasMessageContaining("disk full");
        assertThat(Files.readString(file)).isEqualTo("first");
        try (var listing = Files.list(dir)) {
            assertThat(listing.toList()).containsExactly(file);
        }
    }

    @Test
    void createsParentFolders(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("a/b/c.txt");
        AtomicFiles.writeString(file, "x");
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aReplacedFileKeepsItsPermissions(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("private.json");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        AtomicFiles.writeString(file, "new");
        assertThat(Files.readString(file)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        AtomicFiles.writeString(file, "newer");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-rw-r--");
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aNewFileHonoursTheUmask(@TempDir Path dir) throws Exception {
        // a child JVM started under umask 077 writes a new file: the umask allows rw------- and nothing more
        Path file = dir.resolve("new.json");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", "umask 077 && exec \"$0\" -cp \"$1\" \"$2\" \"$3\"", java,
                System.getProperty("java.class.path"), WriteOne.class.getName(), file.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(Files.readString(file)).isEqualTo("written");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    /** The child of {@link #aNewFileHonoursTheUmask}: writes "written" to the file named. */
    static final class WriteOne {
        public static void main(String[] args) {
            AtomicFiles.writeString(Path.of(args[0]), "written");
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aFifoIsWrittenIntoNotReplaced(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mk.waitFor()).isZero();
        String text = "through the pipe";
        // opened read-write, a FIFO does not wait for a writer (Linux), so the reader is ready before the write
        FileChannel pipe = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
            ByteBuffer b = ByteBuffer.allocate(text.length());
            try {
                while (b.hasRemaining() && pipe.read(b) >= 0) {
                    // until the whole text has come through
                }
            } catch (IOException e) {
                return "read failed: " + e;
            }
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        });
        try {
            AtomicFiles.writeString(fifo, text);
            assertThat(Files.isRegularFile(fifo)).as("the FIFO was replaced by a regular file").isFalse();
            assertThat(reader.get(30, TimeUnit.SECONDS)).isEqualTo(text);
        } finally {
            pipe.close(); // unblocks the reader when nothing came
        }
        try (var listing = Files.list(dir)) {
            assertThat(listing.toList()).containsExactly(fifo);
        }
    }

    @Test
    void aFolderIsRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> AtomicFiles.writeString(dir, "x")).hasMessageContaining("is a folder");
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aLinkedFileIsReplacedAndTheLinkStays(@TempDir Path dir) throws IOException {
        Path real = dir.resolve("real.json");
        Files.writeString(real, "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), real);
        AtomicFiles.writeString(link, "new");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(real)).isEqualTo("new");
    }
}
