package dev.vecgrad.core.kernel.gemm;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The packed B buffer of {@link VectorSgemm.Buffers#b} (and VectorDgemm's): off the heap and
 * aligned for the 12-row tile, a Java array for the 3 × 3 tile, reused while large enough, and
 * released once nothing holds it: when a larger one replaces it, or when its thread ends.
 */
class PackedBuffersTest {
    @Test
    void theWideTilesBufferIsAlignedOffHeapAndReusedUntilItMustGrow() {
        VectorSgemm.Buffers buf = new VectorSgemm.Buffers();
        MemorySegment first = buf.b(1000, VectorSgemm.Tile.WIDE);
        assertThat(first.isNative()).isTrue();
        assertThat(first.byteSize()).isEqualTo(1000L * Float.BYTES);
        assertThat(first.address() % VectorSgemm.B_ALIGNMENT).isZero();
        assertThat(VectorSgemm.B_ALIGNMENT % ((long) VectorSgemm.LANES * Float.BYTES)).isZero();
        assertThat(buf.b(1000, VectorSgemm.Tile.WIDE)).isSameAs(first);
        assertThat(buf.b(10, VectorSgemm.Tile.WIDE)).isSameAs(first);

        MemorySegment larger = buf.b(1001, VectorSgemm.Tile.WIDE);
        assertThat(larger).isNotSameAs(first);
        assertThat(larger.isNative()).isTrue();
        assertThat(larger.byteSize()).isEqualTo(1001L * Float.BYTES);
        assertThat(larger.address() % VectorSgemm.B_ALIGNMENT).isZero();

        VectorDgemm.Buffers bufD = new VectorDgemm.Buffers();
        MemorySegment d = bufD.b(333, VectorDgemm.Tile.WIDE);
        assertThat(d.isNative()).isTrue();
        assertThat(d.byteSize()).isEqualTo(333L * Double.BYTES);
        assertThat(d.address() % VectorDgemm.B_ALIGNMENT).isZero();
        assertThat(bufD.b(333, VectorDgemm.Tile.WIDE)).isSameAs(d);
    }

    @Test
    void theSquareTilesBufferIsAJavaArrayAndSwitchingTilesReplacesTheBuffer() {
        VectorSgemm.Buffers buf = new VectorSgemm.Buffers();
        MemorySegment square = buf.b(100, VectorSgemm.Tile.SQUARE);
        assertThat(square.isNative()).isFalse();
        assertThat(square.heapBase()).containsInstanceOf(float[].class);
        assertThat((float[]) square.heapBase().orElseThrow()).hasSize(100);
        assertThat(buf.b(50, VectorSgemm.Tile.SQUARE)).isSameAs(square);

        MemorySegment wide = buf.b(50, VectorSgemm.Tile.WIDE);
        assertThat(wide.isNative()).isTrue();
        assertThat(buf.b(50, VectorSgemm.Tile.SQUARE).isNative()).isFalse();
    }

    @Test
    void aReplacedBufferIsReleased() {
        VectorSgemm.Buffers buf = new VectorSgemm.Buffers();
        WeakReference<MemorySegment.Scope> old = new WeakReference<>(buf.b(4096, VectorSgemm.Tile.WIDE).scope());
        buf.b(8192, VectorSgemm.Tile.WIDE);
        assertThat(collected(old)).as("the replaced buffer's arena is unreachable, so its memory is freed").isTrue();
    }

    @Test
    void aThreadsBufferIsReleasedWhenTheThreadEnds() throws InterruptedException {
        AtomicReference<WeakReference<MemorySegment.Scope>> scope = new AtomicReference<>();
        Thread t = new Thread(() -> {
            int n = 2 * VectorSgemm.NR;
            float[] a = new float[n * n];
            float[] b = new float[n * n];
            float[] c = new float[n * n];
            VectorSgemm.Buffers own = VectorSgemm.buffers();
            VectorSgemm.MACHINE.gemm(false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n, false, own, null, 0, 0, false,
                    VectorSgemm.Tile.WIDE);
            scope.set(new WeakReference<>(own.b(0, VectorSgemm.Tile.WIDE).scope()));
        });
        t.start();
        t.join();
        assertThat(collected(scope.get())).as("the ended thread's buffer is unreachable, so its memory is freed")
                .isTrue();
    }

    /** Whether {@code ref} is cleared within a few collections. */
    private static boolean collected(WeakReference<?> ref) {
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return ref.get() == null;
    }
}
