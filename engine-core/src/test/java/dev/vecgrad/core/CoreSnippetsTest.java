package dev.vecgrad.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The Javadoc examples of engine-core that state a result, as {@code {@snippet}} regions: the
 * Javadoc shows the code between {@code @start} and {@code @end}, this test compiles it, runs it and
 * checks what the comments say it gives.
 */
class CoreSnippetsTest {

    @Test
    void tensorBroadcastsAndSumsRows() {
        // @start region=broadcasting
        Tensor x = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor y = x.mul(2f).add(Tensor.of(new float[] {1, 0, -1}, 3));   // broadcasting
        Tensor rowSums = y.sum(new int[] {1}, false);                     // [12., 30.]
        // @end
        assertThat(rowSums.toFloatArray()).containsExactly(12f, 30f);
        assertThat(rowSums.toString()).endsWith("[12., 30.]");
    }

    @Test
    void shapeCountsAndBroadcasts() {
        // @start region=shape
        Shape s = Shape.of(2, 3);
        int n = s.size();                                            // 6
        Shape both = Shape.broadcast(s, Shape.of(3), "add");         // (2, 3)
        // @end
        assertThat(n).isEqualTo(6);
        assertThat(both).isEqualTo(Shape.of(2, 3));
    }

    @Test
    void gatherTakesRows() {
        // @start region=gather
        Tensor table = Tensor.of(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        Tensor rows = table.gather(Tensor.of(new int[] {2, 0}), 0);   // [[5, 6], [1, 2]]
        // @end
        assertThat(rows.shape()).isEqualTo(Shape.of(2, 2));
        assertThat(rows.toFloatArray()).containsExactly(5f, 6f, 1f, 2f);
    }
}
