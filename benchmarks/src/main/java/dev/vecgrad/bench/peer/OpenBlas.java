package dev.vecgrad.bench.peer;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * OpenBLAS's row-major GEMM ({@code cblas_sgemm}, {@code cblas_dgemm}) and its thread and
 * build queries, called through {@code java.lang.foreign} on the JVM's heap arrays: the calls are
 * {@linkplain Linker.Option#critical(boolean) critical} with heap access allowed, so OpenBLAS
 * reads and writes the {@code float[]}/{@code double[]} in place, with no copy and no native
 * buffer. A library built with 64-bit integers ({@code INTERFACE64}, symbols such as NumPy's
 * bundled {@code cblas_sgemm64_}) is refused: the binding passes 32-bit {@code int}s.
 *
 * <p>OpenBLAS reads {@code OPENBLAS_CORETYPE} (forces a kernel family) and {@code OPENBLAS_L2_SIZE}
 * (its blocking) from the environment when it is loaded; {@link #environmentOverrides()} names
 * those that are set, so that a caller can refuse to time a library that did not pick its own
 * kernel.
 */
public final class OpenBlas {
    /** {@code CBLAS_ORDER.CblasRowMajor}. */
    static final int ROW_MAJOR = 101;
    /** {@code CBLAS_TRANSPOSE.CblasNoTrans}. */
    static final int NO_TRANS = 111;
    /** {@code CBLAS_TRANSPOSE.CblasTrans}. */
    static final int TRANS = 112;
    /** The environment variables OpenBLAS reads at load time that change which kernel or blocking it runs. */
    public static final List<String> ENVIRONMENT = List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");

    private final Path path;
    private final MethodHandle sgemm;
    private final MethodHandle dgemm;
    private final MethodHandle setNumThreads;
    private final MethodHandle getNumThreads;
    private final String config;
    private final String corename;

    private OpenBlas(Path path, SymbolLookup lib) throws Throwable {
        this.path = path;
        Linker linker = Linker.nativeLinker();
        // Critical: no thread-state transition around the call (calls of a few microseconds at 64³
        // would pay it), and heap segments allowed, so the arrays are passed as they are. OpenBLAS on
        // one thread does not call back into Java or block, which a critical call must not do.
        Linker.Option critical = Linker.Option.critical(true);
        sgemm = linker.downcallHandle(symbol(lib, "cblas_sgemm"), FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT,
                ADDRESS, JAVA_INT), critical);
        dgemm = linker.downcallHandle(symbol(lib, "cblas_dgemm"), FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_DOUBLE, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_DOUBLE,
                ADDRESS, JAVA_INT), critical);
        setNumThreads = linker.downcallHandle(symbol(lib, "openblas_set_num_threads"), FunctionDescriptor.ofVoid(JAVA_INT));
        getNumThreads = linker.downcallHandle(symbol(lib, "openblas_get_num_threads"), FunctionDescriptor.of(JAVA_INT));
        config = string(linker, lib, "openblas_get_config");
        corename = string(linker, lib, "openblas_get_corename");
        if (config.contains("USE64BITINT")) {
            throw new IllegalArgumentException(path + " is built with 64-bit integers (" + config
                    + "); this binding passes 32-bit ints: use a build without INTERFACE64, e.g. Debian's libopenblas0-pthread");
        }
    }

    private static MemorySegment symbol(SymbolLookup lib, String name) {
        return lib.find(name).orElseThrow(() -> new IllegalArgumentException("no symbol " + name
                + " in the library (not an OpenBLAS with CBLAS and 32-bit integers?)"));
    }

    private static String string(Linker linker, SymbolLookup lib, String name) throws Throwable {
        MethodHandle h = linker.downcallHandle(symbol(lib, name), FunctionDescriptor.of(ADDRESS));
        MemorySegment s = (MemorySegment) h.invokeExact();
        return s.equals(MemorySegment.NULL) ? "" : s.reinterpret(4096).getString(0).trim();
    }

    /**
     * Loads the OpenBLAS at {@code library} for the life of the JVM (loading the same file again
     * shares the one copy the dynamic linker keeps).
     *
     * @param library a shared library that exports OpenBLAS's CBLAS interface
     * @return the binding
     * @throws IllegalArgumentException when the file cannot be loaded or lacks a symbol the binding needs
     */
    public static OpenBlas load(Path library) {
        SymbolLookup lib;
        try {
            lib = SymbolLookup.libraryLookup(library, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot load " + library + ": " + e.getMessage(), e);
        }
        try {
            return new OpenBlas(library, lib);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Where this machine's OpenBLAS probably is, most likely first: Debian's pthread build, the
     * OpenBLAS beside the library the {@code libblas.so.3} alternative points to (the OpenMP or
     * serial build when one of those is chosen), then the usual unversioned places.
     *
     * @return candidate files, which need not exist
     */
    public static List<Path> candidates() {
        String multiarch = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64" -> "aarch64-linux-gnu";
            case "ppc64le" -> "powerpc64le-linux-gnu";
            case "riscv64" -> "riscv64-linux-gnu";
            default -> System.getProperty("os.arch", "") + "-linux-gnu";
        };
        Path lib = Path.of("/usr/lib", multiarch);
        Set<Path> found = new LinkedHashSet<>();
        found.add(lib.resolve("openblas-pthread/libopenblas.so.0"));
        for (String blas : List.of("libblas.so.3", "libcblas.so.3")) {
            try {
                Path real = lib.resolve(blas).toRealPath();
                found.add(real.resolveSibling("libopenblas.so.0"));
            } catch (IOException | SecurityException e) {
                // No such alternative: nothing to add.
            }
        }
        found.add(lib.resolve("openblas-openmp/libopenblas.so.0"));
        found.add(lib.resolve("libopenblas.so.0"));
        for (String dir : List.of("/usr/lib64", "/usr/lib", "/usr/local/lib", "/opt/OpenBLAS/lib")) {
            found.add(Path.of(dir, "libopenblas.so.0"));
        }
        return new ArrayList<>(found);
    }

    /**
     * The first of {@link #candidates()} that exists.
     *
     * @return its path, or empty when none does
     */
    public static Optional<Path> find() {
        return candidates().stream().filter(Files::isRegularFile).findFirst();
    }

    /**
     * Which of {@link #ENVIRONMENT} are set in {@code env}, as {@code NAME=value}.
     *
     * @param env an environment, {@link System#getenv()} for this process's
     * @return the settings that would change the kernel OpenBLAS picks or its blocking; empty when none is set
     */
    public static List<String> environmentOverrides(Map<String, String> env) {
        List<String> set = new ArrayList<>();
        for (String name : ENVIRONMENT) {
            if (env.get(name) != null) {
                set.add(name + "=" + env.get(name));
            }
        }
        return set;
    }

    /** This process's {@link #environmentOverrides(Map)}. */
    public static List<String> environmentOverrides() {
        return environmentOverrides(System.getenv());
    }

    /**
     * {@code C = op(A)·op(B)} in F32, row-major, as {@code cblas_sgemm(RowMajor, ..., 1, A, lda, B,
     * ldb, 0, C, ldc)}: A stored {@code k×m} when {@code transA}, else {@code m×k}; B stored
     * {@code n×k} when {@code transB}, else {@code k×n}; C {@code m×n} is overwritten.
     *
     * @param transA whether A is stored transposed
     * @param transB whether B is stored transposed
     * @param m rows of C
     * @param n columns of C
     * @param k the depth
     * @param a A, from index 0
     * @param lda A's row stride as stored
     * @param b B, from index 0
     * @param ldb B's row stride as stored
     * @param c C, from index 0
     * @param ldc C's row stride
     * @throws IllegalArgumentException when a dimension is negative or an array is too short for its
     *     rows (checked here: OpenBLAS would read or write past the array)
     */
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int lda, float[] b, int ldb,
            float[] c, int ldc) {
        check(transA, transB, m, n, k, a.length, lda, b.length, ldb, c.length, ldc);
        try {
            sgemm.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, 1f,
                    MemorySegment.ofArray(a), lda, MemorySegment.ofArray(b), ldb, 0f, MemorySegment.ofArray(c), ldc);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * {@code C = op(A)·op(B)} in F64, as {@link #sgemm} in F32.
     *
     * @param transA whether A is stored transposed
     * @param transB whether B is stored transposed
     * @param m rows of C
     * @param n columns of C
     * @param k the depth
     * @param a A, from index 0
     * @param lda A's row stride as stored
     * @param b B, from index 0
     * @param ldb B's row stride as stored
     * @param c C, from index 0
     * @param ldc C's row stride
     * @throws IllegalArgumentException when a dimension is negative or an array is too short
     */
    public void dgemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int lda, double[] b, int ldb,
            double[] c, int ldc) {
        check(transA, transB, m, n, k, a.length, lda, b.length, ldb, c.length, ldc);
        try {
            dgemm.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, 1d,
                    MemorySegment.ofArray(a), lda, MemorySegment.ofArray(b), ldb, 0d, MemorySegment.ofArray(c), ldc);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The bounds OpenBLAS assumes and does not check against the arrays: every stored row inside its array. */
    static void check(boolean transA, boolean transB, int m, int n, int k, int aLen, int lda, int bLen, int ldb,
            int cLen, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative dimension: m=" + m + " n=" + n + " k=" + k);
        }
        fits("A", transA ? k : m, transA ? m : k, lda, aLen);
        fits("B", transB ? n : k, transB ? k : n, ldb, bLen);
        fits("C", m, n, ldc, cLen);
    }

    private static void fits(String name, int rows, int cols, int ld, int len) {
        // CBLAS requires ld >= max(1, cols) even when there are no rows.
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(name + ": leading dimension " + ld + " below its " + cols + " columns");
        }
        if (rows > 0 && cols > 0 && (long) (rows - 1) * ld + cols > len) {
            throw new IllegalArgumentException(name + ": " + rows + "×" + cols + " with stride " + ld
                    + " does not fit " + len + " elements");
        }
    }

    /**
     * Sets the threads OpenBLAS's calls use ({@code openblas_set_num_threads}); with one, a call
     * runs on the calling thread alone.
     *
     * @param threads at least one
     */
    public void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        try {
            setNumThreads.invokeExact(threads);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The threads OpenBLAS's calls use now ({@code openblas_get_num_threads}). */
    public int threads() {
        try {
            return (int) getNumThreads.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The library file this binding loaded. */
    public Path path() {
        return path;
    }

    /** The build configuration OpenBLAS reports ({@code openblas_get_config}), e.g. {@code OpenBLAS 0.3.21 DYNAMIC_ARCH ...}. */
    public String config() {
        return config;
    }

    /** The kernel family OpenBLAS picked for this CPU ({@code openblas_get_corename}), e.g. {@code Zen}. */
    public String corename() {
        return corename;
    }

    /** One line: the file, the build configuration and the kernel. */
    public String describe() {
        return String.format(Locale.ROOT, "%s: %s, kernel %s", path, config, corename);
    }
}
