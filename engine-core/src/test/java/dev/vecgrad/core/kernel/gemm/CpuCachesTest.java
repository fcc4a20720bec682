package dev.vecgrad.core.kernel.gemm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CpuCaches} reading a sysfs-like directory, and the GEMM blocks {@link GemmBlocking} derives from it. */
class CpuCachesTest {
    @TempDir
    Path dir;

    @Test
    void readsLevelOneDataAndLevelTwoCaches() throws IOException {
        cache("index0", 1, "Data", "48K", 12);
        cache("index1", 1, "Instruction", "32K", 8);
        cache("index2", 2, "Unified", "2048K", 16);
        cache("index3", 3, "Unified", "307200K", 20);
        assertThat(CpuCaches.detect(dir)).isEqualTo(new CpuCaches(48 << 10, 12, 2 << 20));
    }

    @Test
    void missingOrUnreadableCachesGiveTheFallback() throws IOException {
        assertThat(CpuCaches.detect(dir.resolve("absent"))).isEqualTo(CpuCaches.FALLBACK);
        cache("index0", 1, "Data", "32K", 8);
        assertThat(CpuCaches.detect(dir)).as("no L2").isEqualTo(CpuCaches.FALLBACK);
        cache("index2", 2, "Unified", "lots", 16);
        assertThat(CpuCaches.detect(dir)).as("a size that is not a number").isEqualTo(CpuCaches.FALLBACK);
    }

    @Test
    void sizesInSysfsNotation() {
        assertThat(CpuCaches.parseSize("48K")).isEqualTo(49152);
        assertThat(CpuCaches.parseSize("2M")).isEqualTo(2 << 20);
        assertThat(CpuCaches.parseSize("512")).isEqualTo(512);
        assertThatThrownBy(() -> CpuCaches.parseSize("4096G")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> new CpuCaches(0, 8, 1 << 20)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Worked examples: 48 KiB 12-way L1 and 2 MiB L2 (f32, 12 × 32 tile): (48K - 4K) / (44 · 4 B) = 256
     * steps; 1 MiB / (256 · 4 B) = 1024 columns; 2 MiB / 1 KiB = 2048 rows, rounded down to 12s.
     */
    @Test
    void blocksFollowTheCaches() {
        GemmBlocking big = GemmBlocking.of(new CpuCaches(48 << 10, 12, 2 << 20), 4, 12, 32);
        assertThat(big).isEqualTo(new GemmBlocking(256, 1024, 2040));
        GemmBlocking small = GemmBlocking.of(new CpuCaches(32 << 10, 8, 1 << 20), 8, 12, 16);
        assertThat(small.kc()).isEqualTo(28672 / (28 * 8) / 8 * 8);
        assertThat(small.nc() % 16).isZero();
        assertThat(small.mc() % 12).isZero();
        GemmBlocking tiny = GemmBlocking.of(new CpuCaches(4 << 10, 2, 64 << 10), 8, 12, 16);
        assertThat(tiny.kc()).isEqualTo(GemmBlocking.MIN_KC);
        assertThat(tiny.nc()).isGreaterThanOrEqualTo(16);
    }

    private void cache(String name, int level, String type, String size, int ways) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.writeString(d.resolve("level"), level + "\n");
        Files.writeString(d.resolve("type"), type + "\n");
        Files.writeString(d.resolve("size"), size + "\n");
        Files.writeString(d.resolve("ways_of_associativity"), ways + "\n");
    }
}
