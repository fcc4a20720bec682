package dev.vecgrad.core.kernel.gemm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.Engine;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CpuCaches} reading {@code -Dvecgrad.caches} or a sysfs-like directory, and the GEMM blocks
 * {@link GemmBlocking} derives from them.
 */
class CpuCachesTest {
    @TempDir
    Path dir;

    @Test
    void readsLevelOneDataAndLevelTwoCaches() throws IOException {
        cache("index0", 1, "Data", "48K", 12);
        cache("index1", 1, "Instruction", "32K", 8);
        cache("index2", 2, "Unified", "2048K", 16);
        cache("index3", 3, "Unified", "307200K", 20);
        assertThat(CpuCaches.sysfs(dir)).contains(new CpuCaches(48 << 10, 12, 2 << 20, 64));
        assertThat(CpuCaches.detect(null, dir)).isEqualTo(new CpuCaches.Detection(
                new CpuCaches(48 << 10, 12, 2 << 20, 64), "sysfs"));
    }

    @Test
    void missingOrUnreadableSysfsGivesNothing() throws IOException {
        assertThat(CpuCaches.sysfs(dir.resolve("absent"))).isEmpty();
        cache("index0", 1, "Data", "32K", 8);
        assertThat(CpuCaches.sysfs(dir)).as("no L2").isEmpty();
        cache("index2", 2, "Unified", "lots", 16);
        assertThat(CpuCaches.sysfs(dir)).as("a size that is not a number").isEmpty();
    }

    /** A machine whose sysfs has no cache directory (a KVM guest on an AMD EPYC): getconf's table. */
    @Test
    void readsGetconfsTable() {
        String table = """
                PAGESIZE                           4096
                LEVEL1_ICACHE_SIZE                 32768
                LEVEL1_ICACHE_ASSOC
                LEVEL1_ICACHE_LINESIZE             64
                LEVEL1_DCACHE_SIZE                 49152
                LEVEL1_DCACHE_ASSOC                12
                LEVEL1_DCACHE_LINESIZE             64
                LEVEL2_CACHE_SIZE                  1048576
                LEVEL2_CACHE_ASSOC                 8
                LEVEL2_CACHE_LINESIZE              64
                LEVEL3_CACHE_SIZE                  532676608
                LEVEL4_CACHE_SIZE
                _POSIX_V6_WIDTH_RESTRICTED_ENVS    POSIX_V6_LP64_OFF64
                """;
        assertThat(CpuCaches.getconf(table)).contains(new CpuCaches(48 << 10, 12, 1 << 20, 64));
        assertThat(CpuCaches.getconf(table.replace("49152", "0"))).as("a zero size").isEmpty();
        assertThat(CpuCaches.getconf(table.replace("LEVEL2_CACHE_SIZE ", "LEVEL2_CACHE_SIZE x"))).as("no L2").isEmpty();
        assertThat(CpuCaches.getconf(table.replace("1048576", "1MiB"))).as("not a number").isEmpty();
        assertThat(CpuCaches.getconf(null)).isEmpty();
    }

    /** Without sysfs's directory, the caches come from getconf where it answers, else the fallback. */
    @Test
    void withoutSysfsTheCachesComeFromGetconfOrTheFallback() {
        CpuCaches.Detection d = CpuCaches.detect(null, dir.resolve("absent"));
        assertThat(d.source()).isIn("getconf", "fallback");
        if (d.source().equals("fallback")) {
            assertThat(d.caches()).isEqualTo(CpuCaches.FALLBACK);
        }
        assertThat(Gemm.caches()).isEqualTo(CpuCaches.DETECTED + " (" + CpuCaches.DETECTED_FROM + ")");
    }

    /**
     * {@code -Dvecgrad.caches}: the three parts in any order, spaces around them, sizes in sysfs's
     * notation (either case) or bytes.
     */
    @Test
    void thePropertyDescribesTheCaches() {
        assertThat(CpuCaches.parse("l1=48K/12,l2=2M,line=64")).isEqualTo(new CpuCaches(48 << 10, 12, 2 << 20, 64));
        assertThat(CpuCaches.parse(" line=64 , l2=524288,L1=32k/8")).isEqualTo(new CpuCaches(32 << 10, 8, 512 << 10, 64));
        assertThat(CpuCaches.parse("l1=64K/4,l2=2048K,line=128")).isEqualTo(new CpuCaches(64 << 10, 4, 2 << 20, 128));
    }

