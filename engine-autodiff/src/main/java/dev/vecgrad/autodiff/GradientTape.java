package dev.vecgrad.autodiff;

import dev.vecgrad.autodiff.rules.GradientRegistry;
import dev.vecgrad.autodiff.rules.GradientRule;
import dev.vecgrad.autodiff.rules.InputGradientRule;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.draw.Graph;
import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.core.ops.Binary;
import dev.vecgrad.core.ops.OpRecorder;
import dev.vecgrad.core.ops.Primitive;
import dev.vecgrad.core.ops.Recording;
import dev.vecgrad.core.ops.ShapeOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Records the ops that run on the current thread and computes gradients by walking them backwards
 * (reverse-mode automatic differentiation), as TensorFlow's {@code tf.GradientTape}.
 *
 * <pre>{@code
 * Variable w = new Variable("w", Tensor.of(new float[] {1, 2}), true);
 * Tensor x = Tensor.of(new float[] {3, 4});
 * try (GradientTape tape = GradientTape.open()) {
 *     Tensor loss = w.value().mul(x).sum();              // w is trainable: watched automatically
 *     List<Tensor> grads = tape.gradient(loss, List.of(w));   // [ [3, 4] ]
 * }
 * }</pre>
 *
 * <p><b>What is recorded.</b> From {@link #open()} until {@link #close()} the tape sees every
 * primitive op that runs on the thread that opened it (core reports each through
 * {@link OpRecorder}), and keeps those that read a tensor it tracks: a watched tensor
 * ({@link #watch(Tensor)}), the value of a trainable {@link Variable} read inside (unless
 * {@link Builder#watchAccessedVariables(boolean) turned off}), or the output of an op it kept.
 * Ops on untracked tensors, integer results and non-differentiable ops (comparisons, arg-max,
 * one-hot) are not kept, so no gradient flows through them. Watch a tensor before using it.
 *
 * <p><b>Gradients.</b> {@link #gradient(Tensor, Tensor...)} walks the kept ops in reverse order
 * (iteratively: a 100,000-op chain is fine), running only those between the sources and the
 * target, accumulating the gradients of tensors used several times, and summing each gradient
 * back to its tensor's shape where the forward op broadcast it. A non-scalar target is
 * differentiated as the sum of its elements; {@link #vjp(Tensor, Tensor, Tensor...)} takes an
 * output gradient instead. A source the
 * target does not depend on gets {@code null} (or zeros, see {@link UnconnectedGradients}).
 *
 * <p><b>Once or many times.</b> A tape from {@link #open()} computes gradients once and releases
 * its recording as it walks; {@link #openPersistent()} keeps it for several calls.
 * {@link #close()} stops recording and releases everything either way, so ask for gradients
 * inside the {@code try} block.
 *
 * <p><b>Higher order.</b> Gradient rules are written with tensor ops. While a tape computes a
 * gradient it does not record onto itself, but any other open tape does: nest tapes to
 * differentiate a gradient.
 *
 * <p><b>Threads.</b> A tape records only the ops of the thread that opened it, and is used from
 * that thread only; several threads may each run their own tapes at once.
 */
public final class GradientTape implements AutoCloseable {
    private final boolean persistent;
    private final boolean watchAccessedVariables;
    private final UnconnectedGradients unconnected;
    private final Thread owner = Thread.currentThread();
    private final OpRecorder recorder = new Recorder();
    /** Scratch {@code wanted} arrays by arity (see {@link #wantedFor}). */
    private boolean[][] wanted = new boolean[4][];
    /**
     * Kept ops in the order they ran, which is a topological order of the graph, in
     * {@code nodes[0 .. size)}; a node's index is its position.
     */
    private TapeNode<?>[] nodes = new TapeNode<?>[64];
    private int size;
    /**
     * The tracked tensors whose recorder tag another tape had claimed, mapped to their node (the op
     * that produced them, or their leaf node). The others (usually all) are found through their tag
     * (see {@link #producer}).
     */
    private TensorMap<TapeNode<?>> tracked = new TensorMap<>(16);
    /** The nodes of the tracked tensors no kept op produced, in the order they were first tracked. */
    private ArrayList<TapeNode<Void>> leaves = new ArrayList<>();
    /** The values read from each watched variable, in the order read. */
    private IdentityHashMap<Variable, List<Tensor>> variableReads = new IdentityHashMap<>();
    /**
     * A hold on every variable value read while this tape could still use it (see
     * {@link Variable#hold()}), keyed by the value; released with the recording.
     */
    private IdentityHashMap<Tensor, Variable.Hold> holds = new IdentityHashMap<>();
    /** Variables watched explicitly, whatever their trainable flag. */
    private final Map<Variable, Boolean> watchedVariables = new IdentityHashMap<>();
    /** Nesting depth of {@link #stopRecording()} scopes and of this tape's own gradient computations. */
    private int paused;
    private boolean used;
    private boolean closed;

    private GradientTape(Builder b) {
        this.persistent = b.persistent;
        this.watchAccessedVariables = b.watchAccessedVariables;
        this.unconnected = b.unconnected;
    }

    /** Opens a non-persistent tape on this thread: one {@code gradient} call, trainable variables watched. */
    public static GradientTape open() {
        return builder().open();
    }

    /** Opens a persistent tape on this thread: any number of {@code gradient} calls until it is closed. */
    public static GradientTape openPersistent() {
        return builder().persistent(true).open();
    }

    /** Options for a tape: {@code GradientTape.builder().persistent(true).watchAccessedVariables(false).open()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The options of a tape; {@link #open()} starts recording. */
    public static final class Builder {
        private boolean persistent;
        private boolean watchAccessedVariables = true;
        private UnconnectedGradients unconnected = UnconnectedGradients.NONE;

        private Builder() {
        }

        /** Whether {@code gradient} may be called more than once (default false). */
        public Builder persistent(boolean persistent) {
            this.persistent = persistent;
            return this;
        }

        /** Whether trainable variables read while recording are watched automatically (default true). */
        public Builder watchAccessedVariables(boolean watch) {
            this.watchAccessedVariables = watch;
            return this;
        }

        /** What a source the target does not depend on gets (default {@link UnconnectedGradients#NONE}, null). */
        public Builder unconnectedGradients(UnconnectedGradients choice) {
            this.unconnected = Objects.requireNonNull(choice, "choice");
            return this;
        }

        /** Opens the tape on the current thread. */
        public GradientTape open() {
            GradientTape tape = new GradientTape(this);
            Recording.push(tape.recorder);
            return tape;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Recording.

    /** Tracks {@code t} so that the ops reading it are recorded and {@code t} can be a source. */
    public void watch(Tensor t) {
        checkUsable("watch");
        if (!t.dtype().isFloating()) {
            throw new IllegalArgumentException("watch: only floating tensors carry gradients, got " + t.dtype() + " "
                    + t.shape());
        }
        track(t);
    }

    private void track(Tensor leaf) {
        if (producer(leaf) != null) {
            return;
        }
        TapeNode<Void> node = TapeNode.leaf(leaf, leaves.size());
        // Another thread's tape may watch the same tensor (replicas read one variable): claim atomically.
        if (!TensorInternals.claimTag(leaf, node)) {
            tracked.putIfAbsent(leaf, node);
        }
        leaves.add(node);
    }

    /**
     * Watches a variable whatever its trainable flag (and even with automatic watching off): every
     * value read from it from now on is tracked.
     */
    public void watch(Variable v) {
        checkUsable("watch");
        watchedVariables.put(v, Boolean.TRUE);
    }

    /**
     * Stops this tape recording until the returned scope is closed; other tapes are unaffected.
     * Tensors computed inside are constants to this tape.
     *
     * <pre>{@code
     * try (var _ = tape.stopRecording()) {
     *     logged = loss.mul(2);   // not recorded
     * }
     * }</pre>
     */
    public Scope stopRecording() {
        checkUsable("stopRecording");
        paused++;
        return new Scope();
    }

    /** A {@link #stopRecording()} scope; closing it resumes recording (closing twice does nothing). */
    public final class Scope implements AutoCloseable {
        private boolean done;

        private Scope() {
        }

        @Override
        public void close() {
            if (!done) {
                done = true;
                paused--;
            }
        }
    }

    /**
     * Stops every tape on this thread recording until the returned scope is closed (PyTorch's
     * {@code torch.no_grad()}): for work beside a training step that must never become part of
     * a gradient, such as updating metrics or weights, which would otherwise be recorded by
     * whatever tape the caller has open. Tapes opened inside the scope record as usual. Scopes
     * nest, and are closed on the thread that opened them.
     *
     * <pre>{@code
     * try (GradientTape.NoGrad _ = GradientTape.noGrad()) {
     *     metric.update(yTrue, yPred);   // not recorded by any tape
     * }
     * }</pre>
     */
    public static NoGrad noGrad() {
        return new NoGrad(Recording.pause());
    }

    /** A {@link #noGrad()} scope; closing it (once) lets the tapes it stopped record again. */
    public static final class NoGrad implements AutoCloseable {
        private final Recording.Paused paused;

        private NoGrad(Recording.Paused paused) {
            this.paused = paused;
        }

        @Override
        public void close() {
            paused.close();
        }
    }

    /**
     * An identity whose output carries no gradient: a tensor with the same values that no tape
     * tracks (TensorFlow's {@code tf.stop_gradient}).
     */
    public static Tensor stopGradient(Tensor t) {
        return TensorInternals.wrap(t.dtype(), t.shape(), t.strides(), t.offset(), TensorInternals.data(t));
    }

    private boolean recording() {
        return paused == 0 && !closed && !used;
    }

    private void noteVariableRead(Variable v, Tensor value) {
        if (!value.dtype().isFloating()) {
            return;
        }
        track(value);
        List<Tensor> reads = variableReads.computeIfAbsent(v, k -> new ArrayList<>(1));
        for (Tensor t : reads) {
            if (t == value) {
                return;
            }
        }
        reads.add(value);
    }

    private final class Recorder implements OpRecorder {
        @Override
        public <A> void recordOp(Primitive<A> op, A attrs, Tensor[] inputs, Tensor output) {
            if (recording() && op.differentiable() && output.dtype().isFloating()) {
                keep(op, attrs, inputs, output);
            }
        }

        @Override
        public void recordBinary(Binary op, Tensor a, Tensor b, Tensor output) {
            if (recording() && op.differentiable() && output.dtype().isFloating()) {
                TapeNode<?> from0 = producer(a);
                TapeNode<?> from1 = producer(b);
                if ((from0 != null || from1 != null) && producer(output) == null) {
                    add(new TapeNode<>(op, a, b, output, size, from0, from1));
                }
            }
        }

        @Override
        public void recordBinary(Binary op, Tensor a, double c, Tensor output) {
            if (recording() && op.differentiable() && output.dtype().isFloating()) {
                TapeNode<?> from0 = producer(a);
                if (from0 != null && producer(output) == null) {
                    add(new TapeNode<>(op, a, c, output, size, from0));
                }
            }
        }

        @Override
        public void recordVariableRead(Variable variable, Tensor value) {
            // Held even when not watched, or while paused: a kept op may take the value as an input.
            if (!closed && !used && !holds.containsKey(value)) {
                holds.put(value, variable.hold());
            }
            if (recording() && (watchedVariables.containsKey(variable)
                    || (watchAccessedVariables && variable.trainable()))) {
                noteVariableRead(variable, value);
            }
        }
    }

    /**
     * Keeps the op if it read a tracked tensor (unless it handed back a tensor the tape already
     * tracks), with the node that produced each input.
     */
    private <A> void keep(Primitive<A> op, A attrs, Tensor[] inputs, Tensor out) {
        int k = inputs.length;
        TapeNode<?> from0 = k > 0 ? producer(inputs[0]) : null;
        TapeNode<?> from1 = k > 1 ? producer(inputs[1]) : null;
        boolean reads = from0 != null || from1 != null;
        TapeNode<?>[] fromRest = null;
        if (k > 2) {
            fromRest = new TapeNode<?>[k - 2];
            for (int j = 2; j < k; j++) {
                fromRest[j - 2] = producer(inputs[j]);
                reads |= fromRest[j - 2] != null;
            }
        }
        if (reads && producer(out) == null) {
            add(new TapeNode<>(op, attrs, inputs, out, size, from0, from1, fromRest));
        }
    }

    /** Appends a kept op and marks its output as produced by it. */
    private void add(TapeNode<?> node) {
        Tensor out = node.output();
        if (TensorInternals.tag(out) == null) {
            TensorInternals.setTag(out, node);
        } else {
            tracked.putIfAbsent(out, node);
        }
        if (size == nodes.length) {
            nodes = Arrays.copyOf(nodes, 2 * size);
        }
        nodes[size++] = node;
    }

    /** The node of this tape that produced {@code t} (its leaf node for a leaf), or null when the tape does not track it. */
    private TapeNode<?> producer(Tensor t) {
        if (TensorInternals.tag(t) instanceof TapeNode<?> n && owns(n)) {
            return n;
        }
        return tracked.get(t);
    }

    /** Whether {@code n} is one of this tape's nodes (a tensor's tag may hold another tape's). */
    private boolean owns(TapeNode<?> n) {
        int i = n.index;
        return i >= 0 ? i < size && nodes[i] == n : n.leafIndex() < leaves.size() && leaves.get(n.leafIndex()) == n;
    }

    /** Stops tracking the output of {@code node}, which this tape kept. */
    private void forget(TapeNode<?> node) {
        Tensor out = node.output();
        if (TensorInternals.tag(out) == node) {
            TensorInternals.setTag(out, null);
        } else {
            tracked.remove(out);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Gradients.

    /**
     * The gradient of {@code target} (of the sum of its elements, if it is not a scalar) with respect
     * to each source, in order; a source the target does not depend on gets null, or zeros if the
     * tape was built with {@link UnconnectedGradients#ZERO}.
     */
    public List<Tensor> gradient(Tensor target, Tensor... sources) {
        checkTarget(target);
        return run(target, Tensor.ones(target.dtype(), target.shape().toArray()), Arrays.asList(sources));
    }

    /**
     * The vector–Jacobian product {@code outputGradientᵀ · ∂target/∂source} for each source, in
     * order: the gradient of a loss with respect to each source when {@code outputGradient} is the
     * loss's gradient with respect to {@code target}. It must have the target's shape and dtype.
     * Its own name keeps it apart from {@link #gradient(Tensor, Tensor...)}, whose second argument
     * is a source.
     *
     * <pre>{@code
     * Tensor y = x.square();                           // x = [1, 10, 100], watched
     * tape.vjp(y, Tensor.of(new double[] {1, 0, 2}), x);   // [ 2·1·1, 0, 2·100·2 ] = [2, 0, 400]
     * }</pre>
     */
    public List<Tensor> vjp(Tensor target, Tensor outputGradient, Tensor... sources) {
        checkTarget(target);
        Objects.requireNonNull(outputGradient, "vjp: outputGradient");
        if (!outputGradient.shape().equals(target.shape()) || outputGradient.dtype() != target.dtype()) {
            throw new IllegalArgumentException("vjp: the output gradient " + outputGradient.dtype() + " "
                    + outputGradient.shape() + " does not match the target " + target.dtype() + " " + target.shape());
        }
        return run(target, outputGradient, Arrays.asList(sources));
    }

    /**
     * The gradient of {@code target} with respect to each variable, in order: the sum over every
     * value of the variable read while recording. A variable not read (or not watched) gets null,
     * or zeros with {@link UnconnectedGradients#ZERO}.
     */
    public List<Tensor> gradient(Tensor target, List<Variable> variables) {
        checkTarget(target);
        checkUsable("gradient");
        List<Tensor> flat = new ArrayList<>();
        int[] readCounts = new int[variables.size()];
        for (int i = 0; i < readCounts.length; i++) {
            List<Tensor> reads = variableReads.getOrDefault(variables.get(i), List.of());
            readCounts[i] = reads.size();
            flat.addAll(reads);
        }
        markUsed(); // before the walk: a non-persistent walk releases as it goes, so it cannot be retried
        Tensor[] perRead = backward(target, Tensor.ones(target.dtype(), target.shape().toArray()), flat, !persistent, null);
        Tensor[] out = new Tensor[variables.size()];
        int at = 0;
        for (int i = 0; i < out.length; i++) {
            Tensor sum = null;
            for (int k = 0; k < readCounts[i]; k++) {
                Tensor g = perRead[at++];
                sum = g == null ? sum : sum == null ? g : sum.add(g);
            }
            Variable v = variables.get(i);
            out[i] = sum != null ? sum : unconnected(v.dtype(), v.shape());
        }
        releaseIfDone();
        return Collections.unmodifiableList(Arrays.asList(out));
    }

    /**
     * The Jacobian of {@code target} with respect to {@code source}, shape {@code target.shape ++
     * source.shape}, one backward pass per element of the target: for small problems. Counts as the
     * one use of a non-persistent tape.
     */
    public Tensor jacobian(Tensor target, Tensor source) {
        checkTarget(target);
        checkUsable("jacobian");
        int m = target.size();
        List<Tensor> rows = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            Tensor seed = Tensor.zeros(target.dtype(), target.shape().toArray());
            if (TensorInternals.data(seed) instanceof float[] f) {
                f[i] = 1;
            } else {
                ((double[]) TensorInternals.data(seed))[i] = 1;
            }
            Tensor g = backward(target, seed, List.of(source), false, null)[0];
            rows.add(g != null ? g : Tensor.zeros(source.dtype(), source.shape().toArray()));
        }
        markUsed();
        releaseIfDone();
        int[] dims = new int[target.rank() + source.rank()];
        System.arraycopy(target.shape().toArray(), 0, dims, 0, target.rank());
        System.arraycopy(source.shape().toArray(), 0, dims, target.rank(), source.rank());
        if (m == 0) {
            return Tensor.zeros(source.dtype(), dims);
        }
        return ShapeOps.stack(rows, 0).reshape(dims);
    }

    private List<Tensor> run(Tensor target, Tensor seed, List<Tensor> sources) {
        checkUsable("gradient");
        markUsed(); // before the walk: a non-persistent walk releases as it goes, so it cannot be retried
        Tensor[] grads = backward(target, seed, sources, !persistent, null);
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] == null) {
                grads[i] = unconnected(sources.get(i).dtype(), sources.get(i).shape());
            }
        }
        releaseIfDone();
        return Collections.unmodifiableList(Arrays.asList(grads));
    }

    private Tensor unconnected(dev.vecgrad.core.DType dtype, Shape shape) {
        return unconnected == UnconnectedGradients.ZERO ? Tensor.zeros(dtype, shape.toArray()) : null;
    }

    /**
     * The backward walk: seeds the target with {@code seed}, visits kept ops newest first, and runs
     * the rule of each op that lies between a source and the target. With {@code release}, each
     * visited op is dropped as soon as its rule ran, so its saved tensors can be collected. When
     * {@code edgeGradients} is not null, {@code edgeGradients[i][j]} receives the gradient that
     * flowed into input {@code j} of op {@code i} (for drawing).
     */
    private Tensor[] backward(Tensor target, Tensor seed, List<Tensor> sources, boolean release,
            Tensor[][] edgeGradients) {
        // This tape's own gradient ops are not recorded onto itself; other tapes see them. Leaving
        // the recorders while the rules run (rather than ignoring each op) lets a lone tape's
        // gradient ops skip recording altogether.
        Recording.pop(recorder);
        try {
            Walk walk = new Walk(size, leaves.size());
            // Which sources are on the tape, and from where on ops can depend on them.
            int first = walk.live.length;
            for (Tensor s : sources) {
                TapeNode<?> p = producer(Objects.requireNonNull(s, "gradient: a source is null"));
                if (p == null) {
                    continue;
                }
                if (p.isLeaf()) {
                    walk.sourceLeaf[p.leafIndex()] = true;
                    first = 0;
                } else {
                    walk.sourceNode[p.index] = true;
                    first = Math.min(first, p.index + 1);
                }
            }
            // Forward sweep: an op is live when it reads a source or a live op's output.
            for (int i = first; i < walk.live.length; i++) {
                TapeNode<?> node = nodes[i];
                for (int j = 0, k = node.inputCount(); j < k && !walk.live[i]; j++) {
                    walk.live[i] = walk.carries(node.from(j));
                }
            }
            // Backward sweep, newest op first: each live op with a gradient runs its rule.
            TapeNode<?> t = producer(target);
            if (t != null) {
                walk.add(t, seed);
            }
            for (int i = t == null || t.isLeaf() ? -1 : t.index; i >= first; i--) {
                Tensor g = walk.gradOf[i];
                if (!walk.live[i] || g == null) {
                    continue;
                }
                if (!walk.sourceNode[i]) {
                    walk.gradOf[i] = null;
                }
                TapeNode<?> node = nodes[i];
                propagate(node, g, walk, edgeGradients);
                if (release && !walk.sourceNode[i]) {
                    // Nothing before this op reads its output: drop the tape's references to it.
                    forget(node);
                    nodes[i] = null;
                }
            }
            Tensor[] out = new Tensor[sources.size()];
            for (int i = 0; i < out.length; i++) {
                TapeNode<?> p = producer(sources.get(i));
                out[i] = p == null ? null : p.isLeaf() ? walk.leafGrad[p.leafIndex()] : walk.gradOf[p.index];
            }
            return out;
        } finally {
            Recording.push(recorder);
        }
    }

    /** One backward walk's state, indexed by node position (ops) and leaf position (leaves). */
    private static final class Walk {
        /** Ops that depend on a source. */
        final boolean[] live;
        /** Ops whose output is a source. */
        final boolean[] sourceNode;
        /** Leaves that are sources. */
        final boolean[] sourceLeaf;
        /** The gradient accumulated so far for each op's output. */
        final Tensor[] gradOf;
        /** The gradient accumulated so far for each leaf. */
        final Tensor[] leafGrad;

        Walk(int nodes, int leaves) {
            live = new boolean[nodes];
            sourceNode = new boolean[nodes];
            sourceLeaf = new boolean[leaves];
            gradOf = new Tensor[nodes];
            leafGrad = new Tensor[leaves];
        }

        /** Whether an input produced by {@code p} (null for a constant) depends on a source, so a gradient flows to it. */
        boolean carries(TapeNode<?> p) {
            if (p == null) {
                return false;
            }
            return p.isLeaf() ? sourceLeaf[p.leafIndex()] : live[p.index] || sourceNode[p.index];
        }

        /** Adds {@code g} to the gradient of the output of {@code p}. */
        void add(TapeNode<?> p, Tensor g) {
            Tensor[] grads = p.isLeaf() ? leafGrad : gradOf;
            int at = p.isLeaf() ? p.leafIndex() : p.index;
            Tensor prev = grads[at];
            grads[at] = prev == null ? g : prev.add(g);
        }
    }

    /**
     * Runs one op's rule and adds each wanted input's gradient, fitted to the input's shape, to its
     * total. A rule written one input at a time is asked for each wanted input in turn.
     */
    private <A> void propagate(TapeNode<A> node, Tensor g, Walk walk, Tensor[][] edgeGradients) {
        int arity = node.inputCount();
        GradientRule<A> rule = GradientRegistry.find(node.op());
        if (rule == null) {
            throw new IllegalStateException("no gradient rule for op " + node.name() + " (output "
                    + node.output().shape() + "); a gradient through it cannot be computed");
        }
        if (rule instanceof InputGradientRule<A> perInput) {
            for (int j = 0; j < arity; j++) {
                if (walk.carries(node.from(j))) {
                    accumulate(node, j, perInput.gradient(node, g, j), walk, edgeGradients);
                }
            }
            return;
        }
        boolean[] wanted = wantedFor(arity);
        for (int j = 0; j < wanted.length; j++) {
            wanted[j] = walk.carries(node.from(j));
        }
        Tensor[] ig = rule.apply(node, g, wanted);
        if (ig.length != arity) {
            throw new IllegalStateException("the gradient rule of " + node.name() + " returned " + ig.length
                    + " gradients for " + arity + " inputs");
        }
        for (int j = 0; j < ig.length; j++) {
            if (wanted[j]) {
                accumulate(node, j, ig[j], walk, edgeGradients);
            }
        }
    }

    /** Adds {@code gj}, the gradient the rule of {@code node} gave its input {@code j} (null for none), to that input's total. */
    private static void accumulate(TapeNode<?> node, int j, Tensor gj, Walk walk, Tensor[][] edgeGradients) {
        if (gj == null) {
            return;
        }
        Tensor fitted = fit(node, j, node.input(j), gj);
        if (edgeGradients != null) {
            if (edgeGradients[node.index] == null) {
                edgeGradients[node.index] = new Tensor[node.inputCount()];
            }
            edgeGradients[node.index][j] = fitted;
        }
        walk.add(node.from(j), fitted);
    }

    /**
     * A scratch array for the {@code wanted} flags of a rule with {@code arity} inputs: rules read
     * it during the call and keep nothing, so one per arity serves the whole walk.
     */
    private boolean[] wantedFor(int arity) {
        if (wanted.length <= arity) {
            wanted = Arrays.copyOf(wanted, arity + 1);
        }
        if (wanted[arity] == null) {
            wanted[arity] = new boolean[arity];
        }
        return wanted[arity];
    }

    /** The one place broadcasting is undone: a gradient in a broadcast shape is summed back to its input's. */
    private static Tensor fit(TapeNode<?> node, int j, Tensor x, Tensor gj) {
        if (gj.dtype() != x.dtype()) {
            throw new IllegalStateException("the gradient rule of " + node.name() + " gave a " + gj.dtype()
                    + " gradient for input " + j + ", which is " + x.dtype() + " " + x.shape());
        }
        if (gj.shape().equals(x.shape())) {
            return gj;
        }
        if (!x.shape().broadcastableTo(gj.shape())) {
            throw new IllegalStateException("the gradient rule of " + node.name() + " gave a gradient of shape "
                    + gj.shape() + " for input " + j + " of shape " + x.shape());
        }
        return gj.sumToShape(x.shape());
    }

    // ---------------------------------------------------------------------------------------
    // Life cycle and drawing.

    /**
     * The recorded graph as Graphviz DOT: one box per kept op (name and output shape), the
     * watched tensors and variables as ellipses (sources, green), constants left out, and the
     * {@code target} in red. Render with {@code dot -Tsvg}, or draw it without Graphviz with
     * {@link #toSvg(Tensor)}.
     */
    public String toDot(Tensor target) {
        checkUsable("toDot");
        return TapeGraph.of(nodeList(), leafTensors(), variableReads, target, null).direction(Graph.Direction.RIGHT)
                .toDot();
    }

    /** {@link #toDot(Tensor)} without a marked target. */
    public String toDot() {
        return toDot(null);
    }

    /**
     * The recorded graph drawn as SVG by vecgrad itself: the sources (watched tensors and variables
     * read, by name) in green, one box per kept op named by op and output shape, the target in red,
     * edges from each input to the op that read it, top to bottom.
     *
     * <pre>{@code
     * Files.writeString(Path.of("tape.svg"), tape.toSvg(loss));
     * }</pre>
     */
    public String toSvg(Tensor target) {
        return graph(target, false).drawing().toSvg();
    }

    /**
     * {@link #toSvg(Tensor)}, with each edge labelled, when {@code gradients} is true, by the
     * gradient of {@code target} that flows back along it (its values when it has at most
     * {@value TapeGraph#VALUES_UP_TO} elements, else its L2 norm).
     */
    public String toSvg(Tensor target, boolean gradients) {
        return graph(target, gradients).drawing().toSvg();
    }

    /**
     * The recorded graph as a {@link Graph}, to draw as SVG ({@code graph.drawing().toSvg()}), as PNG
     * (engine-train's {@code Pictures.write(graph.drawing(), path)}) or to write as DOT. With {@code gradients}, each edge carries the gradient of {@code target}
     * (of the sum of its elements) flowing back along it; working them out is one backward pass
     * that leaves the recording as it was, so a non-persistent tape can still compute its gradient
     * afterwards.
     */
    public Graph graph(Tensor target, boolean gradients) {
        checkUsable(gradients ? "graph with gradients" : "graph");
        Tensor[][] edgeGradients = null;
        if (gradients) {
            checkTarget(target);
            List<Tensor> everything = leafTensors();
            for (TapeNode<?> node : nodeList()) {
                everything.add(node.output());
            }
            edgeGradients = new Tensor[size][];
            backward(target, Tensor.ones(target.dtype(), target.shape().toArray()), everything, false, edgeGradients);
        }
        return TapeGraph.of(nodeList(), leafTensors(), variableReads, target, edgeGradients);
    }

    /** The kept ops, in order. */
    private List<TapeNode<?>> nodeList() {
        return Arrays.asList(nodes).subList(0, size);
    }

    /** The leaves, in the order they were first tracked. */
    private List<Tensor> leafTensors() {
        List<Tensor> out = new ArrayList<>(leaves.size());
        for (TapeNode<Void> leaf : leaves) {
            out.add(leaf.output());
        }
        return out;
    }

    /** Whether this tape allows several {@code gradient} calls. */
    public boolean isPersistent() {
        return persistent;
    }

    /** The number of ops kept so far (for tests and diagnostics). */
    public int size() {
        return size;
    }

    /** Stops recording and releases the recording; the tape cannot compute gradients afterwards. */
    @Override
    public void close() {
        checkThread("close");
        if (closed) {
            return;
        }
        closed = true;
        Recording.pop(recorder);
        release();
    }

    private void markUsed() {
        if (!persistent) {
            used = true;
        }
    }

    private void releaseIfDone() {
        if (used) {
            release();
        }
    }

    private void release() {
        for (int i = 0; i < size; i++) {
            TapeNode<?> node = nodes[i];
            if (node != null && TensorInternals.tag(node.output()) == node) {
                TensorInternals.setTag(node.output(), null); // a tensor the user keeps must not keep the graph
            }
        }
        for (TapeNode<Void> leaf : leaves) {
            if (TensorInternals.tag(leaf.output()) == leaf) {
                TensorInternals.setTag(leaf.output(), null);
            }
        }
        holds.values().forEach(Variable.Hold::release);
        holds = new IdentityHashMap<>(0);
        nodes = new TapeNode<?>[0];
        size = 0;
        tracked = new TensorMap<>(0);
        leaves = new ArrayList<>(0);
        variableReads = new IdentityHashMap<>(0);
    }

    private void checkTarget(Tensor target) {
        Objects.requireNonNull(target, "gradient: target is null");
        if (!target.dtype().isFloating()) {
            throw new IllegalArgumentException("gradient: the target must be floating, got " + target.dtype() + " "
                    + target.shape());
        }
    }

    private void checkUsable(String what) {
        checkThread(what);
        if (closed) {
            throw new IllegalStateException(what + ": this GradientTape is closed and its recording released; "
                    + "compute gradients inside the try block that opened it");
        }
        if (used) {
            throw new IllegalStateException(what + ": a non-persistent GradientTape computes gradients once and has "
                    + "released its recording; open it with GradientTape.openPersistent() to call gradient() again");
        }
    }

    private void checkThread(String what) {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException(what + ": this GradientTape belongs to thread '" + owner.getName()
                    + "' and records only that thread's ops; open a tape on '" + Thread.currentThread().getName()
                    + "' instead");
        }
    }
}
