package dev.vecgrad.core.kernel.gemm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The data caches of one core, which the GEMM kernels size their blocks by and the elementwise
 * kernels choose their streaming loops by: the L1 data cache
 * (size, associativity and line size) and the L2 cache. Read once, when the class loads: from the
 * system property {@value #PROPERTY} where it is set; else, on Linux, from
 * {@code /sys/devices/system/cpu/cpu0/cache/index*} ({@code level}, {@code type}, {@code size},
 * {@code ways_of_associativity}, {@code coherency_line_size}); where a kernel or hypervisor leaves
 * that directory out, from {@code getconf -a} ({@code LEVEL1_DCACHE_SIZE} and its neighbours, which
 * the C library reads from the CPU itself); where neither answers, {@link #FALLBACK} (32 KiB 8-way
 * L1 of 64-byte lines, 1 MiB L2, no larger than on any current x86 or ARM server core, so blocks
 * stay cache-resident). {@link #DETECTED_FROM} says which.
 *
 * <p>The property describes another machine's caches, so that its blocks and the paths they
 * choose can be run (tested, timed) here:
 * {@code -Dvecgrad.caches=l1=48K/12,l2=2M,line=64} is an L1 data cache of 48 KiB, 12-way, of
 * 64-byte lines and an L2 of 2 MiB. Every part is required, each once, in any order: {@code
 * l1=SIZE/WAYS}, {@code l2=SIZE}, {@code line=BYTES}; a size is a whole number of bytes with an
 * optional {@code K}, {@code M} or {@code G} (binary units), as sysfs writes them. The line is a
 * power of two, the L1 a whole number of sets ({@code WAYS × BYTES} apart) and the L2 no smaller
 * than the L1. A value that breaks any of these fails the class's loading with an
 * {@link IllegalArgumentException} that names the part, rather than falling back to the machine's
 * caches.
 *
 * @param l1Bytes size of the L1 data cache
 * @param l1Ways its associativity
 * @param l2Bytes size of the (per-core share of the) L2 cache
 * @param lineBytes the L1 data cache's line size
 */
public record CpuCaches(int l1Bytes, int l1Ways, int l2Bytes, int lineBytes) {
    /** Used when the caches cannot be read. */
    static final CpuCaches FALLBACK = new CpuCaches(32 << 10, 8, 1 << 20, 64);

    /** Where Linux describes the caches. */
    static final Path SYSFS = Path.of("/sys/devices/system/cpu/cpu0/cache");

    /** The most of getconf's output read: its whole table is a few KiB. */
    static final int GETCONF_MAX_BYTES = 64 << 10;

    /** How long getconf may take before the fallback is used. */
    static final long GETCONF_TIMEOUT_MS = 2_000;

    /** The system property that replaces the detected caches (see the class comment for its form). */
    public static final String PROPERTY = "vecgrad.caches";

    /** {@link #DETECTED_FROM} where the caches come from {@link #PROPERTY}. */
    static final String FROM_PROPERTY = "-D" + PROPERTY;

    private static final Detection DETECTION = detect(System.getProperty(PROPERTY), SYSFS);

    /** This machine's caches, read when the class loads. */
    public static final CpuCaches DETECTED = DETECTION.caches();

    /**
     * Where {@link #DETECTED} came from: {@code "-Dvecgrad.caches"} ({@link #PROPERTY}), {@code
     * "sysfs"}, {@code "getconf"} or {@code "fallback"}.
     */
    static final String DETECTED_FROM = DETECTION.source();

    /** Caches and the place they were read from. */
    record Detection(CpuCaches caches, String source) {
    }

    /**
     * Checks the sizes.
     *
     * @throws IllegalArgumentException if a size, the associativity or the line size is not positive
     */
    public CpuCaches {
        if (l1Bytes <= 0 || l1Ways <= 0 || l2Bytes <= 0 || lineBytes <= 0) {
            throw new IllegalArgumentException("cache sizes must be positive: L1 " + l1Bytes + " B, " + l1Ways
                    + " ways, " + lineBytes + " B lines, L2 " + l2Bytes + " B");
        }
    }

    /**
     * The caches {@code property} describes (the value of {@link #PROPERTY}) unless it is null, else
     * those of the sysfs directory {@code sysfs}, else getconf's, else the fallback.
     *
     * @throws IllegalArgumentException if {@code property} is not null and not a valid description
     */
    static Detection detect(String property, Path sysfs) {
        if (property != null) {
            return new Detection(parse(property), FROM_PROPERTY);
        }
        Optional<CpuCaches> read = sysfs(sysfs);
        if (read.isPresent()) {
            return new Detection(read.get(), "sysfs");
        }
        return getconf(runGetconf()).map(c -> new Detection(c, "getconf")).orElse(new Detection(FALLBACK, "fallback"));
    }

    /**
     * The caches {@code value} describes, in the form of {@link #PROPERTY} (see the class comment):
     * e.g. {@code l1=48K/12,l2=2M,line=64}.
     *
     * @throws IllegalArgumentException naming the part of {@code value} that is missing, unknown,
     *     repeated, not a number, or inconsistent with the others
     */
    static CpuCaches parse(String value) {
        Map<String, String> parts = new HashMap<>();
        for (String part : value.split(",", -1)) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq < 0 || p.indexOf('=', eq + 1) >= 0) {
                throw invalid(value, "'" + p + "' is not KEY=VALUE (the parts are separated by commas)");
            }
            String key = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            if (!key.equals("l1") && !key.equals("l2") && !key.equals("line")) {
                throw invalid(value, "unknown key '" + key + "' (the keys are l1, l2 and line)");
            }
            if (parts.put(key, p.substring(eq + 1).trim()) != null) {
                throw invalid(value, "'" + key + "' is given twice");
            }
        }
        for (String key : new String[] {"l1", "l2", "line"}) {
            if (!parts.containsKey(key)) {
                throw invalid(value, "'" + key + "' is missing");
            }
        }
        String l1 = parts.get("l1");
        int slash = l1.indexOf('/');
        if (slash < 0) {
            throw invalid(value, "l1 '" + l1 + "' is not SIZE/WAYS");
        }
        int l1Bytes = part(value, "the L1 size", l1.substring(0, slash), true);
        int ways = part(value, "the L1 ways", l1.substring(slash + 1), false);
        int l2Bytes = part(value, "the L2 size", parts.get("l2"), true);
        int line = part(value, "the line size", parts.get("line"), false);
        if (Integer.bitCount(line) != 1) {
            throw invalid(value, "the line size " + line + " is not a power of two");
        }
        if ((long) ways * line > l1Bytes || l1Bytes % (ways * line) != 0) {
            throw invalid(value, "an L1 of " + l1Bytes + " B is not a whole number of sets of " + ways + " ways of "
                    + line + " B lines");
        }
        if (l2Bytes < l1Bytes) {
            throw invalid(value, "the L2 (" + l2Bytes + " B) is smaller than the L1 (" + l1Bytes + " B)");
        }
        return new CpuCaches(l1Bytes, ways, l2Bytes, line);
    }

    /**
     * One positive figure of {@link #PROPERTY}'s value {@code value}, {@code what}: a size in
     * sysfs's notation where {@code size}, else a whole number.
     */
    private static int part(String value, String what, String text, boolean size) {
        try {
            int n = size ? parseSize(text) : Integer.parseInt(text.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(value, what + " '" + text.trim() + "' is not a positive " + (size
                ? "size (bytes, or a number with K, M or G)" : "whole number"));
    }

    /** The error for an invalid {@link #PROPERTY}, naming the property, its value and {@code problem}. */
    private static IllegalArgumentException invalid(String value, String problem) {
        return new IllegalArgumentException(FROM_PROPERTY + "=" + value + ": " + problem
                + "; expected e.g. l1=48K/12,l2=2M,line=64");
    }

    /** Reads the sysfs cache directory {@code dir} (one {@code index*} folder a cache); empty where it is absent or incomplete. */
    static Optional<CpuCaches> sysfs(Path dir) {
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
            return Optional.empty();
        }
        return complete(l1, ways, l2, line);
    }

    /**
     * Parses {@code getconf -a}'s table (lines of a name and a value, e.g.
     * {@code LEVEL1_DCACHE_SIZE 49152}); empty where {@code output} is null or lacks a positive
     * L1 data cache size, associativity, line size or L2 size.
     */
    static Optional<CpuCaches> getconf(String output) {
        if (output == null) {
            return Optional.empty();
        }
        Map<String, String> values = new HashMap<>();
        for (String line : output.split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2) {
                values.put(parts[0], parts[1]);
            }
        }
        try {
            return complete(number(values, "LEVEL1_DCACHE_SIZE"), number(values, "LEVEL1_DCACHE_ASSOC"),
                    number(values, "LEVEL2_CACHE_SIZE"), number(values, "LEVEL1_DCACHE_LINESIZE"));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The output of {@code getconf -a}, or null where it cannot be run, fails, or takes too long. */
    private static String runGetconf() {
        Process p = null;
        try {
            p = new ProcessBuilder("getconf", "-a").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            // Its table fits in the pipe's buffer, so it exits without being read; one that does not is not waited for.
            if (!p.waitFor(GETCONF_TIMEOUT_MS, TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                return null;
            }
            try (InputStream in = p.getInputStream()) {
                return new String(in.readNBytes(GETCONF_MAX_BYTES), StandardCharsets.UTF_8);
            }
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (p != null) {
                p.destroyForcibly();
            }
        }
    }

    /** A value of getconf's table as a size: 0 where absent; a value that is not a whole number throws. */
    private static int number(Map<String, String> values, String name) {
        String v = values.get(name);
        if (v == null) {
            return 0;
        }
        long n = Long.parseLong(v);
        return n > 0 && n <= Integer.MAX_VALUE ? (int) n : 0;
    }

    /** The caches, where every figure was found (is positive). */
    private static Optional<CpuCaches> complete(int l1, int ways, int l2, int line) {
        return l1 > 0 && ways > 0 && l2 > 0 && line > 0 ? Optional.of(new CpuCaches(l1, ways, l2, line)) : Optional.empty();
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
