package dev.vecgrad.train.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.data.Batch;
import dev.vecgrad.train.layers.Conv2D;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.layers.Flatten;
import dev.vecgrad.train.losses.SparseCategoricalCrossentropy;
import dev.vecgrad.train.optimizers.SGD;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Replays of a convolution whose kernel adds its tiles into the output (32 filters take the
 * narrow-filter tiles) start from a cleared output every time: after several replays the weights
 * are those of the eager steps, bit for bit. Two calls trace, so six calls replay four times.
 */
class CompiledConvReplayTest {

    @Test
    void manyReplaysOfAThirtyTwoFilterConvolutionMatchEagerSteps() {
        for (int filters : new int[] {16, 32}) {
            float[] eager = weightsAfterSixSteps(filters, false);
            float[] compiled = weightsAfterSixSteps(filters, true);
            assertThat(compiled).as("%d filters", filters).containsExactly(eager);
        }
    }

    private static float[] weightsAfterSixSteps(int filters, boolean jit) {
        Rng rng = new Rng(5);
        int[] labels = new int[16];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextInt(10);
        }
        Batch batch = Batch.of(Tensor.randomUniform(rng, 0, 1, 16, 12, 12, 1), Tensor.of(labels));
        Sequential m = new Sequential().add(Conv2D.builder(filters, 3, 3).build()).add(new Flatten()).add(new Dense(10));
        m.setSeed(3);
        m.build(1, 12, 12, 1);
        m.compile(CompileOptions.of(new SGD(0.1), new SparseCategoricalCrossentropy(true)).jitCompile(jit));
        Function<Batch, Map<String, Double>> step = m.makeTrainFunction();
        for (int s = 0; s < 6; s++) {
            step.apply(batch);
        }
        return m.getWeights().get(0).toFloatArray();
    }
}
