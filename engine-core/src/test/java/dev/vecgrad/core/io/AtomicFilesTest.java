package dev.vecgrad.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReplacesAFileLeavingNothingElse() throws IOException {
        Path p = dir.resolve("a.bin");
        AtomicFiles.write(p, new byte[] {1, 2, 3});
        assertThat(Files.readAllBytes(p)).containsExactly(1, 2, 3);
        AtomicFiles.write(p, out -> out.write("longer content".getBytes(StandardCharsets.UTF_8)));
        assertThat(Files.readString(p)).isEqualTo("longer content");
        assertThat(names(dir)).containsExactly("a.bin");
    }

    @Test
    void writtenFilesGetTheUsualPermissionsNotOwnerOnly() throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Path control = Files.write(dir.resolve("control"), new byte[0]);
        Path p = dir.resolve("atomic");
        AtomicFiles.write(p, new byte[0]);
        assertThat(Files.getPosixFilePermissions(p)).isEqualTo(Files.getPosixFilePermissions(control));
    }

    @Test
    void aFailingWriterLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path p = dir.resolve("keep.txt");
        Files.writeString(p, "old");
        assertThatThrownBy(() -> AtomicFiles.write(p, out -> {
            out.write("partial".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk on fire");
        })).hasMessage("disk on fire");
        assertThat(Files.readString(p)).isEqualTo("old");
        assertThat(names(dir)).containsExactly("keep.txt");
    }

    @Test
    void writesAndReplacesADirectory() throws IOException {
        Path d = dir.resolve("model");
        AtomicFiles.writeDirectory(d, tmp -> {
            Files.writeString(tmp.resolve("a"), "1");
            Files.writeString(tmp.resolve("stale"), "x");
            Files.createDirectories(tmp.resolve("sub"));
            Files.writeString(tmp.resolve("sub/b"), "2");
        });
        assertThat(Files.readString(d.resolve("sub/b"))).isEqualTo("2");
        AtomicFiles.writeDirectory(d, tmp -> AtomicFiles.write(tmp.resolve("a"), "new".getBytes(StandardCharsets.UTF_8)));
        assertThat(names(d)).containsExactly("a");
        assertThat(Files.readString(d.resolve("a"))).isEqualTo("new");
        assertThat(names(dir)).containsExactly("model");
        assertThat(AtomicFiles.resolveDirectory(d)).isEqualTo(d);
    }

    @Test
    void aFailingDirectoryWriterLeavesTheOldDirectory() throws IOException {
        Path d = dir.resolve("model");
        AtomicFiles.writeDirectory(d, tmp -> Files.writeString(tmp.resolve("a"), "old"));
        assertThatThrownBy(() -> AtomicFiles.writeDirectory(d, tmp -> {
            Files.writeString(tmp.resolve("a"), "half");
            throw new IOException("crash");
        })).hasMessage("crash");
        assertThat(Files.readString(d.resolve("a"))).isEqualTo("old");
        assertThat(names(dir)).containsExactly("model");
    }

    @Test
    void refusesToReplaceAFileWithADirectory() throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "x");
        assertThatThrownBy(() -> AtomicFiles.writeDirectory(f, tmp -> { })).hasMessageContaining("not a directory");
    }

    // ---- the states a crash can leave (see the class comment of AtomicFiles) --------------------

    @Test
    void crashWhileFillingLeavesTheOldTargetAndAnIgnoredTemp() throws IOException {
        Path d = version(dir.resolve("m"), "old");
        version(dir.resolve(".m.tmp-1"), "partial");
        assertThat(AtomicFiles.resolveDirectory(d)).isEqualTo(d);
        AtomicFiles.recoverDirectory(d);
        assertThat(names(dir)).containsExactly("m");
        assertThat(Files.readString(d.resolve("v"))).isEqualTo("old");
    }

    @Test
    void crashBeforeMovingTheOldAsideKeepsTheOldTarget() throws IOException {
        Path d = version(dir.resolve("m"), "old");
        version(dir.resolve(".m.new-1"), "new");
        assertThat(AtomicFiles.resolveDirectory(d)).isEqualTo(d);
        AtomicFiles.recoverDirectory(d);
        assertThat(names(dir)).containsExactly("m");
        assertThat(Files.readString(d.resolve("v"))).isEqualTo("old");
    }

    @Test
    void crashBetweenTheTwoRenamesIsReadAndRecoveredAsTheNewVersion() throws IOException {
        Path d = dir.resolve("m");
        version(dir.resolve(".m.old-1"), "old");
        version(dir.resolve(".m.new-1"), "new");
        assertThat(Files.readString(AtomicFiles.resolveDirectory(d).resolve("v"))).isEqualTo("new");
        AtomicFiles.recoverDirectory(d);
        assertThat(names(dir)).containsExactly("m");
        assertThat(Files.readString(d.resolve("v"))).isEqualTo("new");
    }

    @Test
    void crashBeforeDeletingTheOldCopyIsCleanedUpByTheNextWrite() throws IOException {
        Path d = version(dir.resolve("m"), "new");
        version(dir.resolve(".m.old-1"), "old");
        version(dir.resolve(".m.tmp-2"), "partial");
        assertThat(AtomicFiles.resolveDirectory(d)).isEqualTo(d);
        AtomicFiles.writeDirectory(d, tmp -> Files.writeString(tmp.resolve("v"), "newer"));
        assertThat(names(dir)).containsExactly("m");
        assertThat(Files.readString(d.resolve("v"))).isEqualTo("newer");
    }

    @Test
    void onlyAnOldCopyIsStillReadable() throws IOException {
        Path d = dir.resolve("m");
        version(dir.resolve(".m.old-1"), "old");
        assertThat(Files.readString(AtomicFiles.resolveDirectory(d).resolve("v"))).isEqualTo("old");
        AtomicFiles.recoverDirectory(d);
        assertThat(Files.readString(d.resolve("v"))).isEqualTo("old");
    }

    @Test
    void nothingAtAllIsNoSuchFile() {
        assertThatThrownBy(() -> AtomicFiles.resolveDirectory(dir.resolve("absent"))).isInstanceOf(NoSuchFileException.class);
        version(dir.resolve(".absent.tmp-1"), "partial"); // an incomplete copy is never read
        assertThatThrownBy(() -> AtomicFiles.resolveDirectory(dir.resolve("absent"))).isInstanceOf(NoSuchFileException.class);
    }

    /**
     * A real crash: a child JVM rewrites a file and a directory in a loop and is killed (SIGKILL)
     * at random moments; afterwards the file and the directory a reader resolves must each hold
     * one complete version.
     */
    @Test
    void survivesBeingKilledMidWrite() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Random random = new Random(42);
        for (int round = 0; round < 4; round++) {
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    CrashChild.class.getName(), dir.toString()).redirectErrorStream(true).start();
            try {
                // Wait until the child has written at least once, then kill it at a random moment.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!Files.exists(dir.resolve("started")) && System.nanoTime() < deadline && child.isAlive()) {
                    Thread.sleep(10);
                }
                assertThat(child.isAlive()).as("child running").isTrue();
                Thread.sleep(50 + random.nextInt(200));
            } finally {
                child.destroyForcibly().waitFor();
            }
            CrashChild.checkWhole(Files.readAllBytes(dir.resolve("file.bin")));
            Path d = AtomicFiles.resolveDirectory(dir.resolve("dir"));
            int a = CrashChild.checkWhole(Files.readAllBytes(d.resolve("a.bin")));
            int b = CrashChild.checkWhole(Files.readAllBytes(d.resolve("b.bin")));
            assertThat(a).as("both files of the directory come from the same version").isEqualTo(b);
            Files.deleteIfExists(dir.resolve("started"));
        }
    }

    /** The writer run in the child JVM; version v is its number, its length, then v's low byte repeated. */
    static final class CrashChild {
        public static void main(String[] args) throws IOException {
            Path root = Path.of(args[0]);
            for (int v = 1; ; v++) {
                byte[] content = content(v);
                AtomicFiles.write(root.resolve("file.bin"), content);
                AtomicFiles.writeDirectory(root.resolve("dir"), tmp -> {
                    AtomicFiles.write(tmp.resolve("a.bin"), content);
                    Files.write(tmp.resolve("b.bin"), content);
                });
                if (v == 1) {
                    Files.createFile(root.resolve("started"));
                }
            }
        }

        static byte[] content(int v) {
            int length = 1000 + (v % 97) * 4099;
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(length).putInt(v).putInt(length);
            while (b.hasRemaining()) {
                b.put((byte) v);
            }
            return b.array();
        }

        /** Checks that {@code b} is one whole version and returns its number. */
        static int checkWhole(byte[] b) {
            assertThat(b.length).isGreaterThanOrEqualTo(8);
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
            int v = buf.getInt();
            assertThat(buf.getInt()).as("stated length").isEqualTo(b.length);
            for (int i = 8; i < b.length; i++) {
                if (b[i] != (byte) v) {
                    throw new AssertionError("byte " + i + " of version " + v + " is " + b[i]);
                }
            }
            return v;
        }
    }

    private static Path version(Path d, String v) {
        try {
            Files.createDirectories(d);
            Files.writeString(d.resolve("v"), v);
            return d;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
