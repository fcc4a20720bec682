package dev.vecgrad.train.compile;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.internal.VariableInternals;
import dev.vecgrad.core.ops.Recording;
import dev.vecgrad.train.data.Batch;
import dev.vecgrad.train.data.Tensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A step function compiled by tracing, as Keras wraps {@code train_step} in {@code tf.function}:
 * the first calls with a given input signature run the step eagerly and record what it did; later
 * calls replay the recording.
 *
 * <p><b>Signatures and tracing.</b> A signature is the dtype and shape of every tensor of the batch
 * (inputs, targets, sample weights); whether the step trains is fixed per function. The first call
 * with a new signature copies the batch into the plan's input slots and runs the step eagerly on
 * them, recording every op the dispatcher runs (forward, the tape's backward) and every
 * {@link Tracer#hostCall host call} (the optimizer's update, metric updates). The second call runs
 * and records it again and checks that both runs did the same ops: a step whose ops depend on
 * something other than its input signature is an error. Then the trace becomes a {@link StepPlan}
 * with buffers planned once, and every later call copies the batch into the slots and replays the
 * plan. Plans are kept per signature in a cache of bounded size (the least recently used plan is
 * dropped); the short last batch of an epoch gets a plan of its own.
 *
 * <p><b>Side effects.</b> Java code in the step runs while tracing only. A replay runs the
 * recorded ops and host calls, nothing else: a counter incremented in the step, a tensor made
 * from Java values ({@code Tensor.of}), a value read into Java ({@code item()}) and used to decide
 * what to compute are fixed at their traced values. Work that must happen at every step goes
 * through ops or through {@link Tracer#hostCall}. Variables may be created during the first trace
 * only (a lazily built layer); creating one later is an error. A step must return what a host
 * call returned (the metric results) or tensors, which are returned as copies. A replay reads each
 * variable's value as it is when the replay runs, whether the step read it through a layer or
 * {@link Variable#value()}.
 *
 * <p><b>Threads.</b> The slots and buffers of a plan serve one call at a time: a call made while
 * another thread is inside this step runs eagerly (the same bits; compiled and eager steps agree),
 * so concurrent {@code predict} calls on one model stay correct without waiting for each other.
 */
public final class CompiledStep<R> implements Function<Batch, R> {
    /** How many signatures keep a plan by default. */
    public static final int DEFAULT_CACHE_SIZE = 8;
    private static final System.Logger LOG = System.getLogger(CompiledStep.class.getName());

    private final String name;
    private final Function<Batch, R> step;
    private final Supplier<List<Variable>> variables;
    private final LinkedHashMap<String, Signature> cache;
    private final boolean fallBack;
    private Signature last;
    private int traces;
    /** Set when a step that could not be compiled runs eagerly from then on. */
    private volatile boolean eager;
    /** Held by the one call that uses the slots, plans and cache. */
    private final ReentrantLock inUse = new ReentrantLock();

    /**
     * Compiles {@code step}, named {@code name} in errors; {@code variables} lists the variables the
     * step may read or update (the model's weights), asked after each trace.
     */
    public CompiledStep(String name, Function<Batch, R> step, Supplier<List<Variable>> variables, int cacheSize) {
        this(name, step, variables, cacheSize, false);
    }

    /**
     * Like {@link #CompiledStep(String, Function, Supplier, int)}; with {@code fallBack} a step that
     * cannot be compiled runs eagerly from then on (logged once) instead of throwing
     * {@link TracingException} (Keras's {@code jit_compile="auto"}).
     */
    public CompiledStep(String name, Function<Batch, R> step, Supplier<List<Variable>> variables, int cacheSize,
            boolean fallBack) {
        if (cacheSize < 1) {
            throw new IllegalArgumentException("CompiledStep: the plan cache needs room for at least one plan, got "
                    + cacheSize);
        }
        this.name = name;
        this.step = step;
        this.fallBack = fallBack;
        this.variables = variables;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Signature> eldest) {
                return size() > cacheSize;
            }
        };
    }

    /** One signature's slots, first trace and plan. */
    private static final class Signature {
        final Batch slots;
        final List<Tensor> slotList = new ArrayList<>();
        List<String> traced;
        StepPlan plan;

        Signature(Batch batch) {
            slots = batch.map(Buffers::paddedCopy);
            for (Tensors ts : groups(slots)) {
                if (ts != null) {
                    slotList.addAll(ts.values());
                }
            }
        }

        /** Whether {@code batch} has this entry's signature; allocates nothing. */
        boolean matches(Batch batch) {
            return same(slots.inputs(), batch.inputs()) && same(slots.targets(), batch.targets())
                    && same(slots.sampleWeights(), batch.sampleWeights());
        }

        void fill(Batch batch) {
            fill(slots.inputs(), batch.inputs());
            fill(slots.targets(), batch.targets());
            fill(slots.sampleWeights(), batch.sampleWeights());
        }

        private static void fill(Tensors slot, Tensors given) {
            if (slot != null) {
                for (int i = 0, n = slot.size(); i < n; i++) {
                    Buffers.copy(given.get(i), slot.get(i));
                }
            }
        }

        private static boolean same(Tensors a, Tensors b) {
            if (a == null || b == null) {
                return a == b;
            }
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0, n = a.size(); i < n; i++) {
                Tensor x = a.get(i);
                Tensor y = b.get(i);
                if (x.dtype() != y.dtype() || !x.shape().equals(y.shape())) {
                    return false;
                }
            }
            return true;
        }
    }

    private static List<Tensors> groups(Batch b) {
        List<Tensors> g = new ArrayList<>(3);
        g.add(b.inputs());
        g.add(b.targets());
        g.add(b.sampleWeights());
        return g;
    }

    /** Runs the step on {@code batch}: by tracing for a new signature, else by replaying its plan. */
    @Override
    @SuppressWarnings("unchecked")
    public R apply(Batch batch) {
        if (eager || Tracer.isTracing()) {
            return step.apply(batch); // inside another compiled step's trace: part of that trace
        }
        if (!inUse.tryLock()) {
            return step.apply(batch); // another thread is replaying or tracing: its buffers are busy
        }
        try {
            if (eager) {
                return step.apply(batch);
            }
            Signature e = last != null && last.matches(batch) ? last : lookup(batch);
            last = e;
            e.fill(batch);
            if (e.plan == null) {
                return trace(e);
            }
            if (!e.plan.current()) {
                e.plan = e.plan.rebind(); // an update replaced a variable's array: read the new one
            }
            return (R) e.plan.replay();
        } finally {
            inUse.unlock();
        }
    }

    private Signature lookup(Batch batch) {
        StringBuilder key = new StringBuilder();
        for (Tensors ts : groups(batch)) {
            key.append('|');
            if (ts != null) {
                for (Tensor t : ts) {
                    key.append(t.dtype()).append(t.shape()).append(';');
                }
            }
        }
        return cache.computeIfAbsent(key.toString(), k -> new Signature(batch));
    }

    @SuppressWarnings("unchecked")
    private R trace(Signature e) {
        List<Variable> vars = variables.get();
        int before = vars.size();
        StepTrace trace = new StepTrace();
        for (Variable v : vars) {
            trace.bind(v, VariableInternals.current(v));
        }
        R result;
        StepTrace outer = Tracer.activate(trace);
        Recording.push(trace);
        try {
            result = step.apply(e.slots);
        } finally {
            Recording.pop(trace);
            Tracer.activate(outer);
        }
        traces++;
        try {
            check(e, trace, result, before);
        } catch (TracingException x) {
            if (!fallBack) {
                throw x;
            }
            eager = true;
            cache.clear();
            last = null;
            LOG.log(System.Logger.Level.WARNING, "{0} runs eagerly: {1}", name, x.getMessage());
        }
        return result instanceof Tensors ts ? (R) Buffers.copyOut(ts) : result;
    }

    /** After a trace: the first is kept; the second is compared with it and planned. */
    private void check(Signature e, StepTrace trace, Object result, int before) {
        List<Variable> after = variables.get();
        for (Variable v : after) {
            trace.bind(v, VariableInternals.current(v)); // a value the step's own update gave it
        }
        List<String> ops = trace.describe();
        if (e.traced == null) {
            e.traced = ops;
        } else {
            if (after.size() != before) {
                throw new TracingException(name + ": the step created " + (after.size() - before) + " variable(s)"
                        + " after its first trace (" + after.get(after.size() - 1).name() + "); a compiled step may"
                        + " create variables only on its first call: create them in build()");
            }
            checkSameOps(e.traced, ops);
            e.plan = StepPlan.build(trace, e.slotList, result);
        }
    }

    private void checkSameOps(List<String> first, List<String> second) {
        int n = Math.min(first.size(), second.size());
        for (int i = 0; i < n; i++) {
            if (!first.get(i).equals(second.get(i))) {
                throw new TracingException(name + ": two traces of one input signature ran different ops (event " + i
                        + ": " + first.get(i) + " then " + second.get(i) + "); the step's ops must depend only on"
                        + " its inputs' shapes and dtypes, or compile with jitCompile(false)");
            }
        }
        if (first.size() != second.size()) {
            throw new TracingException(name + ": two traces of one input signature ran " + first.size() + " and "
                    + second.size() + " events; the step's ops must depend only on its inputs' shapes and dtypes,"
                    + " or compile with jitCompile(false)");
        }
    }

    /** Whether the step runs eagerly because it could not be compiled (only with fallBack). */
    public boolean isEager() {
        return eager;
    }

    /** How many times the step was traced (two per signature, more after a signature's plan left the cache). */
    public int traces() {
        return traces;
    }

    /** How many signatures have a plan or a trace in the cache. */
    public int cachedSignatures() {
        return cache.size();
    }

    /** What each step of the plan used last runs, or an empty list before a plan exists. */
    List<String> planSteps() {
        return last == null || last.plan == null ? List.of() : last.plan.describe();
    }

    /** Bytes of the buffers of the plan used last, or 0 before a plan exists. */
    public long planBytes() {
        return last == null || last.plan == null ? 0 : last.plan.bytes();
    }
}
