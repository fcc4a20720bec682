package dev.vecgrad.train;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.io.AtomicFiles;
import dev.vecgrad.core.io.Json;
import dev.vecgrad.core.io.JsonException;
import dev.vecgrad.core.io.SafeTensors;
import dev.vecgrad.core.io.SafeTensorsFile;
import dev.vecgrad.core.io.TensorFileException;
import dev.vecgrad.train.layers.Layer;
import dev.vecgrad.train.losses.Loss;
import dev.vecgrad.train.losses.Losses;
import dev.vecgrad.train.metrics.Metric;
import dev.vecgrad.train.metrics.Metrics;
import dev.vecgrad.train.optimizers.Optimizer;
import dev.vecgrad.train.optimizers.Optimizers;
import dev.vecgrad.train.registry.CustomObjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reading and writing model weights and model directories (see {@code docs/saving.md}, "Model
 * files"). Weights are keyed by variable name ({@code dense_1/kernel}, prefixed by the names of
 * nested models); a model directory holds
 * {@value #CONFIG}, {@value #WEIGHTS} and, for a compiled model, {@value #OPTIMIZER}, and is
 * replaced as a whole by {@link AtomicFiles#writeDirectory}.
 */
final class ModelFiles {
    static final String CONFIG = "config.json";
    static final String WEIGHTS = "model.safetensors";
    static final String OPTIMIZER = "optimizer.safetensors";
    static final String FORMAT = "vecgrad.model";
    static final int FORMAT_VERSION = 1;
    /** config.json is small; a larger file is not one of ours. */
    private static final int MAX_CONFIG_CHARS = 16 << 20;
    private static final Map<String, String> METADATA = Map.of("format", "vecgrad");

    private ModelFiles() {
    }

    // ---------------------------------------------------------------------------------------
    // Weights by name.

    /**
     * The file key of every weight: its variable name ({@code dense/kernel}), prefixed by the names
     * of the models nested inside {@code model} that hold it ({@code encoder/dense/kernel}), since
     * each model names its layers in its own scope. In {@link Model#weights()} order.
     */
    static Map<Variable, String> keys(Model model) {
        Map<Variable, String> byVariable = new IdentityHashMap<>();
        collectKeys(model, "", byVariable, true);
        Map<Variable, String> ordered = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        for (Variable v : model.weights()) {
            String key = byVariable.getOrDefault(v, v.name());
            if (!taken.add(key)) {
                throw new IllegalStateException("model '" + model.name() + "' has two weights named '" + key
                        + "'; give its layers distinct names before saving or loading");
            }
            ordered.put(v, key);
        }
        return ordered;
    }

    private static void collectKeys(Layer layer, String prefix, Map<Variable, String> keys, boolean root) {
        String p = !root && layer instanceof Model ? prefix + layer.name() + "/" : prefix;
        // Children first, so a weight gets the prefix of the innermost model holding it.
        for (Layer child : layer.layers()) {
            collectKeys(child, p, keys, false);
        }
        for (Variable v : layer.weights()) {
            keys.putIfAbsent(v, p + v.name());
        }
    }

    /** Copies of every weight of {@code model}, keyed as {@link #keys}, in {@link Model#weights()} order. */
    static Map<String, Tensor> namedWeights(Model model) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<Variable, String> e : keys(model).entrySet()) {
            out.put(e.getValue(), e.getKey().peek().contiguousCopy());
        }
        return out;
    }

    /**
     * What keeps {@code values} from being assigned to {@code model}: every missing, unexpected,
     * wrong-shape and wrong-dtype name, one entry each (empty: they fit).
     */
    static List<String> mismatches(Model model, Map<String, Shape> shapes, Map<String, DType> dtypes) {
        List<String> problems = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        for (Map.Entry<Variable, String> e : keys(model).entrySet()) {
            Variable v = e.getKey();
            String key = e.getValue();
            expected.add(key);
            Shape s = shapes.get(key);
            if (s == null) {
                problems.add("missing '" + key + "' " + v.shape());
            } else if (!s.equals(v.shape())) {
                problems.add("'" + key + "' has shape " + s + ", the model needs " + v.shape());
            } else if (dtypes.get(key) != null && dtypes.get(key) != v.dtype()) {
                problems.add("'" + key + "' is " + dtypes.get(key) + ", the model needs " + v.dtype());
            }
        }
        for (String name : shapes.keySet()) {
            if (!expected.contains(name)) {
                problems.add("unexpected '" + name + "' " + shapes.get(name));
            }
        }
        return problems;
    }

    /** Assigns {@code values} by name after checking that they fit exactly; else an IllegalArgumentException listing all problems. */
    static void assignNamedWeights(Model model, Map<String, Tensor> values) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        Map<String, DType> dtypes = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : values.entrySet()) {
            shapes.put(e.getKey(), e.getValue().shape());
            dtypes.put(e.getKey(), e.getValue().dtype());
        }
        List<String> problems = mismatches(model, shapes, dtypes);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(mismatchMessage(model, problems));
        }
        for (Map.Entry<Variable, String> e : keys(model).entrySet()) {
            e.getKey().assign(values.get(e.getValue()));
        }
    }

    private static String mismatchMessage(Model model, List<String> problems) {
        String hint = model.weights().isEmpty() ? " (the model has no weights yet: build it first)" : "";
        return "the weights do not fit model '" + model.name() + "'" + hint + ": " + problems.size()
                + (problems.size() == 1 ? " problem: " : " problems: ") + String.join("; ", problems);
    }

    static void saveWeights(Model model, Path file) throws IOException {
        Map<String, Tensor> weights = namedWeights(model);
        createParent(file);
        SafeTensors.write(file, weights, METADATA);
    }

    /** Creates the directories above {@code path}, as Keras does for its save paths. */
    private static void createParent(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    /** Loads {@code file} into {@code model}, checking every name, shape and dtype before assigning any. */
    static void loadWeights(Model model, Path file) throws IOException {
        Map<String, Tensor> values;
        try (SafeTensorsFile f = SafeTensors.read(file)) {
            Map<String, Shape> shapes = new LinkedHashMap<>();
            for (String name : f.names()) {
                shapes.put(name, shapeOf(f.info(name).shape()));
            }
            List<String> problems = mismatches(model, shapes, Map.of());
            if (!problems.isEmpty()) {
                throw new TensorFileException(file.toString(), null, -1, mismatchMessage(model, problems));
            }
            values = f.getAll();
        }
        try {
            assignNamedWeights(model, values);
        } catch (IllegalArgumentException e) {
            throw new TensorFileException(file.toString(), null, -1, e.getMessage());
        }
    }

    private static Shape shapeOf(List<Long> dims) {
        int[] d = new int[dims.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (int) Math.min(dims.get(i), Integer.MAX_VALUE);
        }
        return Shape.of(d);
    }

    // ---------------------------------------------------------------------------------------
    // Model directories.

    static void save(Model model, Path dir) throws IOException {
        if (!model.isBuilt()) {
            throw new IllegalStateException("save: model '" + model.name()
                    + "' is not built; call it on data, fit it or build(shape) first");
        }
        // Everything that can fail on the model's side happens before the directory is touched.
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("format", FORMAT);
        config.put("format_version", FORMAT_VERSION);
        config.put("model", Models.serialize(model));
        Map<String, Object> build = new LinkedHashMap<>();
        build.put("input_shape", toList(model.builtInputShape().toArray()));
        build.put("input_dtype", model.inputDType().name());
        config.put("build", build);
        Map<String, Object> compile = compileConfig(model);
        if (compile != null) {
            config.put("compile", compile);
        }
        byte[] json = Json.writePretty(config).getBytes(StandardCharsets.UTF_8);
        Map<String, Tensor> weights = namedWeights(model);
        Map<Variable, String> keys = keys(model);
        Map<String, Tensor> optimizerState = compile != null ? model.optimizer().state(keys::get) : null;
        createParent(dir);
        AtomicFiles.writeDirectory(dir, d -> {
            Files.write(d.resolve(CONFIG), json);
            SafeTensors.write(d.resolve(WEIGHTS), weights, METADATA);
            if (optimizerState != null) {
                SafeTensors.write(d.resolve(OPTIMIZER), optimizerState, METADATA);
            }
        });
    }

    /**
     * The optimizer, loss (one for every output, or a map by output name), loss weights and
     * metrics (for every output, and by output name), or null when the model is not compiled or
     * its optimizer or a loss cannot be rebuilt.
     */
    private static Map<String, Object> compileConfig(Model model) {
        if (!model.isCompiled()) {
            return null;
        }
        Optimizer opt = model.optimizer();
        CompileOptions options = model.trainer().options();
        Object loss;
        try {
            // Only what loading can rebuild is written; a custom optimizer or loss leaves the model uncompiled.
            Optimizers.fromConfig(opt.className(), opt.getConfig());
            loss = options.loss() instanceof Map<?, ?> byOutput ? savedLosses(model, byOutput.keySet())
                    : savedLoss(model.loss());
        } catch (RuntimeException e) {
            System.getLogger(ModelFiles.class.getName()).log(System.Logger.Level.WARNING, "model '" + model.name()
                    + "' is saved without its compile state (it loads uncompiled): " + e.getMessage());
            return null;
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("optimizer", classAndConfig(opt.className(), opt.getConfig()));
        c.put("loss", loss);
        c.put("metrics", savedMetrics(model, null, false));
        c.put("weighted_metrics", savedMetrics(model, null, true));
        Map<String, Object> byOutput = new LinkedHashMap<>();
        Map<String, Object> weightedByOutput = new LinkedHashMap<>();
        for (String output : model.outputNames()) {
            List<Object> m = savedMetrics(model, output, false);
            List<Object> w = savedMetrics(model, output, true);
            if (!m.isEmpty()) {
                byOutput.put(output, m);
            }
            if (!w.isEmpty()) {
                weightedByOutput.put(output, w);
            }
        }
        if (!byOutput.isEmpty()) {
            c.put("metrics_by_output", byOutput);
        }
        if (!weightedByOutput.isEmpty()) {
            c.put("weighted_metrics_by_output", weightedByOutput);
        }
        c.put("loss_weight", options.lossWeight());
        if (options.lossWeights() != null) {
            c.put("loss_weights", new LinkedHashMap<>(options.lossWeights()));
        }
        c.put("steps_per_execution", model.stepsPerExecution());
        return c;
    }

    private static Map<String, Object> savedLoss(Loss loss) {
        Losses.fromConfig(loss.className(), loss.getConfig());
        return classAndConfig(loss.className(), loss.getConfig());
    }

    private static Map<String, Object> savedLosses(Model model, Set<?> outputs) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> names = model.outputNames();
        for (int i = 0; i < names.size(); i++) {
            if (outputs.contains(names.get(i))) {
                out.put(names.get(i), savedLoss(model.trainer().lossOf(i)));
            }
        }
        return out;
    }

    /** The metrics compile gave for {@code output} (null: every output), plain or weighted, as the config stores them. */
    private static List<Object> savedMetrics(Model model, String output, boolean weighted) {
        List<Object> out = new ArrayList<>();
        for (MetricSpec spec : model.trainer().metricSpecs()) {
            Object saved = spec.weighted() == weighted && Objects.equals(spec.output(), output)
                    ? savedMetric(spec) : null;
            if (saved != null) {
                out.add(saved);
            }
        }
        return out;
    }

    /**
     * A metric as the config stores it: its name when compile was given a name, its class and
     * config when it was given an object loading can rebuild, else null (a metric class of the
     * user's own that the registry does not know is left out).
     */
    private static Object savedMetric(MetricSpec spec) {
        if (spec.metric() == null) {
            return spec.name();
        }
        Metric m = spec.metric();
        return Metrics.REGISTRY.contains(m.className()) ? classAndConfig(m.className(), m.getConfig()) : null;
    }

    private static Map<String, Object> classAndConfig(String className, Map<String, Object> config) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class_name", className);
        m.put("config", config);
        return m;
    }

    private static List<Object> toList(int[] a) {
        List<Object> out = new ArrayList<>();
        for (int v : a) {
            out.add(v);
        }
        return out;
    }

    static Model load(Path dir, CustomObjects custom) throws IOException {
        Path d = AtomicFiles.resolveDirectory(dir);
        Path configFile = d.resolve(CONFIG);
        String text;
        try {
            if (Files.size(configFile) > MAX_CONFIG_CHARS) {
                throw new TensorFileException(configFile.toString(), null, -1, "larger than " + MAX_CONFIG_CHARS
                        + " bytes; not a model config");
            }
            text = Files.readString(configFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new TensorFileException(d.toString(), null, -1, "not a model directory: it has no " + CONFIG);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new TensorFileException(configFile.toString(), null, -1, "not valid UTF-8");
        }
        Model model;
        Map<String, Object> compile;
        try (CustomObjects.Scope scope = custom.activate()) {
            Map<String, Object> config = Json.parseObject(text);
            if (!FORMAT.equals(config.get("format"))) {
                throw new IllegalArgumentException("'format' is " + Json.write(config.get("format")) + ", expected \""
                        + FORMAT + "\"");
            }
            if (!(config.get("format_version") instanceof Number v) || v.longValue() != FORMAT_VERSION) {
                throw new IllegalArgumentException("'format_version' is " + Json.write(config.get("format_version"))
                        + "; this version reads " + FORMAT_VERSION);
            }
            Layer root = Models.deserialize(object(config, "model"));
            if (!(root instanceof Model m)) {
                throw new IllegalArgumentException("'model' is a " + root.className() + ", which is a layer, not a model");
            }
            model = m;
            Map<String, Object> build = object(config, "build");
            model.maybeBuild(Shape.of(ints(build, "input_shape")), DType.valueOf(string(build, "input_dtype")));
            compile = config.get("compile") == null ? null : object(config, "compile");
            if (compile != null) {
                compile(model, compile);
            }
        } catch (JsonException e) {
            throw new TensorFileException(configFile.toString(), null, -1, e.getMessage());
        } catch (RuntimeException e) {
            throw new TensorFileException(configFile.toString(), null, -1, e.getMessage() == null ? e.toString()
                    : e.getMessage());
        }
        loadWeights(model, d.resolve(WEIGHTS));
        if (compile != null && Files.exists(d.resolve(OPTIMIZER))) {
            loadOptimizerState(model, d.resolve(OPTIMIZER));
        }
        return model;
    }

    private static void compile(Model model, Map<String, Object> c) {
        Map<String, Object> opt = object(c, "optimizer");
        Optimizer optimizer = Optimizers.fromConfig(string(opt, "class_name"), object(opt, "config"));
        Map<String, Object> loss = object(c, "loss");
        Object l;
        if (loss.containsKey("class_name")) {
            l = Losses.REGISTRY.deserialize(loss);
        } else {
            Map<String, Object> byOutput = new LinkedHashMap<>();
            for (String output : loss.keySet()) {
                byOutput.put(output, Losses.REGISTRY.deserialize(object(loss, output)));
            }
            l = byOutput;
        }
        CompileOptions options = CompileOptions.of(optimizer, l).metrics(savedMetrics(c, "metrics"))
                .weightedMetrics(savedMetrics(c, "weighted_metrics"));
        for (Map.Entry<String, Object> e : optionalObject(c, "metrics_by_output").entrySet()) {
            options.metricsFor(e.getKey(), savedMetrics(optionalObject(c, "metrics_by_output"), e.getKey()));
        }
        for (Map.Entry<String, Object> e : optionalObject(c, "weighted_metrics_by_output").entrySet()) {
            options.weightedMetricsFor(e.getKey(), savedMetrics(optionalObject(c, "weighted_metrics_by_output"),
                    e.getKey()));
        }
        if (c.get("loss_weight") instanceof Number w) {
            options.lossWeight(w.doubleValue());
        }
        if (c.get("loss_weights") != null) {
            Map<String, Double> weights = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : object(c, "loss_weights").entrySet()) {
                if (!(e.getValue() instanceof Number w)) {
                    throw new IllegalArgumentException("'loss_weights' holds " + Json.typeName(e.getValue()) + " for '"
                            + e.getKey() + "', not a number");
                }
                weights.put(e.getKey(), w.doubleValue());
            }
            options.lossWeights(weights);
        }
        if (c.get("steps_per_execution") instanceof Number n) {
            options.stepsPerExecution(n.intValue());
        }
        model.compile(options);
    }

    private static Map<String, Object> optionalObject(Map<String, Object> c, String key) {
        return c.get(key) == null ? Map.of() : object(c, key);
    }

    /** The metrics saved under {@code key}: names, or {@code {"class_name", "config"}} objects. */
    private static Object[] savedMetrics(Map<String, Object> c, String key) {
        List<Object> out = new ArrayList<>();
        if (c.get(key) instanceof List<?> saved) {
            for (Object m : saved) {
                if (m instanceof String name) {
                    Metrics.get(name);
                    out.add(name);
                } else if (m instanceof Map<?, ?>) {
                    out.add(Metrics.REGISTRY.deserialize(m));
                } else {
                    throw new IllegalArgumentException("'" + key + "' holds " + Json.typeName(m)
                            + ", not a metric name or object");
                }
            }
        }
        return out.toArray();
    }

    /** Restores the optimizer's step count and slots, after checking that each slot belongs to a weight of the same shape. */
    private static void loadOptimizerState(Model model, Path file) throws IOException {
        Map<String, Tensor> state;
        try (SafeTensorsFile f = SafeTensors.read(file)) {
            state = f.getAll();
        }
        // Slots are keyed as the weights are (nested models' names in front), not by bare variable name.
        Map<Variable, String> keys = keys(model);
        Map<String, Variable> byName = new LinkedHashMap<>();
        for (Variable v : model.trainableWeights()) {
            byName.put(keys.get(v), v);
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            String key = e.getKey();
            if (key.equals("iterations")) {
                if (e.getValue().size() != 1) {
                    problems.add("'iterations' has shape " + e.getValue().shape() + ", expected a scalar");
                }
                continue;
            }
            int slash = key.lastIndexOf('/');
            Variable v = slash < 0 ? null : byName.get(key.substring(0, slash));
            if (v == null) {
                problems.add("unexpected '" + key + "' (no trainable weight '" + (slash < 0 ? key : key.substring(0, slash))
                        + "')");
            } else if (!e.getValue().shape().equals(v.shape()) || e.getValue().dtype() != v.dtype()) {
                problems.add("'" + key + "' is " + e.getValue().dtype() + " " + e.getValue().shape() + ", its weight is "
                        + v.dtype() + " " + v.shape());
            }
        }
        if (!state.containsKey("iterations")) {
            problems.add("missing 'iterations'");
        }
        if (!problems.isEmpty()) {
            throw new TensorFileException(file.toString(), null, -1, "the optimizer state does not fit model '"
                    + model.name() + "': " + String.join("; ", problems));
        }
        model.optimizer().loadState(state, keys::get);
    }

    // ---------------------------------------------------------------------------------------
    // Typed access to parsed JSON, with messages naming the key.

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> m, String key) {
        if (m.get(key) instanceof Map<?, ?> o) {
            return (Map<String, Object>) o;
        }
        throw new IllegalArgumentException("'" + key + "' must be an object, got " + describe(m.get(key)));
    }

    private static String string(Map<String, Object> m, String key) {
        if (m.get(key) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("'" + key + "' must be a string, got " + describe(m.get(key)));
    }

    private static int[] ints(Map<String, Object> m, String key) {
        if (m.get(key) instanceof List<?> list) {
            int[] out = new int[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Number n) || n.longValue() < 0 || n.longValue() > Integer.MAX_VALUE
                        || n.doubleValue() != n.longValue()) {
                    throw new IllegalArgumentException("'" + key + "' must be a list of sizes, got " + Json.write(list));
                }
                out[i] = n.intValue();
            }
            return out;
        }
        throw new IllegalArgumentException("'" + key + "' must be a list, got " + describe(m.get(key)));
    }

    private static String describe(Object v) {
        return v == null ? "nothing" : Json.typeName(v);
    }
}
