package dev.vecgrad.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Engine.KernelChoice;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Big elementwise ops and reductions give the same bits on one thread and on two, with either
 * kernel set: work is split at boundaries that depend on the size only, and partial results are
 * combined in a fixed order.
 */
class ThreadDeterminismTest {
    private EngineSwitch saved;

    @BeforeEach
    void save() {
        saved = EngineSwitch.save();
    }

    @AfterEach
    void restore() {
        saved.close();
    }

    private void sameBitsOnOneAndTwoThreads(String what, Function<Tensor, Tensor> f, Tensor x) {
        for (KernelChoice choice : new KernelChoice[] {KernelChoice.VECTOR, KernelChoice.SCALAR}) {
            Tensor one = saved.with(choice, 1, () -> f.apply(x));
            Tensor two = saved.with(choice, 2, () -> f.apply(x));
            assertThat(two.shape()).isEqualTo(one.shape());
            double[] a = one.toDoubleArray(); // F32 values convert exactly
            double[] b = two.toDoubleArray();
            int firstDifference = -1;
            for (int i = 0; i < a.length && firstDifference < 0; i++) {
                if (Double.doubleToLongBits(a[i]) != Double.doubleToLongBits(b[i])) {
                    firstDifference = i;
                }
            }
            assertThat(firstDifference).as("%s with %s kernels: first element that differs", what, choice).isEqualTo(-1);
        }
    }

    @Test
    void bigElementwiseOpsAndReductionsDoNotDependOnTheThreadCount() {
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            Tensor x = Tensor.randomNormal(new Rng(11), 0, 1, 2048, 1031);
            Tensor y = Tensor.randomNormal(new Rng(12), 0, 1, 2048, 1031);
            if (dtype == DType.F64) {
                x = x.cast(DType.F64);
                y = y.cast(DType.F64);
            }
            Tensor other = y;
            Tensor bias = y.slice(0, 0, 1).reshape(1031);
            sameBitsOnOneAndTwoThreads(dtype + " add", t -> t.add(other), x);
            sameBitsOnOneAndTwoThreads(dtype + " mul with row broadcast", t -> t.mul(bias), x);
            sameBitsOnOneAndTwoThreads(dtype + " relu", Tensor::relu, x);
            sameBitsOnOneAndTwoThreads(dtype + " sub transposed", t -> t.transpose().sub(other.transpose()), x);
            sameBitsOnOneAndTwoThreads(dtype + " sum over all", t -> t.sum(null, false), x);
            sameBitsOnOneAndTwoThreads(dtype + " sum over rows", t -> t.sum(new int[] {1}, false), x);
            sameBitsOnOneAndTwoThreads(dtype + " sum over columns", t -> t.sum(new int[] {0}, false), x);
            sameBitsOnOneAndTwoThreads(dtype + " max over rows", t -> t.max(new int[] {1}, false), x);
            sameBitsOnOneAndTwoThreads(dtype + " prod over columns", t -> t.mul(0.001).add(1).prod(new int[] {0}, false), x);
        }
    }
}
