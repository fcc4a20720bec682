package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Each convolution and pooling primitive keeps the promise of
 * {@link ComputePrimitive#writesEveryElement()}: given an output allocator that hands out arrays
 * full of NaN wherever the promise allows it (as a compiled plan may hand out the previous step's
 * buffer), every result is bit for bit the one computed into fresh zeros.
 */
class ConvOutputContractTest {
    private final Rng rng = new Rng(29);

    private static Tensor dirtyWherePromised(Supplier<Tensor> op) {
        try (Dispatcher.AllocatorScope scope = Dispatcher.useAllocator((p, dtype, shape) ->
                p.writesEveryElement() ? Tensor.full(Double.NaN, dtype, shape.toArray()) : Tensor.zeros(dtype, shape))) {
            return op.get();
        }
    }

    private static void sameIntoDirtyOutputs(String what, Supplier<Tensor> op) {
        Tensor clean = op.get();
        Tensor dirty = dirtyWherePromised(op);
        if (clean.dtype() == DType.F32) {
            assertThat(dirty.toFloatArray()).as(what).containsExactly(clean.toFloatArray());
        } else {
            assertThat(dirty.toDoubleArray()).as(what).containsExactly(clean.toDoubleArray());
        }
        assertThat(clean.toDoubleArray()).as(what + " is finite").doesNotContain(Double.NaN);
    }

    @Test
    void convolutionsAndTheirGradientsWriteOrClearEveryOutputElement() {
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            for (int filters : new int[] {3, 16, 32, 64}) {
                Tensor x = Tensor.randomUniform(rng, -1, 1, 2, 9, 9, 3).cast(dtype);
                Tensor w = Tensor.randomUniform(rng, -1, 1, 3, 3, 3, filters).cast(dtype);
                Tensor b = Tensor.randomUniform(rng, -1, 1, filters).cast(dtype);
                for (Padding padding : Padding.values()) {
                    Attrs.Conv2d attrs = new Attrs.Conv2d(1, 1, 1, 1, padding);
                    String what = dtype + " " + filters + " filters " + padding;
                    sameIntoDirtyOutputs("conv2d " + what, () -> ConvOps.conv2d(x, w, attrs));
                    sameIntoDirtyOutputs("conv2d+bias " + what, () -> ConvOps.conv2d(x, w, b, attrs));
                    sameIntoDirtyOutputs("conv2d+bias+relu " + what, () -> ConvOps.conv2dRelu(x, w, b, attrs));
                    Tensor dy = Tensor.randomUniform(rng, -1, 1, ConvOps.conv2d(x, w, attrs).shape().toArray())
                            .cast(dtype);
                    sameIntoDirtyOutputs("backward input " + what, () -> ConvOps.conv2dBackwardInput(dy, w,
                            new Attrs.Conv2dBackwardInput(attrs, x.shape())));
                    sameIntoDirtyOutputs("backward filter " + what, () -> ConvOps.conv2dBackwardFilter(x, dy,
                            new Attrs.Conv2dBackwardFilter(attrs, w.shape())));
                }
            }
        }
    }

    @Test
    void poolingAndItsGradientsWriteOrClearEveryOutputElement() {
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            Tensor x = Tensor.randomUniform(rng, -1, 1, 2, 9, 9, 5).cast(dtype);
            for (Padding padding : Padding.values()) {
                Attrs.Pool2d attrs = new Attrs.Pool2d(3, 2, 2, 2, padding);
                String what = dtype + " " + padding;
                Tensor dy = Tensor.randomUniform(rng, -1, 1,
                        ConvOps.maxPool2d(x, new int[] {3, 2}, new int[] {2, 2}, padding).shape().toArray()).cast(dtype);
                sameIntoDirtyOutputs("max pool " + what, () -> ConvOps.maxPool2d(x, new int[] {3, 2}, new int[] {2, 2},
                        padding));
                sameIntoDirtyOutputs("avg pool " + what, () -> ConvOps.avgPool2d(x, new int[] {3, 2}, new int[] {2, 2},
                        padding));
                sameIntoDirtyOutputs("max pool backward " + what, () -> ConvOps.maxPool2dBackward(x, dy, attrs));
                sameIntoDirtyOutputs("avg pool backward " + what, () -> ConvOps.avgPool2dBackward(dy,
                        new Attrs.Pool2dBackward(attrs, x.shape())));
            }
        }
    }
}
