package dev.vecgrad.core;

import dev.vecgrad.core.ops.Recording;
import java.util.Objects;

/**
 * A named, mutable slot holding a tensor: the weights of a model. Tensors never change;
 * variables do, which keeps the autodiff tape simple (as in TensorFlow).
 *
 * <p>{@link #value()} hands out the current tensor and tells active recorders about the read, so a
 * gradient tape can watch trainable variables by itself. The {@code assign*} methods update the
 * variable. A tensor handed out while a recorder was active may be kept by that recorder; the next
 * in-place update then writes to a fresh copy (copy on write), so what a tape saw never changes
 * under it.
 *
 * <pre>{@code
 * Variable w = new Variable("dense/kernel", Tensor.zeros(3, 2), true);
 * w.assignSub(w.value().mul(0.1f));
 * }</pre>
 */
public final class Variable {
    private final String name;
    private final boolean trainable;
    private Tensor value;
    /** Whether {@link #value} may be referenced by a recorder, so that it must not be written. */
    private boolean shared;

    /** A variable named {@code name} holding {@code initial} (made contiguous). */
    public Variable(String name, Tensor initial, boolean trainable) {
        this.name = Objects.requireNonNull(name, "name");
        try (Recording.Paused p = Recording.pause()) {
            this.value = initial.contiguousCopy();
        }
        this.trainable = trainable;
    }

    /** The name, e.g. {@code dense_1/kernel}. */
    public String name() {
        return name;
    }

    /** Whether optimizers update this variable and tapes watch it. */
    public boolean trainable() {
        return trainable;
    }

    /** The dtype of the value. */
    public DType dtype() {
        return value.dtype();
    }

    /** The shape of the value; it never changes. */
    public Shape shape() {
        return value.shape();
    }

    /** The current value, reported to active recorders as a read. */
    public Tensor value() {
        if (Recording.isRecording()) {
            shared = true;
            Recording.variableRead(this, value);
        }
        return value;
    }

    /** The current value without reporting a read (for saving, printing, optimizers' own state). */
    public Tensor peek() {
        return value;
    }

    /** Sets the value to {@code newValue}, which must have the same dtype and shape; writes in place. */
    public void assign(Tensor newValue) {
        checkCompatible("assign", newValue);
        write(newValue);
    }

    /** Adds {@code delta} (broadcast to the variable's shape) in place. */
    public void assignAdd(Tensor delta) {
        checkDelta("assignAdd", delta);
        try (Recording.Paused p = Recording.pause()) {
            write(value.add(delta));
        }
    }

    /** Subtracts {@code delta} (broadcast to the variable's shape) in place. */
    public void assignSub(Tensor delta) {
        checkDelta("assignSub", delta);
        try (Recording.Paused p = Recording.pause()) {
            write(value.sub(delta));
        }
    }

    /**
     * Copies {@code v} into the variable's own array; when a recorder may hold the current value,
     * into a fresh array instead (copy on write). Updates are not ops: nothing is recorded.
     */
    private void write(Tensor v) {
        try (Recording.Paused p = Recording.pause()) {
            if (shared) {
                value = v.contiguousCopy();
                shared = false;
                return;
            }
            Tensor src = v.contiguous();
            System.arraycopy(src.array(), src.offset(), value.array(), value.offset(), value.size());
        }
    }

    /**
     * The backing array of the value, for in-place kernels such as optimizer updates; copied first
     * if a recorder may hold the current value.
     */
    public float[] mutableF32() {
        if (value.dtype() != DType.F32) {
            throw new IllegalStateException("variable " + name + " holds " + value.dtype() + ", not F32");
        }
        if (shared) {
            write(value);
        }
        return value.f32Array();
    }

    private void checkCompatible(String op, Tensor t) {
        if (t.dtype() != value.dtype() || !t.shape().equals(value.shape())) {
            throw new IllegalArgumentException(op + " on variable " + name + ": expected " + value.dtype()
                    + " " + value.shape() + ", got " + t.dtype() + " " + t.shape());
        }
    }

    private void checkDelta(String op, Tensor delta) {
        if (delta.dtype() != value.dtype() || !delta.shape().broadcastableTo(value.shape())) {
            throw new IllegalArgumentException(op + " on variable " + name + ": a delta of " + delta.dtype()
                    + " " + delta.shape() + " does not fit " + value.dtype() + " " + value.shape());
        }
    }

    @Override
    public String toString() {
        return "Variable(" + name + ", " + value.dtype().numpyName() + ", shape=" + value.shape()
                + (trainable ? "" : ", non-trainable") + ")";
    }
}
