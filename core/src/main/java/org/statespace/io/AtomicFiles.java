package org.statespace.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.statespace.ResourceException;

/**
 * Writes files whole or not at all: the content goes to a temporary file in the same folder, is
 * flushed to disk, then moved over the target in one atomic rename. An interrupted run leaves either the
 * old file or the new one, never half of one.
 *
 * <p>What the target is decides how it is written:
 * <ul>
 * <li>absent: a new file, created with the permissions the process's umask gives (as any program's);
 * <li>a regular file (or a symbolic link to one): replaced by the rename, keeping its POSIX permissions;
 *     a symbolic link is followed, so the file it points to is replaced and the link stays;
 * <li>a FIFO or a character device ({@code /dev/null}, a terminal): written directly, there is no file to
 *     replace and nothing to make atomic;
 * <li>a folder, a block device, a socket: refused with a {@link ResourceException}.
 * </ul>
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** What writes the content. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Text content. */
    @FunctionalInterface
    public interface TextContent {
        void writeTo(Writer out) throws IOException;
    }

    /** Writes {@code text} (UTF-8) to {@code target} atomically, creating parent folders. */
    public static void writeString(Path target, String text) {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes bytes to {@code target} atomically, creating parent folders. */
    public static void writeBytes(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    /** Streams text to {@code target} atomically. */
    public static void writeText(Path target, TextContent content) {
        write(target, out -> {
            Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8));
            content.writeTo(w);
            w.flush();
        });
    }

    /** The kinds of file a target can be (from the POSIX file-type bits when the file system has them). */
    enum Kind { ABSENT, REGULAR, FOLDER, STREAM, OTHER }

    /**
     * Why {@code target} cannot be written, or null when it can: a folder, a block device or a socket
     * (writing one would destroy it or make no sense). A regular file, a FIFO, a character device and an
     * absent file are writable targets.
     */
    public static String refusal(Path target) {
        return switch (kind(target)) {
            case FOLDER -> "is a folder, cannot write a file there";
            case OTHER -> "is not a regular file (a block device or a socket), refusing to write over it";
            default -> null;
        };
    }

    static Kind kind(Path target) {
        if (!Files.exists(target)) {
            return Kind.ABSENT;
        }
        if (Files.isDirectory(target)) {
            return Kind.FOLDER;
        }
        if (Files.isRegularFile(target)) {
            return Kind.REGULAR;
        }
        try {
            int mode = (Integer) Files.getAttribute(target, "unix:mode");
            int type = mode & 0170000;
            if (type == 0010000 || type == 0020000) { // S_IFIFO, S_IFCHR
                return Kind.STREAM;
            }
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException | ClassCastException e) {
            // no POSIX file types here: an unknown kind is refused
        }
        return Kind.OTHER;
    }

    /** Streams content to {@code target} atomically, creating parent folders. */
    public static void write(Path target, Content content) {
        Path absolute = target.toAbsolutePath();
        Kind kind = kind(absolute);
        String refused = refusal(absolute);
        if (refused != null) {
            throw new ResourceException(target + ": " + refused);
        }
        if (kind == Kind.STREAM) {
            writeDirectly(target, absolute, content);
            return;
        }
        Path file = absolute;
        if (kind == Kind.REGULAR && Files.isSymbolicLink(absolute)) {
            try {
                file = absolute.toRealPath(); // replace what the link points to, keep the link
            } catch (IOException e) {
                throw new ResourceException(target + ": cannot resolve the link (" + describe(e) + ")", e);
            }
        }
        Path dir = file.getParent();
        Path tmp = null;
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Set<PosixFilePermission> keep = kind == Kind.REGULAR ? permissions(file) : null;
            tmp = createTemporary(dir, file.getFileName().toString());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream buffered = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                content.writeTo(buffered);
                buffered.flush();
                ch.force(true);
            }
            if (keep != null) {
                Files.setPosixFilePermissions(tmp, keep);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new ResourceException(target + ": cannot write (" + describe(e) + ")", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file is hidden and named after the target; nothing more to do
                }
            }
        }
    }

    // A FIFO or a character device: no file to replace, so the bytes go straight in.
    private static void writeDirectly(Path target, Path absolute, Content content) {
        try (OutputStream out = Files.newOutputStream(absolute, StandardOpenOption.WRITE)) {
            OutputStream buffered = new java.io.BufferedOutputStream(out, 1 << 16);
            content.writeTo(buffered);
            buffered.flush();
        } catch (IOException e) {
            throw new ResourceException(target + ": cannot write (" + describe(e) + ")", e);
        }
    }

    /**
     * A new hidden file beside the target, created without explicit permissions so that the operating
     * system applies the umask to 0666, as for any file a program creates (Files.createTempFile would make
     * it rw------- and the result would keep that).
     */
    private static Path createTemporary(Path dir, String name) throws IOException {
        for (int attempt = 0;; attempt++) {
            Path tmp = dir.resolve("." + name + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    private static Set<PosixFilePermission> permissions(Path file) {
        try {
            return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IOException e) {
            return null; // not a POSIX file system: the new file keeps what it was given
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        String kind = e.getClass().getSimpleName();
        return m == null ? kind : kind + ": " + m;
    }
}
