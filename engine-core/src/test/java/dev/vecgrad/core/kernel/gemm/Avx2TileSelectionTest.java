package dev.vecgrad.core.kernel.gemm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * In a JVM limited to AVX2 ({@code -XX:UseAVX=2}) the kernels pick their 16-register tiles: 256-bit
 * preferred vectors, {@link Gemm#vectorRegisters()} 16, the packed kernels' 5 × 2-vector tile in
 * f32 and 3 × 3-vector tile in f64. engine-core's {@code avx2} surefire execution runs this class, with the GEMM and
 * convolution tests, under that flag on x86; there the other tests check the 16-register tiles'
 * results, and this one that those tiles are the ones that ran. Skipped, saying why, in a JVM that
 * uses AVX-512 or on a CPU without AVX2 (the JVM lowers {@code UseAVX} to what the CPU has).
 */
class Avx2TileSelectionTest {

    @Test
    void avx2PicksTheSixteenRegisterTiles() {
        int useAvx = Integer.parseInt(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .getVMOption("UseAVX").getValue());
        assumeTrue(useAvx == 2, () -> useAvx > 2
                ? "this JVM uses AVX-512 (UseAVX=" + useAvx + "); engine-core's avx2 surefire execution runs this"
                        + " test under -XX:UseAVX=2"
                : "this CPU has no AVX2: the JVM lowered UseAVX to " + useAvx);

        assertThat(FloatVector.SPECIES_PREFERRED.vectorBitSize()).isEqualTo(256);
        assertThat(Gemm.vectorRegisters()).isEqualTo(16);
        assertThat(VectorSgemm.TILE).isEqualTo(VectorSgemm.Tile.FIVE_ROWS);
        assertThat(VectorSgemm.MR).isEqualTo(5);
        assertThat(VectorSgemm.NR).isEqualTo(2 * FloatVector.SPECIES_256.length());
        assertThat(VectorDgemm.TILE).isEqualTo(VectorDgemm.Tile.SQUARE);
        assertThat(VectorDgemm.NR).isEqualTo(3 * DoubleVector.SPECIES_256.length());
        assertThat(Gemm.registerTile()).isEqualTo("5×2 vectors (f64 3×3)");
    }
}
