package dev.vecgrad.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
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
