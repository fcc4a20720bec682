package dev.vecgrad.train.optimizers;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.ops.Recording;
import dev.vecgrad.train.compile.Tracer;
import dev.vecgrad.train.optimizers.schedules.LearningRateSchedule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Updates variables from their gradients, as Keras 3's optimizers, in place and with fused SIMD
 * kernels ({@link UpdateKernels}).
 *
 * <p>{@link #applyGradients}, for one step:
 * <ol>
 *   <li>pairs gradients with variables, skipping null gradients (unconnected variables) as Keras;</li>
 *   <li>clips gradients if asked: {@code clipnorm} rescales each gradient to at most that L2 norm,
 *       {@code globalClipnorm} rescales all together to at most that joint norm, {@code clipvalue}
 *       clips each element into [-v, v] (at most one of the three);</li>
 *   <li>reads the learning rate, a constant or {@code schedule.rate(iterations())};</li>
 *   <li>creates the optimizer's slots (moments, accumulators) for variables it has not seen, then
 *       updates each variable ({@link Variable#updateF32()}: in place, or into a fresh array when
 *       a tape may still hold the old value; F64 variables take the scalar F64 path);</li>
 *   <li>increments {@link #iterations()}.</li>
 * </ol>
 *
 * <p>The optimizer's state ({@link #state()}) is the step count and every slot, keyed
 * {@code variableName/slotName}; {@link #loadState} restores it, slots of variables not seen yet
 * waiting until they are. Optimizer work is never recorded on a gradient tape.
 *
 * <pre>{@code
 * Optimizer opt = new Adam(1e-3);
 * List<Tensor> grads = tape.gradient(loss, model.trainableWeights());
 * opt.applyGradients(grads, model.trainableWeights());
 * }</pre>
 */
public abstract class Optimizer {
    private final String name;
    private double learningRate;
    private LearningRateSchedule schedule;
    private Double clipnorm;
    private Double clipvalue;
    private Double globalClipnorm;
    private long iterations;
    private final Map<Variable, Object[]> slots = new LinkedHashMap<>();
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
     * Updates F32 weights: reads {@code w[0, n)}, writes {@code wOut[0, n)} (the same array for an
     * update in place), from gradient {@code g[gOff, gOff + n)} with slots in {@link #slotNames()}
     * order; {@code step} counts from 1 for the first update.
     */
    protected abstract void update(UpdateKernels k, float[] w, float[] wOut, float[] g, int gOff, int n,
            float[][] slots, double lr, long step);

    /**
     * The F64 form of {@link #update(UpdateKernels, float[], float[], float[], int, int, float[][], double, long)},
     * in place.
     */
    protected abstract void update(ScalarUpdateKernels k, double[] w, double[] g, int gOff, int n, double[][] slots,
            double lr, long step);

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
        try (Recording.Paused p = Recording.pause()) {
            List<Tensor> g = new ArrayList<>();
            List<Variable> v = new ArrayList<>();
            for (int i = 0; i < grads.size(); i++) {
                if (grads.get(i) == null) {
                    continue;
                }
                checkGradient(grads.get(i), vars.get(i));
                g.add(grads.get(i));
                v.add(vars.get(i));
            }
            if (g.isEmpty() && !grads.isEmpty()) {
                throw new IllegalArgumentException(name + ": no gradients provided for any variable (every gradient"
                        + " is null: the loss does not depend on " + names(vars) + ")");
            }
            g = clip(g);
            double lr = learningRate();
            UpdateKernels kernels = UpdateKernels.get();
            for (int i = 0; i < g.size(); i++) {
                apply(kernels, g.get(i).contiguous(), v.get(i), lr);
            }
            iterations++;
        }
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

    private void apply(UpdateKernels kernels, Tensor g, Variable v, double lr) {
        Object[] s = slots.computeIfAbsent(v, this::createSlots);
        int n = v.shape().size();
        long step = iterations + 1;
        if (v.dtype() == DType.F32) {
            float[][] fs = new float[s.length][];
            for (int i = 0; i < s.length; i++) {
                fs[i] = (float[]) s[i];
            }
            Variable.F32Update w = v.updateF32();
            update(kernels, w.source(), w.target(), g.f32Array(), g.offset(), n, fs, lr, step);
        } else {
            double[][] ds = new double[s.length][];
            for (int i = 0; i < s.length; i++) {
                ds[i] = (double[]) s[i];
            }
            double[] w = v.peek().toDoubleArray();
            update(ScalarUpdateKernels.INSTANCE, w, g.f64Array(), g.offset(), n, ds, lr, step);
            v.assign(Tensor.wrap(DType.F64, v.shape(), w));
        }
    }

    private Object[] createSlots(Variable v) {
        List<String> names = slotNames();
        Object[] s = new Object[names.size()];
        for (int i = 0; i < s.length; i++) {
            Tensor saved = pending.remove(pendingKeyOf.apply(v) + "/" + names.get(i));
            if (saved != null) {
                checkSlot(v, names.get(i), saved);
                s[i] = v.dtype() == DType.F32 ? saved.toFloatArray() : saved.toDoubleArray();
            } else {
                Tensor init = Tensor.full(slotInitialValue(names.get(i)), v.dtype(), v.shape().toArray());
                s[i] = init.array();
            }
        }
        return s;
    }

    private void checkSlot(Variable v, String slot, Tensor t) {
        if (!t.shape().equals(v.shape())) {
            throw new IllegalArgumentException(name + ": saved slot " + v.name() + "/" + slot + " has shape "
                    + t.shape() + ", the variable " + v.shape());
        }
    }

    private List<Tensor> clip(List<Tensor> grads) {
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
        return schedule == null ? learningRate : schedule.rate(iterations);
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

    /** The number of steps applied. */
    public synchronized long iterations() {
        return iterations;
    }

    /** The name in logs and configs. */
    public String name() {
        return name;
    }

    // ---------------------------------------------------------------------------------------
    // State.

    /**
     * The state to save: {@code iterations} (a rank-0 F64) and a copy of every slot as
     * {@code variableName/slotName}, including slots restored by {@link #loadState} for variables
     * that have not had a gradient since (so saving a restored optimizer loses nothing).
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
        out.put("iterations", Tensor.scalar((double) iterations));
        List<String> names = slotNames();
        for (Map.Entry<Variable, Object[]> e : slots.entrySet()) {
            Shape shape = e.getKey().shape();
            for (int i = 0; i < names.size(); i++) {
                Object a = e.getValue()[i];
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
            iterations = (long) it.item();
        }
        List<String> names = slotNames();
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            if (e.getKey().equals("iterations")) {
                continue;
            }
            boolean placed = false;
            for (Map.Entry<Variable, Object[]> s : slots.entrySet()) {
                for (int i = 0; i < names.size() && !placed; i++) {
                    if (e.getKey().equals(keyOf.apply(s.getKey()) + "/" + names.get(i))) {
                        checkSlot(s.getKey(), names.get(i), e.getValue());
                        s.getValue()[i] = s.getKey().dtype() == DType.F32 ? e.getValue().toFloatArray()
                                : e.getValue().toDoubleArray();
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
        Object[] s = slots.get(v);
        int i = slotNames().indexOf(slot);
        if (s == null || i < 0) {
            return null;
        }
        return slotTensor(s[i], v.shape());
    }

    private static Tensor slotTensor(Object a, Shape shape) {
        return a instanceof float[] f ? Tensor.wrap(DType.F32, shape, f.clone())
                : Tensor.wrap(DType.F64, shape, ((double[]) a).clone());
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
        return c;
    }

    @Override
    public String toString() {
        return className() + getConfig();
    }
}
