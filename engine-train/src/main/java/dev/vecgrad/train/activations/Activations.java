package dev.vecgrad.train.activations;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.registry.Registry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The activation functions by name (as Keras 3 spells them) and as objects, with Keras's
 * parameters: every function of {@code keras.activations}.
 *
 * <p>Each is a composite of core ops, so a gradient tape differentiates it. Branches that would
 * overflow on the side {@code where} discards are kept finite (ELU and CELU exponentiate
 * {@code min(x, 0)}), so their gradient there is 0, not {@code 0 * inf = NaN}.
 *
 * <pre>{@code
 * Activations.get("relu").apply(x);
 * Activations.relu(0.1, 6, 0).apply(x);   // leaky below 0, capped at 6
 * Activations.softmax(1, 2).apply(x);     // one distribution over axes 1 and 2
 * }</pre>
 */
public final class Activations {
    /** Keras 3's default negative slope of {@code leaky_relu}. */
    public static final double DEFAULT_NEGATIVE_SLOPE = 0.2;
    /** SELU's alpha (Klambauer et al.), as Keras has it. */
    public static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    /** SELU's scale (Klambauer et al.), as Keras has it. */
    public static final double SELU_SCALE = 1.0507009873554804934193349852946;

    private Activations() {
    }

    /** An activation: its Keras name, the parameters that differ from the defaults, and the function. */
    private record Fn(String name, Map<String, Object> parameters, UnaryOperator<Tensor> fn)
            implements ActivationFunction {
        Fn(String name, UnaryOperator<Tensor> fn) {
            this(name, Map.of(), fn);
        }

        @Override
        public Tensor apply(Tensor x) {
            return fn.apply(x);
        }
    }

    private static final ActivationFunction RELU = new Fn("relu", Tensor::relu);

    /**
     * Every built-in activation by its Keras name: celu, elu, exponential, gelu (and
     * gelu_approximate), glu, hard_shrink, hard_sigmoid, hard_silu (alias hard_swish), hard_tanh,
     * leaky_relu, linear, log_sigmoid, log_softmax, mish, relu, relu6, selu, sigmoid, silu (alias
     * swish), soft_shrink, softmax, softplus, softsign, sparse_plus, sparse_sigmoid, sparsemax,
     * squareplus, tanh, tanh_shrink, threshold. An activation's name is its class name here, and its
     * config holds the parameters that differ from the defaults ({@code {"alpha": 0.5}} for an elu);
     * {@code threshold} has no defaults, so it needs both of its parameters.
     */
    public static final Registry<ActivationFunction> REGISTRY = new Registry<ActivationFunction>("activation")
            .register("relu", c -> relu(number(c, "negative_slope", 0), number(c, "max_value",
                    Double.POSITIVE_INFINITY), number(c, "threshold", 0)))
            .register("relu6", c -> relu6())
            .register("leaky_relu", c -> leakyRelu(number(c, "negative_slope", DEFAULT_NEGATIVE_SLOPE)))
            .register("elu", c -> elu(number(c, "alpha", 1)))
            .register("celu", c -> celu(number(c, "alpha", 1)))
            .register("selu", c -> selu())
            .register("sigmoid", c -> sigmoid())
            .register("hard_sigmoid", c -> hardSigmoid())
            .register("sparse_sigmoid", c -> sparseSigmoid())
            .register("log_sigmoid", c -> logSigmoid())
            .register("tanh", c -> tanh())
            .register("hard_tanh", c -> hardTanh())
            .register("tanh_shrink", c -> tanhShrink())
            .register("softmax", c -> softmax(axes(c)))
            .register("log_softmax", c -> logSoftmax(axes(c)))
            .register("sparsemax", c -> sparsemax(oneAxis(c)))
            .register("glu", c -> glu(oneAxis(c)))
            .register("gelu", c -> Boolean.TRUE.equals(c.get("approximate")) ? geluApproximate() : gelu())
            .register("gelu_approximate", c -> geluApproximate())
            .register("silu", c -> silu(), "swish")
            .register("hard_silu", c -> hardSilu(), "hard_swish")
            .register("mish", c -> mish())
            .register("softplus", c -> softplus())
            .register("softsign", c -> softsign())
            .register("squareplus", c -> squareplus(number(c, "b", 4)))
            .register("sparse_plus", c -> sparsePlus())
            .register("soft_shrink", c -> softShrink(number(c, "threshold", 0.5)))
            .register("hard_shrink", c -> hardShrink(number(c, "threshold", 0.5)))
            .register("threshold", c -> threshold(required(c, "threshold"), required(c, "default_value")))
            .register("exponential", c -> exponential())
            .register("linear", c -> linear())
            .close();

