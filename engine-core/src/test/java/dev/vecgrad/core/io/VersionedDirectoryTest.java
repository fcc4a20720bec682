package dev.vecgrad.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VersionedDirectory}: what a save may replace, what it leaves, and readers and writers
 * running at once (threads, and a second JVM). Crash safety is {@link AtomicFilesTest}'s.
 */
class VersionedDirectoryTest {
    @TempDir
    Path dir;

    /** A save of version {@code v}: two files that must always be read together. */
    private static void save(Path target, int v) throws IOException {
        byte[] content = AtomicFilesTest.CrashChild.content(v);
        VersionedDirectory.write(target, save -> {
            Files.write(save.resolve("a.bin"), content);
            Files.write(save.resolve("b.bin"), content);
        });
    }

    /** The version of the current save, checking that both files are whole and of the same save. */
    private static int read(Path target) throws IOException {
        return VersionedDirectory.read(target, save -> {
            int a = AtomicFilesTest.CrashChild.checkWhole(Files.readAllBytes(save.resolve("a.bin")));
            int b = AtomicFilesTest.CrashChild.checkWhole(Files.readAllBytes(save.resolve("b.bin")));
            assertThat(a).as("both files of one save").isEqualTo(b);
            return a;
        });
    }

    @Test
    void eachSaveReplacesTheLastAndLeavesOnlyThePointerTheLockAndOneSave() throws IOException {
        Path m = dir.resolve("runs/m");
        save(m, 1);
        assertThat(read(m)).isEqualTo(1);
        Path first = VersionedDirectory.current(m);
        save(m, 2);
        assertThat(read(m)).isEqualTo(2);
        assertThat(names(m)).containsExactly(".lock", "current", VersionedDirectory.current(m).getFileName().toString());
        assertThat(first).doesNotExist();
        assertThat(VersionedDirectory.current(m).getFileName().toString()).matches("save-000002-[0-9a-f]{8}");
        assertThat(Files.readString(m.resolve("current"))).isEqualTo(VersionedDirectory.current(m).getFileName() + "\n");
    }

    @Test
    void aFailingWriterLeavesThePreviousSaveCurrentAndNothingElse() throws IOException {
        Path m = dir.resolve("m");
        save(m, 1);
        List<String> before = names(m);
        assertThatThrownBy(() -> VersionedDirectory.write(m, save -> {
            Files.writeString(save.resolve("a.bin"), "half");
            throw new IOException("disk on fire");
        })).hasMessage("disk on fire");
        assertThat(read(m)).isEqualTo(1);
        assertThat(names(m)).isEqualTo(before);
    }

    @Test
    void whatACrashLeavesIsIgnoredByReadersAndDeletedByTheNextSave() throws IOException {
        Path m = dir.resolve("m");
        save(m, 1);
        Files.createDirectories(m.resolve("save-000002-0badc0de"));          // a save cut short before its pointer flip
        Files.writeString(m.resolve("save-000002-0badc0de/a.bin"), "partial");
        Files.writeString(m.resolve(".current.0123456789abcdef.tmp"), "save-000002-0badc0de");
        Files.createFile(m.resolve(".probe-fedcba9876543210"));               // killed inside the writability check
        assertThat(read(m)).isEqualTo(1);
        save(m, 3);
        assertThat(read(m)).isEqualTo(3);
        assertThat(names(m)).hasSize(3).doesNotContain("save-000002-0badc0de", ".current.0123456789abcdef.tmp",
                ".probe-fedcba9876543210");
    }

    @Test
    void aFirstSaveCutShortLeavesADirectoryTheNextSaveTakesOver() throws IOException {
        Path m = dir.resolve("m");
        Files.createDirectories(m.resolve("save-000001-0badc0de"));
        Files.writeString(m.resolve(".lock"), "");
        Files.createFile(m.resolve(".probe-0123456789abcdef"));
        assertThatThrownBy(() -> read(m)).isInstanceOf(NoSuchFileException.class).hasMessageContaining("no complete save");
        save(m, 1);
        assertThat(read(m)).isEqualTo(1);
        assertThat(names(m)).doesNotContain(".probe-0123456789abcdef", "save-000001-0badc0de");
    }

