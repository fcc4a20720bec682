package dev.vecgrad.train.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.data.Batch;
import dev.vecgrad.train.data.Tensors;
import dev.vecgrad.train.layers.Conv2D;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.layers.Flatten;
import dev.vecgrad.train.layers.Layer;
import dev.vecgrad.train.losses.SparseCategoricalCrossentropy;
import dev.vecgrad.train.optimizers.SGD;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What a plan fuses, and that fused plans compute the bits the eager step computes: a dense layer's
 * bias and relu fold into its product, relu's gradient mask into the product that makes the
 * incoming gradient, a convolution's activation into the convolution, and elementwise chains run
 * as one pass.
 */
class FusionTest {

    private static Batch batch(Rng rng, int n, int... features) {
        int[] dims = new int[features.length + 1];
        dims[0] = n;
        System.arraycopy(features, 0, dims, 1, features.length);
        Tensor x = Tensor.randomUniform(rng, -1, 1, dims);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(3);
        }
        return Batch.of(x, Tensor.of(y));
    }

    private static Sequential model(int[] inputShape, Layer... layers) {
        Sequential m = new Sequential();
        for (Layer l : layers) {
            m.add(l);
        }
        m.setSeed(12);
        m.build(inputShape);
        m.compile(CompileOptions.of(new SGD(0.1), new SparseCategoricalCrossentropy(true)).jitCompile(false));
        return m;
    }

    /** Three steps of {@code compiledModel} through a strict compiled step and of {@code eagerModel} eagerly; returns the plan. */
    private static List<String> trainBoth(Sequential compiledModel, Sequential eagerModel, int n, int... features) {
        CompiledStep<Map<String, Double>> step = new CompiledStep<>("trainStep", compiledModel::trainStep,
                compiledModel::weights, 2);
        Rng a = new Rng(3);
        Rng b = new Rng(3);
        for (int i = 0; i < 4; i++) {
            assertThat(step.apply(batch(a, n, features))).isEqualTo(eagerModel.trainStep(batch(b, n, features)));
        }
        assertThat(step.traces()).isEqualTo(2);
        CompiledFitTest.assertSameWeights(compiledModel::weights, eagerModel::weights);
        return step.planSteps();
    }

    @Test
    void aDenseLayersBiasAndReluFoldIntoItsProductAndTheMaskIntoTheGradientsProduct() {
        // 300 units: C blocks with partial register tiles; batch 70 crosses the 12-row tiles.
        int[] shape = {70, 90};
        Sequential compiled = model(shape, new Dense(300, Activations.relu()), new Dense(3));
        Sequential eager = model(shape, new Dense(300, Activations.relu()), new Dense(3));
        List<String> plan = trainBoth(compiled, eager, 70, 90);
        assertThat(plan).anyMatch(s -> s.startsWith("matmul+add+relu["));
        assertThat(plan).anyMatch(s -> s.startsWith("matmul+relu_grad["));
        assertThat(plan).noneMatch(s -> s.startsWith("relu["));
    }

    @Test
    void aConvolutionsActivationFoldsIntoTheConvolution() {
        int[] shape = {6, 7, 7, 2};
        Layer[] c = {new Conv2D(5, 3, 3), new dev.vecgrad.train.layers.Activation("tanh"), new Flatten(), new Dense(3)};
        Layer[] e = {new Conv2D(5, 3, 3), new dev.vecgrad.train.layers.Activation("tanh"), new Flatten(), new Dense(3)};
        List<String> plan = trainBoth(model(shape, c), model(shape, e), 6, 7, 7, 2);
        assertThat(plan).anyMatch(s -> s.startsWith("conv2d+add+tanh[") || s.startsWith("conv2d+tanh["));
    }

    @Test
    void elementwiseChainsRunAsOnePassWithTheSameBits() {
        Tensor row = Tensor.randomUniform(new Rng(5), -1, 1, 70);
        Function<Batch, Tensors> f = b -> Tensors.of(b.x().mul(2).add(row).tanh().mul(b.x()).relu());
        CompiledStep<Tensors> step = new CompiledStep<>("f", f, List::of, 2);
        Rng rng = new Rng(6);
        for (int i = 0; i < 4; i++) {
            // 300 x 70 = 21,000 elements: several chunks, rows that are not whole vectors.
            Batch b = Batch.of(Tensor.randomUniform(rng, -3, 3, 300, 70));
            float[] got = step.apply(b).get(0).toFloatArray();
            assertThat(got).isEqualTo(f.apply(b).get(0).toFloatArray());
            float[] x = b.x().toFloatArray();
            float[] r = row.toFloatArray();
            for (int k = 0; k < x.length; k += 211) {
                double expected = Math.max(0, Math.tanh(2.0 * x[k] + r[k % 70]) * x[k]);
                assertThat((double) got[k]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5));
            }
        }
        assertThat(step.planSteps()).hasSize(1);
        assertThat(step.planSteps().get(0)).startsWith("mul+add+tanh+mul+relu[");
    }

    @Test
    void aValueReadTwiceOrReturnedIsNotFusedAway() {
        Function<Batch, Tensors> f = b -> {
            Tensor t = b.x().exp();
            return Tensors.of(t.add(1).mul(t), t);
        };
        CompiledStep<Tensors> step = new CompiledStep<>("f", f, List::of, 2);
        Rng rng = new Rng(8);
        for (int i = 0; i < 3; i++) {
            Batch b = Batch.of(Tensor.randomUniform(rng, -1, 1, 9, 5));
            Tensors got = step.apply(b);
            Tensors want = f.apply(b);
            assertThat(got.get(0).toFloatArray()).isEqualTo(want.get(0).toFloatArray());
            assertThat(got.get(1).toFloatArray()).isEqualTo(want.get(1).toFloatArray());
        }
        // exp's result is read twice and returned: it stays; add(t, 1) and mul(., t) become one pass.
        assertThat(step.planSteps()).hasSize(2);
        assertThat(step.planSteps().get(0)).startsWith("exp[");
        assertThat(step.planSteps().get(1)).startsWith("add+mul[");
    }

    @Test
    void reductionsOverAxesOfOneAreReadInPlaceWithTheSameBits() {
        // x (9, 1): the sums over axis 1 copy x; the step reads x's array instead, also when x is the batch.
        Function<Batch, Tensors> f = b -> {
            Tensor x = b.x();
            Tensor t = x.mul(3).exp();
            Tensor kept = t.sum(1, true).sub(x);
            return Tensors.of(x.sum(1).mul(2).sum(), t.max(new int[] {1}, false).add(1), kept, x.mean(1));
        };
        CompiledStep<Tensors> step = new CompiledStep<>("f", f, List::of, 2);
        Rng rng = new Rng(9);
        for (int i = 0; i < 4; i++) {
            Batch b = Batch.of(Tensor.randomUniform(rng, -1, 1, 9, 1));
            Tensors got = step.apply(b);
            Tensors want = f.apply(b);
            for (int k = 0; k < 4; k++) {
                assertThat(got.get(k).shape()).isEqualTo(want.get(k).shape());
                assertThat(got.get(k).toFloatArray()).isEqualTo(want.get(k).toFloatArray());
            }
            float[] x = b.x().toFloatArray();
            double total = 0;
            for (float v : x) {
                total += 2.0 * v;
            }
            assertThat(got.get(0).item()).isCloseTo(total, org.assertj.core.data.Offset.offset(1e-5));
            assertThat(got.get(3).toFloatArray()).isEqualTo(x); // the mean over one element, returned: kept
        }
        List<String> plan = step.planSteps();
        // Only the mean over one element (a sum), which the step returns, is still a step.
        assertThat(plan).filteredOn(s -> s.startsWith("sum[F32(9, 1)]")).hasSize(1);
        assertThat(plan).noneMatch(s -> s.startsWith("max["));
        assertThat(plan).anyMatch(s -> s.startsWith("mul+exp["));
    }

    @Test
    void aCopyOfOneBroadcastValueBecomesAnEpilogueOperand() {
        // The reshape of a broadcast copies (a stride-0 vector reshaped to a column); the chain reads the value itself.
        Function<Batch, Tensors> f = b -> {
            Tensor s = b.x().sum();
            Tensor column = s.reshape(1).broadcastTo(9).reshape(9, 1);
            return Tensors.of(b.x().mul(column).add(1), column.neg().reshape(9));
        };
        CompiledStep<Tensors> step = new CompiledStep<>("f", f, List::of, 2);
        Rng rng = new Rng(10);
        for (int i = 0; i < 4; i++) {
            Batch b = Batch.of(Tensor.randomUniform(rng, -1, 1, 9, 1));
            Tensors got = step.apply(b);
            Tensors want = f.apply(b);
            assertThat(got.get(0).toFloatArray()).isEqualTo(want.get(0).toFloatArray());
            assertThat(got.get(1).toFloatArray()).isEqualTo(want.get(1).toFloatArray());
            float[] x = b.x().toFloatArray();
            float sum = (float) b.x().sum().item();
            for (int k = 0; k < 9; k++) {
                assertThat(got.get(0).toFloatArray()[k]).isEqualTo(x[k] * sum + 1);
            }
        }
        assertThat(step.planSteps()).anyMatch(s -> s.startsWith("mul+add["));
        // neg reads the copy through a plain op, so a copy stays for it.
        assertThat(step.planSteps()).anyMatch(s -> s.startsWith("reshape[F32(9,)]->(9, 1)"));

        Function<Batch, Tensors> fusedOnly = b -> {
            Tensor column = b.x().sum().reshape(1).broadcastTo(9).reshape(9, 1);
            return Tensors.of(b.x().mul(column).add(1));
        };
        CompiledStep<Tensors> only = new CompiledStep<>("fusedOnly", fusedOnly, List::of, 2);
        for (int i = 0; i < 4; i++) {
            Batch b = Batch.of(Tensor.randomUniform(rng, -1, 1, 9, 1));
            assertThat(only.apply(b).get(0).toFloatArray()).isEqualTo(fusedOnly.apply(b).get(0).toFloatArray());
        }
        assertThat(only.planSteps()).noneMatch(s -> s.startsWith("reshape[F32(9,)]->(9, 1)"));
    }

    @Test
    void planArraysAreWholeVectors() {
        assertThat(Buffers.length(Buffers.newArray(dev.vecgrad.core.DType.F32, 10))).isEqualTo(16);
        assertThat(Buffers.length(Buffers.newArray(dev.vecgrad.core.DType.F32, 16))).isEqualTo(16);
        assertThat(Buffers.length(Buffers.newArray(dev.vecgrad.core.DType.F64, 10))).isEqualTo(16);
        assertThat(Buffers.length(Buffers.newArray(dev.vecgrad.core.DType.I32, 1))).isEqualTo(16);
        assertThat(Buffers.length(Buffers.newArray(dev.vecgrad.core.DType.F32, 0))).isEqualTo(0);
        Tensor t = Buffers.paddedCopy(Tensor.of(new float[] {1, 2, 3}, 3));
        assertThat(t.toFloatArray()).containsExactly(1, 2, 3);
        assertThat(Buffers.length(Buffers.data(t))).isEqualTo(16);
    }
}
