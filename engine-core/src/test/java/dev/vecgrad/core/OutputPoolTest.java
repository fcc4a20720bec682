package dev.vecgrad.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.core.ops.Dispatcher;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class OutputPoolTest {
    private static final Tensor A = Tensor.of(new float[] {-2, -0.5f, 0, 1.5f, 3, -4});
    private static final Tensor B = Tensor.of(new float[] {1, 2, 3, 4, 5, 6});

    private static float[] array(Tensor t) {
        return TensorInternals.f32(t);
    }

    @Test
    void aReleasedOutputIsTheNextOutputOfItsDTypeAndSize() {
        try (OutputPool pool = OutputPool.open()) {
            Tensor y = A.add(B);
            float[] first = array(y);
            pool.release(y);
            Tensor z = A.mul(B);
            assertThat(array(z)).isSameAs(first);
            assertThat(z.toFloatArray()).containsExactly(-2, -1, 0, 6, 15, -24);
            // A different size or dtype does not take it.
            pool.release(z);
            assertThat(array(A.reshape(2, 3).sum(1))).isNotSameAs(first);
            assertThat(TensorInternals.data(A.cast(DType.F64).relu())).isNotSameAs(first);
            assertThat(array(A.relu())).isSameAs(first);
        }
    }

    @Test
    void resultsEqualThoseWithoutAPool() {
        Tensor expected = A.mul(B).add(A).tanh().sub(B.exp());
        try (OutputPool pool = OutputPool.open()) {
            for (int round = 0; round < 3; round++) {
                Tensor p = A.mul(B);
                Tensor q = p.add(A);
                pool.release(p);
                Tensor r = q.tanh();
                pool.release(q);
                Tensor e = B.exp();
                Tensor y = r.sub(e);
                pool.release(r);
                pool.release(e);
                assertThat(y.toFloatArray()).containsExactly(expected.toFloatArray());
                pool.release(y);
            }
        }
    }

    @Test
    void anOpThatWritesPartOfItsOutputGetsAReusedArrayCleared() {
        Tensor indices = Tensor.of(new int[] {2, 0});
        try (OutputPool pool = OutputPool.open()) {
            Tensor filler = Tensor.of(new float[] {7, 7, 7, 7, 7, 7}).add(B);
            float[] reused = array(filler);
            pool.release(filler);
            Tensor hot = indices.oneHot(3);
            assertThat(array(hot)).isSameAs(reused);
            assertThat(hot.toFloatArray()).containsExactly(0, 0, 1, 1, 0, 0);
        }
    }

    @Test
    void releaseRefusesWhatItCannotTakeBack() {
        try (OutputPool pool = OutputPool.open()) {
            assertThatThrownBy(() -> pool.release(A)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not an output of this pool");
            Tensor y = A.add(B);
            assertThatThrownBy(() -> pool.release(y.slice(0, 1, 3))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("view of part");
            TensorInternals.setTag(y, new Object());
            assertThatThrownBy(() -> pool.release(y)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gradient tape still holds it");
            TensorInternals.setTag(y, null);
            Tensor view = y.reshape(3, 2);
            TensorInternals.setTag(view, new Object());
            assertThatThrownBy(() -> pool.release(y)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gradient tape still holds a (3, 2) tensor sharing its array");
            TensorInternals.setTag(view, null);
            pool.release(y.reshape(2, 3));
            assertThatThrownBy(() -> pool.release(y)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("released already");
        }
    }

    @Test
    void aReleasedTensorAndItsViewsCannotBeReadAgain() {
        try (OutputPool pool = OutputPool.open()) {
            Tensor y = A.add(B);
            Tensor column = y.reshape(3, 2).transpose();
            Tensor part = y.slice(0, 2, 5);
            float[] released = array(y);
            pool.release(y);
            Tensor z = A.mul(B);
            assertThat(array(z)).isSameAs(released);
            for (Tensor dead : new Tensor[] {y, column, part}) {
                assertThat(dead.toString()).contains("released to an output pool");
                for (Runnable read : new Runnable[] {() -> dead.toFloatArray(), () -> dead.toDoubleArray(),
                        () -> dead.toIntArray(), () -> dead.get(new int[dead.rank()]), () -> dead.add(1), () -> dead.relu(),
                        () -> dead.reshape(dead.size(), 1), () -> TensorInternals.data(dead)}) {
                    assertThatThrownBy(read::run).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("read after it was released to an OutputPool");
                }
            }
            assertThat(z.toFloatArray()).containsExactly(-2, -1, 0, 6, 15, -24);
        }
    }

    @Test
    void closingStopsThePoolAndKeepsUnreleasedOutputs() {
        Tensor kept;
        OutputPool pool = OutputPool.open();
        Tensor y = A.add(B);
        float[] released = array(y);
        kept = A.mul(B);
        pool.release(y);
        pool.close();
        pool.close();
        assertThat(array(A.sub(B))).isNotSameAs(released);
        assertThat(kept.toFloatArray()).containsExactly(-2, -1, 0, 6, 15, -24);
        assertThatThrownBy(() -> pool.release(kept)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void poolsNestWithOtherAllocatorsAndServeOnlyTheirThread() throws Exception {
        try (OutputPool outer = OutputPool.open()) {
            Tensor y = A.add(B);
            float[] released = array(y);
            outer.release(y);
            Tensor planned = Tensor.zeros(DType.F32, A.shape());
            try (Dispatcher.AllocatorScope plan = Dispatcher.useAllocator((op, dtype, shape) -> planned)) {
                assertThat(A.mul(B)).isSameAs(planned);
            }
            CompletableFuture<Tensor> other = CompletableFuture.supplyAsync(() -> A.mul(B));
            assertThat(array(other.get())).isNotSameAs(released);
            assertThatThrownBy(() -> CompletableFuture.runAsync(outer::close).get())
                    .isInstanceOf(ExecutionException.class).rootCause().isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the thread that opened it");
            assertThat(array(A.mul(B))).isSameAs(released);
        }
    }
}