    @Test
    void refusesEverythingItDidNotWriteAndDeletesNothing() throws IOException {
        Path docs = Files.createDirectories(dir.resolve("Documents"));
        Files.writeString(docs.resolve("thesis.txt"), "years of work");
        Files.createDirectories(docs.resolve("save-000001-00000000")); // looks like ours, but the directory is not
        assertThatThrownBy(() -> save(docs, 1)).isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("holds files that are not a save").hasMessageContaining("thesis.txt");
        assertThatThrownBy(() -> VersionedDirectory.checkWritable(docs)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(names(docs)).containsExactly("save-000001-00000000", "thesis.txt");

        Path file = Files.writeString(dir.resolve("notes"), "keep");
        assertThatThrownBy(() -> save(file, 1)).isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("is a file, not a directory");
        assertThat(Files.readString(file)).isEqualTo("keep");

        Path fake = Files.createDirectories(dir.resolve("fake"));
        Files.writeString(fake.resolve("current"), "../../etc\n");
        assertThatThrownBy(() -> save(fake, 1)).isInstanceOf(TensorFileException.class)
                .hasMessageContaining("does not name a save");
        assertThat(names(fake)).containsExactly("current");
    }

    @Test
    void anEmptyDirectoryIsAFineTarget() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        VersionedDirectory.checkWritable(empty);
        assertThat(names(empty)).isEmpty();
        save(empty, 7);
        assertThat(read(empty)).isEqualTo(7);
    }

