package dev.vecgrad.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
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
 * <p><b>Directories.</b> No portable rename replaces a non-empty directory, so
 * {@link #writeDirectory} swaps in three renames, each followed by a forced parent directory:
 * <ol>
 *   <li>everything is written into {@code .<name>.tmp-<id>} and forced, file by file;</li>
 *   <li>that directory is renamed to {@code .<name>.new-<id>}: the name now says "complete";</li>
 *   <li>the old target, if any, is renamed to {@code .<name>.old-<id>};</li>
 *   <li>{@code .<name>.new-<id>} is renamed to the target, and the old copy is deleted.</li>
 * </ol>
 * A crash during step 1 leaves an ignored {@code .tmp-} directory and the old target; between
 * steps 2 and 3 the old target and a complete {@code .new-}; between 3 and 4 no target, but a
 * complete {@code .new-} (and the {@code .old-}); after 4, the new target and perhaps a
 * {@code .old-}. Readers call {@link #resolveDirectory}, which returns the target when it exists,
 * else the complete new copy, else the old one, so they always see a whole directory. The next
 * {@link #writeDirectory} (or an explicit {@link #recoverDirectory}) finishes an interrupted swap
 * and deletes the leftovers. One writer at a time per target; readers may run concurrently.
 *
 * <pre>{@code
 * AtomicFiles.write(path, out -> out.write(bytes));
 * AtomicFiles.writeDirectory(modelDir, dir -> {
 *     SafeTensors.write(dir.resolve("weights.safetensors"), weights, Map.of());
 *     AtomicFiles.write(dir.resolve("config.json"), Json.writePretty(config).getBytes(UTF_8));
 * });
 * Path toRead = AtomicFiles.resolveDirectory(modelDir);
 * }</pre>
 */
public final class AtomicFiles {
    private static final String TMP = ".tmp-";
    private static final String NEW = ".new-";
    private static final String OLD = ".old-";
    private static final int BUFFER_BYTES = 1 << 16;

    private AtomicFiles() {
    }

    /** Writes a file's content to a stream; the stream is buffered and must not be closed by the writer. */
    @FunctionalInterface
    public interface StreamWriter {
        /** Writes the whole content to {@code out}. */
        void write(OutputStream out) throws IOException;
    }

    /** Fills a fresh, empty directory with files. */
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
     * Atomically replaces (or creates) the directory {@code target} with one that {@code content}
     * fills; see the class comment for the steps and what a crash leaves. If {@code content}
     * throws, the target is untouched and the partial copy is deleted.
     */
    public static void writeDirectory(Path target, DirectoryWriter content) throws IOException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString(), null, "exists and is not a directory");
        }
        recoverDirectory(target);
        Path parent = parentOf(target);
        String name = target.getFileName().toString();
        String id = randomId();
        Path tmp = parent.resolve("." + name + TMP + id);
        Files.createDirectory(tmp);
        boolean complete = false;
        try {
            content.write(tmp);
            forceTree(tmp);
            complete = true;
        } finally {
            if (!complete) {
                deleteTree(tmp);
            }
        }
        Path fresh = parent.resolve("." + name + NEW + id);
        Files.move(tmp, fresh, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(parent);
        Path old = null;
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            old = parent.resolve("." + name + OLD + id);
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(parent);
        }
        Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(parent);
        if (old != null) {
            deleteTree(old);
        }
    }

    /**
     * The directory a reader should read for {@code target}: the target itself when it exists,
     * else the newest complete copy a crashed {@link #writeDirectory} left ({@code .new-}), else
     * the previous version it moved aside ({@code .old-}). Changes nothing on disk.
     *
     * @throws NoSuchFileException when there is none of these
     */
    public static Path resolveDirectory(Path target) throws IOException {
        if (Files.isDirectory(target)) {
            return target;
        }
        List<Path> fresh = leftovers(target, NEW);
        if (!fresh.isEmpty()) {
            return fresh.getLast();
        }
        List<Path> old = leftovers(target, OLD);
        if (!old.isEmpty()) {
            return old.getLast();
        }
        throw new NoSuchFileException(target.toString(), null, "no such directory and no complete copy beside it");
    }

    /**
     * Finishes a {@link #writeDirectory} that a crash interrupted and deletes its leftovers: when
     * the target is missing, the newest complete copy ({@code .new-}, else {@code .old-}) is
     * renamed into place; then every other {@code .<name>.tmp-}, {@code .new-} and {@code .old-}
     * sibling is deleted. Must not run while another writer is writing the same target.
     */
    public static void recoverDirectory(Path target) throws IOException {
        Path parent = parentOf(target);
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            List<Path> fresh = leftovers(target, NEW);
            List<Path> candidates = fresh.isEmpty() ? leftovers(target, OLD) : fresh;
            if (!candidates.isEmpty()) {
                Files.move(candidates.getLast(), target, StandardCopyOption.ATOMIC_MOVE);
                forceDirectory(parent);
            }
        }
        for (String kind : List.of(TMP, NEW, OLD)) {
            for (Path p : leftovers(target, kind)) {
                deleteTree(p);
            }
        }
    }

    /** Siblings {@code .<name><kind><id>} of {@code target}, oldest first (by modification time, then name). */
    private static List<Path> leftovers(Path target, String kind) throws IOException {
        Path parent = parentOf(target);
        String prefix = "." + target.getFileName() + kind;
        List<Leftover> found = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, p -> p.getFileName().toString().startsWith(prefix)
                && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))) {
            for (Path p : ds) {
                found.add(new Leftover(p, Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis()));
            }
        }
        found.sort(Comparator.comparingLong(Leftover::modified).thenComparing(l -> l.path().getFileName().toString()));
        return found.stream().map(Leftover::path).toList();
    }

    private record Leftover(Path path, long modified) {
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

    /** Forces every regular file and directory under {@code root} (children before parents) to the device. */
    private static void forceTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                forceDirectory(d);
                return FileVisitResult.CONTINUE;
            }
        });
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
