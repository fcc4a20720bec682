package dev.vecgrad.core.ops;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Engine;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;

/**
 * The one path every primitive op takes: infer the output, allocate it, run the primitive on
 * the engine's backend, and report the op to the recorders active on this thread
 * ({@link Recording}). Tensor methods and the op families ({@code UnaryOps}, {@code ShapeOps},
 * ...) are thin entry points that build a primitive's attributes and call here.
 *
 * <p><b>Allocation hook.</b> Outputs come from {@link Tensor#zeros}, unless an
 * {@link OutputAllocator} is installed on the thread with {@link #useAllocator}: then every
 * output of a {@link ComputePrimitive} is asked of it, which is how a traced plan hands ops
 * buffers it planned instead of fresh arrays. With no allocator and no recorder anywhere, an op
 * pays two reads of a counter for these hooks.
 *
 * <pre>{@code
 * Tensor y = Dispatcher.call(Primitives.ADD, null, a, b);
 * Tensor t = Dispatcher.view(Primitives.PERMUTE, new Attrs.Permute(new int[] {1, 0}), a);
 * }</pre>
 */
public final class Dispatcher {
    /** Each thread's installed allocator, or null. */
    private static final ThreadLocal<OutputAllocator> ALLOCATOR = new ThreadLocal<>();
    /** Allocators installed on all threads together; zero lets ops skip the thread-local lookup. */
    private static volatile int allocators;

    private Dispatcher() {
    }

    /** Where the outputs of computing primitives come from while an allocator is installed. */
    @FunctionalInterface
    public interface OutputAllocator {
        /**
         * A contiguous tensor of {@code dtype} and {@code shape} for the output of {@code op}; it must
         * be zero-filled unless {@link ComputePrimitive#writesEveryElement()} says the op writes every
         * element, and must not be read by anything else until the op has run.
         */
        Tensor allocate(ComputePrimitive<?> op, DType dtype, Shape shape);

        /**
         * Told of each view made on this thread while the allocator is installed ({@code view}
         * shares {@code source}'s array), for an allocator that must know who else reads an
         * output it handed out; by default nothing.
         */
        default void viewMade(Tensor source, Tensor view) {
        }
    }

    /**
     * Runs {@code op} on {@code inputs}: infers the output's shape and dtype (which checks the
     * inputs), allocates the output, runs the op on the engine's backend and reports it.
     */
    public static <A> Tensor call(ComputePrimitive<A> op, A attrs, Tensor... inputs) {
        Shape shape = op.inferShape(inputs, attrs);
        DType dtype = op.inferDType(inputs, attrs);
        Tensor out = allocators == 0 ? Tensor.zeros(dtype, shape) : allocate(op, dtype, shape);
        op.run(Engine.get().backend(), inputs, attrs, out);
        Recording.record(op, attrs, inputs, out);
        return out;
    }

    /**
     * {@code op(a, b)}: the same as {@link #call} on {@code a} and {@code b}. When {@code b} holds one
     * element that broadcasting spreads over a small contiguous floating {@code a} (a scalar
     * tensor, as a gradient rule's constant), the output has {@code a}'s shape without
     * broadcasting inference and the op is one kernel call.
     */
    public static Tensor call(Binary op, Tensor a, Tensor b) {
        if (b.size() != 1 || b.rank() > a.rank() || b.dtype() != a.dtype() || !Binary.takesScalarShortcut(a)) {
            return call(op, null, a, b);
        }
        Tensor out = allocators == 0 ? Tensor.zeros(a.dtype(), a.shape()) : allocate(op, a.dtype(), a.shape());
        op.runWithScalar(Engine.get().backend().kernels(), a, b, out);
        Recording.recordBinary(op, a, b, out);
        return out;
    }

