package dev.vecgrad.train.regularizers;

import dev.vecgrad.core.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's L1, L2 and L1L2 penalties: {@code l1 * sum(|w|) + l2 * sum(w²)} (no factor 1/2, as
 * Keras). {@link Regularizers#l1}, {@link Regularizers#l2} and {@link Regularizers#l1l2} make
 * them; the class name they save under says which.
 */
public final class L1L2 implements Regularizer {
    private final double l1;
    private final double l2;
    private final String className;

    L1L2(double l1, double l2, String className) {
        if (!(l1 >= 0) || !(l2 >= 0)) {
            throw new IllegalArgumentException(className + ": factors must be non-negative, got l1=" + l1 + ", l2=" + l2);
        }
        this.l1 = l1;
        this.l2 = l2;
        this.className = className;
    }

    /** The L1 factor. */
    public double l1() {
        return l1;
    }

    /** The L2 factor. */
    public double l2() {
        return l2;
    }

    @Override
    public Tensor apply(Tensor weight) {
        Tensor penalty = weight.scalarLike(0);
        if (l1 != 0) {
            penalty = penalty.add(weight.abs().sum().mul(l1));
        }
        if (l2 != 0) {
            penalty = penalty.add(weight.square().sum().mul(l2));
        }
        return penalty;
    }

    @Override
    public String className() {
        return className;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        if (!className.equals("L2")) {
            c.put("l1", l1);
        }
        if (!className.equals("L1")) {
            c.put("l2", l2);
        }
        return c;
    }
}