    // ---------------------------------------------------------------------------------------
    // The ReLU family.

    /** max(x, 0). */
    public static ActivationFunction relu() {
        return RELU;
    }

    /**
     * Keras's parametrised ReLU: {@code x} above {@code threshold} (0 at or below it), capped at
     * {@code maxValue}, minus {@code negativeSlope * max(threshold - x, 0)}. With a slope and neither
     * a cap nor a threshold it is {@link #leakyRelu(double)}; with none of them, {@link #relu()}.
     *
     * @param negativeSlope the slope below the threshold (0: flat)
     * @param maxValue the cap ({@link Double#POSITIVE_INFINITY}: none); must be &gt;= 0
     * @param threshold values at or below it give 0 (before the slope's part)
     */
    public static ActivationFunction relu(double negativeSlope, double maxValue, double threshold) {
        if (!(maxValue >= 0)) {
            throw new IllegalArgumentException("relu: max_value must be >= 0, got " + maxValue);
        }
        if (negativeSlope == 0 && maxValue == Double.POSITIVE_INFINITY && threshold == 0) {
            return RELU;
        }
        Map<String, Object> p = new LinkedHashMap<>();
        if (negativeSlope != 0) {
            p.put("negative_slope", negativeSlope);
        }
        if (maxValue != Double.POSITIVE_INFINITY) {
            p.put("max_value", maxValue);
        }
        if (threshold != 0) {
            p.put("threshold", threshold);
        }
        if (maxValue == Double.POSITIVE_INFINITY && threshold == 0) {
            return new Fn("relu", Collections.unmodifiableMap(p), x -> leakyReluOf(x, negativeSlope));
        }
        return new Fn("relu", Collections.unmodifiableMap(p), x -> {
            Tensor y = threshold != 0 ? x.mul(x.gt(threshold)) : x.relu();
            if (maxValue != Double.POSITIVE_INFINITY) {
                y = y.minimum(maxValue);
            }
            return negativeSlope == 0 ? y : y.sub(x.neg().add(threshold).relu().mul(negativeSlope));
        });
    }

    /**
     * Whether {@code f} is the built-in {@link #relu()} (however it was obtained), which a layer
     * may fuse into its own op instead of applying it afterwards.
     */
    public static boolean isRelu(ActivationFunction f) {
        return f == RELU;
    }

    /** min(max(x, 0), 6). */
    public static ActivationFunction relu6() {
        return new Fn("relu6", x -> x.clip(0, 6));
    }

    /** x for x &gt;= 0, else negativeSlope·x. */
    public static ActivationFunction leakyRelu(double negativeSlope) {
        return new Fn("leaky_relu", nonDefault("negative_slope", negativeSlope, DEFAULT_NEGATIVE_SLOPE),
                x -> leakyReluOf(x, negativeSlope));
    }

    /** {@link #leakyRelu(double)} with Keras's default slope 0.2. */
    public static ActivationFunction leakyRelu() {
        return leakyRelu(DEFAULT_NEGATIVE_SLOPE);
    }

    /** x for x &gt; 0, else alpha·(e^x − 1); Keras's default alpha is 1. */
    public static ActivationFunction elu(double alpha) {
        return new Fn("elu", nonDefault("alpha", alpha, 1.0), x -> eluOf(x, alpha));
    }

    /** {@link #elu(double)} with alpha 1. */
    public static ActivationFunction elu() {
        return elu(1.0);
    }

    /** max(x, 0) + min(0, alpha·(e^(x/alpha) − 1)); alpha must not be 0. */
    public static ActivationFunction celu(double alpha) {
        if (alpha == 0) {
            throw new IllegalArgumentException("celu: alpha must not be 0");
        }
        return new Fn("celu", nonDefault("alpha", alpha, 1.0),
                x -> x.relu().add(x.minimum(0).div(alpha).expm1().mul(alpha)));
    }

    /** {@link #celu(double)} with alpha 1. */
    public static ActivationFunction celu() {
        return celu(1.0);
    }

