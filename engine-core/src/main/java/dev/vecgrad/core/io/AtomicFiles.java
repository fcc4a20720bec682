package dev.vecgrad.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Crash-safe writes: after a crash or power loss at any point, a reader finds either the old
 * content or the new content at the target, never a mixture or a truncated file.
 *
 * <p><b>Files.</b> {@link #write(Path, StreamWriter)} writes into a temporary file
 * {@code .<name>.<random>.tmp} in the target's directory (same file system, so the final rename
 * is atomic), flushes it, forces it to the device ({@code FileChannel.force(true)}), renames it
 * over the target ({@code ATOMIC_MOVE}, which replaces an existing file) and finally forces the
 * directory so that the rename itself is durable (where the platform allows opening a directory;
 * not on Windows). If the writer throws, the temporary file is deleted and the target is
 * untouched. A crash can leave a {@code .<name>.*.tmp} file behind; it is never read.
 *
 * <p>A directory of several files that must change together is a {@link VersionedDirectory}.
 *
 * <pre>{@code
 * AtomicFiles.write(path, out -> out.write(bytes));
 * }</pre>
 */
public final class AtomicFiles {
    private static final int BUFFER_BYTES = 1 << 16;
    /** How {@link #checkWritableDirectory}'s probe file is named: this prefix and 16 hex digits. */
    static final String PROBE_PREFIX = ".probe-";

    private AtomicFiles() {
    }

    /** Writes a file's content to a stream; the stream is buffered and must not be closed by the writer. */
    @FunctionalInterface
    public interface StreamWriter {
        /** Writes the whole content to {@code out}. */
        void write(OutputStream out) throws IOException;
    }

    /** Fills a fresh, empty directory with files ({@link VersionedDirectory#write}). */
    @FunctionalInterface
    public interface DirectoryWriter {
        /** Writes every file of the directory into {@code dir}. */
        void write(Path dir) throws IOException;
    }

    /** Atomically replaces (or creates) {@code target} with {@code bytes}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** Atomically replaces (or creates) {@code target} with what {@code content} writes. */
    public static void write(Path target, StreamWriter content) throws IOException {
        Path dir = parentOf(target);
        String name = target.getFileName().toString();
        Path tmp = null;
        boolean moved = false;
        try {
            FileChannel ch = null;
            // Not Files.createTempFile: it makes the file owner-only (0600), which the target would keep.
            for (int attempt = 0; ch == null; attempt++) {
                tmp = dir.resolve("." + name + "." + randomId() + ".tmp");
                try {
                    ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    if (attempt >= 10) {
                        throw e;
                    }
                }
            }
            try (FileChannel channel = ch) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES);
                content.write(out);
                out.flush();
                channel.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            forceDirectory(dir);
        } finally {
            if (tmp != null && !moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Fails unless {@code target} is absent, or a regular file whose first bytes (at most
     * {@code headBytes}) {@code recognized} accepts. Writers call it before replacing a file, so
     * that they replace only a file of their own kind, never something else found at the path.
     *
     * @param kind what may be replaced, for the message, e.g. {@code "a safetensors file"}
     * @throws FileAlreadyExistsException naming {@code target} when it holds anything else
     */
    public static void requireReplaceable(Path target, int headBytes, Predicate<byte[]> recognized, String kind)
            throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            byte[] head;
            try (InputStream in = Files.newInputStream(target)) {
                head = in.readNBytes(headBytes);
            }
            if (recognized.test(head)) {
                return;
            }
        }
        throw new FileAlreadyExistsException(target.toString(), null, "exists and is not " + kind + "; only " + kind
                + " is replaced");
    }

    /**
     * Checks that files can be written in {@code dir}, leaving nothing behind: an existing
     * directory gets a probe file created and deleted in it; a missing one is created (its first
     * missing ancestor, that is) and deleted again. Trying is the only sure test: permission bits
     * do not tell what root may do, nor that a file system is mounted read-only.
     *
     * @throws FileSystemException saying why not, e.g. when {@code dir} or an ancestor is a file
     */
    public static void checkWritableDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            Path probe = dir.resolve(PROBE_PREFIX + randomId());
            Files.createFile(probe);
            // A writer saving into dir deletes probes it finds (a kill may strand one), perhaps this one.
            Files.deleteIfExists(probe);
            return;
        }
        Path missing = dir.toAbsolutePath();
        Path parent = missing.getParent();
        while (parent != null && !Files.exists(parent)) {
            missing = parent;
            parent = parent.getParent();
        }
        if (Files.exists(missing, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileSystemException(dir.toString(), null, "is a file, not a directory");
        }
        if (parent != null && !Files.isDirectory(parent)) {
            throw new FileSystemException(dir.toString(), null, parent + " is a file, not a directory");
        }
        try {
            Files.createDirectory(missing);
        } catch (AccessDeniedException e) {
            throw e;
        } catch (FileSystemException e) {
            throw new FileSystemException(dir.toString(), null, "cannot create " + missing + " ("
                    + (e.getReason() != null ? e.getReason() : e instanceof NoSuchFileException ? "No such file or directory"
                            : "File exists") + ")");
        }
        Files.delete(missing);
    }

    private static Path parentOf(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null) {
            throw new IllegalArgumentException("cannot write atomically to " + target + ": it has no parent directory");
        }
        return parent;
    }

    private static String randomId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /** Makes a directory's entries (a rename, a new file) durable; a no-op where directories cannot be opened. */
    static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Windows cannot open a directory as a channel; NTFS journals the rename itself.
        }
    }

    /** Deletes a file or a directory tree without following symbolic links; a missing path is fine. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }
}