    /**
     * A value of {@code -Dvecgrad.caches} that is not a whole, consistent description is refused
     * with an error that names the property, its value and the bad part: never read as something
     * else, nor replaced by this machine's caches.
     */
    @Test
    void aBadPropertyIsRefusedNamingThePart() {
        String[][] cases = {
            {"", "'' is not KEY=VALUE"},
            {"l1=48K/12;l2=2M;line=64", "'l1=48K/12;l2=2M;line=64' is not KEY=VALUE (the parts are separated by commas)"},
            {"l1=48K/12 l2=2M line=64", "'l1=48K/12 l2=2M line=64' is not KEY=VALUE"},
            {"l1=48K/12,,l2=2M,line=64", "'' is not KEY=VALUE"},
            {"l1=48K/12,l2=2M", "'line' is missing"},
            {"l1=48K/12,line=64", "'l2' is missing"},
            {"l1=48K/12,l2=2M,line=64,l3=32M", "unknown key 'l3'"},
            {"l1=48K/12,l2=2M,l2=1M,line=64", "'l2' is given twice"},
            {"l1=48K,l2=2M,line=64", "l1 '48K' is not SIZE/WAYS"},
            {"l1=48KiB/12,l2=2M,line=64", "the L1 size '48KiB' is not a positive size"},
            {"l1=48K/,l2=2M,line=64", "the L1 ways '' is not a positive whole number"},
            {"l1=48K/0,l2=2M,line=64", "the L1 ways '0'"},
            {"l1=48K/12,l2=2MB,line=64", "the L2 size '2MB'"},
            {"l1=48K/12,l2=-2M,line=64", "the L2 size '-2M'"},
            {"l1=48K/12,l2=4096G,line=64", "the L2 size '4096G'"},
            {"l1=48K/12,l2=2M,line=0", "the line size '0'"},
            {"l1=48K/12,l2=2M,line=48", "the line size 48 is not a power of two"},
            {"l1=48K/13,l2=2M,line=64", "an L1 of 49152 B is not a whole number of sets of 13 ways of 64 B lines"},
            {"l1=1K/32,l2=2M,line=64", "an L1 of 1024 B is not a whole number of sets"},
            {"l1=48K/12,l2=2,line=64", "the L2 (2 B) is smaller than the L1 (49152 B)"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> CpuCaches.parse(c[0])).as(c[0]).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("-Dvecgrad.caches=" + c[0] + ": ").hasMessageContaining(c[1])
                    .hasMessageEndingWith("expected e.g. l1=48K/12,l2=2M,line=64");
        }
    }

