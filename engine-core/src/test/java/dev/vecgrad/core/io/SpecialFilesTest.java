package dev.vecgrad.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file reader refuses what is not a regular file before reading it: a FIFO (which would
 * block until a writer comes), a link to {@code /dev/zero} (endless) or {@code /dev/null}, a
 * directory. Each is a {@link TensorFileException} naming the path, within seconds and with
 * almost no allocation (counted on all threads).
 */
class SpecialFilesTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @TempDir
    Path dir;

    @FunctionalInterface
    private interface Reader {
        void read(Path p) throws IOException;
    }

    @Test
    void everyReaderRefusesWhatIsNotARegularFile() throws Exception {
        record Special(Path path, String kind) {
        }
        Path fifo = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mk.waitFor()).isZero();
        List<Special> specials = List.of(new Special(fifo, "a device, FIFO or socket"),
                new Special(Files.createSymbolicLink(dir.resolve("zero"), Path.of("/dev/zero")), "a device, FIFO or socket"),
                new Special(Files.createSymbolicLink(dir.resolve("null"), Path.of("/dev/null")), "a device, FIFO or socket"),
                new Special(Files.createDirectories(dir.resolve("d")), "a directory"));
        Map<String, Reader> readers = new LinkedHashMap<>();
        readers.put("SafeTensors.read", p -> SafeTensors.read(p).close());
        readers.put("Npy.read", Npy::read);
        readers.put("Idx.read", Idx::read);
        readers.put("Idx.readImagesScaled", Idx::readImagesScaled);
        readers.put("RegularFiles.read", p -> RegularFiles.read(p, 1 << 20));
        for (Map.Entry<String, Reader> reader : readers.entrySet()) {
            for (Special special : specials) {
                long before = THREADS.getTotalThreadAllocatedBytes();
                Throwable t = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                    try {
                        reader.getValue().read(special.path());
                        return null;
                    } catch (Throwable e) {
                        return e;
                    }
                }, reader.getKey() + " on " + special.path());
                assertThat(t).as("%s on %s", reader.getKey(), special.path()).isInstanceOf(TensorFileException.class)
                        .hasMessageContaining(special.path().toString())
                        .hasMessageContaining("is " + special.kind() + ", not a regular file");
                assertThat(THREADS.getTotalThreadAllocatedBytes() - before).isLessThan(1 << 20);
            }
        }
    }
}
