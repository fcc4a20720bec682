package dev.vecgrad.core;

import dev.vecgrad.core.ops.Recording;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A named, mutable slot holding a tensor: the weights of a model. Tensors never change;
 * variables do, which keeps the autodiff tape simple (as in TensorFlow).
 *
 * <p>{@link #value()} hands out the current tensor and tells active recorders about the read, so a
 * gradient tape can watch trainable variables by itself. The {@code assign*} methods and
 * {@link #updateF32()} update the variable in place, except while a recorder that kept the value
 * {@link #hold() holds} it: then the update writes to a fresh copy (copy on write), so what a tape
 * saw never changes under it. A tape releases its holds when it has computed its gradient or is
 * closed, which lets an optimizer step that follows write straight into the weights.
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
    /**
     * How many holds {@link #value} has; a fresh counter comes with every fresh value, so a hold
     * taken on an older value never counts against a newer one. Atomic because replicas of a
     * distribution strategy read (and hold) one variable from several threads at once.
     */
    private AtomicInteger holds = new AtomicInteger();

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
            Recording.variableRead(this, value);
        }
        return value;
    }

    /**
     * Keeps the current value from changing until the returned hold is released: updates made
     * meanwhile go to a fresh array. A recorder that keeps a value it was told about (see
     * {@code OpRecorder.recordVariableRead}) holds it for as long as it may read it.
     *
     * <pre>{@code
     * Variable.Hold hold = w.hold();
     * Tensor kept = w.peek();
     * w.assignAdd(Tensor.scalar(1f));   // w now has a new array; kept is unchanged
     * hold.release();                   // later updates of the new value are in place again
     * }</pre>
     */
    public Hold hold() {
        AtomicInteger counter = holds;
        counter.incrementAndGet();
        return new Hold(counter);
    }

    /** One {@link #hold()} on a variable's value; releasing it twice has no further effect. */
    public static final class Hold {
        private final AtomicInteger counter;
        private boolean released;

        private Hold(AtomicInteger counter) {
            this.counter = counter;
        }

        /** Ends the hold. */
        public void release() {
            if (!released) {
                released = true;
                counter.decrementAndGet();
            }
        }
    }

    /** Whether a hold forbids writing the current value's array. */
    private boolean held() {
        return holds.get() > 0;
    }

    /** Makes {@code fresh} (an array of no one else's) the value, with no holds on it. */
    private void replace(Tensor fresh) {
        value = fresh;
        holds = new AtomicInteger();
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
     * Copies {@code v} into the variable's own array; when the current value is held, into a fresh
     * array instead (copy on write). Updates are not ops: nothing is recorded.
     */
    private void write(Tensor v) {
        try (Recording.Paused p = Recording.pause()) {
            if (held()) {
                replace(v.contiguousCopy());
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
     * unless the current value is {@link #hold() held}; then {@code target()} is a fresh array that
     * the variable holds from now on, so what the holder saw never changes and nothing is copied
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
        if (!held()) {
            return new F32Update(source, source);
        }
        float[] target = new float[source.length];
        replace(Tensor.wrap(DType.F32, value.shape(), target));
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
