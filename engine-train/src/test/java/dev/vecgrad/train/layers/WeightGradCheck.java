package dev.vecgrad.train.layers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import java.util.List;
import java.util.function.Supplier;

/**
 * Checks tape gradients with respect to variables (a layer's weights) against central finite
 * differences in F64, the way autodiff's GradCheck checks them with respect to input tensors:
 * the output is projected to L = Σ y·w with fixed random w, and each variable element is nudged
 * by ±eps through {@link Variable#assign}.
 */
final class WeightGradCheck {
    private static final double EPS = 1e-6;
    private static final double ATOL = 1e-6;
    private static final double RTOL = 1e-4;

    private WeightGradCheck() {
    }

    /** Asserts the tape's gradients of {@code f()} w.r.t. {@code vars} match finite differences; returns how many elements were checked. */
    static int check(Supplier<Tensor> f, List<Variable> vars) {
        Tensor w;
        try (GradientTape.NoGrad p = GradientTape.noGrad()) {
            Tensor y = f.get();
            assertThat(y.dtype()).isEqualTo(DType.F64);
            double[] ws = new double[y.size()];
            Rng rng = new Rng(7);
            for (int i = 0; i < ws.length; i++) {
                ws[i] = rng.nextDouble() * 2 - 1;
            }
            w = Tensor.wrap(DType.F64, y.shape(), ws);
        }
        List<Tensor> analytic;
        try (GradientTape tape = GradientTape.open()) {
            Tensor l = f.get().mul(w).sum();
            analytic = tape.gradient(l, vars);
        }
        int checked = 0;
        for (int v = 0; v < vars.size(); v++) {
            Variable var = vars.get(v);
            assertThat(var.dtype()).as("variable %s dtype", var.name()).isEqualTo(DType.F64);
            assertThat(analytic.get(v)).as("gradient of %s", var.name()).isNotNull();
            double[] a = analytic.get(v).toDoubleArray();
            double[] base = var.peek().toDoubleArray();
            for (int k = 0; k < base.length; k++) {
                double plus = lossWith(f, w, var, base, k, base[k] + EPS);
                double minus = lossWith(f, w, var, base, k, base[k] - EPS);
                var.assign(Tensor.wrap(DType.F64, var.shape(), base.clone()));
                double numeric = (plus - minus) / (2 * EPS);
                assertThat(a[k]).as("d L / d %s[%d]", var.name(), k)
                        .isCloseTo(numeric, org.assertj.core.data.Offset.offset(ATOL + RTOL * Math.abs(numeric)));
                checked++;
            }
        }
        return checked;
    }

    private static double lossWith(Supplier<Tensor> f, Tensor w, Variable var, double[] base, int k, double value) {
        double[] p = base.clone();
        p[k] = value;
        var.assign(Tensor.wrap(DType.F64, var.shape(), p));
        try (GradientTape.NoGrad ignored = GradientTape.noGrad()) {
            return f.get().mul(w).sum().item();
        }
    }
}
