package dev.vecgrad.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Engine.KernelChoice;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.BinaryOps;
import dev.vecgrad.core.ops.Binary;
import dev.vecgrad.core.ops.Unary;
import dev.vecgrad.core.ops.Primitives;
import dev.vecgrad.core.ops.UnaryOps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Tensor ops on strided views (transposed, stepped, flipped, broadcast, offset slices), run
 * once with the engine forced to the scalar kernels and once forced to the vector kernels: exact
 * ops must agree bit for bit, the others within {@link Tolerance}.
 */
class KernelChoiceOpsTest {
    private EngineSwitch saved;
    private final List<String> failures = new ArrayList<>();

    @BeforeEach
    void save() {
        saved = EngineSwitch.save();
    }

    @AfterEach
    void restore() {
        saved.close();
    }

    private static Tensor base(DType dtype, int rows, int cols, long seed) {
        return base(dtype, rows, cols, seed, true);
    }

    /** Normal samples with std 3; with specials, a NaN, a -inf, a -0 and a 1e30 where they fit. */
    private static Tensor base(DType dtype, int rows, int cols, long seed, boolean specials) {
        Tensor t = Tensor.randomNormal(new Rng(seed), 0, 3, rows, cols);
        float[] a = t.toFloatArray();
        if (specials && a.length > 41) {
            a[5] = Float.NaN;
            a[17] = Float.NEGATIVE_INFINITY;
            a[40] = -0f;
            a[41] = 1e30f;
        }
        Tensor f = Tensor.of(a, rows, cols);
        return dtype == DType.F32 ? f : f.cast(DType.F64);
    }

    /** Views of an odd-shaped matrix that reach the kernels with strides other than 1. */
    private static Map<String, Tensor> views(DType dtype) {
        return views(dtype, true);
    }

    private static Map<String, Tensor> views(DType dtype, boolean specials) {
        Tensor b = base(dtype, 37, 53, 1, specials);
        Map<String, Tensor> v = new LinkedHashMap<>();
        v.put("contiguous", b);
        v.put("transposed", b.transpose());
        v.put("columns step 3", b.slice(1, 1, 53, 3));
        v.put("rows step 2 from 2", b.slice(0, 2, 37, 2));
        v.put("flipped", b.flip(1));
        v.put("broadcast column", base(dtype, 37, 1, 2, specials).broadcastTo(37, 53));
        v.put("broadcast row", base(dtype, 1, 53, 3, specials).broadcastTo(37, 53));
        return v;
    }

    private static Map<Unary, Function<Tensor, Tensor>> unaryFunctions() {
        Map<Unary, Function<Tensor, Tensor>> m = new LinkedHashMap<>();
        m.put(Primitives.NEG, UnaryOps::neg);
        m.put(Primitives.ABS, UnaryOps::abs);
        m.put(Primitives.SIGN, UnaryOps::sign);
        m.put(Primitives.EXP, UnaryOps::exp);
        m.put(Primitives.EXPM1, UnaryOps::expm1);
        m.put(Primitives.LOG, UnaryOps::log);
        m.put(Primitives.LOG1P, UnaryOps::log1p);
        m.put(Primitives.SQRT, UnaryOps::sqrt);
        m.put(Primitives.RSQRT, UnaryOps::rsqrt);
        m.put(Primitives.SQUARE, UnaryOps::square);
        m.put(Primitives.RECIPROCAL, UnaryOps::reciprocal);
        m.put(Primitives.SIN, UnaryOps::sin);
        m.put(Primitives.COS, UnaryOps::cos);
        m.put(Primitives.TANH, UnaryOps::tanh);
        m.put(Primitives.SIGMOID, UnaryOps::sigmoid);
        m.put(Primitives.RELU, UnaryOps::relu);
        m.put(Primitives.GELU_TANH, UnaryOps::geluTanh);
        m.put(Primitives.GELU_ERF, UnaryOps::geluErf);
        m.put(Primitives.ERF, UnaryOps::erf);
        m.put(Primitives.SOFTPLUS, UnaryOps::softplus);
        m.put(Primitives.FLOOR, UnaryOps::floor);
        m.put(Primitives.CEIL, UnaryOps::ceil);
        m.put(Primitives.ROUND, UnaryOps::round);
        return m;
    }

    private static Map<Binary, java.util.function.BinaryOperator<Tensor>> binaryFunctions() {
        Map<Binary, java.util.function.BinaryOperator<Tensor>> m = new LinkedHashMap<>();
        m.put(Primitives.ADD, BinaryOps::add);
        m.put(Primitives.SUB, BinaryOps::sub);
        m.put(Primitives.MUL, BinaryOps::mul);
        m.put(Primitives.DIV, BinaryOps::div);
        m.put(Primitives.POW, (a, b) -> BinaryOps.pow(a.abs(), b.mul(0.5)));
        m.put(Primitives.MAXIMUM, BinaryOps::maximum);
        m.put(Primitives.MINIMUM, BinaryOps::minimum);
        m.put(Primitives.RELU_GRAD, BinaryOps::reluGradient);
        m.put(Primitives.EQ, BinaryOps::eq);
        m.put(Primitives.NE, BinaryOps::ne);
        m.put(Primitives.LT, BinaryOps::lt);
        m.put(Primitives.LE, BinaryOps::le);
        m.put(Primitives.GT, BinaryOps::gt);
        m.put(Primitives.GE, BinaryOps::ge);
        return m;
    }

    private Tensor[] scalarAndVector(Supplier<Tensor> f) {
        Tensor s = saved.with(KernelChoice.SCALAR, 1, f);
        Tensor v = saved.with(KernelChoice.VECTOR, 1, f);
        return new Tensor[] {s, v};
    }

