package dev.vecgrad.train.conformance;

import static dev.vecgrad.train.conformance.Keras.close;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.activations.ActivationFunction;
import dev.vecgrad.train.activations.Activations;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The expectations of Keras 3's {@code activations/activations_test.py}, one check per Keras
 * assertion. Where Keras draws inputs with {@code np.random}, they are drawn here from the same
 * ranges and shapes with a fixed seed, and the expected values come from Keras's NumPy reference
 * functions written out in double precision (never from vecgrad's ops). Every check runs on an F64
 * and on an F32 copy of its input, with Keras's tolerances ({@code rtol} 1e-5 where Keras sets it,
 * {@code atol} 1e-6).
 */
class KerasActivationsTest {
    private static final double RTOL = 1e-5;
    private final Random rng = new Random(20261206);

    // ---------------------------------------------------------------------------------------
    // Inputs and checks.

    /** np.random.uniform(lo, hi, dims) as an F64 tensor. */
    private Tensor uniform(double lo, double hi, int... dims) {
        double[] v = new double[Arrays.stream(dims).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * rng.nextDouble();
        }
        return Tensor.of(v, dims);
    }

    /** np.random.random(dims). */
    private Tensor random(int... dims) {
        return uniform(0, 1, dims);
    }

    /** {@code assertAllClose(f(x), ref(x), rtol)} elementwise, on x in F64 and in F32. */
    private static void each(ActivationFunction f, DoubleUnaryOperator ref, Tensor x, double rtol) {
        for (DType dtype : new DType[] {DType.F64, DType.F32}) {
            Tensor in = x.cast(dtype);
            Tensor y = f.apply(in);
            assertThat(y.dtype()).isEqualTo(dtype);
            assertThat(y.shape()).isEqualTo(in.shape());
            close(y, Arrays.stream(in.toDoubleArray()).map(ref).toArray(), rtol, 1e-6);
        }
    }

    private static void each(ActivationFunction f, DoubleUnaryOperator ref, Tensor x) {
        each(f, ref, x, RTOL);
    }