    /** scale·elu(x, alpha) with SELU's fixed {@link #SELU_ALPHA} and {@link #SELU_SCALE}. */
    public static ActivationFunction selu() {
        return new Fn("selu", x -> eluOf(x, SELU_ALPHA).mul(SELU_SCALE));
    }

    // ---------------------------------------------------------------------------------------
    // Sigmoids and tanh.

    /** 1 / (1 + e^-x). */
    public static ActivationFunction sigmoid() {
        return new Fn("sigmoid", Tensor::sigmoid);
    }

    /** The piecewise-linear sigmoid: min(max(x/6 + 1/2, 0), 1). */
    public static ActivationFunction hardSigmoid() {
        return new Fn("hard_sigmoid", Activations::hardSigmoidOf);
    }

    /** 0 for x &lt;= −1, 1 for x &gt;= 1, (x + 1)/2 between. */
    public static ActivationFunction sparseSigmoid() {
        return new Fn("sparse_sigmoid", x -> x.add(1).mul(0.5).clip(0, 1));
    }

    /** log(sigmoid(x)) = −softplus(−x), finite for large |x|. */
    public static ActivationFunction logSigmoid() {
        return new Fn("log_sigmoid", x -> x.neg().softplus().neg());
    }

    /** tanh x. */
    public static ActivationFunction tanh() {
        return new Fn("tanh", Tensor::tanh);
    }

    /** min(max(x, −1), 1). */
    public static ActivationFunction hardTanh() {
        return new Fn("hard_tanh", x -> x.clip(-1, 1));
    }

    /** x − tanh x. */
    public static ActivationFunction tanhShrink() {
        return new Fn("tanh_shrink", x -> x.sub(x.tanh()));
    }

    // ---------------------------------------------------------------------------------------
    // Distributions over axes.

    /**
     * Softmax over the given axes (default the last), one distribution per position of the other
     * axes: {@code exp(x − max) / sum(exp(x − max))}.
     */
    public static ActivationFunction softmax(int... axes) {
        int[] a = axesOrLast(axes);
        return new Fn("softmax", axisParameter(a), x -> a.length == 1 ? x.softmax(a[0]) : softmaxOver(x, a));
    }

    /** log(softmax(x)) over the given axes (default the last), computed as x − logsumexp(x). */
    public static ActivationFunction logSoftmax(int... axes) {
        int[] a = axesOrLast(axes);
        return new Fn("log_softmax", axisParameter(a),
                x -> a.length == 1 ? x.logSoftmax(a[0]) : x.sub(x.logSumExp(a, true)));
    }

    /**
     * Sparsemax along {@code axis} (Martins and Astudillo, 2016): the Euclidean projection of x onto
     * the probability simplex, {@code max(x − tau, 0)} with tau chosen so each slice sums to 1; it
     * puts exactly zero on small entries. Computed without sorting, from pairwise comparisons along
     * the axis (n² values a slice), which keeps it a composite the tape differentiates.
     */
    public static ActivationFunction sparsemax(int axis) {
        return new Fn("sparsemax", axisParameter(new int[] {axis}), x -> sparsemaxOf(x, axis));
    }

    /**
     * The gated linear unit: x split in two halves a, b along {@code axis} (default the last),
     * {@code a · sigmoid(b)}; the axis must have an even size.
     */
    public static ActivationFunction glu(int axis) {
        return new Fn("glu", axisParameter(new int[] {axis}), x -> gluOf(x, axis));
    }

    /** {@link #glu(int)} over the last axis. */
    public static ActivationFunction glu() {
        return glu(-1);
    }

    // ---------------------------------------------------------------------------------------
    // Smooth ones.

    /** Exact GELU, x·Φ(x) (Keras's default, {@code approximate=False}). */
    public static ActivationFunction gelu() {
        return new Fn("gelu", x -> x.gelu(false));
    }

    /** GELU with the tanh approximation (Keras's {@code gelu(x, approximate=True)}). */
    public static ActivationFunction geluApproximate() {
        return new Fn("gelu_approximate", x -> x.gelu(true));
    }

    /** x · sigmoid(x) (also called swish). */
    public static ActivationFunction silu() {
        return new Fn("silu", x -> x.mul(x.sigmoid()));
    }

    /** x · hard_sigmoid(x) (also called hard swish). */
    public static ActivationFunction hardSilu() {
        return new Fn("hard_silu", x -> x.mul(hardSigmoidOf(x)));
    }

