package dev.vecgrad.train.cli;

import dev.vecgrad.core.Engine;
import dev.vecgrad.core.io.Messages;
import dev.vecgrad.core.io.VersionedDirectory;
import dev.vecgrad.core.kernel.Parallel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * What the commands check before their work starts, so that nothing the user typed fails only
 * after minutes of training: the thread count, where results will be written, and memory for
 * the data they load.
 */
final class Preflight {
    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private Preflight() {
    }

    /** Applies {@code --threads} when given: 1 to {@value Parallel#MAX_THREADS}. */
    static void threads(Flags f) {
        if (f.has("threads")) {
            Engine.setThreads(f.intInRange("threads", 1, Parallel.MAX_THREADS, 1));
        }
    }

    /**
     * The model directory {@code --save} names, after checking that a save can go there (see
     * {@link VersionedDirectory#checkWritable}); a usage error saying why not otherwise.
     */
    static Path saveTarget(String command, String dir) {
        Path p = path(command, "save", dir);
        try {
            VersionedDirectory.checkWritable(p);
        } catch (IOException e) {
            throw new UsageException(command + ": --save " + quoted(dir) + ": " + reason(e)
                    + "; choose a new directory or one a previous --save wrote");
        }
        return p;
    }

    /**
     * The file {@code --output} names, after making its directory (as a save does) and checking
     * that what is there, if anything, is a {@code .npy} file it may replace.
     */
    static Path outputFile(String command, String file) {
        Path p = path(command, "output", file);
        try {
            if (p.getFileName() == null || Files.isDirectory(p)) {
                throw new UsageException(command + ": --output " + quoted(file) + " is a directory; name a file in it,"
                        + " e.g. " + p.resolve("predictions.npy"));
            }
            Path parent = p.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !isNpy(p)) {
                throw new UsageException(command + ": --output " + quoted(file) + " exists and is not a .npy file;"
                        + " predict replaces only a .npy file it could have written");
            }
        } catch (IOException e) {
            throw new UsageException(command + ": --output " + quoted(file) + ": cannot create its directory: "
                    + reason(e));
        }
        return p;
    }

    /**
     * Runs {@code load}, which reads {@code what}; an out-of-memory error there is the data's
     * doing, not the batch size's, and says so.
     */
    static <T> T loading(String what, Supplier<T> load) {
        try {
            return load.get();
        } catch (OutOfMemoryError e) {
            throw new IllegalStateException("out of memory loading " + what + " (Java heap limit "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MB); raise it with -Xmx, e.g."
                    + " VECGRAD_JVM_OPTS=-Xmx8g, or use a smaller file");
        }
    }

    private static boolean isNpy(Path p) throws IOException {
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(p)) {
            return Arrays.equals(in.readNBytes(NPY_MAGIC.length), NPY_MAGIC);
        }
    }

    private static Path path(String command, String flag, String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException(command + ": --" + flag + " " + quoted(value) + " is not a usable path: "
                    + e.getReason());
        }
    }

    private static String quoted(String s) {
        return "'" + Messages.quote(s) + "'";
    }

    /** Why a file-system call failed, without repeating the path when the exception's message would. */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException a) {
            return "permission denied" + (a.getFile() != null ? " (" + a.getFile() + ")" : "");
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        if (e instanceof FileSystemException fs) {
            return switch (fs) {
                case FileAlreadyExistsException x -> fs.getFile() + " exists and is not a directory";
                case NotDirectoryException x -> fs.getFile() + " is not a directory";
                case NoSuchFileException x -> fs.getFile() + " does not exist";
                default -> "cannot use " + fs.getFile();
            };
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