    /** Compares vector against scalar results element by element; {@code input} gives x for absolute bounds. */
    private void compare(String what, Tensor[] sv, Tolerance tol, Tensor input) {
        assertThat(sv[1].shape()).as(what).isEqualTo(sv[0].shape());
        double[] want = sv[0].toDoubleArray();
        double[] got = sv[1].toDoubleArray();
        double[] x = input == null ? new double[want.length] : input.toDoubleArray();
        boolean f32 = sv[0].dtype() == DType.F32;
        for (int i = 0; i < want.length && failures.size() < 20; i++) {
            String p = f32 ? tol.checkF32((float) got[i], want[i], x[i]) : tol.checkF64(got[i], want[i], x[i]);
            if (p != null) {
                failures.add(what + " at flat index " + i + ": " + p);
            }
        }
    }

    @Test
    void unaryOpsAgreeOnEveryView() {
        for (DType dtype : List.of(DType.F32, DType.F64)) {
            for (Map.Entry<String, Tensor> view : views(dtype).entrySet()) {
                for (Map.Entry<Unary, Function<Tensor, Tensor>> op : unaryFunctions().entrySet()) {
                    // The scalar reference is the truth for the vector result; compare with the op's bound.
                    Tolerance tol = dtype == DType.F32 ? Tolerance.f32Unary(op.getKey()) : Tolerance.f64Unary(op.getKey());
                    compare(op.getKey() + " " + dtype + " " + view.getKey(),
                            scalarAndVector(() -> op.getValue().apply(view.getValue())), tol, view.getValue());
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void binaryOpsAgreeOnEveryPairOfViews() {
        for (DType dtype : List.of(DType.F32, DType.F64)) {
            Map<String, Tensor> v = views(dtype);
            Tensor scalar = dtype == DType.F32 ? Tensor.scalar(0.75f) : Tensor.scalar(0.75);
            for (Map.Entry<Binary, java.util.function.BinaryOperator<Tensor>> op : binaryFunctions().entrySet()) {
                Tolerance tol = dtype == DType.F32 ? Tolerance.f32Binary(op.getKey()) : Tolerance.f64Binary(op.getKey());
                for (Map.Entry<String, Tensor> a : v.entrySet()) {
                    int rows = a.getValue().shape().dim(0);
                    int cols = a.getValue().shape().dim(1);
                    Tensor other = base(dtype, cols, rows, 9).transpose();
                    Tensor column = base(dtype, rows, 1, 4);
                    Tensor row = base(dtype, cols, 1, 5).reshape(cols);
                    String name = op.getKey() + " " + dtype + " " + a.getKey();
                    compare(name + " with transposed", scalarAndVector(() -> op.getValue().apply(a.getValue(), other)), tol, null);
                    compare(name + " with column", scalarAndVector(() -> op.getValue().apply(a.getValue(), column)), tol, null);
                    compare("row with " + name, scalarAndVector(() -> op.getValue().apply(row, a.getValue())), tol, null);
                    compare(name + " with scalar", scalarAndVector(() -> op.getValue().apply(a.getValue(), scalar)), tol, null);
                    compare(name + " with itself", scalarAndVector(() -> op.getValue().apply(a.getValue(), a.getValue())), tol, null);
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void reductionsAgreeOnEveryView() {
        for (DType dtype : List.of(DType.F32, DType.F64)) {
            Map<String, Tensor> withSpecials = views(dtype, true);
            for (Map.Entry<String, Tensor> view : views(dtype, false).entrySet()) {
                Tensor t = view.getValue();
                Tensor special = withSpecials.get(view.getKey());
                for (int[] axes : new int[][] {{0}, {1}, null}) {
                    String name = dtype + " " + view.getKey() + " axes " + java.util.Arrays.toString(axes);
                    compare("max " + name, scalarAndVector(() -> special.max(axes, false)), Tolerance.EXACT, null);
                    compare("min " + name, scalarAndVector(() -> special.min(axes, false)), Tolerance.EXACT, null);
                    // Reassociated sums: within n·u·Σ|x| of each other, bounded here by a relative 1e-4.
                    Tensor[] sums = scalarAndVector(() -> t.sum(axes, false));
                    Tensor bound = t.abs().sum(axes, false).mul(dtype == DType.F32 ? 2e-4 : 1e-12);
                    double[] d = sums[0].sub(sums[1]).abs().sub(bound).toDoubleArray();
                    for (double e : d) {
                        assertThat(e).as("sum " + name).isLessThanOrEqualTo(0);
                    }
                    Tensor small = t.mul(1e-3).add(1);
                    Tensor[] prods = scalarAndVector(() -> small.prod(axes, false));
                    assertThat(Tensor.allClose(prods[1], prods[0], dtype == DType.F32 ? 1e-4 : 1e-12, 0))
                            .as("prod " + name + ": " + Tensor.describeMismatch(prods[1], prods[0], 1e-4, 0)).isTrue();
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void bigTransposedOperandsAgree() {
        Tensor a = base(DType.F32, 1031, 1024, 7).transpose();
        Tensor b = base(DType.F32, 1024, 1031, 8);
        compare("add big", scalarAndVector(() -> a.add(b)), Tolerance.EXACT, null);
        compare("exp big", scalarAndVector(() -> a.exp()), Tolerance.f32Unary(Primitives.EXP), null);
        compare("relu big", scalarAndVector(() -> a.relu()), Tolerance.EXACT, null);
        compare("max big", scalarAndVector(() -> a.max(new int[] {1}, false)), Tolerance.EXACT, null);
        assertThat(failures).isEmpty();
    }
}
