package org.statespace.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
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
}
