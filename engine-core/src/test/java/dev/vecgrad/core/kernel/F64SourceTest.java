package dev.vecgrad.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The generated F64 kernel code is what {@link F64Source} makes of its F32 source today. */
class F64SourceTest {
    /** Surefire runs in the module's directory: the kernels are under src/main/java there. */
    private static final Path KERNELS = Path.of("..").resolve(F64Source.KERNELS);

    private static final String REGENERATE =
            "edit the F32 code only, then run `java engine-core/src/test/java/dev/vecgrad/core/kernel/F64Source.java` "
                    + "from the repository's root";

    @Test
    void everyGeneratedF64FileIsCurrent() throws IOException {
        for (F64Source.Pair p : F64Source.PAIRS) {
            String expected = F64Source.generate(Files.readString(KERNELS.resolve(p.f32())));
            assertThat(Files.readString(KERNELS.resolve(p.f64())))
                    .as("%s is stale: %s", p.f64(), REGENERATE)
                    .isEqualTo(expected);
        }
    }

    @Test
    void everyGeneratedF64SectionIsCurrent() throws IOException {
        var files = new java.util.ArrayList<Path>();
        for (Path folder : F64Source.SECTIONED) {
            files.addAll(F64Source.sectionedFiles(Path.of("..").resolve(folder)));
        }
        assertThat(files).extracting(f -> f.getFileName().toString())
                .contains("Conv2dKernels.java", "Pool2dKernels.java", "ScalarKernels.java", "Im2col.java",
                        "NormRows.java", "NNOps.java");
        for (Path file : files) {
            String source = Files.readString(file);
            assertThat(source).as("the F64 sections of %s are stale: %s", file, REGENERATE)
                    .isEqualTo(F64Source.withGeneratedSections(source));
        }
    }

    @Test
    void namesOfTheElementTypeAreSwappedExceptOnKeptLines() {
        assertThat(F64Source.generate("FloatVector v; float[] a = new float[2]; sgemm(a, 0f); // F32\n"
                + "VectorSgemm and VectorDgemm (F64Source)"))
                .isEqualTo("DoubleVector v; double[] a = new double[2]; dgemm(a, 0.0); // F64\n"
                        + "VectorSgemm and VectorDgemm (F64Source)");
    }

    @Test
    void floatLiteralsBecomeDoubleLiteralsAndOtherNumbersStay() {
        assertThat(F64Source.generate("x = 1f / n + 0.5f * 1e-7f + 2.f + a1f + 0x1f + 3 + 4.5;"))
                .isEqualTo("x = 1.0 / n + 0.5 * 1e-7 + 2. + a1f + 0x1f + 3 + 4.5;");
    }

    @Test
    void f32OnlyLinesAndBlocksAreLeftOut() {
        assertThat(F64Source.generate("""
                a(float x);
                b(); // F64Source: F32 only
                    // F64Source: F32 only begin
                c();
                    // F64Source: F32 only end
                d();"""))
                .isEqualTo("a(double x);\nd();");
        assertThatThrownBy(() -> F64Source.generate("// F64Source: F32 only begin\nc();"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("F32 only end");
    }

    @Test
    void aSectionIsFollowedByItsGeneratedTwinWhichIsReplacedOnEveryRun() {
        String written = """
                class K {
                    // F64Source: F32 begin
                    void f(float[] a) {
                    }
                    // F64Source: F32 end
                    // F64Source: F64 begin (stale)
                    void f(double[] a, int old) {
                    }
                    // F64Source: F64 end

                    void g() {
                    }
                }""";
        String once = F64Source.withGeneratedSections(written);
        assertThat(once).isEqualTo("""
                class K {
                    // F64Source: F32 begin
                    void f(float[] a) {
                    }
                    // F64Source: F32 end
                    // F64Source: F64 begin (generated from the F32 section above: edit that one, then run F64Source)
                    void f(double[] a) {
                    }
                    // F64Source: F64 end

                    void g() {
                    }
                }""");
        assertThat(F64Source.withGeneratedSections(once)).isEqualTo(once);
        assertThat(F64Source.withGeneratedSections(written.replace("    // F64Source: F64 begin (stale)\n", "")
                .replace("    // F64Source: F64 end\n", "").replace("    void f(double[] a, int old) {\n    }\n", "")))
                .isEqualTo(once);
        assertThatThrownBy(() -> F64Source.withGeneratedSections("// F64Source: F32 begin\nvoid f() {}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("F32 end");
    }
}
