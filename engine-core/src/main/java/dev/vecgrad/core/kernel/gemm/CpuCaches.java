package dev.vecgrad.core.kernel.gemm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The data caches of one core, which the GEMM kernels size their blocks by: the L1 data cache
 * (size, associativity and line size) and the L2 cache. Read once, on Linux from
 * {@code /sys/devices/system/cpu/cpu0/cache/index*} ({@code level}, {@code type}, {@code size},
 * {@code ways_of_associativity}, {@code coherency_line_size}); where that is not readable,
 * {@link #FALLBACK} (32 KiB 8-way L1 of 64-byte lines, 1 MiB L2, smaller than on any current x86
 * or ARM server core, so blocks stay cache-resident).
 *
 * @param l1Bytes size of the L1 data cache
 * @param l1Ways its associativity
 * @param l2Bytes size of the (per-core share of the) L2 cache
 * @param lineBytes the L1 data cache's line size
 */
record CpuCaches(int l1Bytes, int l1Ways, int l2Bytes, int lineBytes) {
    /** Used when the caches cannot be read. */
    static final CpuCaches FALLBACK = new CpuCaches(32 << 10, 8, 1 << 20, 64);

    /** This machine's caches, read when the class loads. */
    static final CpuCaches DETECTED = detect(Path.of("/sys/devices/system/cpu/cpu0/cache"));

    CpuCaches {
        if (l1Bytes <= 0 || l1Ways <= 0 || l2Bytes <= 0 || lineBytes <= 0) {
            throw new IllegalArgumentException("cache sizes must be positive: L1 " + l1Bytes + " B, " + l1Ways
                    + " ways, " + lineBytes + " B lines, L2 " + l2Bytes + " B");
        }
    }

    /** Reads the sysfs cache directory {@code dir} (one {@code index*} folder a cache), or returns the fallback. */
    static CpuCaches detect(Path dir) {
        int l1 = 0;
        int ways = 0;
        int l2 = 0;
        int line = 0;
        try (var entries = Files.list(dir)) {
            for (Path index : (Iterable<Path>) entries.filter(p -> p.getFileName().toString().startsWith("index"))::iterator) {
                String type = read(index.resolve("type"));
                int level = Integer.parseInt(read(index.resolve("level")));
                int size = parseSize(read(index.resolve("size")));
                if (level == 1 && (type.equals("Data") || type.equals("Unified"))) {
                    l1 = size;
                    ways = Integer.parseInt(read(index.resolve("ways_of_associativity")));
                    line = Integer.parseInt(read(index.resolve("coherency_line_size")));
                } else if (level == 2 && (type.equals("Data") || type.equals("Unified"))) {
                    l2 = size;
                }
            }
        } catch (IOException | RuntimeException e) {
            return FALLBACK;
        }
        return l1 > 0 && ways > 0 && l2 > 0 && line > 0 ? new CpuCaches(l1, ways, l2, line) : FALLBACK;
    }

    /** Parses sysfs's size notation: {@code 48K}, {@code 2048K}, {@code 2M}, or plain bytes. */
    static int parseSize(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("K")) {
            unit = 1 << 10;
        } else if (t.endsWith("M")) {
            unit = 1 << 20;
        } else if (t.endsWith("G")) {
            unit = 1 << 30;
        }
        long v = Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 1)) * unit;
        if (v <= 0 || v > Integer.MAX_VALUE) {
            throw new NumberFormatException("cache size out of range: " + s);
        }
        return (int) v;
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p).trim();
    }

    @Override
    public String toString() {
        return "L1d " + (l1Bytes >> 10) + " KiB " + l1Ways + "-way " + lineBytes + " B lines, L2 " + (l2Bytes >> 10)
                + " KiB";
    }
}
