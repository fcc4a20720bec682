package dev.vecgrad.core.io;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A directory whose content is replaced as a whole by each save, so that a reader beside a
 * writer gets exactly one complete save and a crash at any moment leaves one.
 *
 * <pre>
 * DIR/
 *   current                  one line naming the complete save readers use: save-000012-5f1c9a0e
 *   save-000012-5f1c9a0e/    that save's files; never changed once named
 *   .lock                    writers hold it while they save
 * </pre>
 *
 * <p><b>Writing</b> ({@link #write}) takes the lock (an advisory file lock, so writers in other
 * processes wait too, and a lock per directory within this JVM), writes every file of the new
 * save into a fresh {@code save-<n>-<random>} directory and forces it to the device, then replaces
 * {@code current} with one atomic rename ({@link AtomicFiles#write}) and only then deletes the
 * saves it no longer names. The pointer flip is the single moment a save becomes visible: before
 * it readers see the previous save in full, after it the new one in full, and the directory never
 * lacks a file of the save {@code current} names. A crash leaves {@code current} naming a complete
 * save and perhaps an unnamed {@code save-} directory or a temporary file of its own, which the
 * next write deletes.
 *
 * <p><b>Reading</b> ({@link #read}) reads {@code current} and hands the save directory to the
 * caller. A writer may delete that save while it is being read (once a newer one is named); the
 * reader then meets a {@link NoSuchFileException}, and {@code read} reads {@code current} again and
 * starts over with the newer save. A reader that opens every file it needs before using any gets
 * one save's files (a deleted file stays readable through an open channel or mapping), and a file
 * that is missing while {@code current} still names its save is reported as missing.
 *
 * <p><b>What is never deleted.</b> A write goes only into a directory that is absent, empty, or
 * already one of these (it has a valid {@code current}, or holds nothing but the entries above);
 * anything else is refused before a byte is written. Within the directory a write deletes only
 * {@code save-} directories that {@code current} does not name and temporary files of its own.
 *
 * <pre>{@code
 * VersionedDirectory.write(dir, d -> Files.writeString(d.resolve("a.txt"), "1"));
 * String a = VersionedDirectory.read(dir, d -> Files.readString(d.resolve("a.txt")));
 * }</pre>
 */
public final class VersionedDirectory {
    /** The pointer file naming the current save. */
    public static final String POINTER = "current";
    /** The lock file writers hold. */
    public static final String LOCK = ".lock";
    /** How many times {@link #read} starts over because newer saves replaced the one it was reading. */
    static final int MAX_READ_ATTEMPTS = 100;
    /** Longest file name (in UTF-8 bytes) common file systems accept. */
    static final int MAX_NAME_BYTES = 255;

    private static final Pattern SAVE = Pattern.compile("save-(\\d{6,18})-[0-9a-f]{8}");
    /** Temporary files of our own: the pointer's before its rename, and {@link #checkWritable}'s probe if a kill came between its create and delete. */
    private static final Pattern OWN_TEMP = Pattern.compile("\\." + POINTER + "\\.[0-9a-f]{16}\\.tmp|"
            + Pattern.quote(AtomicFiles.PROBE_PREFIX) + "[0-9a-f]{16}");
    private static final int MAX_POINTER_BYTES = 64;
    private static final ReentrantLock[] JVM_LOCKS = new ReentrantLock[64];
    private static final System.Logger LOG = System.getLogger(VersionedDirectory.class.getName());

    static {
        for (int i = 0; i < JVM_LOCKS.length; i++) {
            JVM_LOCKS[i] = new ReentrantLock();
        }
    }

    private VersionedDirectory() {
    }

    /** Reads one save's files. */
    @FunctionalInterface
    public interface SaveReader<T> {
        /**
         * Reads the save in {@code saveDir}. A {@link NoSuchFileException} means its file is gone
         * (replaced by a newer save, or missing); {@link #read} decides which.
         */
        T read(Path saveDir) throws IOException;
    }

    /**
     * Writes a new save into {@code dir} (created with its parents when missing) and makes it
     * current, as the class comment describes; returns the new save's directory. Writers of the
     * same directory, in this process or another, run one after another.
     *
     * @throws FileAlreadyExistsException when {@code dir} is a file, or a directory holding
     *     something a save did not write
     * @throws FileSystemException when {@code dir} cannot be a save target ({@link #checkWritable})
     */
    public static Path write(Path dir, AtomicFiles.DirectoryWriter content) throws IOException {
        checkWritable(dir);
        Files.createDirectories(dir);
        Path real = dir.toRealPath();
        ReentrantLock jvmLock = JVM_LOCKS[Math.floorMod(real.hashCode(), JVM_LOCKS.length)];
        jvmLock.lock();
        try (FileChannel lockFile = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = lockFile.lock()) {
            requireOwnable(dir); // another writer may have changed it before we held the lock
            String previous = currentName(dir);
            deleteUnnamed(dir, previous);
            long number = previous == null ? 1 : sequence(previous) + 1;
            Path save = dir.resolve(String.format("save-%06d-%s", number,
                    HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt())));
            Files.createDirectory(save);
            boolean named = false;
            try {
                content.write(save);
                forceTree(save);
                AtomicFiles.write(dir.resolve(POINTER), (save.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
                named = true;
            } finally {
                if (!named) {
                    deleteQuietly(save);
                }
            }
            deleteUnnamed(dir, save.getFileName().toString());
            return save;
        } finally {
            jvmLock.unlock();
        }
    }

    /**
     * Runs {@code reader} on the current save of {@code dir}, starting over with the newer save
     * when the one it reads is deleted under it (up to {@value #MAX_READ_ATTEMPTS} times).
     *
     * @throws NoSuchFileException when {@code dir} has no complete save, or a file of the current
     *     save is missing (whatever {@code reader} threw)
     */
    public static <T> T read(Path dir, SaveReader<T> reader) throws IOException {
        String name = requireCurrent(dir);
        for (int attempt = 1; ; attempt++) {
            try {
                return reader.read(dir.resolve(name));
            } catch (NoSuchFileException e) {
                String now = requireCurrent(dir);
                if (now.equals(name)) {
                    // The save is still current, so the file (or the whole save) is really missing.
                    if (!Files.isDirectory(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                        throw new NoSuchFileException(dir.resolve(POINTER).toString(), null, "names " + name
                                + ", which is missing: the directory was damaged after it was saved");
                    }
                    throw e;
                }
                if (attempt >= MAX_READ_ATTEMPTS) {
                    throw new FileSystemException(dir.toString(), null, "replaced by " + MAX_READ_ATTEMPTS
                            + " newer saves while it was being read; try again when saving slows down");
                }
                name = now;
            }
        }
    }

    /**
     * The current save of {@code dir}. A later {@link #write} deletes it once a newer save is
     * current; use {@link #read} to read it safely.
     *
     * @throws NoSuchFileException when {@code dir} has no complete save
     */
    public static Path current(Path dir) throws IOException {
        return dir.resolve(requireCurrent(dir));
    }

    /** Whether {@code dir} has a {@value #POINTER} file (its content is checked when it is read). */
    public static boolean isVersioned(Path dir) {
        return Files.exists(dir.resolve(POINTER), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Checks, before any work is done, that {@link #write} can write to {@code dir}: a name (not
     * empty, not {@code .} or {@code ..}, at most {@value #MAX_NAME_BYTES} bytes a component), not
     * a symbolic link, not a file, not a directory holding anything a save did not write, and a
     * place where a directory can be created (the nearest existing ancestor is a directory in
     * which one really is created and deleted again). Leaves nothing behind.
     *
     * @throws FileSystemException (or its {@link FileAlreadyExistsException} subclass) saying why not
     */
    public static void checkWritable(Path dir) throws IOException {
        checkName(dir);
        requireOwnable(dir);
        AtomicFiles.checkWritableDirectory(dir);
    }

    /**
     * Deletes what saves wrote in {@code dir} (the pointer first, so no reader finds a partial
     * save, then every save, temporary file and the lock), and {@code dir} itself when nothing
     * else is left in it. Nothing a save did not write is deleted; a missing {@code dir} is fine.
     *
     * @throws FileAlreadyExistsException when {@code dir} is not a versioned directory
     */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        requireOwnable(dir);
        Path real = dir.toRealPath();
        ReentrantLock jvmLock = JVM_LOCKS[Math.floorMod(real.hashCode(), JVM_LOCKS.length)];
        jvmLock.lock();
        try {
            try (FileChannel lockFile = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock held = lockFile.lock()) {
                Files.deleteIfExists(dir.resolve(POINTER));
                AtomicFiles.forceDirectory(dir);
                deleteUnnamed(dir, null);
                Files.delete(dir.resolve(LOCK));
            }
            try (DirectoryStream<Path> left = Files.newDirectoryStream(dir)) {
                if (!left.iterator().hasNext()) {
                    Files.delete(dir);
                }
            }
        } finally {
            jvmLock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------

    private static void checkName(Path dir) throws FileSystemException {
        if (dir.toString().isEmpty()) {
            throw new FileSystemException("", null, "an empty path names no directory; give one, e.g. runs/model");
        }
        Path name = dir.getFileName();
        if (name == null || name.toString().equals(".") || name.toString().equals("..")) {
            throw new FileSystemException(dir.toString(), null, "names no directory of its own; give one, e.g. "
                    + dir.resolve("model"));
        }
        for (Path part : dir) {
            if (part.toString().getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                throw new FileSystemException(dir.toString(), null, "the name '" + Messages.quote(part.toString())
                        + "' is longer than " + MAX_NAME_BYTES + " bytes");
            }
        }
    }

    /**
     * Fails unless {@code dir} is absent, or a directory (not a link) that is empty, holds a valid
     * pointer, or holds nothing a save does not write.
     */
    private static void requireOwnable(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isSymbolicLink(dir)) {
            throw new FileSystemException(dir.toString(), null, "is a symbolic link; give the directory itself");
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(dir.toString(), null, "is a file, not a directory; a save replaces"
                    + " only a directory it wrote");
        }
        if (isVersioned(dir)) {
            requireCurrent(dir);
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String n = p.getFileName().toString();
                if (!n.equals(LOCK) && !isSave(p) && !OWN_TEMP.matcher(n).matches()) {
                    throw new FileAlreadyExistsException(dir.toString(), null, "holds files that are not a save"
                            + " (such as '" + Messages.quote(n) + "'); a save replaces only a directory it wrote:"
                            + " give a new or empty directory");
                }
            }
        }
    }

    private static boolean isSave(Path p) {
        return SAVE.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
    }

    private static long sequence(String saveName) {
        Matcher m = SAVE.matcher(saveName);
        if (!m.matches()) {
            throw new IllegalStateException("not a save name: " + saveName);
        }
        return Long.parseLong(m.group(1));
    }

    /** The save {@code current} names, or null when there is no pointer. */
    private static String currentName(Path dir) throws IOException {
        Path pointer = dir.resolve(POINTER);
        if (!Files.exists(pointer, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        byte[] bytes = RegularFiles.read(pointer, MAX_POINTER_BYTES);
        String name = new String(bytes, StandardCharsets.UTF_8).strip();
        if (!SAVE.matcher(name).matches()) {
            throw new TensorFileException(pointer.toString(), null, -1, "does not name a save (it holds '"
                    + Messages.quote(name) + "'); this is not a directory vecgrad saved");
        }
        return name;
    }

    private static String requireCurrent(Path dir) throws IOException {
        String name = currentName(dir);
        if (name == null) {
            if (!Files.isDirectory(dir)) {
                throw new NoSuchFileException(dir.toString(), null, "no such directory");
            }
            throw new NoSuchFileException(dir.toString(), null, "holds no complete save (no '" + POINTER + "' file)");
        }
        return name;
    }

    /** Deletes every save but {@code keep} (which may be null) and stale temporaries of our own; failures wait for the next write. */
    private static void deleteUnnamed(Path dir, String keep) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String n = p.getFileName().toString();
                if ((isSave(p) && !n.equals(keep)) || OWN_TEMP.matcher(n).matches()) {
                    deleteQuietly(p);
                }
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            AtomicFiles.deleteTree(p);
        } catch (IOException e) {
            // A reader may still hold a file open where that forbids deleting it; the next write retries.
            LOG.log(Level.DEBUG, () -> "could not delete " + p + " yet: " + e);
        }
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
                AtomicFiles.forceDirectory(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