    /** x · tanh(softplus(x)). */
    public static ActivationFunction mish() {
        return new Fn("mish", x -> x.mul(x.softplus().tanh()));
    }

    /** ln(1 + e^x). */
    public static ActivationFunction softplus() {
        return new Fn("softplus", Tensor::softplus);
    }

    /** x / (1 + |x|). */
    public static ActivationFunction softsign() {
        return new Fn("softsign", x -> x.div(x.abs().add(1)));
    }

    /** (x + sqrt(x² + b)) / 2, a smooth ReLU; b must be &gt;= 0 (Keras's default 4). */
    public static ActivationFunction squareplus(double b) {
        if (!(b >= 0)) {
            throw new IllegalArgumentException("squareplus: b must be >= 0, got " + b);
        }
        return new Fn("squareplus", nonDefault("b", b, 4.0), x -> x.add(x.square().add(b).sqrt()).mul(0.5));
    }

    /** {@link #squareplus(double)} with b = 4. */
    public static ActivationFunction squareplus() {
        return squareplus(4);
    }

    /** 0 for x &lt;= −1, (x + 1)²/4 for −1 &lt; x &lt; 1, x for x &gt;= 1. */
    public static ActivationFunction sparsePlus() {
        // (clip(x, -1, 1) + 1)^2 / 4 is the middle piece, constant outside; relu(x - 1) adds x - 1 above 1.
        return new Fn("sparse_plus", x -> x.clip(-1, 1).add(1).square().mul(0.25).add(x.sub(1).relu()));
    }

    // ---------------------------------------------------------------------------------------
    // Shrinkage and thresholds.

    /** x − threshold above it, x + threshold below −threshold, 0 between (Keras's default 0.5). */
    public static ActivationFunction softShrink(double threshold) {
        checkShrink("soft_shrink", threshold);
        return new Fn("soft_shrink", nonDefault("threshold", threshold, 0.5),
                x -> x.sub(x.clip(-threshold, threshold)));
    }

    /** x where |x| &gt; threshold, else 0 (Keras's default 0.5). */
    public static ActivationFunction hardShrink(double threshold) {
        checkShrink("hard_shrink", threshold);
        return new Fn("hard_shrink", nonDefault("threshold", threshold, 0.5), x -> x.mul(x.abs().gt(threshold)));
    }

