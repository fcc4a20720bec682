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
     * The two arrays of one in-place update of an F32 variable (see {@link #updateF32()}).
     *
     * @param source the current value, to read
     * @param target where the new value goes; every element must be written
     */
    public record F32Update(float[] source, float[] target) {
        /** Whether the update writes over the value it reads. */
        public boolean inPlace() {
            return source == target;
        }
    }

    /**
     * Starts an update of every element, such as an optimizer step: read the current value from
     * {@code source()}, write the new one to {@code target()}. Both are the variable's own array,
     * unless a recorder may hold the current value; then {@code target()} is a fresh array that the
     * variable holds from now on, so what the recorder saw never changes and nothing is copied
     * first. Until the caller has written all of {@code target()} the variable's value is
     * incomplete, so the update must not be interleaved with reads.
     *
     * <pre>{@code
     * Variable.F32Update u = w.updateF32();
     * for (int i = 0; i < u.source().length; i++) {
     *     u.target()[i] = u.source()[i] - 0.1f * grad[i];
     * }
     * }</pre>
     */
    public F32Update updateF32() {
        if (value.dtype() != DType.F32) {
            throw new IllegalStateException("variable " + name + " holds " + value.dtype() + ", not F32");
        }
        float[] source = value.f32Array();
        if (!shared) {
            return new F32Update(source, source);
        }
        float[] target = new float[source.length];
        value = Tensor.wrap(DType.F32, value.shape(), target);
        shared = false;
        return new F32Update(source, target);
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
