package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Engine;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.kernel.Kernels;
import dev.vecgrad.core.kernel.parallel.Parallel;
import org.junit.jupiter.api.Test;

/**
 * The single-kernel-call path of small unary and binary ops (dense operands, or one value against
 * a dense tensor) against a scalar loop, at sizes around the SIMD width and across the threshold
 * where the strided loop takes over: called directly, it must take exactly the operands it is for,
 * and through the ops every path must agree with the loop.
 */
class FlatPathTest {
    private static final int LIMIT = (int) Parallel.MIN_SPLIT_WORK;
    private static final int[] SIZES = {0, 1, 15, 16, 17, 31, 97, 1000, LIMIT - 1, LIMIT + 3};

    @Test
    void theFlatPathTakesSmallDenseOperandsAndLeavesTheRestToTheLoops() {
        Kernels k = Engine.get().kernels();
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            for (int n : SIZES) {
                boolean small = n < LIMIT;
                Tensor tail = Tensor.randomNormal(new Rng(n), 0, 1, n + 3).cast(dtype).slice(0, 3, n + 3);
                Tensor z = Tensor.randomNormal(new Rng(n + 1), 0, 1, n).cast(dtype);
                double[] tv = tail.toDoubleArray();
                double[] zv = z.toDoubleArray();
                Tensor y = Tensor.zeros(dtype, n);
                assertThat(Primitives.EXP.runFlat(k, tail, y)).as("exp, n=%d", n).isEqualTo(small);
                if (small) {
                    check(y, n, i -> Math.exp(tv[i]), dtype);
                }
                y = Tensor.zeros(dtype, n);
                assertThat(Primitives.SUB.runFlat(k, Tensor.scalar(0.75, dtype), z, y)).isEqualTo(small);
                if (small) {
                    check(y, n, i -> 0.75 - zv[i], dtype);
                }
                y = Tensor.zeros(dtype, n);
                assertThat(Primitives.MUL.runFlat(k, tail, z, y)).isEqualTo(small);
                if (small) {
                    check(y, n, i -> tv[i] * zv[i], dtype);
                }
            }
        }
        // Strided operands (a transposed view, a broadcast row) and integers go to the loops.
        Tensor m = Tensor.randomNormal(new Rng(7), 0, 1, 3, 5);
        assertThat(Primitives.EXP.runFlat(k, m.transpose(), Tensor.zeros(DType.F32, 5, 3))).isFalse();
        assertThat(Primitives.ADD.runFlat(k, m, Tensor.randomNormal(new Rng(8), 0, 1, 5), Tensor.zeros(DType.F32, 3, 5)))
                .isFalse();
        Tensor ints = Tensor.zeros(DType.I32, 4);
        assertThat(Primitives.NEG.runFlat(k, ints, Tensor.zeros(DType.I32, 4))).isFalse();
    }

    @Test
    void binaryOpsWithAScalarOnEitherSideOrADenseOperand() {
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            for (int n : SIZES) {
                Tensor x = Tensor.randomNormal(new Rng(n), 0, 1, n).cast(dtype);
                Tensor z = Tensor.randomNormal(new Rng(n + 1), 0, 1, n).cast(dtype);
                Tensor c = Tensor.scalar(0.75, dtype);
                Tensor oneByOne = Tensor.full(-1.5, dtype, 1, 1);
                double[] xv = x.toDoubleArray();
                double[] zv = z.toDoubleArray();
                check(c.sub(x), n, i -> 0.75 - xv[i], dtype);
                check(x.div(c), n, i -> xv[i] / 0.75, dtype);
                check(x.mul(z), n, i -> xv[i] * zv[i], dtype);
                check(oneByOne.mul(x.reshape(1, n)).reshape(n), n, i -> -1.5 * xv[i], dtype);
                // A contiguous view that starts inside its array (offset) takes the same path.
                Tensor tail = Tensor.randomNormal(new Rng(n + 2), 0, 1, n + 3).cast(dtype).slice(0, 3, n + 3);
                double[] tv = tail.toDoubleArray();
                check(tail.add(x), n, i -> tv[i] + xv[i], dtype);
                check(tail.exp(), n, i -> Math.exp(tv[i]), dtype);
            }
        }
    }

    private static void check(Tensor y, int n, java.util.function.IntToDoubleFunction expected, DType dtype) {
        assertThat(y.size()).isEqualTo(n);
        double[] v = y.toDoubleArray();
        for (int i = 0; i < n; i++) {
            double e = dtype == DType.F32 ? (float) expected.applyAsDouble(i) : expected.applyAsDouble(i);
            assertThat(v[i]).as("n=%d, i=%d, %s", n, i, dtype).isCloseTo(e, org.assertj.core.data.Offset.offset(
                    Math.abs(e) * (dtype == DType.F32 ? 1e-6 : 1e-14) + 1e-30));
        }
    }

    @Test
    void aRecorderMayPushAndPopOthersWhileBeingTold() {
        java.util.List<Primitive<?>> seen = new java.util.ArrayList<>();
        OpRecorder second = new OpRecorder() {
            @Override
            public <A> void recordOp(Primitive<A> op, A attrs, Tensor[] inputs, Tensor output) {
                seen.add(op);
            }
        };
        OpRecorder first = new OpRecorder() {
            @Override
            public <A> void recordOp(Primitive<A> op, A attrs, Tensor[] inputs, Tensor output) {
                Recording.pop(this);       // changes this thread's list while it is being walked
                Recording.push(second);
            }
        };
        Recording.push(first);
        try {
            Tensor x = Tensor.of(new float[] {1, 2});
            x.neg();                       // first sees it, swaps itself for second
            x.exp();                       // only second sees this one
        } finally {
            Recording.pop(first);
            Recording.pop(second);
        }
        assertThat(seen).containsExactly(Primitives.EXP);
        assertThat(Recording.isRecording()).isFalse();
    }
}
