package dev.vecgrad.train.compile;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.kernel.Epilogue;
import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.core.ops.Attrs;
import dev.vecgrad.core.ops.Binary;
import dev.vecgrad.core.ops.ComputePrimitive;
import dev.vecgrad.core.ops.Fusable;
import dev.vecgrad.core.ops.Primitives;
import dev.vecgrad.core.ops.Reduce;
import dev.vecgrad.core.ops.Unary;
import dev.vecgrad.train.data.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Finds what a plan can run as one pass in a trace: an op whose output only one elementwise op
 * reads hands that op its output block by block, while it is in cache, as a stage of an
 * {@link Epilogue}; the chain goes on while each result has one elementwise reader. The producer is
 * a {@link Fusable} op (matmul, conv2d: a dense layer's bias and activation, and in the backward
 * relu's gradient mask, fold into the product) or an elementwise op (a chain of elementwise ops
 * runs as one pass). Every element goes through the same kernels with the same operands as
 * before, so a fused plan computes the same bits as the trace.
 *
 * <p>Two rewrites come first. A reduction over axes of size 1 only is dropped and its readers read
 * its input (the reduction copies it). relu's gradient {@code relu_grad(g, z)} reads relu's output
 * {@code y = relu(z)} instead of z when the trace computed it ({@code y > 0} exactly where
 * {@code z > 0}), so that z is read only by relu and the bias add and relu can fold into the
 * product that makes z. One comes after: a copy of one broadcast value that fused passes alone
 * read becomes a one-value operand of their epilogues.
 */
final class Fusion {
    private Fusion() {
    }

    /** One folded elementwise op: {@code op(value)} or {@code op(value, operand)} (or {@code op(operand, value)}). */
    record Stage(ComputePrimitive<?> op, Tensor operand, boolean operandFirst) {
    }

    /** The events of {@code events}, with fusable chains replaced by {@link StepTrace.Fused} events. */
    static List<StepTrace.Event> fuse(List<StepTrace.Event> events, Object result) {
        IdentityHashMap<Tensor, Boolean> returned = new IdentityHashMap<>();
        if (result instanceof Tensors ts) {
            for (Tensor t : ts) {
                returned.put(t, true);
            }
        }
        List<StepTrace.Event> in = reluMasksReadOutputs(reshapingReductionsAsViews(events, returned));
        IdentityHashMap<Tensor, Integer> readCount = new IdentityHashMap<>();
        IdentityHashMap<Tensor, Integer> reader = new IdentityHashMap<>();
        IdentityHashMap<Object, Tensor> arrayOwner = new IdentityHashMap<>();
        IdentityHashMap<Tensor, Boolean> pinned = new IdentityHashMap<>();
        for (int i = 0; i < in.size(); i++) {
            StepTrace.Event e = in.get(i);
            for (Tensor t : e.reads()) {
                if (t != null) {
                    readCount.merge(t, 1, Integer::sum);
                    reader.put(t, i);
                    Tensor owner = arrayOwner.putIfAbsent(Buffers.data(t), t);
                    if (owner != null && owner != t) {
                        pinned.put(owner, true); // another tensor (a view, an alias) shares its array
                        pinned.put(t, true);
                    }
                }
            }
            Tensor out = output(e);
            if (out != null) {
                Tensor owner = arrayOwner.putIfAbsent(Buffers.data(out), out);
                if (owner != null && owner != out) {
                    pinned.put(owner, true);
                    pinned.put(out, true);
                }
            }
        }
        pinned.putAll(returned);
        StepTrace.Event[] out = in.toArray(new StepTrace.Event[0]);
        int[] hostsBefore = hostsBefore(out);
        for (int i = 0; i < out.length; i++) {
            if (!(out[i] instanceof StepTrace.Compute head) || !canProduce(head)) {
                continue;
            }
            Shape shape = head.output().shape();
            List<Stage> stages = new ArrayList<>();
            Tensor value = head.output();
            int at = i;
            while (readCount.getOrDefault(value, 0) == 1 && !pinned.containsKey(value)) {
                int j = reader.get(value);
                Stage s = out[j] instanceof StepTrace.Compute next ? stage(next, value, shape) : null;
                if (s == null || hostsBefore[j] != hostsBefore[at + 1]) {
                    break;
                }
                stages.add(s);
                if (at != i) {
                    out[at] = null;
                }
                at = j;
                value = ((StepTrace.Compute) out[j]).output();
            }
            if (!stages.isEmpty()) {
                out[at] = new StepTrace.Fused(head.op(), head.attrs(), head.inputs(), stages.toArray(new Stage[0]),
                        value);
                out[i] = null;
            }
        }
        List<StepTrace.Event> fused = new ArrayList<>(out.length);
        for (StepTrace.Event e : out) {
            if (e != null) {
                fused.add(e);
            }
        }
        return broadcastCopiesAsOperands(fused, returned);
    }

