package dev.vecgrad.core.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Derives the F64 kernel code from the F32 code, so that each F32/F64 pair has one source: the
 * F64 code is the F32 code with the element type's names swapped ({@code float} to
 * {@code double}, {@code FloatVector} to {@code DoubleVector}, {@code sgemm} to {@code dgemm},
 * {@code 1f} to {@code 1.0}, ...). It works at two scales:
 *
 * <ul>
 *   <li>a whole file ({@link #PAIRS}): {@code VectorDgemm.java} is generated from
 *       {@code VectorSgemm.java}, {@code SmallDgemm.java} from {@code SmallSgemm.java},
 *       {@code DoubleLoops.java} from {@code FloatLoops.java};</li>
 *   <li>a section of a file: the lines between {@code // F64Source: F32 begin} and
 *       {@code // F64Source: F32 end} are followed by a section between
 *       {@code // F64Source: F64 begin} and {@code // F64Source: F64 end} generated from them, so a
 *       class keeps both overloads of a method while only the F32 one is written by hand. Every
 *       file under the kernels' and the ops' folders ({@link #SECTIONED}) is scanned for such
 *       sections.</li>
 * </ul>
 *
 * <p>F32 code that has no F64 counterpart (a kernel that exists for F32 alone) sits between
 * {@code // F64Source: F32 only begin} and {@code // F64Source: F32 only end}, or on a line that
 * ends with {@code // F64Source: F32 only}, and is left out of the F64 code. Lines that mention
 * {@code (F64Source)} are copied unchanged, so a comment may speak of both types.
 * {@code F64SourceTest} (part of the build) fails while generated code is stale; to regenerate,
 * run from the repository's root:
 *
 * <pre>{@code
 * java engine-core/src/test/java/dev/vecgrad/core/kernel/F64Source.java
 * }</pre>
 */
public final class F64Source {
    /** Where the kernel sources live, from the repository's root. */
    static final Path KERNELS = Path.of("engine-core/src/main/java/dev/vecgrad/core/kernel");

    /** The folders whose files may hold F32 sections, from the repository's root. */
    static final List<Path> SECTIONED = List.of(KERNELS, Path.of("engine-core/src/main/java/dev/vecgrad/core/ops"));

    /** A generated file and the file it comes from, relative to {@link #KERNELS}. */
    record Pair(String f32, String f64) {
    }

    /** Every generated file. */
    static final List<Pair> PAIRS = List.of(new Pair("gemm/VectorSgemm.java", "gemm/VectorDgemm.java"),
            new Pair("gemm/SmallSgemm.java", "gemm/SmallDgemm.java"),
            new Pair("elementwise/FloatLoops.java", "elementwise/DoubleLoops.java"));

    static final String F32_BEGIN = "// F64Source: F32 begin";
    static final String F32_END = "// F64Source: F32 end";
    static final String F64_BEGIN = "// F64Source: F64 begin";
    static final String F64_END = "// F64Source: F64 end";
    static final String F32_ONLY_BEGIN = "// F64Source: F32 only begin";
    static final String F32_ONLY_END = "// F64Source: F32 only end";
    static final String F32_ONLY_LINE = "// F64Source: F32 only";

    /** What the generated section's first line says after {@link #F64_BEGIN}. */
    private static final String F64_BEGIN_NOTE =
            " (generated from the F32 section above: edit that one, then run F64Source)";

    /** Replacements, in order (longer names before the names inside them). */
    private static final String[][] TOKENS = {
        {"VectorSgemm", "VectorDgemm"}, {"SmallSgemm", "SmallDgemm"}, {"JAVA_FLOAT", "JAVA_DOUBLE"}, {"sgemm", "dgemm"},
        {"FloatVector", "DoubleVector"}, {"float", "double"},
        {"Float", "Double"}, {"F32", "F64"}, {"f32", "f64"},
    };

    /** A float literal with neither a point nor an exponent ({@code 1f}): becomes {@code 1.0}. */
    private static final Pattern WHOLE_FLOAT = Pattern.compile("(?<![\\w.])(\\d+)[fF]\\b");

    /** A float literal with a point or an exponent ({@code 0.5f}, {@code 1e-7f}): loses its suffix. */
    private static final Pattern REAL_FLOAT =
            Pattern.compile("(?<![\\w.])(\\d+\\.\\d*(?:[eE][-+]?\\d+)?|\\d+[eE][-+]?\\d+)[fF]\\b");

    private static final String KEEP = "(F64Source)";

    private F64Source() {
    }

    /** The F64 code for the F32 code {@code f32}: names swapped, F32-only lines left out. */
    static String generate(String f32) {
        StringBuilder out = new StringBuilder(f32.length() + 64);
        boolean f32Only = false;
        for (String line : f32.split("\n", -1)) {
            String s = line.strip();
            if (s.equals(F32_ONLY_BEGIN) || s.equals(F32_ONLY_END)) {
                if (f32Only == s.equals(F32_ONLY_BEGIN)) {
                    throw new IllegalArgumentException("unbalanced '" + s + "'");
                }
                f32Only = !f32Only;
                continue;
            }
            if (f32Only || s.endsWith(F32_ONLY_LINE)) {
                continue;
            }
            out.append(line.contains(KEEP) ? line : swapNames(line)).append('\n');
        }
        if (f32Only) {
            throw new IllegalArgumentException("'" + F32_ONLY_BEGIN + "' without '" + F32_ONLY_END + "'");
        }
        out.setLength(Math.max(0, out.length() - 1));
        return out.toString();
    }

    private static String swapNames(String line) {
        for (String[] t : TOKENS) {
            line = line.replace(t[0], t[1]);
        }
        line = REAL_FLOAT.matcher(line).replaceAll("$1");
        return WHOLE_FLOAT.matcher(line).replaceAll("$1.0");
    }

    /**
     * {@code source} with the F64 section after each F32 section made anew from it (and added
     * where it is missing). Throws {@link IllegalArgumentException} on a section that does not
     * close.
     */
    static String withGeneratedSections(String source) {
        String[] lines = source.split("\n", -1);
        List<String> out = new ArrayList<>(lines.length + 64);
        for (int i = 0; i < lines.length; i++) {
            out.add(lines[i]);
            if (!lines[i].strip().startsWith(F32_BEGIN)) {
                continue;
            }
            String indent = lines[i].substring(0, lines[i].indexOf(F32_BEGIN));
            int end = closing(lines, i, F32_END);
            List<String> section = List.of(lines).subList(i + 1, end);
            out.addAll(section);
            out.add(lines[end]);
            i = end;
            if (i + 1 < lines.length && lines[i + 1].strip().startsWith(F64_BEGIN)) {
                i = closing(lines, i + 1, F64_END);
            }
            out.add(indent + F64_BEGIN + F64_BEGIN_NOTE);
            if (!section.isEmpty()) {
                out.add(generate(String.join("\n", section)));
            }
            out.add(indent + F64_END);
        }
        return String.join("\n", out);
    }

    /** The index of the first line after {@code from} that is {@code marker}. */
    private static int closing(String[] lines, int from, String marker) {
        for (int j = from + 1; j < lines.length; j++) {
            String s = lines[j].strip();
            if (s.equals(marker)) {
                return j;
            }
            if (s.startsWith(F32_BEGIN) || s.startsWith(F64_BEGIN)) {
                break;
            }
        }
        throw new IllegalArgumentException("'" + lines[from].strip() + "' at line " + (from + 1) + " has no '"
                + marker + "'");
    }

    /** Every Java file under {@code folder} that has an F32 section. */
    static List<Path> sectionedFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return Files.readString(p).contains(F32_BEGIN);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }

    /**
     * Rewrites every generated file and section of the repository whose root is {@code args[0]}
     * (default: the current directory).
     */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        Path kernels = root.resolve(KERNELS);
        for (Pair p : PAIRS) {
            write(kernels.resolve(p.f64()), generate(Files.readString(kernels.resolve(p.f32()))));
        }
        for (Path folder : SECTIONED) {
            for (Path file : sectionedFiles(root.resolve(folder))) {
                write(file, withGeneratedSections(Files.readString(file)));
            }
        }
    }

    private static void write(Path file, String text) throws IOException {
        if (!Files.exists(file) || !text.equals(Files.readString(file))) {
            Files.writeString(file, text);
            System.out.println("wrote " + file);
        }
    }
}
