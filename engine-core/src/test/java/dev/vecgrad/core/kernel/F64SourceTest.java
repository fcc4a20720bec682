package dev.vecgrad.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The generated F64 kernel sources are what {@link F64Source} makes of their F32 sources today. */
class F64SourceTest {

    @Test
    void everyGeneratedF64SourceIsCurrent() throws IOException {
        // Surefire runs in the module's directory: the kernels are under src/main/java there.
        Path kernels = Path.of("..").resolve(F64Source.KERNELS);
        for (F64Source.Pair p : F64Source.PAIRS) {
            String expected = F64Source.generate(Files.readString(kernels.resolve(p.f32())));
            assertThat(Files.readString(kernels.resolve(p.f64())))
                    .as("%s is stale: edit %s only, then run `java engine-core/src/test/java/dev/vecgrad/core/kernel/"
                            + "F64Source.java` from the repository's root", p.f64(), p.f32())
                    .isEqualTo(expected);
        }
    }

    @Test
    void namesOfTheElementTypeAreSwappedExceptOnKeptLines() {
        assertThat(F64Source.generate("FloatVector v; float[] a = new float[2]; sgemm(a, 0f); // F32\n"
                + "VectorSgemm and VectorDgemm (F64Source)"))
                .isEqualTo("DoubleVector v; double[] a = new double[2]; dgemm(a, 0.0); // F64\n"
                        + "VectorSgemm and VectorDgemm (F64Source)");
    }
}
