package dev.vecgrad.train.compile;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Engine;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.core.internal.VariableInternals;
import dev.vecgrad.core.kernel.Backend;
import dev.vecgrad.core.kernel.Epilogue;
import dev.vecgrad.core.kernel.parallel.Parallel;
import dev.vecgrad.core.ops.ComputePrimitive;
import dev.vecgrad.core.ops.Fusable;
import dev.vecgrad.core.ops.Primitives;
import dev.vecgrad.train.data.Tensors;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A traced step turned into something that replays without allocating: every op's output has a
 * buffer chosen from the trace's liveness, allocated once; each replay runs the recorded ops
 * straight into those buffers and the host calls on them.
 *
 * <p><b>Memory planning.</b> The trace is walked in order. Each computed tensor (and each tensor a
 * host call returns that later ops read) is a buffer root; views and aliases of a root extend its
 * lifetime to their last reader. After the last reader of a root has run, its array returns to a
 * free list per dtype, from which later outputs take the smallest array that fits. An op that
 * declares an {@link ComputePrimitive#inPlaceInput() in-place input} writes over that input when
 * it is a whole root read by nothing later. Arrays of ops that do not
 * {@link ComputePrimitive#writesEveryElement() write every element} are cleared before they run.
 * The step's inputs (the batch slots) and result are never shared.
 *
 * <p><b>Variables.</b> A plan binds each variable the step read by the {@link Variable}, not by the
 * tensor the trace saw: where the trace read a variable's array, the plan reads the array the
 * variable holds when the plan is made. An update that replaces a variable's array (copy on write,
 * because its value was handed out or held) makes the plan {@linkplain #current() stale}; it is
 * then {@linkplain #rebind() rebuilt} from the same trace, without running the step again.
 *
 * <p><b>Fusion.</b> Before planning, {@link Fusion} rewrites the trace so that elementwise ops run
 * as epilogue stages of the op producing their input (a matmul, a convolution, or the first op of
 * an elementwise chain), one pass over each output instead of one per op.
 */
final class StepPlan {
    @SuppressWarnings("unchecked")
    private static final ComputePrimitive<Object> COPY = (ComputePrimitive<Object>) (ComputePrimitive<?>) Primitives.COPY;
    private final Step[] steps;
    private final Variable[] variables;
    private final Tensor[] values;
    /** What the plan was made from, kept to make it again for new variable arrays. */
    private final Source source;
    /** The plan's arrays in the order it allocated them. */
    private final List<Object> arrays;
    private final HostStep resultHost;
    private final Tensors resultTensors;
    private final long bytes;
    private final int buffers;
    private final List<String> described;

    private StepPlan(Source source, List<Object> arrays, Step[] steps, Variable[] variables, Tensor[] values,
            HostStep resultHost, Tensors resultTensors, long bytes, int buffers, List<String> described) {
        this.source = source;
        this.arrays = arrays;
        this.described = described;
        this.steps = steps;
        this.variables = variables;
        this.values = values;
        this.resultHost = resultHost;
        this.resultTensors = resultTensors;
        this.bytes = bytes;
        this.buffers = buffers;
    }

    /** A trace, its step's input slots and what the step returned. */
    private record Source(StepTrace trace, List<Tensor> slots, Object result) {
    }

    /** One replayed event. */
    private interface Step {
        void run(Backend backend);
    }

    /** A computing primitive run into its planned buffer. */
    private record ComputeStep(ComputePrimitive<Object> op, Object attrs, Tensor[] inputs, Tensor output, boolean clear)
            implements Step {
        @Override
        public void run(Backend backend) {
            if (clear) {
                Buffers.clear(output);
            }
            op.run(backend, inputs, attrs, output);
        }
    }

    /**
     * Ops fused into one pass: the producer run with the epilogue, or (no producer) an elementwise
     * chain, the epilogue alone over the output's rows, in chunks spread over the backend's threads.
     */
    private static final class FusedStep implements Step, Parallel.ChunkBody {
        /** Elements of one chunk of an elementwise chain. */
        private static final int CHAIN_CHUNK = 1 << 14;
        private final Fusable<Object> producer;
        private final Object attrs;
        private final Tensor[] inputs;
        private final Tensor output;
        private final Epilogue epilogue;
        private final boolean clear;
        private final int cols;
        private final int rows;
        private final int chunkRows;
        private final long work;

        FusedStep(Fusable<Object> producer, Object attrs, Tensor[] inputs, Tensor output, Epilogue epilogue,
                boolean clear) {
            this.producer = producer;
            this.attrs = attrs;
            this.inputs = inputs;
            this.output = output;
            this.epilogue = epilogue;
            this.clear = clear;
            this.cols = output.rank() == 0 ? 1 : output.shape().dim(-1);
            this.rows = output.size() / cols;
            this.chunkRows = Math.max(1, CHAIN_CHUNK / cols);
            this.work = (long) output.size() * epilogue.stages().size();
        }

        @Override
        public void run(Backend backend) {
            if (clear) {
                Buffers.clear(output);
            }
            if (producer != null) {
                producer.run(backend, inputs, attrs, output, epilogue);
            } else {
                int chunks = (rows + chunkRows - 1) / chunkRows;
                backend.parallel().forEachChunk(work, chunks, this);
            }
        }

        /** One chunk of rows of an elementwise chain. */
        @Override
        public void run(int chunk) {
            int r0 = chunk * chunkRows;
            int n = Math.min(chunkRows, rows - r0);
            epilogue.apply(Buffers.data(output), output.offset() + r0 * cols, cols, r0, 0, n, cols);
        }
    }

    /** A host call run on the plan's tensors; a tensor it returns is copied into {@code into}. */
    private static final class HostStep implements Step {
        private final Function<List<Tensor>, ?> body;
        private final List<Tensor> args;
        private final Tensor into;
        private Object last;

        HostStep(Function<List<Tensor>, ?> body, Tensor[] args, Tensor into, Object first) {
            this.body = body;
            this.args = Arrays.asList(args);
            this.into = into;
            this.last = first;
        }

        @Override
        public void run(Backend backend) {
            last = body.apply(args);
            if (into != null) {
                Buffers.copy((Tensor) last, into);
            }
        }
    }

    /**
     * Plans {@code trace}, whose inputs were {@code slots} and whose step returned {@code result};
     * where the trace read an array of one of its {@linkplain StepTrace#variableArrays() variables},
     * the plan reads that variable's current value.
     */
    static StepPlan build(StepTrace trace, List<Tensor> slots, Object result) {
        return new Planner(new Source(trace, slots, result), List.of()).plan();
    }

    /**
     * The same plan made again for the variables' current arrays, reusing this plan's buffers: for
     * when an update has replaced a variable's array (see {@link #current()}). The plan keeps its
     * trace for this, so a signature's cached plan costs the memory of one eager step besides its
     * buffers.
     */
    StepPlan rebind() {
        return new Planner(source, arrays).plan();
    }

    /**
     * Whether every variable the plan reads still holds the array the plan was made for; an update
     * that had to copy (the value was handed out or held) gives the variable a new one.
     */
    boolean current() {
        for (int i = 0; i < variables.length; i++) {
            if (VariableInternals.current(variables[i]) != values[i]) {
                return false;
            }
        }
        return true;
    }

    /** Runs the plan once (its slots hold the batch) and returns the step's result. */
    Object replay() {
        Backend backend = Engine.get().backend();
        for (Step s : steps) {
            s.run(backend);
        }
        if (resultHost != null) {
            return resultHost.last;
        }
        return resultTensors == null ? null : Buffers.copyOut(resultTensors);
    }

    /** Bytes of the plan's buffers, all allocated once. */
    long bytes() {
        return bytes;
    }

    /** How many arrays the plan's buffers share. */
    int buffers() {
        return buffers;
    }

    /** What each step of a replay runs (fused ops as {@code producer+stage+...}), for tests and diagnostics. */
    List<String> describe() {
        return described;
    }

    /** How many steps a replay runs. */
    int steps() {
        return steps.length;
    }

    /** Builds one plan: liveness first, then buffers in event order. */
    private static final class Planner {
        private final List<StepTrace.Event> events;
        private final Object result;
        /** Trace tensor -> the root whose array it reads (itself for a root). */
        private final IdentityHashMap<Tensor, Tensor> rootOf = new IdentityHashMap<>();
        /** A computed tensor's array -> its root, to catch tensors wrapping a traced array without an op. */
        private final IdentityHashMap<Object, Tensor> rootOfArray = new IdentityHashMap<>();
        private final IdentityHashMap<Tensor, Integer> lastUse = new IdentityHashMap<>();
        /** Trace tensor -> plan tensor. */
        private final IdentityHashMap<Tensor, Tensor> planned = new IdentityHashMap<>();
        private final IdentityHashMap<Tensor, Object> arrayOf = new IdentityHashMap<>();
        /** Free arrays per dtype by length, each length's in the order they were freed. */
        private final Map<DType, TreeMap<Integer, ArrayDeque<Object>>> free = new EnumMap<>(DType.class);
        private final Source source;
        private final StepTrace trace;
        /** Arrays of an earlier plan of this trace, taken in order instead of new ones. */
        private final List<Object> reuse;
        /** The arrays this plan allocated (or reused), in order. */
        private final List<Object> allocated = new ArrayList<>();
        private long bytes;
        private int buffers;

        /** Plans {@code source}, taking the arrays of {@code reuse} in order before allocating new ones. */
        Planner(Source source, List<Object> reuse) {
            this.source = source;
            this.trace = source.trace();
            this.reuse = reuse;
            this.events = Fusion.fuse(trace.events(), source.result());
            this.result = source.result();
            for (Tensor s : source.slots()) {
                planned.put(s, s);
            }
        }

        StepPlan plan() {
            liveness();
            List<Step> steps = new ArrayList<>();
            HostStep resultHost = null;
            for (int i = 0; i < events.size(); i++) {
                StepTrace.Event e = events.get(i);
                switch (e) {
                    case StepTrace.Compute c -> steps.add(compute(c, i));
                    case StepTrace.Fused f -> steps.add(fused(f));
                    case StepTrace.View v -> {
                        if (materializes(v)) {
                            steps.add(materialize(v));
                        } else {
                            planned.put(v.output(), rootOf.containsKey(v.output())
                                    ? v.op().view(map(v.input()), v.attrs()) : map(v.output()));
                        }
                    }
                    case StepTrace.Host h -> {
                        Tensor[] args = mapAll(h.args());
                        Tensor into = null;
                        if (h.result() instanceof Tensor r && rootOf.get(r) == r && lastUse.get(r) > i) {
                            into = allocate(r.dtype(), r.shape());
                            planned.put(r, into);
                        }
                        HostStep step = new HostStep(h.body(), args, into, h.result());
                        if (h.result() != null && h.result() == result) {
                            resultHost = step;
                        }
                        steps.add(step);
                    }
                }
                release(e.reads(), i);
            }
            Tensors resultTensors = null;
            if (resultHost == null && result != null) {
                if (!(result instanceof Tensors ts)) {
                    throw new TracingException("the step returned " + result.getClass().getSimpleName() + " computed in"
                            + " plain Java, which a replay cannot recompute; return what computeMetrics or"
                            + " metricResults() gives, or compile with jitCompile(false)");
                }
                resultTensors = ts.map(this::map);
            }
            Variable[] vars = new java.util.LinkedHashSet<>(trace.variableArrays().values()).toArray(new Variable[0]);
            Tensor[] values = new Tensor[vars.length];
            for (int i = 0; i < vars.length; i++) {
                values[i] = VariableInternals.current(vars[i]);
            }
            List<String> described = new ArrayList<>(events.size());
            for (StepTrace.Event e : events) {
                described.add(e.describe());
            }
            return new StepPlan(source, allocated, steps.toArray(new Step[0]), vars, values, resultHost, resultTensors, bytes,
                    buffers, described);
        }

        /** Roots, and the last event reading each (the result's tensors are read after every event). */
        private void liveness() {
            for (int i = 0; i < events.size(); i++) {
                StepTrace.Event e = events.get(i);
                for (Tensor t : e.reads()) {
                    use(t, i);
                }
                switch (e) {
                    case StepTrace.Compute c -> root(c.output(), i);
                    case StepTrace.Fused f -> root(f.output(), i);
                    case StepTrace.View v -> {
                        Tensor root = rootOf.get(v.input());
                        if (materializes(v)) {
                            rootOf.put(v.output(), v.output());
                            rootOfArray.put(Buffers.data(v.output()), v.output());
                            lastUse.put(v.output(), i);
                        } else if (root != null) {
                            rootOf.put(v.output(), root);
                        }
                    }
                    case StepTrace.Host h -> {
                        if (h.result() instanceof Tensor r && !rootOf.containsKey(r) && !planned.containsKey(r)) {
                            rootOf.put(r, r);
                            rootOfArray.put(Buffers.data(r), r);
                            lastUse.put(r, i);
                        }
                    }
                }
            }
            if (result instanceof Tensors ts) {
                for (Tensor t : ts) {
                    use(t, Integer.MAX_VALUE);
                }
            }
        }

        private void root(Tensor out, int i) {
            rootOf.put(out, out);
            rootOfArray.put(Buffers.data(out), out);
            lastUse.put(out, i);
        }

        private void use(Tensor t, int i) {
            if (t == null || planned.containsKey(t)) {
                return;
            }
            Tensor root = rootOf.get(t);
            if (root == null) {
                root = rootOfArray.get(Buffers.data(t));
                if (root == null) {
                    return; // a constant: a tensor made before the step or from Java values
                }
                rootOf.put(t, root); // wraps a traced array without an op (stopGradient)
            }
            lastUse.merge(root, i, Math::max);
        }

        /** Whether a view op had to copy (a reshape of a strided tensor): then the copy is replayed. */
        private static boolean materializes(StepTrace.View v) {
            return Buffers.data(v.output()) != Buffers.data(v.input());
        }

        /** A copying view: the input copied into a contiguous planned buffer each replay, and the view made of that. */
        private Step materialize(StepTrace.View v) {
            Tensor src = map(v.input());
            Tensor buffer = allocate(src.dtype(), src.shape());
            Tensor view = v.op().view(buffer, v.attrs());
            if (Buffers.data(view) != Buffers.data(buffer)) {
                throw new TracingException(v.op().name() + " copies even a contiguous " + src.shape() + " input, which a"
                        + " compiled step cannot replay; compile with jitCompile(false)");
            }
            arrayOf.put(v.output(), Buffers.data(buffer));
            planned.put(v.output(), view);
            return new ComputeStep(COPY, null, new Tensor[] {src}, buffer, !Primitives.COPY.writesEveryElement());
        }

        private Step compute(StepTrace.Compute c, int i) {
            Tensor[] in = mapAll(c.inputs());
            Tensor out = c.output();
            Tensor plannedOut = null;
            int k = c.op().inPlaceInput();
            if (k >= 0 && k < in.length) {
                Tensor x = c.inputs()[k];
                if (rootOf.get(x) == x && lastUse.get(x) == i && x.dtype() == out.dtype() && x.shape().equals(out.shape())
                        && x.isContiguous() && !aliasedLater(x, c.inputs(), k)) {
                    plannedOut = in[k];
                    arrayOf.put(out, arrayOf.remove(x)); // the array passes to the output, not back to the free list
                }
            }
            if (plannedOut == null) {
                plannedOut = allocate(out.dtype(), out.shape());
            }
            arrayOf.putIfAbsent(out, Buffers.data(plannedOut));
            planned.put(out, plannedOut);
            return new ComputeStep(c.op(), c.attrs(), in, plannedOut, !c.op().writesEveryElement());
        }

        /** Fused ops into a buffer of their own (a product or chain never writes over what it reads). */
        @SuppressWarnings("unchecked")
        private Step fused(StepTrace.Fused f) {
            Tensor[] in = mapAll(f.inputs());
            Tensor out = f.output();
            Tensor plannedOut = allocate(out.dtype(), out.shape());
            arrayOf.put(out, Buffers.data(plannedOut));
            planned.put(out, plannedOut);
            Epilogue epilogue = Fusion.epilogue(Engine.get().backend().kernels(), f, in, this::map);
            Fusable<Object> producer = (Object) f.op() instanceof Fusable<?> p ? (Fusable<Object>) p : null;
            return new FusedStep(producer, f.attrs(), in, plannedOut, epilogue,
                    producer != null && !f.op().writesEveryElement());
        }

        /** Whether another input of the same op reads the root that would be overwritten. */
        private boolean aliasedLater(Tensor x, Tensor[] inputs, int k) {
            for (int j = 0; j < inputs.length; j++) {
                if (j != k && inputs[j] != null && rootOf.get(inputs[j]) == x) {
                    return true;
                }
            }
            return false;
        }

        /** Returns to the free lists the arrays of roots whose last reader is event {@code i}. */
        private void release(Tensor[] reads, int i) {
            for (Tensor t : reads) {
                Tensor root = t == null ? null : rootOf.get(t);
                if (root != null && lastUse.get(root) == i) {
                    Object a = arrayOf.remove(root);
                    if (a != null) {
                        free(root.dtype(), a);
                    }
                }
            }
            // Outputs nobody reads are dead at once.
            StepTrace.Event e = events.get(i);
            Tensor out = switch (e) {
                case StepTrace.Compute c -> c.output();
                case StepTrace.Fused f -> f.output();
                default -> null;
            };
            if (out != null && lastUse.get(out) == i) {
                Object a = arrayOf.remove(out);
                if (a != null) {
                    free(out.dtype(), a);
                }
            }
        }

        private void free(DType dtype, Object array) {
            free.computeIfAbsent(dtype, d -> new TreeMap<>())
                    .computeIfAbsent(Buffers.length(array), n -> new ArrayDeque<>()).addLast(array);
        }

        /**
         * A buffer of {@code shape}: the smallest free array that fits (the first freed of that
         * length), else the next array of an earlier plan of this trace, else a new one.
         */
        private Tensor allocate(DType dtype, Shape shape) {
            int n = shape.size();
            TreeMap<Integer, ArrayDeque<Object>> lengths = free.get(dtype);
            Map.Entry<Integer, ArrayDeque<Object>> fit = lengths == null ? null : lengths.ceilingEntry(n);
            if (fit != null) {
                Object array = fit.getValue().pollFirst();
                if (fit.getValue().isEmpty()) {
                    lengths.remove(fit.getKey());
                }
                return TensorInternals.wrap(dtype, shape, shape.contiguousStrides(), 0, array);
            }
            Object array = buffers < reuse.size() ? reuse.get(buffers) : null;
            boolean reused = array != null && Buffers.length(array) == Buffers.paddedLength(dtype, n)
                    && Buffers.dtype(array) == dtype;
            if (!reused) {
                array = Buffers.newArray(dtype, n);
            }
            allocated.add(array);
            bytes += (long) Buffers.length(array) * dtype.byteSize();
            buffers++;
            Tensor t = TensorInternals.wrap(dtype, shape, shape.contiguousStrides(), 0, array);
            if (reused) {
                Buffers.clear(t); // as a new array would be
            }
            return t;
        }

        private Tensor[] mapAll(Tensor[] ts) {
            Tensor[] out = new Tensor[ts.length];
            for (int i = 0; i < ts.length; i++) {
                out[i] = map(ts[i]);
            }
            return out;
        }

        /**
         * The plan's tensor for trace tensor {@code t}: planned, an alias of a planned array, the same
         * view of a variable's current array, or a constant.
         */
        private Tensor map(Tensor t) {
            if (t == null) {
                return null;
            }
            Tensor p = planned.get(t);
            if (p != null) {
                return p;
            }
            Tensor root = rootOf.get(t);
            if (root != null && root != t) {
                p = TensorInternals.wrap(t.dtype(), t.shape(), t.strides(), t.offset(), Buffers.data(planned.get(root)));
                planned.put(t, p);
                return p;
            }
            Variable v = trace.variableArrays().get(Buffers.data(t));
            Object now = v == null ? null : Buffers.data(VariableInternals.current(v));
            if (now != null && now != Buffers.data(t)) {
                p = TensorInternals.wrap(t.dtype(), t.shape(), t.strides(), t.offset(), now);
                planned.put(t, p);
                return p;
            }
            return t;
        }
    }
}
