package org.statespace.study;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.ResourceException;
import org.statespace.StatespaceException;
import org.statespace.Version;
import org.statespace.io.AtomicFiles;
import org.statespace.spec.Json;

/**
 * The output folder of one study run, held for the length of the run, so that the files in it always
 * belong together:
 * <ul>
 * <li>one run at a time: {@link #open} takes an exclusive lock on {@code .statespace.lock} in the folder
 *     ({@link FileChannel#tryLock}); a second run into the same folder is refused while the first holds it;
 * <li>no mixing with an earlier run: a folder that holds an earlier study's output (its {@code manifest.json},
 *     or only the names a study writes) has those files removed first; a folder that holds anything else is
 *     refused, so a run never writes into (or clears) a folder of other files;
 * <li>complete or marked: while the run writes, the folder holds an {@code INCOMPLETE} file; {@link #commit}
 *     writes {@code manifest.json} last (every file of the run with its size and SHA-256) and only then
 *     removes the marker. A killed run leaves the marker beside whatever it wrote.
 * </ul>
 */
public final class StudyFolder implements AutoCloseable {
    /** Written last: the run's files with their sizes and SHA-256 digests. */
    public static final String MANIFEST = "manifest.json";
    /** Present while a run writes, and after a run that did not finish. */
    public static final String INCOMPLETE = "INCOMPLETE";
    static final String LOCK = ".statespace.lock";
    /** The top-level names a study run writes. */
    static final Set<String> OWN = Set.of("results.json", "results.csv", "results.md", "report.html", "curves",
            "fitted", "plots", MANIFEST, INCOMPLETE);
    private static final Set<String> OWN_FOLDERS = Set.of("curves", "fitted", "plots");

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;
    private final boolean createdFolder;
    private final boolean createdLock;

