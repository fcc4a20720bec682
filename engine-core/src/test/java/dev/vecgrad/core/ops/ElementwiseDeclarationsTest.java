package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Each elementwise primitive's declared reference function (what the scalar backend computes and
 * the SIMD kernels are checked against) and its I32 form, against the op's formula written out
 * here, and the reductions' identities and combining steps. Every unary and binary primitive
 * must appear in these tables.
 */
class ElementwiseDeclarationsTest {
    private static final double[] XS = {-2.5, -1, -0.25, -0.0, 0, 0.3, 1, 2.5, 40};
    private static final int[] INTS = {-7, -2, -1, 0, 1, 2, 3, 7};

    private static final Map<String, DoubleUnaryOperator> UNARY = Map.ofEntries(
            Map.entry("neg", x -> 0 - x),
            Map.entry("abs", x -> x < 0 ? -x : x == 0 ? 0 : x),
            Map.entry("sign", x -> x > 0 ? 1 : x < 0 ? -1 : x),
            Map.entry("exp", Math::exp),
            Map.entry("expm1", Math::expm1),
            Map.entry("log", Math::log),
            Map.entry("log1p", Math::log1p),
            Map.entry("sqrt", Math::sqrt),
            Map.entry("rsqrt", x -> x == 0 ? 1 / x : Math.pow(x, -0.5)),
            Map.entry("square", x -> Math.pow(x, 2)),
            Map.entry("reciprocal", x -> Math.pow(x, -1)),
            Map.entry("sin", Math::sin),
            Map.entry("cos", Math::cos),
            Map.entry("tanh", Math::tanh),
            Map.entry("sigmoid", x -> Math.exp(x) / (1 + Math.exp(x))),
            Map.entry("relu", x -> x > 0 ? x : 0),
            Map.entry("gelu_tanh", x -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)))),
            Map.entry("gelu_erf", x -> 0.5 * x * (1 + erf(x / Math.sqrt(2)))),
            Map.entry("erf", ElementwiseDeclarationsTest::erf),
            Map.entry("softplus", x -> Math.log(1 + Math.exp(x))),
            Map.entry("floor", Math::floor),
            Map.entry("ceil", Math::ceil),
            Map.entry("round", x -> Math.abs(x - Math.floor(x) - 0.5) == 0 ? 2 * Math.floor(x / 2 + 0.5) : Math.floor(x + 0.5)));

    private static final Map<String, IntUnaryOperator> UNARY_INT = Map.of(
            "neg", x -> 0 - x,
            "abs", x -> x < 0 ? -x : x,
            "sign", x -> x > 0 ? 1 : x < 0 ? -1 : 0,
            "square", x -> x * x);

    private static final Map<String, DoubleBinaryOperator> BINARY = Map.ofEntries(
            Map.entry("add", (a, b) -> b + a),
            Map.entry("sub", (a, b) -> a + -b),
            Map.entry("mul", (a, b) -> b * a),
            Map.entry("div", (a, b) -> a * (1 / b)),
            Map.entry("pow", (a, b) -> Math.exp(b * Math.log(a))),
            Map.entry("maximum", (a, b) -> a >= b ? a : b),
            Map.entry("minimum", (a, b) -> a <= b ? a : b),
            Map.entry("relu_grad", (a, b) -> b > 0 ? a : 0),
            Map.entry("eq", (a, b) -> a == b ? 1 : 0),
            Map.entry("ne", (a, b) -> a == b ? 0 : 1),
            Map.entry("lt", (a, b) -> b - a > 0 ? 1 : 0),
            Map.entry("le", (a, b) -> b - a >= 0 ? 1 : 0),
            Map.entry("gt", (a, b) -> a - b > 0 ? 1 : 0),
            Map.entry("ge", (a, b) -> a - b >= 0 ? 1 : 0));

    private static final Map<String, IntBinaryOperator> BINARY_INT = Map.ofEntries(
            Map.entry("add", (a, b) -> b + a),
            Map.entry("sub", (a, b) -> a + -b),
            Map.entry("mul", (a, b) -> b * a),
            Map.entry("div", (a, b) -> (int) ((double) a / b)),
            Map.entry("pow", (a, b) -> b >= 0 ? power(a, b)
                    : a == 0 ? Integer.MAX_VALUE : a == 1 ? 1 : a == -1 ? (b % 2 == 0 ? 1 : -1) : 0),
            Map.entry("maximum", (a, b) -> a >= b ? a : b),
            Map.entry("minimum", (a, b) -> a <= b ? a : b),
            Map.entry("relu_grad", (a, b) -> b > 0 ? a : 0),
            Map.entry("eq", (a, b) -> a == b ? 1 : 0),
            Map.entry("ne", (a, b) -> a == b ? 0 : 1),
            Map.entry("lt", (a, b) -> a < b ? 1 : 0),
            Map.entry("le", (a, b) -> a <= b ? 1 : 0),
            Map.entry("gt", (a, b) -> a > b ? 1 : 0),
            Map.entry("ge", (a, b) -> a >= b ? 1 : 0));

    private static int power(int a, int b) {
        int p = 1;
        for (int i = 0; i < b; i++) {
            p *= a;
        }
        return p;
    }

    /** erf by its Maclaurin series (enough terms for |x| ≤ 3), or ±1 beyond. */
    private static double erf(double x) {
        if (Math.abs(x) > 3) {
            return Math.signum(x) * (1 - Math.exp(-x * x) / (Math.abs(x) * Math.sqrt(Math.PI)));
        }
        double term = x;
        double sum = x;
        for (int n = 1; n < 80; n++) {
            term *= -x * x / n;
            sum += term / (2 * n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    private static void assertSame(double got, double want, String what) {
        if (Double.isNaN(want)) {
            assertThat(got).as(what).isNaN();
        } else if (Double.isInfinite(want)) {
            assertThat(got).as(what).isEqualTo(want);
        } else {
            assertThat(got).as(what).isCloseTo(want, within(1e-12 * Math.max(1, Math.abs(want))));
        }
    }

    @Test
    void everyUnaryPrimitiveComputesItsFormula() {
        List<String> seen = new ArrayList<>();
        for (Primitive<?> p : Primitives.all()) {
            if (!(p instanceof Unary op)) {
                continue;
            }
            seen.add(op.name());
            assertThat(UNARY).as("a formula for %s", op.name()).containsKey(op.name());
            for (double x : XS) {
                assertSame(op.reference(x), UNARY.get(op.name()).applyAsDouble(x), op.name() + "(" + x + ")");
            }
            Tensor ints = Tensor.of(INTS);
            IntUnaryOperator f = UNARY_INT.get(op.name());
            if (f == null) {
                assertThatThrownBy(() -> op.apply(ints)).as(op.name()).hasMessageContaining(op.name())
                        .hasMessageContaining("I32");
            } else {
                int[] got = op.apply(ints).toIntArray();
                for (int i = 0; i < INTS.length; i++) {
                    assertThat(got[i]).as("%s(%d)", op.name(), INTS[i]).isEqualTo(f.applyAsInt(INTS[i]));
                }
            }
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(UNARY.keySet());
    }

    @Test
    void everyBinaryPrimitiveComputesItsFormula() {
        List<String> seen = new ArrayList<>();
        int n = INTS.length;
        int[] left = new int[n * n];
        int[] right = new int[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                left[i * n + j] = INTS[i];
                right[i * n + j] = INTS[j];
            }
        }
        for (Primitive<?> p : Primitives.all()) {
            if (!(p instanceof Binary op)) {
                continue;
            }
            seen.add(op.name());
            assertThat(BINARY).as("a formula for %s", op.name()).containsKey(op.name());
            for (double a : XS) {
                for (double b : XS) {
                    if (op.name().equals("pow") && a <= 0) {
                        continue; // the exp-log form is for positive bases; Math.pow's own cases are its business
                    }
                    assertSame(op.reference(a, b), BINARY.get(op.name()).applyAsDouble(a, b),
                            op.name() + "(" + a + ", " + b + ")");
                }
            }
            int[] a = left;
            int[] b = right.clone();
            if (op.name().equals("div")) {
                for (int i = 0; i < b.length; i++) {
                    b[i] = b[i] == 0 ? 5 : b[i]; // division by zero is refused (BinaryOpsTest)
                }
            }
            int[] got = op.apply(Tensor.of(a), Tensor.of(b)).toIntArray();
            IntBinaryOperator f = BINARY_INT.get(op.name());
            for (int i = 0; i < a.length; i++) {
                assertThat(got[i]).as("%s(%d, %d)", op.name(), a[i], b[i]).isEqualTo(f.applyAsInt(a[i], b[i]));
            }
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(BINARY.keySet());
    }

    @Test
    void comparisonsAndMaskOpsOnFloatsGiveOneOrZeroIncludingAtTies() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 2, -0.0}, 5);
        Tensor b = Tensor.of(new double[] {2, 2, 2, 3, 0.0}, 5);
        assertThat(Primitives.EQ.apply(a, b).toDoubleArray()).containsExactly(0, 1, 0, 0, 1);
        assertThat(Primitives.NE.apply(a, b).toDoubleArray()).containsExactly(1, 0, 1, 1, 0);
        assertThat(Primitives.LE.apply(a, b).toDoubleArray()).containsExactly(1, 1, 0, 1, 1);
        assertThat(Primitives.GE.apply(a, b).toDoubleArray()).containsExactly(0, 1, 1, 0, 1);
        assertThat(Primitives.RELU_GRAD.apply(Tensor.of(new double[] {5, 6, 7}, 3), Tensor.of(new double[] {-1, 0, 1}, 3))
                .toDoubleArray()).containsExactly(0, 0, 7);
    }

    @Test
    void reductionsStartFromTheirIdentityAndCombineByTheirStep() {
        assertThat(Primitives.SUM.identity()).isEqualTo(0.0);
        assertThat(Primitives.PROD.identity()).isEqualTo(1.0);
        assertThat(Primitives.MAX.identity()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Primitives.MIN.identity()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Primitives.SUM.combine(2.5, -4)).isEqualTo(-1.5);
        assertThat(Primitives.PROD.combine(2.5, -4)).isEqualTo(-10.0);
        assertThat(Primitives.MAX.combine(2.5, -4)).isEqualTo(2.5);
        assertThat(Primitives.MAX.combine(-4, 2.5)).isEqualTo(2.5);
        assertThat(Primitives.MIN.combine(2.5, -4)).isEqualTo(-4.0);
        assertThat(Primitives.MIN.combine(-4, 2.5)).isEqualTo(-4.0);
        assertThat(Primitives.MAX.combine(1, Double.NaN)).isNaN();
        assertThat(Primitives.MIN.combine(Double.NaN, 1)).isNaN();
        // An I32 reduction is exact and converts back.
        Tensor ints = Tensor.of(new int[] {3, -4, 5, 1}, 2, 2);
        assertThat(ints.sum(1).toIntArray()).containsExactly(-1, 6);
        assertThat(ints.prod(0).toIntArray()).containsExactly(15, -4);
        assertThat(ints.max(1).toIntArray()).containsExactly(3, 5);
        assertThat(ints.min().dtype()).isEqualTo(DType.I32);
        assertThat(ints.min().toIntArray()).containsExactly(-4);
    }
}
