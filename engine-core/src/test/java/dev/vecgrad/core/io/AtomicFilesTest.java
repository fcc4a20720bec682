package dev.vecgrad.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AtomicFiles}, and the crash safety of {@link VersionedDirectory} (whose other tests are in its own class). */
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

    /**
     * A real crash: a child JVM rewrites a file and a versioned directory in a loop and is killed
     * (SIGKILL) at random moments; afterwards the file and the directory's current save must each
     * hold one complete version.
     */
    @Test
    void onlyAFileItRecognizesIsReplaceable() throws IOException {
        java.util.function.Predicate<byte[]> magic = head -> new String(head, StandardCharsets.US_ASCII).equals("MAGIC");
        AtomicFiles.requireReplaceable(dir.resolve("absent"), 5, magic, "a magic file");
        AtomicFiles.requireReplaceable(Files.writeString(dir.resolve("ours"), "MAGIC and more"), 5, magic, "a magic file");
        Path theirs = Files.writeString(dir.resolve("theirs"), "MAGI");
        assertThatThrownBy(() -> AtomicFiles.requireReplaceable(theirs, 5, magic, "a magic file"))
                .hasMessageContaining(theirs.toString()).hasMessageContaining("exists and is not a magic file");
        Path folder = Files.createDirectories(dir.resolve("folder"));
        assertThatThrownBy(() -> AtomicFiles.requireReplaceable(folder, 5, magic, "a magic file"))
                .hasMessageContaining("exists and is not a magic file");
        assertThat(Files.readString(theirs)).isEqualTo("MAGI");
    }

    @Test
    void aWritableDirectoryIsFoundByTryingAndNothingIsLeft() throws IOException {
        AtomicFiles.checkWritableDirectory(dir);
        AtomicFiles.checkWritableDirectory(dir.resolve("a/b/c"));
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertThatThrownBy(() -> AtomicFiles.checkWritableDirectory(file)).hasMessageContaining("is a file, not a directory");
        assertThatThrownBy(() -> AtomicFiles.checkWritableDirectory(file.resolve("d")))
                .hasMessageContaining(file + " is a file, not a directory");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("f");
        }
    }

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
            int[] ab = VersionedDirectory.read(dir.resolve("dir"), d -> new int[] {
                CrashChild.checkWhole(Files.readAllBytes(d.resolve("a.bin"))),
                CrashChild.checkWhole(Files.readAllBytes(d.resolve("b.bin")))});
            assertThat(ab[0]).as("both files of the directory come from the same version").isEqualTo(ab[1]);
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
                VersionedDirectory.write(root.resolve("dir"), save -> {
                    AtomicFiles.write(save.resolve("a.bin"), content);
                    Files.write(save.resolve("b.bin"), content);
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

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
