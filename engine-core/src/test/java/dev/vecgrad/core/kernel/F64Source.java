package dev.vecgrad.core.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Derives the F64 twins of F32 kernel sources, so that each pair has one source: the F64 file is
 * the F32 file with the element type's names swapped ({@code float} to {@code double},
 * {@code FloatVector} to {@code DoubleVector}, {@code sgemm} to {@code dgemm}, ...). Lines that
 * mention {@code (F64Source)} are copied unchanged, so a comment may speak of both files.
 * {@code F64SourceTest} fails while a generated file is stale; to regenerate, run from the
 * repository's root:
 *
 * <pre>{@code
 * java engine-core/src/test/java/dev/vecgrad/core/kernel/F64Source.java
 * }</pre>
 */
public final class F64Source {
    /** Where the kernel sources live, from the repository's root. */
    static final Path KERNELS = Path.of("engine-core/src/main/java/dev/vecgrad/core/kernel");

    /** A generated file and the file it comes from, relative to {@link #KERNELS}. */
    record Pair(String f32, String f64) {
    }

    /** Every generated file. */
    static final List<Pair> PAIRS = List.of(new Pair("gemm/VectorSgemm.java", "gemm/VectorDgemm.java"));

    /** Replacements, in order (longer names before the names inside them). */
    private static final String[][] TOKENS = {
        {"VectorSgemm", "VectorDgemm"}, {"sgemm", "dgemm"}, {"FloatVector", "DoubleVector"}, {"float", "double"},
        {"Float", "Double"}, {"F32", "F64"}, {"f32", "f64"}, {" 0f", " 0.0"},
    };

    private static final String KEEP = "(F64Source)";

    private F64Source() {
    }

    /** The F64 source for the F32 source {@code f32}. */
    static String generate(String f32) {
        StringBuilder out = new StringBuilder(f32.length() + 64);
        for (String line : f32.split("\n", -1)) {
            if (!line.contains(KEEP)) {
                for (String[] t : TOKENS) {
                    line = line.replace(t[0], t[1]);
                }
            }
            out.append(line).append('\n');
        }
        out.setLength(out.length() - 1);
        return out.toString();
    }

    /** Rewrites every generated file under {@code args[0]} (default: the current directory, the repository's root). */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".").resolve(KERNELS);
        for (Pair p : PAIRS) {
            Files.writeString(root.resolve(p.f64()), generate(Files.readString(root.resolve(p.f32()))));
            System.out.println("wrote " + root.resolve(p.f64()));
        }
    }
}
