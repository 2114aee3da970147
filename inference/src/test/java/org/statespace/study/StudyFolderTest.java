package org.statespace.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.ResourceException;
import org.statespace.spec.Json;

class StudyFolderTest {
    @TempDir
    Path tmp;

    private static List<String> files(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).forEach(p -> out.add(dir.relativize(p).toString()));
        }
        out.sort(null);
        return out;
    }

    @Test
    void aSecondRunIntoAFolderInUseIsRefused() {
        Path dir = tmp.resolve("out");
        try (StudyFolder first = StudyFolder.open(dir)) {
            assertThatThrownBy(() -> StudyFolder.open(dir)).isInstanceOf(ResourceException.class)
                    .hasMessageContaining("another study run is writing into this folder");
        }
        try (StudyFolder again = StudyFolder.open(dir)) { // released: the next run may go
            assertThat(again.dir()).isEqualTo(dir);
        }
    }

    @Test
    void aFinishedRunHasAManifestOfItsFilesAndNoMarker() throws Exception {
        Path dir = tmp.resolve("out");
        try (StudyFolder f = StudyFolder.open(dir)) {
            assertThat(dir.resolve(StudyFolder.INCOMPLETE)).exists();
            Files.writeString(dir.resolve("results.json"), "{}");
            Files.createDirectories(dir.resolve("fitted"));
            Files.writeString(dir.resolve("fitted/m__d__seed1.json"), "{\"type\": \"x\"}");
            f.commit();
        }
        assertThat(dir.resolve(StudyFolder.INCOMPLETE)).doesNotExist();
        JsonNode manifest = Json.read(dir.resolve(StudyFolder.MANIFEST));
        List<String> listed = new ArrayList<>();
        for (JsonNode e : manifest.get("files")) {
            Path p = dir.resolve(e.get("path").asText());
            listed.add(e.get("path").asText());
            byte[] bytes = Files.readAllBytes(p);
            assertThat(e.get("bytes").asLong()).isEqualTo(bytes.length);
            assertThat(e.get("sha256").asText()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        }
        assertThat(listed).containsExactly("fitted/m__d__seed1.json", "results.json");
    }

    @Test
    void anUnfinishedRunLeavesItsMarkerAndTheNextRunClearsIt() throws IOException {
        Path dir = tmp.resolve("out");
        try (StudyFolder f = StudyFolder.open(dir)) {
            Files.writeString(dir.resolve("results.csv"), "a,b\n");
            Files.createDirectories(dir.resolve("plots"));
            Files.writeString(dir.resolve("plots/x.png"), "png");
        } // no commit: stopped
        assertThat(dir.resolve(StudyFolder.INCOMPLETE)).exists();
        assertThat(dir.resolve(StudyFolder.MANIFEST)).doesNotExist();
        try (StudyFolder f = StudyFolder.open(dir)) {
            assertThat(files(dir)).containsExactly(".statespace.lock", StudyFolder.INCOMPLETE);
        }
    }

    @Test
    void anEarlierRunIsRemovedByItsManifestAndOtherFilesStay() throws IOException {
        Path dir = tmp.resolve("out");
        try (StudyFolder f = StudyFolder.open(dir)) {
            Files.writeString(dir.resolve("results.md"), "# old");
            Files.createDirectories(dir.resolve("curves"));
            Files.writeString(dir.resolve("curves/old.json"), "{}");
            f.commit();
        }
        Files.writeString(dir.resolve("notes.txt"), "mine");
        Files.writeString(dir.resolve("curves/mine.txt"), "mine too");
        try (StudyFolder f = StudyFolder.open(dir)) {
            assertThat(files(dir)).containsExactly(".statespace.lock", StudyFolder.INCOMPLETE, "curves/mine.txt", "notes.txt");
        }
    }

    @Test
    void aManifestCannotNameFilesOutsideTheRun() throws IOException {
        Path dir = tmp.resolve("out");
        Files.createDirectories(dir);
        Path outside = Files.writeString(tmp.resolve("precious.txt"), "keep");
        Files.writeString(dir.resolve("keep.txt"), "keep");
        Files.writeString(dir.resolve(StudyFolder.MANIFEST), "{\"files\": [{\"path\": \"../precious.txt\"}, {\"path\": \""
                + outside.toString().replace("\\", "\\\\") + "\"}, {\"path\": \"keep.txt\"}]}");
        try (StudyFolder f = StudyFolder.open(dir)) {
            assertThat(outside).hasContent("keep");
            assertThat(dir.resolve("keep.txt")).hasContent("keep");
        }
    }

    @Test
    void aFolderOfOtherFilesIsRefusedAndLeftAsItWas() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("thesis"));
        Files.writeString(dir.resolve("chapter1.tex"), "text");
        Files.writeString(dir.resolve("results.csv"), "mine");
        assertThatThrownBy(() -> StudyFolder.open(dir)).isInstanceOf(ResourceException.class)
                .hasMessageContaining("is not an earlier study's output (it holds chapter1.tex)");
        assertThat(files(dir)).containsExactly("chapter1.tex", "results.csv");
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertThatThrownBy(() -> StudyFolder.open(file)).hasMessageContaining("is not a folder");
    }

    @Test
    void anAbandonedRunLeavesNothingInAFolderItCreated() throws IOException {
        Path dir = tmp.resolve("new");
        try (StudyFolder f = StudyFolder.open(dir)) {
            Files.writeString(dir.resolve("results.json"), "{}");
            f.abandon();
        }
        assertThat(dir).doesNotExist();
    }
}
