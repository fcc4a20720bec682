package dev.vecgrad.core;

import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.core.internal.VariableInternals;
import dev.vecgrad.core.ops.Recording;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A named, mutable slot holding a tensor: the weights of a model. Tensors never change;
 * variables do, which keeps the autodiff tape simple (as in TensorFlow).
 *
 * <p>{@link #value()} is a snapshot: the tensor it returns keeps the values it had when it was
 * read, whatever the variable does afterwards. It also tells active recorders about the read, so a
 * gradient tape can watch trainable variables by itself. The {@code assign*} methods and an
 * optimizer's update write the variable's array in place when they can, and into a fresh array
 * (copy on write) when the current tensor has been handed out by {@link #value()} or
 * {@link #peek()}, or is {@link #hold() held} by a recorder. The engine's own layers and optimizers
 * read weights without handing them out, and a tape releases its holds when it has computed its
 * gradient or is closed, so the update of a training step writes straight into the weights. A
 * custom layer that reads its weights through {@code value()} costs each update one fresh array.
 *
 * <pre>{@code
 * Variable w = new Variable("dense/kernel", Tensor.zeros(3, 2), true);
 * Tensor before = w.value();
 * w.assignAdd(Tensor.scalar(0.1f));   // w is 0.1 everywhere; before is still all zeros
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
    /**
     * Whether {@link #value} has been handed out by {@link #value()} or {@link #peek()}: then the
     * next write goes to a fresh array, and the handed-out tensor keeps its values.
     */
    private volatile boolean handedOut;
    /**
     * The in-place update of the current F32 value, kept so that the update of every training
     * step, which writes straight into the weights, allocates nothing; a new value makes a new one.
     */
    private VariableInternals.F32Update inPlace;

    static {
        VariableInternals.install(new VariableInternals.Access() {
            @Override
            public Tensor read(Variable v) {
                return v.report();
            }

            @Override
            public Tensor current(Variable v) {
                return v.value;
            }

            @Override
            public VariableInternals.F32Update updateF32(Variable v) {
                return v.updateF32();
            }

            @Override
            public double[] updateF64(Variable v) {
                return v.updateF64();
            }
        });
    }

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

    /**
     * The current value, reported to active recorders as a read: a snapshot, which later updates
     * of the variable do not change.
     */
    public Tensor value() {
        handOut();
        return report();
    }

    /** The current value, reported to active recorders as a read, without handing it out. */
    private Tensor report() {
        if (Recording.isRecording()) {
            Recording.variableRead(this, value);
        }
        return value;
    }

    /** Marks the current value as seen outside the engine, so that no write reaches its array. */
    private void handOut() {
        if (!handedOut) {
            handedOut = true;
        }
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

    /** Whether the current value's array must not be written: it was handed out, or a hold forbids it. */
    private boolean held() {
        return handedOut || holds.get() > 0;
    }

    /** Makes {@code fresh} (an array of no one else's) the value, with no holds on it. */
    private void replace(Tensor fresh) {
        value = fresh;
        holds = new AtomicInteger();
        handedOut = false;
    }

    /** The current value without reporting a read (for saving or printing): a snapshot, as {@link #value()} is. */
    public Tensor peek() {
        handOut();
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
            System.arraycopy(TensorInternals.data(src), src.offset(), TensorInternals.data(value), value.offset(), value.size());
        }
    }

    /** Starts an update of every element of an F32 variable; see {@link VariableInternals#updateF32}. */
    private VariableInternals.F32Update updateF32() {
        if (value.dtype() != DType.F32) {
            throw new IllegalStateException("variable " + name + " holds " + value.dtype() + ", not F32");
        }
        float[] source = TensorInternals.f32(value);
        if (!held()) {
            VariableInternals.F32Update u = inPlace;
            if (u == null || u.source() != source) {
                u = new VariableInternals.F32Update(source, source);
                inPlace = u;
            }
            return u;
        }
        float[] target = new float[source.length];
        replace(TensorInternals.wrap(DType.F32, value.shape(), target));
        return new VariableInternals.F32Update(source, target);
    }

    /** The array an in-place update of an F64 variable writes; see {@link VariableInternals#updateF64}. */
    private double[] updateF64() {
        if (value.dtype() != DType.F64) {
            throw new IllegalStateException("variable " + name + " holds " + value.dtype() + ", not F64");
        }
        double[] current = TensorInternals.f64(value);
        if (!held()) {
            return current;
        }
        double[] copy = current.clone();
        replace(TensorInternals.wrap(DType.F64, value.shape(), copy));
        return copy;
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