    /** {@code assertAllClose(f(x), expected)} for an activation that is not elementwise. */
    private static void whole(ActivationFunction f, Tensor x, double[] expected, double rtol) {
        for (DType dtype : new DType[] {DType.F64, DType.F32}) {
            Tensor y = f.apply(x.cast(dtype));
            assertThat(y.dtype()).isEqualTo(dtype);
            assertThat(y.shape()).isEqualTo(x.shape());
            close(y, expected, rtol, 1e-6);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Keras's NumPy references.

    private static double refSoftplus(double x) {
        return Math.log(1 + Math.exp(x));
    }

    private static double refSigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double z = Math.exp(x);
        return z / (1 + z);
    }

    private static double refHardSigmoid(double x) {
        double y = x / 6.0 + 0.5;
        return y <= 0 ? 0 : y >= 1 ? 1 : y;
    }

    private static double refHardSilu(double x) {
        return x * Math.min(Math.max(0, x + 3), 6) / 6;
    }

    private static double refSparseSigmoid(double x) {
        return x <= -1 ? 0 : x >= 1 ? 1 : 0.5 * (x + 1);
    }

    private static double refMish(double x) {
        return x * Math.tanh(refSoftplus(x));
    }

    /** Standard normal CDF by erf's Taylor series (ample for the inputs in [0, 1] Keras uses). */
    private static double phi(double x) {
        double z = x / Math.sqrt(2);
        double sum = 0;
        double term = z;
        for (int n = 0; n < 60; n++) {
            sum += term / (2 * n + 1);
            term *= -z * z / (n + 1);
        }
        return 0.5 * (1 + 2 / Math.sqrt(Math.PI) * sum);
    }

    /**
     * {@code _ref_softmax} (or {@code _ref_log_softmax}) applied to every slice of x over
     * {@code axes}: the values sharing their coordinates off those axes form one distribution.
     */
    private static double[] refSoftmax(Tensor x, boolean log, int... axes) {
        int[] dims = x.shape().toArray();
        double[] v = x.toDoubleArray();
        boolean[] reduced = new boolean[dims.length];
        for (int a : axes) {
            reduced[a < 0 ? a + dims.length : a] = true;
        }
        int[] key = new int[v.length];
        Map<Integer, double[]> maxAndSum = new HashMap<>();
        for (int i = 0; i < v.length; i++) {
            int rest = i;
            int k = 0;
            int scale = 1;
            for (int d = dims.length - 1; d >= 0; d--) {
                int coordinate = rest % dims[d];
                rest /= dims[d];
                if (!reduced[d]) {
                    k += coordinate * scale;
                    scale *= dims[d];
                }
            }
            key[i] = k;
            double[] ms = maxAndSum.computeIfAbsent(k, u -> new double[] {Double.NEGATIVE_INFINITY, 0});
            ms[0] = Math.max(ms[0], v[i]);
        }
        for (int i = 0; i < v.length; i++) {
            double[] ms = maxAndSum.get(key[i]);
            ms[1] += Math.exp(v[i] - ms[0]);
        }
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double[] ms = maxAndSum.get(key[i]);
            out[i] = log ? v[i] - ms[0] - Math.log(ms[1]) : Math.exp(v[i] - ms[0]) / ms[1];
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------
    // Softmax and log-softmax.

    @Test
    void softmax() {
        Tensor x = random(1, 2, 5);
        whole(Activations.softmax(), x, refSoftmax(x, false, -1), RTOL);
    }

    /**
     * Keras's seven softmax (or log-softmax) tests past the first: axis 1 of (1, 2, 5), the tuple
     * (1, 2) of (2, 3, 5), a rank-1 input, (2, 3) of rank 4, (2, 3, 4) of rank 5, axis −1, and the
     * default axis of a (1, 2, 2, 3) input scaled by 10.
     */
    private void overAxes(boolean log, Function<int[], ActivationFunction> make) {
        Tensor x = random(1, 2, 5);
        whole(make.apply(new int[] {1}), x, refSoftmax(x, log, 1), RTOL);
        Tensor x3 = random(2, 3, 5);
        whole(make.apply(new int[] {1, 2}), x3, refSoftmax(x3, log, 1, 2), RTOL);
        Tensor x1 = random(5);
        whole(make.apply(new int[0]), x1, refSoftmax(x1, log, 0), RTOL);
        Tensor x4 = random(2, 3, 4, 5);
        whole(make.apply(new int[] {2, 3}), x4, refSoftmax(x4, log, 2, 3), RTOL);
        Tensor x5 = random(2, 3, 4, 5, 6);
        whole(make.apply(new int[] {2, 3, 4}), x5, refSoftmax(x5, log, 2, 3, 4), RTOL);
        Tensor x2 = random(2, 5);
        whole(make.apply(new int[] {-1}), x2, refSoftmax(x2, log, 1), RTOL);
        Tensor temporal = uniform(0, 10, 1, 2, 2, 3);
        whole(make.apply(new int[0]), temporal, refSoftmax(temporal, log, -1), RTOL);
    }

    @Test
    void softmaxOverAxesAndTuples() {
        overAxes(false, Activations::softmax);
    }

    @Test
    void logSoftmax() {
        overAxes(true, Activations::logSoftmax);
    }

    // ---------------------------------------------------------------------------------------
    // The ReLU family.

    @Test
    void selu() {
        double alpha = 1.6732632423543772848170429916717;
        double scale = 1.0507009873554804934193349852946;
        each(Activations.selu(), x -> x * scale, Tensor.of(new double[] {1, 2}, 1, 1, 2));
        each(Activations.selu(), x -> Math.expm1(x) * scale * alpha, Tensor.of(new double[] {-1, -2}, 1, 1, 2), 1e-6);
    }

    @Test
    void reluWithNegativeSlopeMaxValueAndThreshold() {
        Tensor x = Tensor.of(new double[] {-10, -5, 0, 5, 10});
        whole(Activations.relu(0.5, Double.POSITIVE_INFINITY, 0), x, new double[] {-5, -2.5, 0, 5, 10}, RTOL);
        whole(Activations.relu(0, 5, 0), x, new double[] {0, 0, 0, 5, 5}, RTOL);
        whole(Activations.relu(0, Double.POSITIVE_INFINITY, 5), x, new double[] {0, 0, 0, 0, 10}, RTOL);
        whole(Activations.relu(0, 5, 5), x, new double[] {0, 0, 0, 0, 5}, RTOL);
        whole(Activations.relu(0.5, 5, 5), x, new double[] {-7.5, -5, -2.5, 0, 5}, RTOL);
        whole(Activations.relu(0, 6, 0), Tensor.of(new double[] {-10, -5, 0, 5, 10, 12}),
                new double[] {0, 0, 0, 5, 6, 6}, RTOL);
        whole(Activations.relu(0.5, Double.POSITIVE_INFINITY, 0), x, new double[] {-5, -2.5, 0, 5, 10}, RTOL);
    }

    @Test
    void relu() {
        DoubleUnaryOperator ref = x -> Math.max(0, x);
        each(Activations.relu(), x -> x, uniform(0.1, 10, 1, 2, 5));
        each(Activations.relu(), x -> 0, uniform(-10, -0.1, 1, 2, 5));
        each(Activations.relu(), ref, uniform(-10, 10, 5));
        each(Activations.relu(), ref, uniform(-10, 10, 3, 3, 3));
        each(Activations.relu(), ref, uniform(-1e-7, 1e-7, 2, 5));
        each(Activations.relu(), x -> x, uniform(1e4, 1e5, 2, 5));
        each(Activations.relu(), x -> 0, uniform(-1e5, -1e4, 2, 5));
    }

    @Test
    void leakyRelu() {
        for (double slope : new double[] {0.01, 0.3}) {
            DoubleUnaryOperator ref = x -> x > 0 ? x : slope * x;
            each(Activations.leakyRelu(slope), ref, random(1, 2, 5));
            each(Activations.leakyRelu(slope), ref, uniform(-1, 0, 1, 2, 5));
        }
    }

    @Test
    void relu6() {
        DoubleUnaryOperator ref = x -> Math.min(Math.max(0, x), 6);
        each(Activations.relu6(), ref, uniform(0, 5.9, 1, 2, 5));
        each(Activations.relu6(), ref, uniform(6.1, 10, 1, 2, 5));
        each(Activations.relu6(), ref, uniform(-1, 0, 1, 2, 5));
    }

    @Test
    void elu() {
        each(Activations.elu(), x -> x, random(1, 2, 5));
        each(Activations.elu(), Math::expm1, Tensor.of(new double[] {-1, -2}, 1, 1, 2), 1e-6);
    }

    @Test
    void celu() {
        for (double alpha : new double[] {1.0, 0.5}) {
            each(Activations.celu(alpha), x -> Math.max(x, 0) + alpha * Math.expm1(Math.min(x, 0) / alpha),
                    random(1, 2, 5));
        }
    }

    // ---------------------------------------------------------------------------------------
    // Smooth ones.

    /** The six ranges Keras's softplus, softsign and sigmoid tests draw from. */
    private void sixRanges(ActivationFunction f, DoubleUnaryOperator ref) {
        each(f, ref, uniform(0, 1, 1, 2, 5));
        each(f, ref, uniform(-10, 10, 5));
        each(f, ref, uniform(-10, 10, 3, 3, 3));
        each(f, ref, uniform(-1e-7, 1e-7, 2, 5));
        each(f, ref, uniform(10, 100, 2, 5));
        each(f, ref, uniform(-100, -10, 2, 5));
    }

    @Test
    void softplus() {
        sixRanges(Activations.softplus(), KerasActivationsTest::refSoftplus);
    }

    @Test
    void softsign() {
        sixRanges(Activations.softsign(), x -> x / (1 + Math.abs(x)));
    }

    @Test
    void sigmoid() {
        sixRanges(Activations.sigmoid(), KerasActivationsTest::refSigmoid);
    }

    @Test
    void silu() {
        DoubleUnaryOperator ref = x -> x / (1 + Math.exp(-x));
        each(Activations.silu(), ref, uniform(0, 5.9, 1, 2, 5));
        each(Activations.silu(), ref, uniform(-1, 1, 1, 2, 5));
        each(Activations.silu(), ref, uniform(-5.9, 0, 1, 2, 5));
    }

    @Test
    void gelu() {
        each(Activations.gelu(), x -> x * phi(x), random(1, 2, 5));
        each(Activations.geluApproximate(),
                x -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * Math.pow(x, 3)))),
                random(1, 2, 5));
    }

    /** The eight ranges Keras's tanh, exponential and mish tests draw from. */
    private void eightRanges(ActivationFunction f, DoubleUnaryOperator ref) {
        each(f, ref, random(1, 2, 5));
        each(f, ref, uniform(-10, 10, 1, 2, 5));
        each(f, ref, uniform(-10, 10, 5));
        each(f, ref, uniform(-10, 10, 3, 3, 3));
        each(f, ref, uniform(0, 10, 2, 5));
        each(f, ref, uniform(-10, 0, 2, 5));
        each(f, ref, uniform(-1e-7, 1e-7, 2, 5));
        each(f, ref, uniform(1e4, 1e5, 2, 5));
    }

    @Test
    void tanh() {
        eightRanges(Activations.tanh(), Math::tanh);
    }

    @Test
    void exponential() {
        eightRanges(Activations.exponential(), Math::exp);
    }

    @Test
    void mish() {
        eightRanges(Activations.mish(), KerasActivationsTest::refMish);
    }

    @Test
    void glu() {
        Tensor x = random(1, 2, 4);
        double[] v = x.toDoubleArray();
        double[] last = new double[4];
        double[] middle = new double[4];
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 2; c++) {
                last[r * 2 + c] = v[r * 4 + c] * refSigmoid(v[r * 4 + c + 2]);
            }
        }
        for (int c = 0; c < 4; c++) {
            middle[c] = v[c] * refSigmoid(v[4 + c]);
        }
        for (DType dtype : new DType[] {DType.F64, DType.F32}) {
            Tensor halvesOfLast = Activations.glu().apply(x.cast(dtype));
            assertThat(halvesOfLast.shape().toArray()).containsExactly(1, 2, 2);
            close(halvesOfLast, last, RTOL, 1e-6);
            Tensor halvesOfMiddle = Activations.glu(-2).apply(x.cast(dtype));
            assertThat(halvesOfMiddle.shape().toArray()).containsExactly(1, 1, 4);
            close(halvesOfMiddle, middle, RTOL, 1e-6);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Hard and sparse ones.

    @Test
    void hardSigmoid() {
        ActivationFunction f = Activations.hardSigmoid();
        each(f, KerasActivationsTest::refHardSigmoid, uniform(0, 1, 1, 2, 5));
        each(f, KerasActivationsTest::refHardSigmoid, uniform(-10, 10, 5));
        each(f, KerasActivationsTest::refHardSigmoid, uniform(-10, 10, 3, 3, 3));
        each(f, x -> 1, uniform(5, 10, 2, 5));
    }

    @Test
    void sparseSigmoid() {
        ActivationFunction f = Activations.sparseSigmoid();
        each(f, KerasActivationsTest::refSparseSigmoid, uniform(0, 1, 1, 2, 5));
        each(f, KerasActivationsTest::refSparseSigmoid, uniform(-10, 10, 5));
        each(f, KerasActivationsTest::refSparseSigmoid, uniform(-10, 10, 3, 3, 3));
        each(f, KerasActivationsTest::refSparseSigmoid, uniform(10, 100, 2, 5));
        each(f, KerasActivationsTest::refSparseSigmoid, uniform(-100, -10, 2, 5));
    }

    @Test
    void logSigmoid() {
        DoubleUnaryOperator ref = x -> -refSoftplus(-x);
        ActivationFunction f = Activations.logSigmoid();
        each(f, ref, uniform(0, 1, 1, 2, 5));
        each(f, ref, uniform(-10, 10, 5));
        each(f, ref, uniform(-10, 10, 3, 3, 3));
        each(f, ref, uniform(10, 100, 2, 5));
        each(f, ref, uniform(-100, -10, 2, 5));
    }

    @Test
    void hardSilu() {
        ActivationFunction f = Activations.hardSilu();
        each(f, KerasActivationsTest::refHardSilu, uniform(-3, 3, 1, 2, 5));
        each(f, KerasActivationsTest::refHardSilu, uniform(-10, 10, 5));
        each(f, KerasActivationsTest::refHardSilu, uniform(-10, 10, 3, 3, 3));
        each(f, x -> x, uniform(5, 10, 2, 5));
        each(f, x -> 0, uniform(-10, -5, 2, 5));
    }

    @Test
    void shrinksThresholdsAndSquareplus() {
        each(Activations.tanhShrink(), x -> x - Math.tanh(x), random(1, 2, 5));
        each(Activations.hardTanh(), x -> Math.min(Math.max(x, -1), 1), random(1, 2, 5));
        each(Activations.hardShrink(0.5), x -> Math.abs(x) > 0.5 ? x : 0, random(1, 2, 5));
        each(Activations.threshold(0, 0), x -> x > 0 ? x : 0, random(1, 2, 5));
        each(Activations.squareplus(), x -> (x + Math.sqrt(x * x + 4)) / 2, random(1, 2, 5));
        each(Activations.softShrink(0.5), x -> x > 0.5 ? x - 0.5 : x < -0.5 ? x + 0.5 : 0, random(1, 2, 5));
        each(Activations.sparsePlus(), x -> x <= -1 ? 0 : x < 1 ? 0.25 * (x + 1) * (x + 1) : x, random(1, 2, 5));
    }

    @Test
    void linear() {
        each(Activations.linear(), x -> x, random(10, 5));
        each(Activations.linear(), x -> x, uniform(-10, 10, 5));
        each(Activations.linear(), x -> x, uniform(-10, 10, 10, 5));
        each(Activations.linear(), x -> x, uniform(-10, 10, 5, 5, 5));
        each(Activations.linear(), x -> x, uniform(-10, 10, 10, 5).cast(DType.F32));
        Tensor ints = Tensor.of(rng.ints(50, -10, 10).toArray(), 10, 5);
        assertThat(Activations.linear().apply(ints).toIntArray()).containsExactly(ints.toIntArray());
    }

    /** A one-hot of the given shape with 1 at the last position along {@code axis}; ones where the axis has size 1. */
    private static double[] lastAlong(int[] dims, int axis) {
        Tensor idx = Tensor.arange(0, Arrays.stream(dims).reduce(1, (a, b) -> a * b), 1, DType.F64).reshape(dims);
        int a = axis < 0 ? axis + dims.length : axis;
        double[] coordinate = idx.toDoubleArray();
        double[] out = new double[coordinate.length];
        int inner = 1;
        for (int d = a + 1; d < dims.length; d++) {
            inner *= dims[d];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (i / inner) % dims[a] == dims[a] - 1 ? 1 : 0;
        }
        return out;
    }

    @Test
    void sparsemax() {
        Tensor line = Tensor.linspace(1, 12, 12);
        whole(Activations.sparsemax(-1), line, lastAlong(new int[] {12}, -1), 1e-6);
        whole(Activations.sparsemax(-1), line.reshape(6, 2), lastAlong(new int[] {6, 2}, -1), 1e-6);
        whole(Activations.sparsemax(-1), line.reshape(4, 1, 3), lastAlong(new int[] {4, 1, 3}, -1), 1e-6);
        whole(Activations.sparsemax(-2), line.reshape(6, 2), lastAlong(new int[] {6, 2}, -2), 1e-6);
        whole(Activations.sparsemax(-2), line.reshape(4, 1, 3), lastAlong(new int[] {4, 1, 3}, -2), 1e-6);
        whole(Activations.sparsemax(-3), line.reshape(4, 1, 3), lastAlong(new int[] {4, 1, 3}, -3), 1e-6);
        whole(Activations.sparsemax(-3), line.reshape(6, 1, 1, 2), lastAlong(new int[] {6, 1, 1, 2}, -3), 1e-6);
    }

    @Test
    void getByName() {
        assertThat(Activations.isRelu(Activations.get("relu"))).isTrue();
        assertThat(Activations.get(null).name()).isEqualTo("linear");
        assertThatThrownBy(() -> Activations.get("typo")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("typo");
    }
}
