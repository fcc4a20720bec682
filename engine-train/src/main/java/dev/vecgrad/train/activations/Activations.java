package dev.vecgrad.train.activations;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.registry.Registry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The activation functions by name (as Keras spells them) and as objects: relu, sigmoid, tanh,
 * softmax (last axis), gelu (exact, with erf, Keras's default), silu (x·sigmoid(x), alias swish),
 * elu (alpha), leaky_relu (negative slope), softplus and linear.
 *
 * <p>Each is a composite of core ops. ELU is written as {@code where(x > 0, x, alpha *
 * expm1(min(x, 0)))}: the inner {@code min} keeps the unused branch finite for large x, so its
 * gradient (zero there) does not become {@code 0 * inf = NaN}.
 *
 * <pre>{@code
 * Activations.get("relu").apply(x);
 * Activations.leakyRelu(0.1).apply(x);
 * }</pre>
 */
public final class Activations {
    /** Keras 3's default negative slope of {@code leaky_relu}. */
    public static final double DEFAULT_NEGATIVE_SLOPE = 0.2;

    private Activations() {
    }

    private record Simple(String name, UnaryOperator<Tensor> fn) implements ActivationFunction {
        @Override
        public Tensor apply(Tensor x) {
            return fn.apply(x);
        }

        @Override
        public Map<String, Object> parameters() {
            return Map.of();
        }
    }

    private record Parametrised(String name, String param, double value, double defaultValue,
            java.util.function.BiFunction<Tensor, Double, Tensor> fn) implements ActivationFunction {
        @Override
        public Tensor apply(Tensor x) {
            return fn.apply(x, value);
        }

        @Override
        public Map<String, Object> parameters() {
            return value == defaultValue ? Map.of() : Map.of(param, value);
        }
    }

    private static final ActivationFunction RELU = new Simple("relu", Tensor::relu);

    /**
     * Every built-in activation by its Keras name: relu, sigmoid, tanh, softmax, gelu,
     * gelu_approximate, silu (alias swish), softplus, elu, leaky_relu, linear. An activation's
     * name is its class name here, and its config holds the parameters that differ from the
     * defaults ({@code {"alpha": 0.5}} for an elu).
     */
    public static final Registry<ActivationFunction> REGISTRY = new Registry<ActivationFunction>("activation")
            .register("relu", c -> relu())
            .register("sigmoid", c -> sigmoid())
            .register("tanh", c -> tanh())
            .register("softmax", c -> softmax())
            .register("gelu", c -> gelu())
            .register("gelu_approximate", c -> geluApproximate())
            .register("silu", c -> silu(), "swish")
            .register("softplus", c -> softplus())
            .register("elu", c -> elu(c.get("alpha") instanceof Number a ? a.doubleValue() : 1.0))
            .register("leaky_relu", c -> leakyRelu(c.get("negative_slope") instanceof Number s ? s.doubleValue()
                    : DEFAULT_NEGATIVE_SLOPE))
            .register("linear", c -> linear())
            .close();

    /** max(x, 0). */
    public static ActivationFunction relu() {
        return RELU;
    }

    /**
     * Whether {@code f} is the built-in {@link #relu()} (however it was obtained), which a layer
     * may fuse into its own op instead of applying it afterwards.
     */
    public static boolean isRelu(ActivationFunction f) {
        return f == RELU;
    }

    /** 1 / (1 + e^-x). */
    public static ActivationFunction sigmoid() {
        return new Simple("sigmoid", Tensor::sigmoid);
    }

    /** tanh x. */
    public static ActivationFunction tanh() {
        return new Simple("tanh", Tensor::tanh);
    }

    /** Softmax over the last axis. */
    public static ActivationFunction softmax() {
        return new Simple("softmax", x -> x.softmax(-1));
    }

    /** Exact GELU, x·Φ(x) (Keras's default, {@code approximate=False}). */
    public static ActivationFunction gelu() {
        return new Simple("gelu", x -> x.gelu(false));
    }

    /** GELU with the tanh approximation. */
    public static ActivationFunction geluApproximate() {
        return new Simple("gelu_approximate", x -> x.gelu(true));
    }

    /** x · sigmoid(x) (also called swish). */
    public static ActivationFunction silu() {
        return new Simple("silu", x -> x.mul(x.sigmoid()));
    }

    /** ln(1 + e^x). */
    public static ActivationFunction softplus() {
        return new Simple("softplus", Tensor::softplus);
    }

    /** The identity. */
    public static ActivationFunction linear() {
        return new Simple("linear", x -> x);
    }

    /** x for x &gt; 0, else alpha·(e^x − 1); Keras's default alpha is 1. */
    public static ActivationFunction elu(double alpha) {
        return new Parametrised("elu", "alpha", alpha, 1.0, Activations::eluOf);
    }

    /** {@link #elu(double)} with alpha 1. */
    public static ActivationFunction elu() {
        return elu(1.0);
    }

    /** x for x &gt;= 0, else negativeSlope·x. */
    public static ActivationFunction leakyRelu(double negativeSlope) {
        return new Parametrised("leaky_relu", "negative_slope", negativeSlope, DEFAULT_NEGATIVE_SLOPE,
                Activations::leakyReluOf);
    }

    /** {@link #leakyRelu(double)} with Keras's default slope 0.2. */
    public static ActivationFunction leakyRelu() {
        return leakyRelu(DEFAULT_NEGATIVE_SLOPE);
    }

    private static Tensor eluOf(Tensor x, double alpha) {
        Tensor negative = x.minimum(0).expm1().mul(alpha);
        return Tensor.where(x.gt(0), x, negative);
    }

    private static Tensor leakyReluOf(Tensor x, double slope) {
        return Tensor.where(x.ge(x.scalarLike(0)), x, x.mul(slope));
    }

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
}