    /** x where x &gt; threshold, else {@code defaultValue}. */
    public static ActivationFunction threshold(double threshold, double defaultValue) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("threshold", threshold);
        p.put("default_value", defaultValue);
        return new Fn("threshold", Collections.unmodifiableMap(p), x -> {
            Tensor above = x.gt(threshold);
            return x.mul(above).add(above.neg().add(1).mul(defaultValue));
        });
    }

    /** e^x. */
    public static ActivationFunction exponential() {
        return new Fn("exponential", Tensor::exp);
    }

    /** The identity. */
    public static ActivationFunction linear() {
        return new Fn("linear", x -> x);
    }

    // ---------------------------------------------------------------------------------------
    // Names and configs.

    /**
     * The activation Keras calls {@code name}, with default parameters; null gives the identity.
     */
    public static ActivationFunction get(String name) {
        return name == null ? linear() : REGISTRY.get(name);
    }

    /**
     * A JSON-able form: the name, or for non-default parameters a map {@code {"name": ...,
     * param: value}}. {@link #deserialize} reverses it.
     */
    public static Object serialize(ActivationFunction f) {
        if (f.parameters().isEmpty()) {
            return f.name();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", f.name());
        m.putAll(f.parameters());
        return m;
    }

    /** The activation a {@link #serialize} result stands for (null: the identity). */
    @SuppressWarnings("unchecked")
    public static ActivationFunction deserialize(Object o) {
        if (o == null || o instanceof String) {
            return get((String) o);
        }
        if (o instanceof Map<?, ?> m && m.get("name") instanceof String name) {
            return REGISTRY.fromConfig(name, (Map<String, Object>) m);
        }
        throw new IllegalArgumentException("not a serialized activation: " + o);
    }

    // ---------------------------------------------------------------------------------------
    // The composites.

    private static Tensor eluOf(Tensor x, double alpha) {
        Tensor negative = x.minimum(0).expm1().mul(alpha);
        return Tensor.where(x.gt(0), x, negative);
    }

    private static Tensor leakyReluOf(Tensor x, double slope) {
        return Tensor.where(x.ge(x.scalarLike(0)), x, x.mul(slope));
    }

    private static Tensor hardSigmoidOf(Tensor x) {
        return x.div(6).add(0.5).clip(0, 1);
    }

    private static Tensor softmaxOver(Tensor x, int[] axes) {
        Tensor e = x.sub(x.max(axes, true)).exp();
        return e.div(e.sum(axes, true));
    }

    private static Tensor gluOf(Tensor x, int axis) {
        int a = normalise(axis, x.rank(), "glu");
        int n = x.shape().toArray()[a];
        if (n % 2 != 0) {
            throw new IllegalArgumentException("glu: axis " + axis + " of " + x.shape()
                    + " must have an even size to split in halves, got " + n);
        }
        return x.slice(a, 0, n / 2).mul(x.slice(a, n / 2, n).sigmoid());
    }

    private static Tensor sparsemaxOf(Tensor x, int axis) {
        int a = normalise(axis, x.rank(), "sparsemax");
        int[] along = {a};
        Tensor xi = x.unsqueeze(a + 1);                       // x_i along axis a
        Tensor xj = x.unsqueeze(a);                           // x_j along axis a + 1
        Tensor atLeast = xj.ge(xi);                           // [x_j >= x_i]
        Tensor rank = atLeast.sum(new int[] {a + 1}, false);  // k_i = #{j : x_j >= x_i}
        Tensor above = atLeast.mul(xj).sum(new int[] {a + 1}, false);
        Tensor support = rank.mul(x).add(1).gt(above);        // i is in the support iff 1 + k_i x_i > sum
        Tensor size = support.sum(along, true);
        Tensor tau = support.mul(x).sum(along, true).sub(1).div(size);
        return x.sub(tau).relu();
    }

    // ---------------------------------------------------------------------------------------
    // Arguments.

    private static Map<String, Object> nonDefault(String name, double value, double defaultValue) {
        return value == defaultValue ? Map.of() : Map.of(name, value);
    }

    private static int[] axesOrLast(int[] axes) {
        if (axes.length == 0) {
            return new int[] {-1};
        }
        return axes.clone();
    }

    /** {@code {"axis": a}} for one axis other than −1, {@code {"axis": [a, b]}} for several, else empty. */
    private static Map<String, Object> axisParameter(int[] axes) {
        if (axes.length == 1) {
            return axes[0] == -1 ? Map.of() : Map.of("axis", axes[0]);
        }
        List<Integer> list = new ArrayList<>();
        for (int a : axes) {
            list.add(a);
        }
        return Map.of("axis", List.copyOf(list));
    }

    private static int normalise(int axis, int rank, String what) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(what + ": axis " + axis + " is out of range for rank " + rank);
        }
        return a;
    }

    private static void checkShrink(String what, double threshold) {
        if (!(threshold >= 0)) {
            throw new IllegalArgumentException(what + ": threshold must be >= 0, got " + threshold);
        }
    }

    private static double number(Map<String, Object> c, String key, double defaultValue) {
        Object v = c.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("activation " + c.get("name") + ": " + key + " must be a number, got " + v);
    }

    private static double required(Map<String, Object> c, String key) {
        if (!(c.get(key) instanceof Number)) {
            throw new IllegalArgumentException("activation " + c.get("name") + " needs a number '" + key
                    + "' (it has no default), got " + c.get(key));
        }
        return number(c, key, 0);
    }

    /** The axis or axes of a config: {@code "axis"} an integer or a list of them; absent means −1. */
    private static int[] axes(Map<String, Object> c) {
        Object v = c.get("axis");
        if (v == null) {
            return new int[] {-1};
        }
        if (v instanceof Number n) {
            return new int[] {n.intValue()};
        }
        if (v instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(e -> e instanceof Number)) {
            return l.stream().mapToInt(e -> ((Number) e).intValue()).toArray();
        }
        throw new IllegalArgumentException("activation " + c.get("name") + ": axis must be an integer or a list"
                + " of them, got " + v);
    }

    private static int oneAxis(Map<String, Object> c) {
        int[] a = axes(c);
        if (a.length != 1) {
            throw new IllegalArgumentException("activation " + c.get("name") + " takes one axis, got " + c.get("axis"));
        }
        return a[0];
    }
}