    /**
     * Drops reductions over axes of size 1 only (a mean over a last axis of one, a sum that keeps
     * its dims): such a reduction copies its contiguous input's elements in order, so its readers
     * read the input's array instead, through a tensor of the output's shape. Tensors in
     * {@code returned} (the step's result) keep their reductions.
     */
    private static List<StepTrace.Event> reshapingReductionsAsViews(List<StepTrace.Event> events,
            IdentityHashMap<Tensor, Boolean> returned) {
        IdentityHashMap<Tensor, Tensor> alias = new IdentityHashMap<>();
        List<StepTrace.Event> out = new ArrayList<>(events.size());
        for (StepTrace.Event e : events) {
            e = substitute(e, alias);
            if (e instanceof StepTrace.Compute c && (Object) c.op() instanceof Reduce && reshapes(c)
                    && !returned.containsKey(c.output())) {
                Tensor x = c.inputs()[0];
                Tensor y = c.output();
                alias.put(y, TensorInternals.wrap(y.dtype(), y.shape(), y.shape().contiguousStrides(), x.offset(),
                        Buffers.data(x)));
                continue;
            }
            out.add(e);
        }
        return alias.isEmpty() ? events : out;
    }

    /** Whether reduction {@code c} reduces only axes of size 1 of a contiguous input of its output's dtype. */
    private static boolean reshapes(StepTrace.Compute c) {
        Tensor x = c.inputs()[0];
        if (!x.isContiguous() || x.dtype() != c.output().dtype()) {
            return false;
        }
        for (int a : ((Attrs.Reduce) c.attrs()).axes()) {
            if (x.shape().dim(a) != 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * Replaces the copy a view made of one value broadcast over a shape (a reshape of a
     * {@code broadcast_to}) by a tensor reading that value with all strides zero, where only
     * fused passes read the copy and read it as an epilogue operand: the operand is then
     * {@link Epilogue.Operand#scalar one value}, and the copy leaves the plan. Tensors in
     * {@code returned} (the step's result) keep their copies.
     */
    private static List<StepTrace.Event> broadcastCopiesAsOperands(List<StepTrace.Event> events,
            IdentityHashMap<Tensor, Boolean> returned) {
        IdentityHashMap<Tensor, Tensor> alias = new IdentityHashMap<>();
        for (StepTrace.Event e : events) {
            if (e instanceof StepTrace.View v && Buffers.data(v.output()) != Buffers.data(v.input())
                    && oneValue(v.input()) && !returned.containsKey(v.output())) {
                Tensor y = v.output();
                alias.put(y, TensorInternals.wrap(y.dtype(), y.shape(), new int[y.rank()], v.input().offset(),
                        Buffers.data(v.input())));
            }
        }
        for (StepTrace.Event e : events) {
            for (Tensor t : e.reads()) {
                if (t != null && alias.containsKey(t) && !(e instanceof StepTrace.Fused f && readsAsOperand(f, t))) {
                    alias.remove(t);
                }
            }
        }
        if (alias.isEmpty()) {
            return events;
        }
        List<StepTrace.Event> out = new ArrayList<>(events.size());
        for (StepTrace.Event e : events) {
            if (!(e instanceof StepTrace.View v && alias.containsKey(v.output()))) {
                out.add(substitute(e, alias));
            }
        }
        return out;
    }

    /** Whether every element of {@code t} is one element of its array (every stride of a dimension over 1 is 0). */
    private static boolean oneValue(Tensor t) {
        for (int d = 0; d < t.rank(); d++) {
            if (t.shape().dim(d) > 1 && t.stride(d) != 0) {
                return false;
            }
        }
        return t.size() > 0;
    }

    /** Whether fused event {@code f} reads {@code t} only through its epilogue's operands. */
    private static boolean readsAsOperand(StepTrace.Fused f, Tensor t) {
        return !((Object) f.op() instanceof Fusable<?>) || !Arrays.asList(f.inputs()).contains(t);
    }

    /** {@code e} reading {@code alias.get(t)} wherever it read a tensor {@code t} that has one. */
    private static StepTrace.Event substitute(StepTrace.Event e, IdentityHashMap<Tensor, Tensor> alias) {
        if (alias.isEmpty()) {
            return e;
        }
        return switch (e) {
            case StepTrace.Compute c -> new StepTrace.Compute(c.op(), c.attrs(), substitute(c.inputs(), alias), c.output());
            case StepTrace.View v -> new StepTrace.View(v.op(), v.attrs(), alias.getOrDefault(v.input(), v.input()),
                    v.output());
            case StepTrace.Host h -> new StepTrace.Host(h.name(), substitute(h.args(), alias), h.body(), h.result());
            case StepTrace.Fused f -> {
                Stage[] stages = f.stages().clone();
                for (int i = 0; i < stages.length; i++) {
                    Stage s = stages[i];
                    stages[i] = new Stage(s.op(), alias.getOrDefault(s.operand(), s.operand()), s.operandFirst());
                }
                yield new StepTrace.Fused(f.op(), f.attrs(), substitute(f.inputs(), alias), stages, f.output());
            }
        };
    }

    private static Tensor[] substitute(Tensor[] ts, IdentityHashMap<Tensor, Tensor> alias) {
        Tensor[] out = ts.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] != null) {
                out[i] = alias.getOrDefault(out[i], out[i]);
            }
        }
        return out;
    }

    /** Rewrites {@code relu_grad(g, z)} to read {@code relu(z)} where the trace computed it. */
    private static List<StepTrace.Event> reluMasksReadOutputs(List<StepTrace.Event> events) {
        IdentityHashMap<Tensor, Tensor> reluOf = new IdentityHashMap<>();
        List<StepTrace.Event> out = new ArrayList<>(events.size());
        for (StepTrace.Event e : events) {
            if (e instanceof StepTrace.Compute c && (Object) c.op() == Primitives.RELU) {
                reluOf.putIfAbsent(c.inputs()[0], c.output());
            } else if (e instanceof StepTrace.Compute c && (Object) c.op() == Primitives.RELU_GRAD
                    && reluOf.get(c.inputs()[1]) instanceof Tensor y && y.shape().equals(c.inputs()[1].shape())) {
                e = new StepTrace.Compute(c.op(), c.attrs(), new Tensor[] {c.inputs()[0], y}, c.output());
            }
            out.add(e);
        }
        return out;
    }

    private static Tensor output(StepTrace.Event e) {
        return switch (e) {
            case StepTrace.Compute c -> c.output();
            case StepTrace.View v -> v.output();
            case StepTrace.Host h -> h.result() instanceof Tensor t ? t : null;
            case StepTrace.Fused f -> f.output();
        };
    }

    /** Whether {@code c} can start a chain: a fusable op taking an epilogue here, or an elementwise op on operands a stage reads. */
    private static boolean canProduce(StepTrace.Compute c) {
        Tensor y = c.output();
        if (!y.dtype().isFloating() || y.size() == 0) {
            return false;
        }
        if ((Object) c.op() instanceof Fusable<?> f) {
            @SuppressWarnings("unchecked")
            Fusable<Object> op = (Fusable<Object>) f;
            return op.takesEpilogue(c.inputs(), c.attrs());
        }
        if (elementwise(c.op())) {
            for (Tensor t : c.inputs()) {
                if (t.dtype() != y.dtype() || operand(t, y.shape()) == null) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** {@code next} as a stage applied to {@code value} (of the chain's shape), or null when it cannot be one. */
    private static Stage stage(StepTrace.Compute next, Tensor value, Shape shape) {
        Tensor y = next.output();
        if (y.dtype() != value.dtype() || !y.shape().equals(shape)) {
            return null;
        }
        Object op = next.op();
        if (op instanceof Unary) {
            return new Stage(next.op(), null, false);
        }
        if (op instanceof Binary) {
            Tensor[] in = next.inputs();
            boolean valueFirst = in[0] == value;
            Tensor other = valueFirst ? in[1] : in[0];
            if (other == value || other.dtype() != value.dtype() || operand(other, shape) == null) {
                return null;
            }
            return new Stage(next.op(), other, !valueFirst);
        }
        return null;
    }

    /**
     * How many host calls come before each event: a chain link from event {@code at} to event
     * {@code j} passes one when {@code hostsBefore[j] != hostsBefore[at + 1]}, one comparison per
     * link where a scan would cost the distance from a forward op to its reader in the backward pass.
     */
    private static int[] hostsBefore(StepTrace.Event[] events) {
        int[] before = new int[events.length + 1];
        for (int k = 0; k < events.length; k++) {
            before[k + 1] = before[k] + (events[k] instanceof StepTrace.Host ? 1 : 0);
        }
        return before;
    }

    /**
     * How a stage reads {@code t} beside an output of {@code shape}, or null when it cannot: one
     * value, a contiguous tensor of the output's shape, or a contiguous row of the output's last
     * dimension repeated down it. The operand reads {@code t}'s array in place, so a variable's
     * new value after an update is what the next replay reads.
     */
    static Epilogue.Operand operand(Tensor t, Shape shape) {
        if (oneValue(t) && t.rank() <= shape.rank()) {
            return Epilogue.Operand.scalar(Buffers.data(t), t.offset());
        }
        if (!t.isContiguous()) {
            return null;
        }
        int n = shape.rank() == 0 ? 1 : shape.dim(-1);
        if (t.shape().equals(shape)) {
            return Epilogue.Operand.full(Buffers.data(t), t.offset(), n);
        }
        if (t.size() == n && t.rank() >= 1 && t.rank() <= shape.rank() && t.shape().dim(-1) == n) {
            return Epilogue.Operand.row(Buffers.data(t), t.offset());
        }
        return null;
    }

    /** The stages of a fused event as an {@link Epilogue} on plan tensors ({@code map} gives each operand's). */
    static Epilogue epilogue(dev.vecgrad.core.kernel.Kernels kernels, StepTrace.Fused f, Tensor[] plannedInputs,
            java.util.function.UnaryOperator<Tensor> map) {
        Shape shape = f.output().shape();
        List<Epilogue.Stage> stages = new ArrayList<>();
        if (!((Object) f.op() instanceof Fusable<?>)) {
            stages.add(elementwise(f.op(), Arrays.stream(plannedInputs).map(t -> operand(t, shape))
                    .toArray(Epilogue.Operand[]::new)));
        }
        for (Stage s : f.stages()) {
            Epilogue.Operand o = s.operand() == null ? null : operand(map.apply(s.operand()), shape);
            if ((Object) s.op() instanceof Unary u) {
                stages.add(new Epilogue.Map(u, null));
            } else {
                Binary b = (Binary) (Object) s.op();
                stages.add(s.operandFirst() ? new Epilogue.Combine(b, o, null) : new Epilogue.Combine(b, null, o));
            }
        }
        return new Epilogue(kernels, stages);
    }

    /** The first stage of an elementwise chain: the op on its own operands. */
    private static Epilogue.Stage elementwise(Object op, Epilogue.Operand[] operands) {
        if (op instanceof Unary u) {
            return new Epilogue.Map(u, operands[0]);
        }
        return new Epilogue.Combine((Binary) op, operands[0], operands[1]);
    }

    /** Whether {@code op} is a unary or binary elementwise op. */
    private static boolean elementwise(Object op) {
        return op instanceof Unary || op instanceof Binary;
    }
}