    /**
     * {@code op(a, c)} for a number {@code c} taken in {@code a}'s dtype ({@code x.mul(2)}): the
     * same as {@link #call} on {@code a} and {@code a.scalarLike(c)}. A small contiguous floating
     * {@code a} takes a shortcut: the output has {@code a}'s shape without broadcasting inference,
     * and recorders are told the number ({@link OpRecorder#recordBinary(Binary, Tensor, double, Tensor)}),
     * so no scalar tensor is made for one that keeps it as a number.
     */
    public static Tensor call(Binary op, Tensor a, double c) {
        if (!Binary.takesScalarShortcut(a)) {
            return call(op, null, a, a.scalarLike(c));
        }
        Tensor out = allocators == 0 ? Tensor.zeros(a.dtype(), a.shape()) : allocate(op, a.dtype(), a.shape());
        op.runWithScalar(Engine.get().backend().kernels(), a, c, out);
        Recording.recordBinary(op, a, c, out);
        return out;
    }

    /**
     * Helper work inside another primitive's {@code run} (a contiguous copy of a strided operand,
     * a cast of a mask): the op into a fresh tensor, neither reported nor given a planned buffer,
     * because recorders and plans see it as part of the primitive that asked for it.
     */
    static <A> Tensor compute(ComputePrimitive<A> op, A attrs, Tensor... inputs) {
        Tensor out = Tensor.zeros(op.inferDType(inputs, attrs), op.inferShape(inputs, attrs));
        op.run(Engine.get().backend(), inputs, attrs, out);
        return out;
    }

    /** The view {@code op} makes of {@code x}, reported unless it is {@code x} itself. */
    public static <A> Tensor view(ViewPrimitive<A> op, A attrs, Tensor x) {
        Tensor out = op.view(x, attrs);
        if (out != x) {
            reportView(op, attrs, x, out);
        }
        return out;
    }

    /**
     * Whether {@link #reportView} has anyone to tell on this thread (an installed allocator or an
     * active recorder): a view made by a faster route than {@link ViewPrimitive#view} needs its
     * attributes only then.
     */
    static boolean reportsViews() {
        return allocators != 0 || Recording.isRecording();
    }

    /** Reports {@code out}, the view {@code op} with {@code attrs} makes of {@code x}, as {@link #view} does. */
    static <A> void reportView(ViewPrimitive<A> op, A attrs, Tensor x, Tensor out) {
        if (allocators != 0) {
            OutputAllocator a = ALLOCATOR.get();
            if (a != null) {
                a.viewMade(x, out);
            }
        }
        Recording.record(op, attrs, new Tensor[] {x}, out);
    }

    private static Tensor allocate(ComputePrimitive<?> op, DType dtype, Shape shape) {
        OutputAllocator a = ALLOCATOR.get();
        if (a == null) {
            return Tensor.zeros(dtype, shape);
        }
        Tensor t = a.allocate(op, dtype, shape);
        if (t.dtype() != dtype || !t.shape().equals(shape) || !t.isContiguous()) {
            throw new IllegalStateException("the output allocator gave " + op.name() + " a " + t.dtype() + " "
                    + t.shape() + (t.isContiguous() ? "" : " non-contiguous") + " tensor for a " + dtype + " "
                    + shape + " output");
        }
        return t;
    }

    /**
     * Makes {@code allocator} give this thread's op outputs until the returned scope is closed;
     * scopes nest, and closing one restores the allocator that was installed before it.
     */
    public static AllocatorScope useAllocator(OutputAllocator allocator) {
        OutputAllocator previous = ALLOCATOR.get();
        ALLOCATOR.set(java.util.Objects.requireNonNull(allocator, "allocator"));
        synchronized (Dispatcher.class) {
            allocators++;
        }
        return new AllocatorScope(previous);
    }

    /** An allocator installed by {@link #useAllocator}; closing it (once) restores the previous one. */
    public static final class AllocatorScope implements AutoCloseable {
        private final OutputAllocator previous;
        private boolean closed;

        private AllocatorScope(OutputAllocator previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (previous == null) {
                ALLOCATOR.remove();
            } else {
                ALLOCATOR.set(previous);
            }
            synchronized (Dispatcher.class) {
                allocators--;
            }
        }
    }
}
