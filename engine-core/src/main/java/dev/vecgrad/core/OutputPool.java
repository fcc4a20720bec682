package dev.vecgrad.core;

import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.core.ops.ComputePrimitive;
import dev.vecgrad.core.ops.Dispatcher;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * An explicit scope in which op outputs reuse the arrays of tensors the caller has released.
 * Every op output is normally a fresh array, which the JVM zeroes before the op writes it; for
 * arrays of megabytes that first pass runs over memory no cache holds, and costs as much as a
 * cheap op itself. Inside a pool, this thread's op outputs come from the arrays released to it
 * (same dtype and element count, most recently released first, still in cache), and only when
 * none fits from a fresh array.
 *
 * <pre>{@code
 * try (OutputPool pool = OutputPool.open()) {
 *     for (Tensor x : batches) {
 *         Tensor h = x.mul(w).add(b);
 *         Tensor y = h.relu();
 *         pool.release(h);          // h is not read again: relu's next output may take its array
 *         System.out.println(y.sum().item());
 *         pool.release(y);
 *     }
 * }
 * }</pre>
 *
 * <p><b>What release means.</b> Releasing a tensor says nothing reads it again: its array becomes
 * the output of a later op. The released tensor is marked dead, and so is every view of it made
 * on this thread while the pool was open ({@code reshape}, {@code transpose}, a slice): reading
 * any of them afterwards ({@code get}, {@code toFloatArray}, using it as an op's input) throws
 * {@link IllegalStateException}. The pool refuses what it cannot take back: a tensor it did not
 * hand out, one released twice, a part of an output, and a tensor, or a view of it, that a
 * gradient tape still holds. Views made on another thread, or by engine code wrapping the array
 * itself, are not seen and must not outlive the release. Tensors not released are ordinary tensors
 * and stay valid after the pool is closed.
 *
 * <p>The pool gives outputs to the thread that opened it, until {@link #close()}; it is not
 * shared between threads. Pools nest with the engine's other output allocators (a compiled
 * plan's buffers): the one opened last serves the ops until it is closed. Memory: the pool holds
 * the arrays released and not yet reused, dropped when the pool is closed. Outside a pool, ops
 * pay nothing for it.
 */
public final class OutputPool implements AutoCloseable {
    /** The recorder tag of a released tensor; {@link Tensor} refuses to read a tensor that carries it. */
    static final Object RELEASED = new Object();

    /** Released arrays by dtype and element count; the last released is reused first. */
    private final Map<Key, ArrayDeque<Object>> free = new HashMap<>();
    /**
     * Each array this pool handed out and not yet released, with the tensors over it (the output
     * and the views made of it), all weakly held: outputs dropped without release are collected.
     */
    private final Map<Object, List<WeakReference<Tensor>>> handedOut = new WeakHashMap<>();
    private final Thread owner = Thread.currentThread();
    private final Dispatcher.AllocatorScope scope;
    private boolean closed;

    private record Key(DType dtype, int size) {
    }

    private OutputPool() {
        scope = Dispatcher.useAllocator(new Dispatcher.OutputAllocator() {
            @Override
            public Tensor allocate(ComputePrimitive<?> op, DType dtype, Shape shape) {
                return OutputPool.this.allocate(op, dtype, shape);
            }

            @Override
            public void viewMade(Tensor source, Tensor view) {
                List<WeakReference<Tensor>> readers = handedOut.get(TensorInternals.data(source));
                if (readers != null) {
                    readers.add(new WeakReference<>(view));
                }
            }
        });
    }

    /** Opens a pool that serves this thread's op outputs until it is closed. */
    public static OutputPool open() {
        return new OutputPool();
    }

    private Tensor allocate(ComputePrimitive<?> op, DType dtype, Shape shape) {
        ArrayDeque<Object> arrays = free.get(new Key(dtype, shape.size()));
        Object array = arrays == null ? null : arrays.pollLast();
        if (array == null) {
            array = Tensor.allocate(dtype, shape.size());
        } else if (!op.writesEveryElement()) {
            clear(array);
        }
        Tensor out = TensorInternals.wrap(dtype, shape, array);
        List<WeakReference<Tensor>> readers = new ArrayList<>(1);
        readers.add(new WeakReference<>(out));
        handedOut.put(array, readers);
        return out;
    }

    private static void clear(Object array) {
        switch (array) {
            case float[] a -> Arrays.fill(a, 0f);
            case double[] a -> Arrays.fill(a, 0d);
            case int[] a -> Arrays.fill(a, 0);
            default -> throw new IllegalStateException("not a tensor array: " + array.getClass());
        }
    }

    /**
     * Gives {@code t}'s array back to the pool, for the output of a later op of the same dtype
     * and size. Nothing may read {@code t}, or a view of it, afterwards (see the class comment).
     *
     * @throws IllegalArgumentException if this pool did not hand {@code t} out, it was released
     *     already, {@code t} is a part of an output, or a gradient tape still holds it
     * @throws IllegalStateException if the pool is closed or the caller is not the thread that opened it
     */
    public void release(Tensor t) {
        checkOpen("release");
        if (TensorInternals.tag(t) == RELEASED) {
            throw new IllegalArgumentException("cannot release a " + t.dtype() + " " + t.shape()
                    + " tensor: it was released already");
        }
        Object array = TensorInternals.data(t);
        List<WeakReference<Tensor>> readers = handedOut.get(array);
        if (readers == null) {
            throw new IllegalArgumentException("cannot release a " + t.dtype() + " " + t.shape()
                    + " tensor: it is not an output of this pool (nor a view of one)");
        }
        if (t.offset() != 0 || !t.isContiguous() || t.size() != java.lang.reflect.Array.getLength(array)) {
            throw new IllegalArgumentException("cannot release a " + t.dtype() + " " + t.shape()
                    + " view of part of an output: release the whole output");
        }
        List<Tensor> dead = new ArrayList<>(readers.size() + 1);
        dead.add(t);
        for (WeakReference<Tensor> ref : readers) {
            Tensor r = ref.get();
            if (r != null && r != t) {
                dead.add(r);
            }
        }
        for (Tensor d : dead) {
            if (TensorInternals.tag(d) != null) {
                throw new IllegalArgumentException("cannot release a " + t.dtype() + " " + t.shape() + " tensor: "
                        + "a gradient tape still holds " + (d == t ? "it" : "a " + d.shape() + " tensor sharing its array")
                        + "; release it after the tape has computed its gradients");
            }
        }
        for (Tensor d : dead) {
            TensorInternals.setTag(d, RELEASED);
        }
        handedOut.remove(array);
        free.computeIfAbsent(new Key(t.dtype(), t.size()), k -> new ArrayDeque<>()).addLast(array);
    }

    /** Stops serving outputs (the allocator installed before this pool serves again) and drops the released arrays. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        checkOwner("close");
        closed = true;
        scope.close();
        free.clear();
        handedOut.clear();
    }

    private void checkOpen(String what) {
        checkOwner(what);
        if (closed) {
            throw new IllegalStateException("cannot " + what + " on a closed output pool");
        }
    }

    private void checkOwner(String what) {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("cannot " + what + " an output pool from " + Thread.currentThread().getName()
                    + ": it serves " + owner.getName() + ", the thread that opened it");
        }
    }
}
