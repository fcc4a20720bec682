package dev.vecgrad.train.cli;

import dev.vecgrad.core.Engine;
import dev.vecgrad.core.io.AtomicFiles;
import dev.vecgrad.core.io.Messages;
import dev.vecgrad.core.io.VersionedDirectory;
import dev.vecgrad.core.kernel.parallel.Parallel;
import dev.vecgrad.train.report.Report;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
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
        return directoryTarget(command, "save", dir, VersionedDirectory::checkWritable);
    }

    /**
     * The file {@code --output} names, after making its directory (as a save does) and checking
     * that what is there, if anything, is a {@code .npy} file it may replace.
     */
    static Path outputFile(String command, String file) {
        Path p = path(command, "output", file);
        if (file.isEmpty()) {
            throw new UsageException(command + ": --output '': an empty path names no file; give one, e.g. predictions.npy");
        }
        if (p.getFileName() == null || Files.isDirectory(p)) {
            throw new UsageException(command + ": --output " + quoted(file) + " is a directory; name a file in it,"
                    + " e.g. " + p.resolve("predictions.npy"));
        }
        try {
            Path parent = p.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UsageException(command + ": --output " + quoted(file) + ": cannot create its directory: "
                    + reason(e));
        }
        try {
            AtomicFiles.requireReplaceable(p, NPY_MAGIC.length, head -> Arrays.equals(head, NPY_MAGIC), "a .npy file");
        } catch (IOException e) {
            throw new UsageException(command + ": --output " + quoted(file) + ": " + reason(e));
        }
        return p;
    }

    /**
     * The directory {@code --report} names, after checking that the report can be written there
     * ({@link Report#checkTarget}); a usage error saying why not otherwise.
     */
    static Path reportTarget(String command, String dir) {
        return directoryTarget(command, "report", dir, Report::checkTarget);
    }

    /** Checks that a path can be used, throwing an exception that says why not. */
    @FunctionalInterface
    private interface PathCheck {
        void check(Path p) throws IOException;
    }

    /** The directory {@code --flag} names, after {@code check}; a usage error saying why not otherwise. */
    private static Path directoryTarget(String command, String flag, String dir, PathCheck check) {
        Path p = path(command, flag, dir);
        try {
            check.check(p);
        } catch (IOException e) {
            throw new UsageException(command + ": --" + flag + " " + quoted(dir) + ": " + reason(e));
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
