package dev.vecgrad.train.initializers;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every element the same value; {@link Initializers#zeros()} and {@link Initializers#ones()} are special cases. */
public final class Constant implements Initializer {
    private final double value;
    private final String className;

    /** Every element {@code value} (Keras's {@code Constant}). */
    public Constant(double value) {
        this(value, "Constant");
    }

    Constant(double value, String className) {
        this.value = value;
        this.className = className;
    }

    /** The value every element gets. */
    public double value() {
        return value;
    }

    @Override
    public Tensor initialize(Shape shape, DType dtype, Rng rng) {
        return Fill.of(shape, dtype, () -> value);
    }

    @Override
    public String className() {
        return className;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        if (className.equals("Constant")) {
            c.put("value", value);
        }
        return c;
    }
}