    @Test
    void unusableTargetsAreRefusedBeforeAnythingIsWrittenAndLeaveNothing() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("link"), Files.createDirectories(dir.resolve("real")));
        record Case(Path path, String message) {
        }
        List<Case> cases = List.of(
                new Case(Path.of(""), "an empty path names no directory"),
                new Case(Path.of("."), "names no directory of its own"),
                new Case(dir.resolve(".."), "names no directory of its own"),
                new Case(dir.resolve("a".repeat(256)), "longer than 255 bytes"),
                new Case(dir.resolve("x/" + "é".repeat(128) + "/m"), "longer than 255 bytes"),
                new Case(link, "is a symbolic link"),
                new Case(file, "is a file, not a directory"),
                new Case(file.resolve("sub/m"), file + " is a file, not a directory"));
        List<String> before = names(dir);
        for (Case c : cases) {
            assertThatThrownBy(() -> VersionedDirectory.checkWritable(c.path())).as(c.path().toString())
                    .isInstanceOf(FileSystemException.class).hasMessageContaining(c.message());
            assertThatThrownBy(() -> save(c.path(), 1)).as(c.path().toString())
                    .isInstanceOf(FileSystemException.class).hasMessageContaining(c.message());
        }
        assertThat(names(dir)).isEqualTo(before);
        assertThat(names(dir.resolve("real"))).isEmpty();
    }

    /** Where even root may not create a directory (sysfs), the check finds out by trying, and leaves nothing. */
    @Test
    void aPlaceWhereNoDirectoryCanBeMadeIsFoundByTrying() throws IOException {
        Path sys = Path.of("/sys");
        if (!Files.isDirectory(sys)) {
            return; // not Linux: covered by the permission checks of the operating system at hand
        }
        assertThatThrownBy(() -> VersionedDirectory.checkWritable(sys.resolve("vecgrad-test/m")))
                .isInstanceOf(FileSystemException.class);
        assertThat(sys.resolve("vecgrad-test")).doesNotExist();
        Path missing = dir.resolve("a/b/c");
        VersionedDirectory.checkWritable(missing);
        assertThat(dir.resolve("a")).doesNotExist();
    }

    @Test
    void deletingRemovesOnlyWhatSavesWrote() throws IOException {
        Path m = dir.resolve("m");
        save(m, 1);
        save(m, 2);
        VersionedDirectory.delete(m);
        assertThat(m).doesNotExist();
        save(m, 3);
        Files.writeString(m.resolve("README"), "mine");
        VersionedDirectory.delete(m);
        assertThat(names(m)).containsExactly("README");
        VersionedDirectory.delete(dir.resolve("absent"));
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("a.txt"), "keep");
        assertThatThrownBy(() -> VersionedDirectory.delete(docs)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(names(docs)).containsExactly("a.txt");
    }

    @Test
    void readingWhatHoldsNoSaveSaysSo() throws IOException {
        assertThatThrownBy(() -> read(dir.resolve("absent"))).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("no such directory");
        assertThatThrownBy(() -> read(dir)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("no complete save (no 'current' file)");
        Path m = dir.resolve("m");
        save(m, 1);
        Files.delete(VersionedDirectory.current(m).resolve("b.bin"));
        assertThatThrownBy(() -> read(m)).as("a file missing from the current save is reported, not retried")
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("b.bin");
        Path named = VersionedDirectory.current(m);
        Files.delete(named.resolve("a.bin"));
        Files.delete(named);
        assertThatThrownBy(() -> read(m)).as("a missing save is named as such").isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(m.resolve("current") + ": names " + named.getFileName() + ", which is missing");
        Files.writeString(m.resolve("current"), "x\u001b[31mred\n".repeat(3));
        assertThatThrownBy(() -> read(m)).isInstanceOf(TensorFileException.class)
                .hasMessageContaining("does not name a save").hasMessageNotContaining("\u001b");
    }

    /**
     * Readers beside two writers: every read returns one whole save (both files of the same
     * version) and never fails, each reader sees versions in order, and the writers, which take
     * turns, number their saves without a gap.
     */
    @Test
    void readersBesideTwoWritersSeeOneWholeSaveEveryTime() throws Exception {
        Path m = dir.resolve("m");
        save(m, 1);
        int savesPerWriter = 60;
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger version = new AtomicInteger(1);
        AtomicInteger reads = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < savesPerWriter; i++) {
                        save(m, version.incrementAndGet());
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            readers.add(Thread.ofPlatform().start(() -> {
                try {
                    while (writing.get()) {
                        read(m);
                        reads.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        writing.set(false);
        for (Thread t : readers) {
            t.join();
        }
        assertThat(failures).isEmpty();
        assertThat(reads.get()).isPositive();
        assertThat(VersionedDirectory.current(m).getFileName().toString())
                .as("one save after another, none lost").startsWith(String.format("save-%06d-", 1 + 2 * savesPerWriter));
        assertThat(names(m)).hasSize(3);
    }

    /**
     * A writer in another JVM and one here save the same directory at once: the file lock makes
     * them take turns (the save numbers count every save of both), and a reader here never fails.
     */
    @Test
    void writersInTwoProcessesTakeTurns() throws Exception {
        Path m = dir.resolve("m");
        save(m, 1);
        int saves = 40;
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                WriterChild.class.getName(), m.toString(), String.valueOf(saves)).redirectErrorStream(true).start();
        AtomicBoolean childRunning = new AtomicBoolean(true);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                while (childRunning.get()) {
                    read(m);
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        });
        try {
            for (int i = 0; i < saves; i++) {
                save(m, 1000 + i);
            }
            assertThat(child.waitFor()).as(new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .isZero();
        } finally {
            childRunning.set(false);
            child.destroyForcibly();
            reader.join();
        }
        assertThat(failures).isEmpty();
        assertThat(VersionedDirectory.current(m).getFileName().toString()).startsWith(String.format("save-%06d-",
                1 + 2 * saves));
    }

    /** Saves {@code args[1]} versions into {@code args[0]}, reading each back. */
    static final class WriterChild {
        public static void main(String[] args) throws IOException {
            Path m = Path.of(args[0]);
            for (int i = 0; i < Integer.parseInt(args[1]); i++) {
                save(m, 5000 + i);
                read(m);
            }
        }
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
