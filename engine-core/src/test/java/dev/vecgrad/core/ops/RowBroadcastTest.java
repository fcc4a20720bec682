package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Binary ops between a tensor and a short row repeated down it (the blocked fast path), and
 * between tensors that only look like that (a column, a row of a middle axis, a row too long or as
 * long as the whole), on both sides of non-commutative ops, against index loops in double.
 */
class RowBroadcastTest {
    private final Rng rng = new Rng(59);

    /** {@code a op b} element by element over their broadcast shape. */
    private static double[] expected(Tensor a, Tensor b, boolean divide) {
        Shape shape = Shape.broadcast(a.shape(), b.shape(), "test");
        double[] av = a.broadcastTo(shape.toArray()).contiguous().toDoubleArray();
        double[] bv = b.broadcastTo(shape.toArray()).contiguous().toDoubleArray();
        double[] y = new double[av.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = divide ? av[i] / bv[i] : av[i] - bv[i];
        }
        return y;
    }

    private Tensor values(DType dtype, int... shape) {
        return Tensor.randomUniform(rng, 0.5f, 2, shape).cast(dtype);
    }

    private static void check(String what, Tensor a, Tensor b) {
        for (boolean divide : new boolean[] {false, true}) {
            double[] want = expected(a, b, divide);
            double[] got = (divide ? a.div(b) : a.sub(b)).toDoubleArray();
            double[] wantSwapped = expected(b, a, divide);
            double[] gotSwapped = (divide ? b.div(a) : b.sub(a)).toDoubleArray();
            double tol = a.dtype() == DType.F32 ? 1e-6 : 1e-15;
            for (int i = 0; i < want.length; i++) {
                if (Math.abs(got[i] - want[i]) > tol * 4 || Math.abs(gotSwapped[i] - wantSwapped[i]) > tol * 4) {
                    assertThat(new double[] {got[i], gotSwapped[i]}).as("%s %s [%d]", what, divide ? "div" : "sub", i)
                            .containsExactly(new double[] {want[i], wantSwapped[i]}, within(tol * 4));
                }
            }
        }
    }

    @Test
    void rowsRepeatedDownManyBlocksFromEitherSide() {
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            check(dtype + " 3000x3 and 3", values(dtype, 3000, 3), values(dtype, 3));
            check(dtype + " 20x512 and 1x512", values(dtype, 20, 512), values(dtype, 1, 512));
            check(dtype + " 9x513 and 513", values(dtype, 9, 513), values(dtype, 513));
            check(dtype + " 2x3x4 and 1x1x4", values(dtype, 2, 3, 4), values(dtype, 1, 1, 4));
            check(dtype + " 7x2 and 2", values(dtype, 7, 2), values(dtype, 2));
            // Offset but contiguous: the last 3000 rows of a taller block, and a row sliced from a longer one.
            Tensor tall = values(dtype, 3002, 3).slice(0, 2, 3002);
            Tensor row = values(dtype, 5).slice(0, 1, 4);
            check(dtype + " offset 3000x3 and offset row", tall, row);
        }
    }

    @Test
    void operandsThatAreNotTrailingRowsTakeTheGeneralPath() {
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            check(dtype + " 3x4 and column 3x1", values(dtype, 3, 4), values(dtype, 3, 1));
            check(dtype + " 2x3x4 and 2x1x4", values(dtype, 2, 3, 4), values(dtype, 2, 1, 4));
            check(dtype + " 4x3x2 and 3x1", values(dtype, 4, 3, 2), values(dtype, 3, 1));
            check(dtype + " 6 and 6", values(dtype, 6), values(dtype, 6));
            check(dtype + " 1x6 and 6", values(dtype, 1, 6), values(dtype, 6));
            check(dtype + " transposed 4x3 and 3", values(dtype, 3, 4).transpose(0, 1), values(dtype, 3));
        }
    }
}
