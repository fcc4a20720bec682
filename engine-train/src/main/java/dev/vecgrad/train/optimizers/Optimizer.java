package dev.vecgrad.train.optimizers;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Engine;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.core.internal.VariableInternals;
import dev.vecgrad.core.kernel.update.ScalarUpdateKernels;
import dev.vecgrad.core.kernel.update.UpdateKernels;
import dev.vecgrad.train.compile.Tracer;
import dev.vecgrad.train.optimizers.schedules.LearningRateSchedule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Updates variables from their gradients, as Keras 3's optimizers, in place and with fused SIMD
 * kernels ({@link UpdateKernels}).
 *
 * <p>{@link #applyGradients}, for one call:
 * <ol>
 *   <li>pairs gradients with variables, skipping null gradients (unconnected variables) as Keras;
 *       a call whose every gradient is null is an error;</li>
 *   <li>with {@code gradientAccumulationSteps} k, adds the gradients to per-variable
 *       accumulators and stops there, except on every k-th call, which goes on with the mean of
 *       the k calls' gradients and clears the accumulators;</li>
 *   <li>clips gradients if asked: {@code clipnorm} rescales each gradient to at most that L2 norm,
 *       {@code globalClipnorm} rescales all together to at most that joint norm, {@code clipvalue}
 *       clips each element into [-v, v] (at most one of the three);</li>
 *   <li>reads the learning rate, a constant or {@code schedule.rate(iterations())};</li>
 *   <li>with {@code weightDecay} wd, first shrinks every variable not excluded
 *       ({@link #excludeFromWeightDecay}) by {@code w -= lr * wd * w} (decoupled weight decay, for
 *       every optimizer as in Keras 3);</li>
 *   <li>creates the optimizer's slots (moments, accumulators) for variables it has not seen, then
 *       updates each variable (in place, or into a fresh array when its old value was handed out
 *       by {@link Variable#value()} or a tape may still hold it; F64 variables take the scalar F64
 *       path), and counts
 *       the update in {@link #iterations()};</li>
 *   <li>with {@code useEma}, moves each variable's exponential moving average towards its new value
 *       (the first update sets it), and every {@code emaOverwriteFrequency} updates copies the
 *       averages into the variables; {@link #finalizeVariableValues} does that at the end of
 *       {@code fit}.</li>
 * </ol>
 *
 * <p>The optimizer's state ({@link #state()}) is the number of calls and every slot (with the
 * accumulated gradients and moving averages), keyed {@code variableName/slotName}; {@link #loadState}
 * restores it, slots of variables not seen yet waiting until they are. Optimizer work is never
 * recorded on a gradient tape.
 *
 * <pre>{@code
 * Optimizer opt = new Adam(1e-3).setWeightDecay(0.01);
 * opt.excludeFromWeightDecay(List.of(), List.of("bias"));
 * List<Tensor> grads = tape.gradient(loss, model.trainableWeights());
 * opt.applyGradients(grads, model.trainableWeights());
 * }</pre>
 */
public abstract class Optimizer {
    /** The slot holding a variable's accumulated gradient. */
    private static final String ACCUMULATED = "accumulated_gradient";
    /** The slot holding a variable's moving average. */
    private static final String AVERAGE = "average";

    private final String name;
    private double learningRate;
    private LearningRateSchedule schedule;
    private Double clipnorm;
    private Double clipvalue;
    private Double globalClipnorm;
    private Double weightDecay;
    private final Set<Variable> excludedFromDecay = Collections.newSetFromMap(new IdentityHashMap<>());
    private Pattern excludedFromDecayNames;
    private Integer accumulationSteps;
    private boolean useEma;
    private double emaMomentum = 0.99;
    private Integer emaOverwriteFrequency;
    /** Calls of {@link #applyGradients} that applied or accumulated gradients (Keras's {@code _iterations}). */
    private long calls;
    /** Per variable: the optimizer's slots, then the accumulated gradient and the moving average when on. */
    private final Map<Variable, Slots> slots = new LinkedHashMap<>();
    /**
     * {@link #allSlotNames()} as fixed by the first update (the configuration cannot change after
     * it), so that steps do not build the list again; null before.
     */
    private List<String> builtSlotNames;
    private final Map<String, Tensor> pending = new HashMap<>();
    /** How the pending slots are keyed: as the last {@link #loadState} was told. */
    private Function<Variable, String> pendingKeyOf = Variable::name;

    /** An optimizer logged as {@code name} with a constant learning rate. */
    protected Optimizer(String name, double learningRate) {
        this.name = Objects.requireNonNull(name, "name");
        setLearningRate(learningRate);
    }

    /** An optimizer logged as {@code name} with a scheduled learning rate. */
    protected Optimizer(String name, LearningRateSchedule schedule) {
        this.name = Objects.requireNonNull(name, "name");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
    }

    /** A scheduled learning rate when {@code schedule} is non-null, else the constant {@code learningRate}. */
    protected Optimizer(String name, double learningRate, LearningRateSchedule schedule) {
        this.name = Objects.requireNonNull(name, "name");
        if (schedule != null) {
            this.schedule = schedule;
        } else {
            setLearningRate(learningRate);
        }
    }

    // ---------------------------------------------------------------------------------------
    // What each optimizer defines.

    /** The slot names for a variable, e.g. {@code ["m", "v"]}; may depend on the configuration. */
    protected abstract List<String> slotNames();

    /** The value a slot starts at (0 for most; Adagrad's accumulator starts at 0.1). */
    protected double slotInitialValue(String slot) {
        return 0;
    }

    /**
     * What one update of one variable is told besides the arrays: the learning rate, the update's
     * number ({@code t}, 1 for the first), and the weight-decay factor {@code 1 - lr * wd} (1 when
     * the variable does not decay), which {@link #fusesWeightDecay() an optimizer may fuse} into
     * its kernel.
     */
    protected record Step(double lr, long t, double decay) {
    }

    /**
     * Updates F32 weights: reads {@code w[0, n)}, writes {@code wOut[0, n)} (the same array for an
     * update in place), from gradient {@code g[gOff, gOff + n)} with slots in {@link #slotNames()}
     * order.
     */
    protected abstract void update(UpdateKernels k, float[] w, float[] wOut, float[] g, int gOff, int n,
            float[][] slots, Step step);

    /**
     * The F64 form of {@link #update(UpdateKernels, float[], float[], float[], int, int, float[][], Step)},
     * in place.
     */
    protected abstract void update(ScalarUpdateKernels k, double[] w, double[] g, int gOff, int n, double[][] slots,
            Step step);

    /**
     * Whether the update kernels apply {@link Step#decay()} themselves (Adam's do); otherwise the
     * weights are scaled by it before the update.
     */
    protected boolean fusesWeightDecay() {
        return false;
    }

    /** The Keras class name, e.g. {@code Adam}. */
    public String className() {
        return getClass().getSimpleName();
    }

    // ---------------------------------------------------------------------------------------
    // Applying gradients.

    /**
     * Applies one step: {@code grads.get(i)} is the gradient of {@code vars.get(i)} (null to skip
     * it). Gradients must match their variables' shapes and dtypes. A non-empty list whose every
     * gradient is null is an error ("no gradients provided"), as in Keras, and leaves
     * {@link #iterations()} where it was.
     */
    public void applyGradients(List<Tensor> grads, List<Variable> vars) {
        // A host call, so that a compiled step updates the variables at every replay.
        Tracer.hostCall(name + ".applyGradients", grads, g -> {
            applyGradientsNow(g, vars);
            return null;
        });
    }

    private synchronized void applyGradientsNow(List<Tensor> grads, List<Variable> vars) {
        if (grads.size() != vars.size()) {
            throw new IllegalArgumentException(name + ": " + grads.size() + " gradients for " + vars.size()
                    + " variables");
        }
        try (GradientTape.NoGrad p = GradientTape.noGrad()) {
            List<Tensor> g = grads;
            List<Variable> v = vars;
            if (anyNull(grads)) {
                g = new ArrayList<>();
                v = new ArrayList<>();
                for (int i = 0; i < grads.size(); i++) {
                    if (grads.get(i) != null) {
                        g.add(grads.get(i));
                        v.add(vars.get(i));
                    }
                }
            }
            for (int i = 0; i < g.size(); i++) {
                checkGradient(g.get(i), v.get(i));
            }
            if (g.isEmpty() && !grads.isEmpty()) {
                throw new IllegalArgumentException(name + ": no gradients provided for any variable (every gradient"
                        + " is null: the loss does not depend on " + names(vars) + ")");
            }
            long before = iterations();
            for (Variable var : v) {
                if (slots.isEmpty()) {
                    builtSlotNames = allSlotNames();
                }
                if (!slots.containsKey(var)) {
                    slots.put(var, createSlots(var));
                }
            }
            if (accumulationSteps == null || (calls + 1) % accumulationSteps == 0) {
                try {
                    if (accumulationSteps != null) {
                        accumulate(g, v, accumulationSteps);
                        g = accumulators(v);
                    }
                    g = clipGradients(g);
                    double lr = learningRate();
                    UpdateKernels kernels = Engine.get().backend().updates();
                    Step step = null;
                    for (int i = 0; i < g.size(); i++) {
                        double decay = decay(v.get(i), lr);
                        if (step == null || step.decay() != decay) {
                            step = new Step(lr, before + 1, decay); // shared by the variables with the same decay
                        }
                        apply(kernels, g.get(i).contiguous(), v.get(i), step);
                    }
                } finally {
                    if (accumulationSteps != null) {
                        clearAccumulators(v);
                    }
                }
            } else {
                accumulate(g, v, 1);
            }
            if (useEma) {
                updateMovingAverages(before);
            }
            calls++;
        }
    }

    /**
     * One variable's slot arrays ({@code float[]} or {@code double[]} as the variable), in
     * {@link #allSlotNames()} order, with the optimizer's own slots also kept as the typed array
     * its update takes, so that an update builds nothing per variable.
     */
    private static final class Slots {
        private final Object[] all;
        /** Per slot: a tensor over its array, made on first use and dropped when the array is replaced. */
        private final Tensor[] views;
        /** The optimizer's own slots of an F32 variable (null for F64). */
        private final float[][] f32;
        /** The optimizer's own slots of an F64 variable (null for F32). */
        private final double[][] f64;

        Slots(DType dtype, int size, int own) {
            all = new Object[size];
            views = new Tensor[size];
            f32 = dtype == DType.F32 ? new float[own][] : null;
            f64 = dtype == DType.F32 ? null : new double[own][];
        }

        Object get(int i) {
            return all[i];
        }

        /** Sets slot {@code i} to {@code array}, a {@code float[]} for an F32 variable, else a {@code double[]}. */
        void set(int i, Object array) {
            all[i] = array;
            views[i] = null;
            if (f32 != null && i < f32.length) {
                f32[i] = (float[]) array;
            } else if (f64 != null && i < f64.length) {
                f64[i] = (double[]) array;
            }
        }

        /**
         * Slot {@code i} as a tensor of {@code shape} over its array, not a copy: the array keeps
         * changing under it, so this tensor never leaves the optimizer (an update reads it as the
         * gradient, under no tape).
         */
        Tensor view(int i, Shape shape) {
            if (views[i] == null) {
                views[i] = TensorInternals.wrap(f32 != null ? DType.F32 : DType.F64, shape, all[i]);
            }
            return views[i];
        }

        int size() {
            return all.length;
        }
    }

    private static boolean anyNull(List<Tensor> grads) {
        for (Tensor t : grads) {
            if (t == null) {
                return true;
            }
        }
        return false;
    }

    private static String names(List<Variable> vars) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < Math.min(vars.size(), 5); i++) {
            names.add(vars.get(i).name());
        }
        return names + (vars.size() > 5 ? " and " + (vars.size() - 5) + " more" : "");
    }

    private void checkGradient(Tensor g, Variable v) {
        if (!v.trainable()) {
            throw new IllegalArgumentException(name + ": variable " + v.name() + " is not trainable");
        }
        if (g.dtype() != v.dtype() || !g.shape().equals(v.shape())) {
            throw new IllegalArgumentException(name + ": gradient " + g.dtype() + " " + g.shape()
                    + " does not match variable " + v.name() + " " + v.dtype() + " " + v.shape());
        }
    }

    /** The weight-decay factor of {@code v} at rate {@code lr}: {@code 1 - lr * wd}, or 1. */
    private double decay(Variable v, double lr) {
        if (weightDecay == null || excludedFromDecay.contains(v)
                || (excludedFromDecayNames != null && excludedFromDecayNames.matcher(v.name()).find())) {
            return 1;
        }
        return 1 - lr * weightDecay;
    }

    private void apply(UpdateKernels kernels, Tensor g, Variable v, Step step) {
        Slots s = slots.get(v);
        int n = v.shape().size();
        boolean scale = step.decay() != 1 && !fusesWeightDecay();
        if (v.dtype() == DType.F32) {
            VariableInternals.F32Update w = VariableInternals.updateF32(v);
            float[] source = w.source();
            if (scale) {
                float d = (float) step.decay();
                for (int i = 0; i < n; i++) {
                    w.target()[i] = source[i] * d;
                }
                source = w.target();
            }
            update(kernels, source, w.target(), TensorInternals.f32(g), g.offset(), n, s.f32, step);
        } else {
            double[] w = VariableInternals.updateF64(v);
            if (scale) {
                for (int i = 0; i < n; i++) {
                    w[i] *= step.decay();
                }
            }
            update(ScalarUpdateKernels.INSTANCE, w, TensorInternals.f64(g), g.offset(), n, s.f64, step);
        }
    }

    /**
     * The slots of a variable, unmodifiable: the optimizer's, then the accumulator and the moving
     * average when on. Built once by the first update; before it, from the configuration as it is.
     */
    private List<String> allSlotNames() {
        if (builtSlotNames != null) {
            return builtSlotNames;
        }
        List<String> names = new ArrayList<>(slotNames());
        if (accumulationSteps != null) {
            names.add(ACCUMULATED);
        }
        if (useEma) {
            names.add(AVERAGE);
        }
        return Collections.unmodifiableList(names);
    }

    private Slots createSlots(Variable v) {
        List<String> names = allSlotNames();
        Slots s = new Slots(v.dtype(), names.size(), slotNames().size());
        for (int i = 0; i < s.size(); i++) {
            Tensor saved = pending.remove(pendingKeyOf.apply(v) + "/" + names.get(i));
            if (saved != null) {
                checkSlot(v, names.get(i), saved);
                s.set(i, v.dtype() == DType.F32 ? saved.toFloatArray() : saved.toDoubleArray());
            } else if (names.get(i).equals(AVERAGE)) {
                s.set(i, v.dtype() == DType.F32 ? VariableInternals.current(v).toFloatArray()
                        : VariableInternals.current(v).toDoubleArray());
            } else {
                double init = names.get(i).equals(ACCUMULATED) ? 0 : slotInitialValue(names.get(i));
                s.set(i, TensorInternals.data(Tensor.full(init, v.dtype(), v.shape().toArray())));
            }
        }
        return s;
    }

    /**
     * Adds the gradients to their variables' accumulators and divides the sums by {@code divisor}:
     * 1 to accumulate, the number of steps at an update, whose gradients are then the means
     * {@code (g + acc) / steps} ({@link #accumulators}). Reads each gradient's array in place.
     */
    private void accumulate(List<Tensor> grads, List<Variable> vars, int divisor) {
        int k = allSlotNames().indexOf(ACCUMULATED);
        for (int i = 0; i < grads.size(); i++) {
            Object acc = slots.get(vars.get(i)).get(k);
            Tensor g = grads.get(i).contiguous();
            int off = g.offset();
            if (acc instanceof float[] f) {
                float[] gf = TensorInternals.f32(g);
                for (int j = 0; j < f.length; j++) {
                    f[j] = (gf[off + j] + f[j]) / divisor;
                }
            } else {
                double[] d = (double[]) acc;
                double[] gd = TensorInternals.f64(g);
                for (int j = 0; j < d.length; j++) {
                    d[j] = (gd[off + j] + d[j]) / divisor;
                }
            }
        }
    }

    /**
     * The accumulators of {@code vars} as tensors over their arrays, so that an update reads the
     * mean gradients without a copy; cleared after the update ({@link #clearAccumulators}).
     */
    private List<Tensor> accumulators(List<Variable> vars) {
        int k = allSlotNames().indexOf(ACCUMULATED);
        List<Tensor> out = new ArrayList<>(vars.size());
        for (Variable v : vars) {
            out.add(slots.get(v).view(k, v.shape()));
        }
        return out;
    }

    /** Sets the accumulators of {@code vars} back to zero. */
    private void clearAccumulators(List<Variable> vars) {
        int k = allSlotNames().indexOf(ACCUMULATED);
        for (Variable v : vars) {
            Object acc = slots.get(v).get(k);
            if (acc instanceof float[] f) {
                Arrays.fill(f, 0);
            } else {
                Arrays.fill((double[]) acc, 0);
            }
        }
    }

    /**
     * Moves every moving average towards its variable ({@code avg = m avg + (1 - m) w}, or
     * {@code avg = w} at the first update) and, every {@code emaOverwriteFrequency} updates, copies
     * the averages into the variables; {@code before} is {@link #iterations()} before this call.
     */
    private void updateMovingAverages(long before) {
        int k = allSlotNames().indexOf(AVERAGE);
        double m = before == 0 ? 0 : emaMomentum;
        for (Map.Entry<Variable, Slots> e : slots.entrySet()) {
            Object avg = e.getValue().get(k);
            Tensor current = VariableInternals.current(e.getKey());
            if (avg instanceof float[] f) {
                float[] w = TensorInternals.f32(current);
                for (int j = 0; j < f.length; j++) {
                    f[j] = (float) (m * f[j] + (1 - m) * w[j]);
                }
            } else {
                double[] d = (double[]) avg;
                double[] w = TensorInternals.f64(current);
                for (int j = 0; j < d.length; j++) {
                    d[j] = m * d[j] + (1 - m) * w[j];
                }
            }
        }
        if (emaOverwriteFrequency != null && (before + 1) % emaOverwriteFrequency == 0) {
            finalizeVariableValues(new ArrayList<>(slots.keySet()));
        }
    }

    /**
     * With {@code useEma}, copies each variable's moving average into it (as Keras does at the end
     * of {@code fit}); variables the optimizer has not updated are left alone. Without EMA nothing
     * changes.
     */
    public synchronized void finalizeVariableValues(List<Variable> vars) {
        if (!useEma) {
            return;
        }
        int k = allSlotNames().indexOf(AVERAGE);
        for (Variable v : vars) {
            Slots s = slots.get(v);
            if (s != null) {
                v.assign(slotTensor(s.get(k), v.shape()));
            }
        }
    }

    private void checkSlot(Variable v, String slot, Tensor t) {
        if (!t.shape().equals(v.shape())) {
            throw new IllegalArgumentException(name + ": saved slot " + v.name() + "/" + slot + " has shape "
                    + t.shape() + ", the variable " + v.shape());
        }
    }

    /**
     * The gradients clipped as this optimizer clips them (by {@code clipnorm},
     * {@code globalClipnorm} or {@code clipvalue}; unchanged when none is set).
     */
    public List<Tensor> clipGradients(List<Tensor> grads) {
        if (clipnorm != null) {
            List<Tensor> out = new ArrayList<>();
            for (Tensor g : grads) {
                double norm = Math.sqrt(squaredSum(g));
                out.add(norm > clipnorm ? g.mul(clipnorm / norm) : g);
            }
            return out;
        }
        if (globalClipnorm != null) {
            double total = 0;
            for (Tensor g : grads) {
                total += squaredSum(g);
            }
            double norm = Math.sqrt(total);
            if (norm <= globalClipnorm) {
                return grads;
            }
            List<Tensor> out = new ArrayList<>();
            for (Tensor g : grads) {
                out.add(g.mul(globalClipnorm / norm));
            }
            return out;
        }
        if (clipvalue != null) {
            List<Tensor> out = new ArrayList<>();
            for (Tensor g : grads) {
                out.add(g.clip(-clipvalue, clipvalue));
            }
            return out;
        }
        return grads;
    }

    private static double squaredSum(Tensor g) {
        double s = 0;
        for (double x : g.toDoubleArray()) {
            s += x * x;
        }
        return s;
    }

    // ---------------------------------------------------------------------------------------
    // Learning rate, clipping, step count.

    /** The learning rate the next step will use. */
    public synchronized double learningRate() {
        return schedule == null ? learningRate : schedule.rate(iterations());
    }

    /**
     * Sets a constant learning rate (for callbacks such as ReduceLROnPlateau); an error when the
     * optimizer runs on a schedule, as in Keras.
     */
    public synchronized void setLearningRate(double learningRate) {
        if (schedule != null) {
            throw new IllegalStateException(name + " runs on a learning-rate schedule (" + schedule.className()
                    + "); its learning rate cannot be set");
        }
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException(name + ": the learning rate must be finite and non-negative, got "
                    + learningRate);
        }
        this.learningRate = learningRate;
    }

    /** The schedule, or null for a constant rate. */
    public LearningRateSchedule schedule() {
        return schedule;
    }

    /** Clips each gradient to L2 norm {@code clipnorm} (null: off). Returns this. */
    public Optimizer setClipnorm(Double clipnorm) {
        this.clipnorm = positive("clipnorm", clipnorm);
        checkOneClip();
        return this;
    }

    /** Clips every gradient element into [-clipvalue, clipvalue] (null: off). Returns this. */
    public Optimizer setClipvalue(Double clipvalue) {
        this.clipvalue = positive("clipvalue", clipvalue);
        checkOneClip();
        return this;
    }

    /** Rescales all gradients together to joint L2 norm at most {@code globalClipnorm} (null: off). Returns this. */
    public Optimizer setGlobalClipnorm(Double globalClipnorm) {
        this.globalClipnorm = positive("globalClipnorm", globalClipnorm);
        checkOneClip();
        return this;
    }

    private Double positive(String what, Double v) {
        if (v != null && !(v > 0)) {
            throw new IllegalArgumentException(name + ": " + what + " must be positive, got " + v);
        }
        return v;
    }

    private void checkOneClip() {
        int set = (clipnorm != null ? 1 : 0) + (clipvalue != null ? 1 : 0) + (globalClipnorm != null ? 1 : 0);
        if (set > 1) {
            clipnorm = null;
            clipvalue = null;
            globalClipnorm = null;
            throw new IllegalArgumentException(name + ": only one of clipnorm, clipvalue and globalClipnorm can be set");
        }
    }

    /**
     * The number of updates applied (Keras's {@code iterations}): with gradient accumulation, one
     * every {@code gradientAccumulationSteps} calls.
     */
    public synchronized long iterations() {
        return accumulationSteps == null ? calls : calls / accumulationSteps;
    }

    // ---------------------------------------------------------------------------------------
    // Weight decay, gradient accumulation, moving averages.

    /**
     * Decoupled weight decay: before each update every variable not excluded shrinks by
     * {@code lr * weightDecay} of itself (null: off). Returns this.
     */
    public synchronized Optimizer setWeightDecay(Double weightDecay) {
        if (weightDecay != null && !(weightDecay >= 0 && Double.isFinite(weightDecay))) {
            throw new IllegalArgumentException(name + ": weightDecay must be finite and non-negative, got "
                    + weightDecay);
        }
        this.weightDecay = weightDecay;
        return this;
    }

    /** The weight decay, or null when off. */
    public Double weightDecay() {
        return weightDecay;
    }

    /**
     * Keeps {@code vars}, and every variable whose name contains a match of one of the regular
     * expressions {@code names} (e.g. {@code "bias"}), from weight decay, as Keras's
     * {@code exclude_from_weight_decay}; replaces earlier exclusions. Only before the first update.
     */
    public synchronized void excludeFromWeightDecay(List<Variable> vars, List<String> names) {
        if (!slots.isEmpty()) {
            throw new IllegalStateException(name + ": exclude_from_weight_decay() can only be configured before the"
                    + " optimizer is built (before its first update)");
        }
        excludedFromDecay.clear();
        excludedFromDecay.addAll(vars);
        excludedFromDecayNames = names.isEmpty() ? null : Pattern.compile(String.join("|", names));
    }

    /**
     * Applies an update once every {@code steps} calls of {@link #applyGradients}, with the mean of
     * their gradients (null: every call). Only before the first update. Returns this.
     */
    public synchronized Optimizer setGradientAccumulationSteps(Integer steps) {
        requireUnbuilt("gradientAccumulationSteps");
        if (steps != null && steps < 2) {
            throw new IllegalArgumentException(name + ": gradientAccumulationSteps must be at least 2 (or null), got "
                    + steps);
        }
        this.accumulationSteps = steps;
        return this;
    }

    /** The number of calls whose gradients make one update, or null. */
    public Integer gradientAccumulationSteps() {
        return accumulationSteps;
    }

    /**
     * Keeps an exponential moving average of each variable, {@code avg = momentum avg + (1 -
     * momentum) w} after each call (Keras's {@code use_ema}, default momentum 0.99), copied into the
     * variables every {@code overwriteFrequency} updates (null: only by
     * {@link #finalizeVariableValues}). Only before the first update. Returns this.
     */
    public synchronized Optimizer setEma(double momentum, Integer overwriteFrequency) {
        requireUnbuilt("useEma");
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(name + ": emaMomentum must be in [0, 1], got " + momentum);
        }
        if (overwriteFrequency != null && overwriteFrequency < 1) {
            throw new IllegalArgumentException(name + ": emaOverwriteFrequency must be positive, got "
                    + overwriteFrequency);
        }
        this.useEma = true;
        this.emaMomentum = momentum;
        this.emaOverwriteFrequency = overwriteFrequency;
        return this;
    }

    /** Whether moving averages of the variables are kept. */
    public boolean useEma() {
        return useEma;
    }

    private void requireUnbuilt(String what) {
        if (!slots.isEmpty()) {
            throw new IllegalStateException(name + ": " + what + " can only be set before the first update");
        }
    }

    /** A copy of the moving average of {@code v}, or null without EMA or before v's first update. */
    public Tensor movingAverage(Variable v) {
        return slot(v, AVERAGE);
    }

    /** A copy of the gradient accumulated for {@code v}, or null without accumulation or before v's first call. */
    public Tensor accumulatedGradient(Variable v) {
        return slot(v, ACCUMULATED);
    }

    /** The name in logs and configs. */
    public String name() {
        return name;
    }

    // ---------------------------------------------------------------------------------------
    // State.

    /**
     * The state to save: {@code iterations} (a rank-0 F64: the calls made, which with gradient
     * accumulation is more than the updates, as Keras saves it) and a copy of every slot as
     * {@code variableName/slotName}, the accumulated gradients and moving averages among them,
     * including slots restored by {@link #loadState} for variables that have not had a gradient
     * since (so saving a restored optimizer loses nothing).
     */
    public synchronized Map<String, Tensor> state() {
        return state(Variable::name);
    }

    /**
     * {@link #state()} with each slot keyed {@code keyOf(variable)/slotName}: a model keys them as
     * it keys its weights, so variables of the same name in different nested models stay apart.
     */
    public synchronized Map<String, Tensor> state(Function<Variable, String> keyOf) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("iterations", Tensor.scalar((double) calls));
        List<String> names = allSlotNames();
        for (Map.Entry<Variable, Slots> e : slots.entrySet()) {
            Shape shape = e.getKey().shape();
            for (int i = 0; i < names.size(); i++) {
                Object a = e.getValue().get(i);
                out.put(keyOf.apply(e.getKey()) + "/" + names.get(i), slotTensor(a, shape));
            }
        }
        for (Map.Entry<String, Tensor> e : pending.entrySet()) {
            out.putIfAbsent(e.getKey(), e.getValue().contiguousCopy());
        }
        return out;
    }

    /**
     * Restores a {@link #state()}: the step count, and slots by variable name (now for variables
     * already seen, else when they first get a gradient).
     */
    public synchronized void loadState(Map<String, Tensor> state) {
        loadState(state, Variable::name);
    }

    /** {@link #loadState(Map)} of a state keyed as {@link #state(Function)} keyed it with {@code keyOf}. */
    public synchronized void loadState(Map<String, Tensor> state, Function<Variable, String> keyOf) {
        pendingKeyOf = keyOf;
        Tensor it = state.get("iterations");
        if (it != null) {
            calls = (long) it.item();
        }
        List<String> names = allSlotNames();
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            if (e.getKey().equals("iterations")) {
                continue;
            }
            boolean placed = false;
            for (Map.Entry<Variable, Slots> s : slots.entrySet()) {
                for (int i = 0; i < names.size() && !placed; i++) {
                    if (e.getKey().equals(keyOf.apply(s.getKey()) + "/" + names.get(i))) {
                        checkSlot(s.getKey(), names.get(i), e.getValue());
                        s.getValue().set(i, s.getKey().dtype() == DType.F32 ? e.getValue().toFloatArray()
                                : e.getValue().toDoubleArray());
                        placed = true;
                    }
                }
            }
            if (!placed) {
                pending.put(e.getKey(), e.getValue());
            }
        }
    }

    /** A copy of slot {@code slot} of {@code v}, or null if the optimizer has not updated v yet. */
    public synchronized Tensor slot(Variable v, String slot) {
        Slots s = slots.get(v);
        int i = allSlotNames().indexOf(slot);
        if (s == null || i < 0) {
            return null;
        }
        return slotTensor(s.get(i), v.shape());
    }

    private static Tensor slotTensor(Object a, Shape shape) {
        return a instanceof float[] f ? TensorInternals.wrap(DType.F32, shape, f.clone())
                : TensorInternals.wrap(DType.F64, shape, ((double[]) a).clone());
    }

    /** The constructor arguments as JSON-able values; subclasses add theirs. */
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        if (schedule == null) {
            c.put("learning_rate", learningRate);
        } else {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("class_name", schedule.className());
            s.put("config", schedule.getConfig());
            c.put("learning_rate", s);
        }
        c.put("clipnorm", clipnorm);
        c.put("clipvalue", clipvalue);
        c.put("global_clipnorm", globalClipnorm);
        c.put("weight_decay", weightDecay);
        c.put("use_ema", useEma);
        c.put("ema_momentum", emaMomentum);
        c.put("ema_overwrite_frequency", emaOverwriteFrequency);
        c.put("gradient_accumulation_steps", accumulationSteps);
        return c;
    }

    @Override
    public String toString() {
        return className() + getConfig();
    }
}
