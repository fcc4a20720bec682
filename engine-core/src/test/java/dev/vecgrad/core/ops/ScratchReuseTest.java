package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The primitives that work in per-thread scratch arrays (row broadcasts, column folds, whole-tensor
 * reductions) give the same bits when their scratch holds a bigger, different earlier call's
 * leftovers as on a first call, and agree with plain loops over Java arrays.
 */
class ScratchReuseTest {
    private final Rng rng = new Rng(11);

    @Test
    void aRowBroadcastIsExactAfterALongerRowLeftItsScratchDirty() {
        Tensor a = Tensor.randomUniform(rng, -1, 1, 300, 10);
        Tensor row = Tensor.randomUniform(rng, -1, 1, 10);
        float[] first = a.add(row).toFloatArray();
        Tensor longer = Tensor.randomUniform(rng, -1, 1, 40, 500);
        longer.add(Tensor.randomUniform(rng, -1, 1, 500));
        float[] again = a.add(row).toFloatArray();
        float[] av = a.toFloatArray();
        float[] rv = row.toFloatArray();
        float[] want = new float[av.length];
        for (int i = 0; i < av.length; i++) {
            want[i] = av[i] + rv[i % 10];
        }
        assertThat(first).containsExactly(want);
        assertThat(again).containsExactly(want);
        // The row on the left: a different op order through the same scratch.
        float[] left = row.sub(a).toFloatArray();
        for (int i = 0; i < av.length; i++) {
            assertThat(left[i]).isEqualTo(rv[i % 10] - av[i]);
        }
    }

    @Test
    void columnSumsOfManyRowsRepeatThemselvesAndMatchAPlainSum() {
        Tensor narrow = Tensor.randomUniform(rng, -1, 1, 5000, 3);
        float[] first = narrow.sum(0).toFloatArray();
        Tensor.randomUniform(rng, 5, 9, 3000, 40).sum(0);
        Tensor.randomUniform(rng, 5, 9, 3000, 2).max(0);
        float[] again = narrow.sum(0).toFloatArray();
        assertThat(again).containsExactly(first);
        float[] v = narrow.toFloatArray();
        for (int c = 0; c < 3; c++) {
            double s = 0;
            for (int r = 0; r < 5000; r++) {
                s += v[r * 3 + c];
            }
            assertThat((double) first[c]).isCloseTo(s, within(1e-3));
        }
        float[] maxes = narrow.max(0).toFloatArray();
        for (int c = 0; c < 3; c++) {
            float m = Float.NEGATIVE_INFINITY;
            for (int r = 0; r < 5000; r++) {
                m = Math.max(m, v[r * 3 + c]);
            }
            assertThat(maxes[c]).isEqualTo(m);
        }
    }

    @Test
    void aWholeSumOverManyChunksIsTheSameAfterAShorterOne() {
        Tensor big = Tensor.randomUniform(rng, -1, 1, 5 * StridedLoop.CHUNK + 17);
        double first = big.sum().item();
        Tensor.randomUniform(rng, 100, 200, 2 * StridedLoop.CHUNK + 3).sum();
        assertThat(big.sum().item()).isEqualTo(first);
        double s = 0;
        for (float f : big.toFloatArray()) {
            s += f;
        }
        assertThat(first).isCloseTo(s, within(1e-2));
        Tensor d = big.cast(dev.vecgrad.core.DType.F64);
        assertThat(d.sum().item()).isCloseTo(s, within(1e-9));
    }
}
