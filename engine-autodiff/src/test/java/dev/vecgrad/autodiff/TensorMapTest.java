package dev.vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The tape's identity map against {@link IdentityHashMap}, through growth and many removals. */
class TensorMapTest {

    @Test
    void behavesLikeAnIdentityHashMapThroughGrowthAndRemovals() {
        Random rng = new Random(20261206);
        List<Tensor> pool = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            pool.add(Tensor.scalar(1.0));   // equal values, distinct tensors: distinct keys
        }
        TensorMap<Integer> map = new TensorMap<>(1);
        IdentityHashMap<Tensor, Integer> reference = new IdentityHashMap<>();
        for (int op = 0; op < 30_000; op++) {
            Tensor t = pool.get(rng.nextInt(op < 10_000 ? pool.size() : pool.size() / 3));
            if (rng.nextInt(3) == 0) {
                map.remove(t);
                reference.remove(t);
            } else {
                assertThat(map.putIfAbsent(t, op)).isEqualTo(reference.putIfAbsent(t, op));
            }
            if (op % 1000 == 999) {
                for (Tensor k : pool) {
                    assertThat(map.get(k)).isEqualTo(reference.get(k));
                    assertThat(map.containsKey(k)).isEqualTo(reference.containsKey(k));
                }
            }
        }
        for (Tensor k : pool) {
            map.remove(k);
        }
        for (Tensor k : pool) {
            assertThat(map.get(k)).isNull();
        }
    }
}