    private StudyFolder(Path dir, FileChannel channel, FileLock lock, boolean createdFolder, boolean createdLock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
        this.createdFolder = createdFolder;
        this.createdLock = createdLock;
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /**
     * Creates the folder if needed, locks it, clears an earlier study's files and marks the folder
     * incomplete. Throws a {@link ResourceException} naming the folder when it is locked by another run,
     * is not a folder, or holds files that are not an earlier study's output.
     */
    public static StudyFolder open(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ResourceException(dir + ": is not a folder, cannot write a study there");
        }
        FileChannel channel = null;
        try {
            boolean createdFolder = !Files.exists(dir);
            Files.createDirectories(dir);
            boolean createdLock = !Files.exists(dir.resolve(LOCK));
            channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this JVM
            }
            if (lock == null) {
                throw new ResourceException(dir + ": another study run is writing into this folder; wait for it to "
                        + "finish or choose another --out");
            }
            StudyFolder folder = new StudyFolder(dir, channel, lock, createdFolder, createdLock);
            channel = null;
            try {
                folder.clearEarlierRun();
            } catch (RuntimeException | IOException e) {
                folder.close();
                if (createdLock) { // a folder that is not ours keeps no trace of the attempt
                    Files.deleteIfExists(dir.resolve(LOCK));
                }
                throw e;
            }
            AtomicFiles.writeString(dir.resolve(INCOMPLETE), "A study run is writing into this folder, or was stopped "
                    + "before it finished: its files are not a complete study.\n");
            return folder;
        } catch (IOException e) {
            throw new ResourceException(dir + ": cannot use as the study's output folder (" + e.getMessage() + ")", e);
        } finally {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing was locked
                }
            }
        }
    }

    private void clearEarlierRun() throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(dir)) {
            for (Path p : list) {
                if (!p.getFileName().toString().equals(LOCK)) {
                    entries.add(p);
                }
            }
        }
        if (entries.isEmpty()) {
            return;
        }
        Path manifest = dir.resolve(MANIFEST);
        if (Files.isRegularFile(manifest) && !Files.exists(dir.resolve(INCOMPLETE))) {
            // an earlier complete run: remove exactly its files, leave anything else the user put there
            JsonNode json;
            try {
                json = Json.read(manifest);
            } catch (StatespaceException e) {
                throw new ResourceException(dir + ": its " + MANIFEST + " cannot be read, so the earlier run's files are "
                        + "unknown; remove the folder or choose another --out (" + e.getMessage() + ")", e);
            }
            for (JsonNode f : json.path("files")) {
                Path p = own(f.path("path").asText(""));
                if (p != null) {
                    Files.deleteIfExists(p);
                }
            }
            Files.delete(manifest);
            for (String folder : OWN_FOLDERS) {
                deleteIfEmpty(dir.resolve(folder));
            }
            return;
        }
        // no manifest (a run that was stopped, or one from before manifests): a folder that holds only what a
        // study writes is an earlier study's output; anything else there means the folder is not ours to clear
        List<Path> stray = new ArrayList<>();
        for (Path p : entries) {
            String name = p.getFileName().toString();
            if (!OWN.contains(name) || (OWN_FOLDERS.contains(name) != Files.isDirectory(p))) {
                stray.add(p);
            } else if (Files.isDirectory(p)) {
                try (Stream<Path> inside = Files.walk(p)) {
                    inside.filter(q -> !Files.isDirectory(q) && !isChart(q)).forEach(stray::add);
                }
            }
        }
        if (!stray.isEmpty()) {
            throw new ResourceException(dir + ": the folder is not empty and is not an earlier study's output (it holds "
                    + dir.relativize(stray.get(0)) + (stray.size() > 1 ? " and " + (stray.size() - 1) + " more" : "")
                    + "); choose an empty or new folder for --out");
        }
        for (Path p : entries) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> inside = Files.walk(p)) {
                    for (Path q : inside.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(q);
                    }
                }
            } else {
                Files.delete(p);
            }
        }
    }

    private static boolean isChart(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".json") || n.endsWith(".png") || n.endsWith(".svg") || (n.startsWith(".") && n.endsWith(".tmp"));
    }

    // A path from a manifest, if it names a file of a study inside this folder (a manifest is read, not trusted).
    private Path own(String relative) {
        if (relative.isEmpty()) {
            return null;
        }
        Path p = dir.resolve(relative).normalize();
        if (!p.startsWith(dir.normalize()) || p.equals(dir.normalize())) {
            return null;
        }
        Path top = dir.normalize().relativize(p).getName(0);
        return OWN.contains(top.toString()) && Files.isRegularFile(p) ? p : null;
    }

    private static void deleteIfEmpty(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            try (Stream<Path> s = Files.list(folder)) {
                if (s.findAny().isPresent()) {
                    return;
                }
            }
            Files.delete(folder);
        }
    }

    /**
     * Ends the run: writes {@code manifest.json} listing every file the run wrote (with size and SHA-256),
     * then removes the {@code INCOMPLETE} marker.
     */
    public void commit() {
        try {
            List<Path> files = new ArrayList<>();
            for (String name : OWN) {
                Path p = dir.resolve(name);
                if (name.equals(MANIFEST) || name.equals(INCOMPLETE) || !Files.exists(p)) {
                    continue;
                }
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(Files::isRegularFile).forEach(files::add);
                }
            }
            files.sort(null);
            ObjectNode m = Json.object();
            m.put("tool", "statespace");
            m.put("version", Version.current());
            m.put("complete", true);
            ArrayNode list = m.putArray("files");
            for (Path f : files) {
                ObjectNode o = list.addObject();
                o.put("path", dir.relativize(f).toString().replace('\\', '/'));
                o.put("bytes", Files.size(f));
                o.put("sha256", sha256(f));
            }
            AtomicFiles.writeString(dir.resolve(MANIFEST), Json.write(m));
            Files.deleteIfExists(dir.resolve(INCOMPLETE));
        } catch (IOException e) {
            throw new ResourceException(dir + ": cannot write " + MANIFEST + " (" + e.getMessage() + ")", e);
        }
    }

    private static String sha256(Path f) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(f)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Ends a run that failed with an error: removes what it wrote and the marker, and the folder itself
     * when the run created it (then nothing is left behind). Releases the lock.
     */
    public void abandon() {
        try {
            for (String name : OWN) {
                Path p = dir.resolve(name);
                if (Files.isDirectory(p)) {
                    try (Stream<Path> inside = Files.walk(p)) {
                        for (Path q : inside.sorted(java.util.Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(q);
                        }
                    }
                } else {
                    Files.deleteIfExists(p);
                }
            }
            close();
            if (createdLock) {
                Files.deleteIfExists(dir.resolve(LOCK));
            }
            if (createdFolder) {
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            // what is left is marked INCOMPLETE or removed; the run's own error is the one to report
        } finally {
            close();
        }
    }

    /** Releases the lock (the lock file stays: deleting it would let two runs lock two different files). */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } catch (IOException e) {
            // closing the channel releases the lock in any case
        }
    }
}