    /**
     * The property comes first: where it is set, the caches are its own whatever sysfs says, and a
     * bad value is an error rather than a reason to read sysfs; where it is not, sysfs is read.
     */
    @Test
    void thePropertyTakesPrecedenceOverSysfs() throws IOException {
        cache("index0", 1, "Data", "32K", 8);
        cache("index2", 2, "Unified", "512K", 8);
        assertThat(CpuCaches.detect("l1=48K/12,l2=2M,line=64", dir)).isEqualTo(
                new CpuCaches.Detection(new CpuCaches(48 << 10, 12, 2 << 20, 64), "-Dvecgrad.caches"));
        assertThat(CpuCaches.detect(null, dir)).isEqualTo(
                new CpuCaches.Detection(new CpuCaches(32 << 10, 8, 512 << 10, 64), "sysfs"));
        assertThatThrownBy(() -> CpuCaches.detect("l1=48K/12,l2=2M", dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'line' is missing");
        assertThatThrownBy(() -> CpuCaches.detect("l1=48K/12,l2=2M", dir.resolve("absent")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * In a JVM started with {@code -Dvecgrad.caches} (engine-core's surefire executions that run the
     * GEMM tests under other machines' caches), the caches every kernel sizes its blocks by are the
     * property's, and the engine's start line says so; without it they are read from the machine.
     */
    @Test
    void theKernelsUseThePropertyWhereItIsSet() {
        String property = System.getProperty(CpuCaches.PROPERTY);
        if (property != null) {
            assertThat(CpuCaches.DETECTED).isEqualTo(CpuCaches.parse(property));
            assertThat(CpuCaches.DETECTED_FROM).isEqualTo("-Dvecgrad.caches");
        } else {
            assertThat(CpuCaches.DETECTED_FROM).isIn("sysfs", "getconf", "fallback");
        }
        assertThat(Gemm.caches()).isEqualTo(CpuCaches.DETECTED + " (" + CpuCaches.DETECTED_FROM + ")");
        if (Engine.get().isVectorized()) {
            assertThat(Engine.get().describe()).contains("caches " + Gemm.caches());
        }
    }

    /**
     * A bad {@code -Dvecgrad.caches} stops the engine's start with the error that names the part:
     * a child JVM given one (and the Vector API, so that the engine would run the SIMD kernels,
     * which read the caches) runs {@link #main}, and fails with it instead of logging a start line
     * on the scalar kernels or on this machine's caches.
     */
    @Test
    void aBadPropertyStopsTheEngine() throws Exception {
        String classes = Path.of(CpuCaches.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        String tests = Path.of(CpuCachesTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "--add-modules", "jdk.incubator.vector",
                "-Dvecgrad.caches=l1=48K/12,l2=2MB,line=64", "-cp", classes + File.pathSeparator + tests,
                CpuCachesTest.class.getName())).redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isNotZero();
        assertThat(out).contains("IllegalArgumentException: -Dvecgrad.caches=l1=48K/12,l2=2MB,line=64: the L2 size '2MB'")
                .doesNotContain("vecgrad engine:");
    }

    /** Starts the engine and prints its start line, in {@link #aBadPropertyStopsTheEngine}'s child JVM. */
    public static void main(String[] args) {
        System.out.println(Engine.get().describe());
    }

    @Test
    void sizesInSysfsNotation() {
        assertThat(CpuCaches.parseSize("48K")).isEqualTo(49152);
        assertThat(CpuCaches.parseSize("2M")).isEqualTo(2 << 20);
        assertThat(CpuCaches.parseSize("512")).isEqualTo(512);
        assertThatThrownBy(() -> CpuCaches.parseSize("4096G")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> new CpuCaches(0, 8, 1 << 20, 64)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CpuCaches(32 << 10, 8, 1 << 20, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Worked examples: 48 KiB 12-way L1 and 2 MiB L2, f32, 12 × 32 tile, row panels outermost: the A
     * micro-panel is the deepest power of two within three quarters of L1, 36 KiB / (12 · 4 B) =
     * 768 → 512 steps; 1 MiB / (512 · 4 B) = 512 columns; A's block twice L2, 4 MiB / 2 KiB = 2048
     * rows, rounded down to 12s. f64: 36 KiB / (12 · 8 B) = 384 → 256, and the same 2 KiB a row. A
     * 32 KiB L1 gives the same depths: 24 KiB / (12 · 8 B) = 256 at f64, 512 at f32; with a 1 MiB
     * L2, 512 KiB / 2 KiB = 256 columns and 2 MiB / 2 KiB = 1024 → 1020 rows.
     */
    @Test
    void blocksFollowTheCaches() {
        CpuCaches xeon = new CpuCaches(48 << 10, 12, 2 << 20, 64);
        assertThat(GemmBlocking.of(xeon, 4, 12, 32, false)).isEqualTo(new GemmBlocking(512, 512, 2040));
        assertThat(GemmBlocking.of(xeon, 8, 12, 16, false)).isEqualTo(new GemmBlocking(256, 512, 2040));
        CpuCaches older = new CpuCaches(32 << 10, 8, 1 << 20, 64);
        assertThat(GemmBlocking.of(older, 8, 12, 16, false)).isEqualTo(new GemmBlocking(256, 256, 1020));
        assertThat(GemmBlocking.of(older, 4, 12, 32, false)).isEqualTo(new GemmBlocking(512, 256, 1020));
        GemmBlocking odd = GemmBlocking.of(new CpuCaches(40 << 10, 10, 1280 << 10, 64), 8, 12, 16, false);
        assertThat(odd.kc()).as("30 KiB / 96 B = 320 → 256").isEqualTo(256);
        assertThat(odd.nc() % 16).isZero();
        assertThat(odd.mc() % 12).isZero();
        GemmBlocking tiny = GemmBlocking.of(new CpuCaches(4 << 10, 2, 64 << 10, 64), 8, 12, 16, false);
        assertThat(tiny.kc()).isEqualTo(GemmBlocking.MIN_KC);
        assertThat(tiny.nc()).isGreaterThanOrEqualTo(16);
    }

    /**
     * Column panels outermost (the 3 × 3-vector tile of 256-bit vectors): the B micro-panel fills
     * half of L1. 48 KiB L1, 2 MiB L2, f32, 3 × 24: 24 KiB / (24 · 4 B) = 256 steps; B's block 1 MiB
     * / (256 · 4 B) = 1024 columns, rounded down to 24s, 1008; A's block half of L2 too, 1024 rows,
     * rounded down to 3s, 1023. f64, 3 × 12: the same 96 B a step, 256 steps; 1 MiB / 2 KiB = 512,
     * 504 columns and 510 rows. A 32 KiB L1 and 1 MiB L2: 16 KiB / 96 B = 170, 168 steps; 512 KiB /
     * (168 · 4 B) = 780 → 768 columns, 780 rows.
     */
    @Test
    void blocksWithColumnPanelsOutermostKeepBsMicroPanelInL1() {
        CpuCaches xeon = new CpuCaches(48 << 10, 12, 2 << 20, 64);
        assertThat(GemmBlocking.of(xeon, 4, 3, 24, true)).isEqualTo(new GemmBlocking(256, 1008, 1023));
        assertThat(GemmBlocking.of(xeon, 8, 3, 12, true)).isEqualTo(new GemmBlocking(256, 504, 510));
        CpuCaches older = new CpuCaches(32 << 10, 8, 1 << 20, 64);
        assertThat(GemmBlocking.of(older, 4, 3, 24, true)).isEqualTo(new GemmBlocking(168, 768, 780));
        GemmBlocking tiny = GemmBlocking.of(new CpuCaches(4 << 10, 2, 64 << 10, 64), 4, 3, 24, true);
        assertThat(tiny.kc()).isEqualTo(GemmBlocking.MIN_KC);
        assertThat(List.of(tiny.nc() % 24, tiny.mc() % 3)).containsExactly(0, 0);
    }

    /**
     * With an L2 under {@link GemmBlocking#MIN_COLUMN_ORDER_L2} the tiles made for column panels
     * outermost keep their K and N blocks but get the A block of rows outermost, twice L2. 32 KiB
     * L1, 512 KiB L2, f32 5 × 16: 16 KiB / 64 B = 256 steps; 256 KiB / 1 KiB = 256 columns; 1 MiB /
     * 1 KiB = 1024 → 1020 rows (half of L2 would give 255). f64 3 × 12: 16 KiB / 96 B = 170 → 168
     * steps; 256 KiB / 1344 B = 195 → 192 columns; 1 MiB / 1344 B = 780 rows (195). A block of C
     * of 1020 × 256 f32 (1020 KiB) then runs rows outermost, one of 128 × 256 (128 KiB) still
     * columns outermost. With 1 MiB of L2 the A block stays half of L2.
     */
    @Test
    void aSmallL2GivesTheColumnTilesTheRowOrdersABlock() {
        CpuCaches zen3 = new CpuCaches(32 << 10, 8, 512 << 10, 64);
        assertThat(GemmBlocking.columnOrder(zen3)).isFalse();
        assertThat(GemmBlocking.of(zen3, 4, 5, 16, true)).isEqualTo(new GemmBlocking(256, 256, 1020));
        assertThat(GemmBlocking.of(zen3, 8, 3, 12, true)).isEqualTo(new GemmBlocking(168, 192, 780));
        assertThat(GemmBlocking.columnsOuter(zen3, 4, 1020, 256)).isFalse();
        assertThat(GemmBlocking.columnsOuter(zen3, 4, 128, 256)).isTrue();
        CpuCaches zen4 = new CpuCaches(32 << 10, 8, 1 << 20, 64);
        assertThat(GemmBlocking.columnOrder(zen4)).isTrue();
        assertThat(GemmBlocking.of(zen4, 4, 5, 16, true)).isEqualTo(new GemmBlocking(256, 512, 510));
        assertThat(GemmBlocking.of(zen3, 4, 12, 32, false)).as("the 12-row tile's blocks do not change")
                .isEqualTo(new GemmBlocking(512, 128, 504));
    }

    /**
     * A tile made for column panels outermost keeps that order while the block of C fits in half of
     * L2, and runs rows outermost beyond: with 2 MiB of L2, 512 × 512 f32 (1 MiB) and 256 × 264 f64
     * (528 KiB) keep it; 1024 × 528 f32 (2.06 MiB) and 513 × 512 f64 (just over 2 MiB) do not; a
     * 256 KiB L2 takes 128 × 256 f32 (128 KiB), not 128 × 264.
     */
    @Test
    void columnsGoOutermostWhileTheBlockOfCFitsInHalfOfL2() {
        CpuCaches xeon = new CpuCaches(48 << 10, 12, 2 << 20, 64);
        assertThat(GemmBlocking.columnsOuter(xeon, 4, 512, 512)).isTrue();
        assertThat(GemmBlocking.columnsOuter(xeon, 8, 256, 264)).isTrue();
        assertThat(GemmBlocking.columnsOuter(xeon, 4, 1024, 528)).isFalse();
        assertThat(GemmBlocking.columnsOuter(xeon, 8, 513, 512)).isFalse();
        CpuCaches small = new CpuCaches(32 << 10, 8, 256 << 10, 64);
        assertThat(GemmBlocking.columnsOuter(small, 4, 128, 256)).isTrue();
        assertThat(GemmBlocking.columnsOuter(small, 4, 128, 264)).isFalse();
    }

    /**
     * Twelve rows 2 KiB apart (f32, K block 512) on 64 sets of 64-byte lines: filled to 256 steps
     * (16 lines, 17 touched) they cover sets 0–16 and 32–48 six times over; one line of padding
     * leaves six in some set; five lines (the rule's choice here) leave four. The strides for other
     * geometries come from an independent model of the same rule (rows' crowding summed over
     * quarter to full rows, padding 1–16 lines, ties to the shorter).
     */
    @Test
    void packedRowsArePaddedToSpreadOverTheSets() {
        assertThat(GemmBlocking.crowding(64, 12, 32, 16)).isEqualTo(6);
        assertThat(GemmBlocking.crowding(64, 12, 33, 16)).isEqualTo(6);
        assertThat(GemmBlocking.crowding(64, 12, 37, 16)).isEqualTo(4);
        assertThat(GemmBlocking.crowding(4, 3, 1, 0)).as("three one-line rows in consecutive sets").isEqualTo(1);
        assertThat(GemmBlocking.crowding(4, 3, 4, 0)).as("three one-line rows a way apart").isEqualTo(3);
        CpuCaches xeon = new CpuCaches(48 << 10, 12, 2 << 20, 64);
        assertThat(GemmBlocking.rowStride(xeon, 4, 12, 512)).isEqualTo(592);
        assertThat(GemmBlocking.rowStride(xeon, 8, 12, 256)).isEqualTo(296);
        CpuCaches small = new CpuCaches(32 << 10, 8, 1 << 20, 64);
        assertThat(GemmBlocking.rowStride(small, 4, 12, 336)).isEqualTo(368);
        assertThat(GemmBlocking.rowStride(small, 8, 12, 168)).isEqualTo(184);
        CpuCaches wideLines = new CpuCaches(128 << 10, 8, 4 << 20, 128);
        assertThat(GemmBlocking.rowStride(wideLines, 4, 12, 512)).isEqualTo(544);
        assertThat(GemmBlocking.rowStride(wideLines, 8, 12, 512)).isEqualTo(624);
        assertThat(GemmBlocking.rowStride(xeon, 4, 12, 100)).as("a depth that is not whole lines")
                .isGreaterThan(100).isEqualTo(GemmBlocking.rowStride(xeon, 4, 12, 112));
    }

    private void cache(String name, int level, String type, String size, int ways) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.writeString(d.resolve("level"), level + "\n");
        Files.writeString(d.resolve("type"), type + "\n");
        Files.writeString(d.resolve("size"), size + "\n");
        Files.writeString(d.resolve("ways_of_associativity"), ways + "\n");
        Files.writeString(d.resolve("coherency_line_size"), "64\n");
    }
}
