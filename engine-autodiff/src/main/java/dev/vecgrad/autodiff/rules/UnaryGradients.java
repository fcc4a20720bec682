package dev.vecgrad.autodiff.rules;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.BinaryOps;
import dev.vecgrad.core.ops.Primitives;

/**
 * Gradients of the unary elementwise ops ({@code UnaryOps}); x is the input, y the output, g the
 * output's gradient. Where a derivative is cheaper in terms of y (exp, tanh, sigmoid) the rule uses
 * y. SIGN, FLOOR, CEIL and ROUND are non-differentiable (zero almost everywhere) and have no rule.
 *
 * <p>At kinks the rules pick a documented subgradient: relu'(0) = 0 and abs'(0) = 0, as
 * TensorFlow and PyTorch do.
 */
final class UnaryGradients {
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double GELU_K = 0.044715;
    private static final double INV_SQRT_2 = 1 / Math.sqrt(2);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    private UnaryGradients() {
    }

    static void register(GradientRegistry.Rules r) {
        // d(-x) = -g
        r.perInput(Primitives.NEG, (c, g, j) -> g.neg());
        // d|x| = g·sign(x)   (0 at x = 0)
        r.perInput(Primitives.ABS, (c, g, j) -> g.mul(c.input(0).sign()));
        // d e^x = g·y
        r.perInput(Primitives.EXP, (c, g, j) -> g.mul(c.output()));
        // d (e^x - 1) = g·(y + 1)
        r.perInput(Primitives.EXPM1, (c, g, j) -> g.mul(c.output().add(1)));
        // d ln x = g / x
        r.perInput(Primitives.LOG, (c, g, j) -> g.div(c.input(0)));
        // d ln(1 + x) = g / (1 + x)
        r.perInput(Primitives.LOG1P, (c, g, j) -> g.div(c.input(0).add(1)));
        // d √x = g / (2y)
        r.perInput(Primitives.SQRT, (c, g, j) -> g.div(c.output().mul(2)));
        // d x^(-1/2) = -g·y³/2
        r.perInput(Primitives.RSQRT, (c, g, j) -> g.mul(c.output().square().mul(c.output()).mul(-0.5)));
        // d x² = 2g·x
        r.perInput(Primitives.SQUARE, (c, g, j) -> g.mul(c.input(0).mul(2)));
        // d (1/x) = -g·y²
        r.perInput(Primitives.RECIPROCAL, (c, g, j) -> g.mul(c.output().square()).neg());
        // d sin x = g·cos x
        r.perInput(Primitives.SIN, (c, g, j) -> g.mul(c.input(0).cos()));
        // d cos x = -g·sin x
        r.perInput(Primitives.COS, (c, g, j) -> g.mul(c.input(0).sin()).neg());
        // d tanh x = g·(1 - y²)
        r.perInput(Primitives.TANH, (c, g, j) -> g.mul(c.output().square().neg().add(1)));
        // d σ(x) = g·y·(1 - y)
        r.perInput(Primitives.SIGMOID, (c, g, j) -> g.mul(c.output().mul(c.output().neg().add(1))));
        // d relu(x) = g·[x > 0]   (0 at x = 0), one pass: reluGradient(g, x)
        r.perInput(Primitives.RELU, (c, g, j) -> BinaryOps.reluGradient(g, c.input(0)));
        // d gelu_tanh(x) = g·(½(1 + t) + ½x(1 - t²)·√(2/π)(1 + 3k·x²)), t = tanh(√(2/π)(x + k·x³))
        r.perInput(Primitives.GELU_TANH, (c, g, j) -> g.mul(geluTanhDerivative(c.input(0))));
        // d x·Φ(x) = g·(Φ(x) + x·φ(x))
        r.perInput(Primitives.GELU_ERF, (c, g, j) -> {
            Tensor x = c.input(0);
            Tensor cdf = x.mul(INV_SQRT_2).erf().add(1).mul(0.5);
            Tensor pdf = x.square().mul(-0.5).exp().mul(INV_SQRT_2PI);
            return g.mul(cdf.add(x.mul(pdf)));
        });
        // d erf x = g·(2/√π)·e^(-x²)
        r.perInput(Primitives.ERF, (c, g, j) -> g.mul(c.input(0).square().neg().exp().mul(TWO_OVER_SQRT_PI)));
        // d ln(1 + e^x) = g·σ(x)
        r.perInput(Primitives.SOFTPLUS, (c, g, j) -> g.mul(c.input(0).sigmoid()));
    }

    private static Tensor geluTanhDerivative(Tensor x) {
        Tensor x2 = x.square();
        Tensor t = x.add(x2.mul(x).mul(GELU_K)).mul(SQRT_2_OVER_PI).tanh();
        Tensor left = t.add(1).mul(0.5);
        Tensor right = x.mul(0.5).mul(t.square().neg().add(1)).mul(x2.mul(3 * GELU_K).add(1).mul(SQRT_2_OVER_PI));
        return left.add(right);
    }
}
