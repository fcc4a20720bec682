package dev.vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.Attrs;
import dev.vecgrad.core.ops.ConvOps;
import dev.vecgrad.core.ops.Primitive;
import dev.vecgrad.core.ops.Primitives;
import dev.vecgrad.core.ops.Padding;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Gradients of gradients: rules written with tensor ops differentiate again under nested tapes. */
class HigherOrderTest {

    static Stream<Arguments> elementwise() {
        List<Arguments> out = new ArrayList<>();
        GradCheckCases.UNARY.forEach((op, f) -> out.add(Arguments.of(op, (Function<List<Tensor>, Tensor>)
                in -> f.apply(in.get(0)), List.of(GradCheckCases.unaryInput(op, 201, 2, 3)))));
        GradCheckCases.BINARY.forEach((op, f) -> out.add(Arguments.of(op, (Function<List<Tensor>, Tensor>)
                in -> f.apply(in.get(0), in.get(1)), List.of(
                        op == Primitives.POW ? GradCheckCases.positive(202, 2, 3) : GradCheckCases.normal(202, 2, 3),
                        op == Primitives.DIV ? GradCheckCases.positive(203, 3) : GradCheckCases.normal(203, 3)))));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("elementwise")
    void secondOrderOfElementwiseOps(Primitive<?> op, Function<List<Tensor>, Tensor> f, List<Tensor> inputs) {
        GradCheck.Result r = GradCheck.checkSecondOrder(f, inputs.toArray(new Tensor[0]));
        assertThat(r.recordedOps()).contains(op);
        r.assertPassed();
    }

    @Test
    void secondOrderOfMatmulInEveryTransposeForm() {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Tensor a = GradCheckCases.normal(211, ta ? 4 : 3, ta ? 3 : 4);
                Tensor b = GradCheckCases.normal(212, tb ? 5 : 4, tb ? 4 : 5);
                // matmul is bilinear: its second derivative couples a and b, checked through a·b·tanh
                GradCheck.checkSecondOrder(in -> in.get(0).matmul(in.get(1), ta, tb).tanh(), a, b).assertPassed();
            }
        }
    }

    @Test
    void secondOrderOfConvolutionAndAveragePooling() {
        Attrs.Conv2d conv = new Attrs.Conv2d(2, 1, 1, 1, Padding.SAME);
        GradCheck.checkSecondOrder(in -> ConvOps.conv2d(in.get(0), in.get(1), conv).tanh(),
                GradCheckCases.normal(231, 1, 4, 3, 2), GradCheckCases.normal(232, 2, 2, 2, 2)).assertPassed();
        Attrs.Pool2d pool = new Attrs.Pool2d(2, 2, 1, 1, Padding.VALID);
        GradCheck.checkSecondOrder(in -> ConvOps.avgPool2d(in.get(0).square(), pool),
                GradCheckCases.normal(233, 1, 3, 3, 2)).assertPassed();
    }

    @Test
    void numberOperandsAreDifferentiatedOnceAndTwice() {
        // y = ((x·3 - 1) / 2 + 0.5)·x = 1.5x², dy/dx = 3x, d²y/dx² = 3; recorded with number operands
        Tensor x = Tensor.of(new double[] {-2, 0.5, 4});
        try (GradientTape outer = GradientTape.open()) {
            outer.watch(x);
            Tensor dy;
            try (GradientTape inner = GradientTape.open()) {
                inner.watch(x);
                Tensor y = x.mul(3).sub(1).div(2).add(0.5).mul(x);
                dy = inner.gradient(y, x).get(0);
            }
            assertThat(dy.toDoubleArray()).containsExactly(-6, 1.5, 12);
            assertThat(outer.gradient(dy, x).get(0).toDoubleArray()).containsExactly(3, 3, 3);
        }
        GradCheck.check(in -> in.get(0).mul(0.7).div(-3).sub(2).add(1.25).square(), GradCheckCases.normal(241, 5))
                .assertPassed();
        GradCheck.checkSecondOrder(in -> in.get(0).mul(in.get(0).div(4).add(2)).tanh(), GradCheckCases.normal(242, 4))
                .assertPassed();
    }

    @Test
    void secondOrderOfSoftmaxAndLogSoftmax() {
        GradCheck.checkSecondOrder(in -> in.get(0).softmax(-1), GradCheckCases.normal(221, 3, 4)).assertPassed();
        GradCheck.checkSecondOrder(in -> in.get(0).logSoftmax(0), GradCheckCases.normal(222, 3, 4)).assertPassed();
        GradCheck.checkSecondOrder(in -> in.get(0).logSumExp(null, false), GradCheckCases.normal(223, 5))
                .assertPassed();
    }

    @Test
    void hessianVectorProductOfASmallMlpMatchesFiniteDifferences() {
        Rng rng = new Rng(99);
        Tensor x = Tensor.randomNormal(rng, 0, 1, 6, 4).cast(DType.F64);
        Tensor labels = Tensor.of(new int[] {0, 2, 1, 1, 0, 2}).oneHot(3).cast(DType.F64);
        List<Tensor> params = List.of(
                Tensor.randomNormal(rng, 0, 0.5f, 4, 5).cast(DType.F64), Tensor.randomNormal(rng, 0, 0.1f, 5)
                        .cast(DType.F64),
                Tensor.randomNormal(rng, 0, 0.5f, 5, 3).cast(DType.F64), Tensor.randomNormal(rng, 0, 0.1f, 3)
                        .cast(DType.F64));
        List<Tensor> v = new ArrayList<>();
        for (Tensor p : params) {
            v.add(Tensor.randomNormal(rng, 0, 1, p.shape().toArray()).cast(DType.F64));
        }
        Function<List<Tensor>, Tensor> loss = p -> {
            Tensor h = x.matmul(p.get(0)).add(p.get(1)).tanh();
            Tensor logits = h.matmul(p.get(2)).add(p.get(3));
            return logits.logSoftmax(-1).mul(labels).sum().neg().div(6);
        };
        // Hv = ∇(∇L · v): a gradient taken under an outer tape, then differentiated.
        List<Tensor> hv;
        try (GradientTape outer = GradientTape.open()) {
            params.forEach(outer::watch);
            List<Tensor> grads = gradients(loss, params);
            Tensor dot = null;
            for (int i = 0; i < grads.size(); i++) {
                Tensor term = grads.get(i).mul(v.get(i)).sum();
                dot = dot == null ? term : dot.add(term);
            }
            hv = outer.gradient(dot, params.toArray(new Tensor[0]));
        }
        // Finite differences of the gradient along v: (∇L(θ + εv) - ∇L(θ - εv)) / 2ε.
        double eps = 1e-5;
        List<Tensor> plus = gradients(loss, shifted(params, v, eps));
        List<Tensor> minus = gradients(loss, shifted(params, v, -eps));
        for (int i = 0; i < params.size(); i++) {
            double[] a = hv.get(i).toDoubleArray();
            double[] p = plus.get(i).toDoubleArray();
            double[] m = minus.get(i).toDoubleArray();
            for (int k = 0; k < a.length; k++) {
                double numeric = (p[k] - m[k]) / (2 * eps);
                assertThat(Math.abs(a[k] - numeric)).as("parameter %d element %d", i, k)
                        .isLessThanOrEqualTo(1e-7 + 1e-5 * Math.abs(numeric));
            }
        }
    }

    private static List<Tensor> gradients(Function<List<Tensor>, Tensor> loss, List<Tensor> params) {
        try (GradientTape tape = GradientTape.open()) {
            params.forEach(tape::watch);
            return tape.gradient(loss.apply(params), params.toArray(new Tensor[0]));
        }
    }

    private static List<Tensor> shifted(List<Tensor> params, List<Tensor> v, double eps) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            out.add(params.get(i).add(v.get(i).mul(eps)));
        }
        return out;
    }
}
