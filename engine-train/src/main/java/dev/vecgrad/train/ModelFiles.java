package dev.vecgrad.train;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Engine;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.io.AtomicFiles;
import dev.vecgrad.core.io.Json;
import dev.vecgrad.core.io.HeapLimit;
import dev.vecgrad.core.io.JsonException;
import dev.vecgrad.core.io.Messages;
import dev.vecgrad.core.io.RegularFiles;
import dev.vecgrad.core.io.SafeTensors;
import dev.vecgrad.core.io.SafeTensorsFile;
import dev.vecgrad.core.io.TensorFileException;
import dev.vecgrad.core.io.VersionedDirectory;
import dev.vecgrad.train.layers.Configs;
import dev.vecgrad.train.layers.Layer;
import dev.vecgrad.train.layers.WeightBudget;
import dev.vecgrad.train.losses.Loss;
import dev.vecgrad.train.losses.Losses;
import dev.vecgrad.train.metrics.Metric;
import dev.vecgrad.train.metrics.Metrics;
import dev.vecgrad.train.optimizers.Optimizer;
import dev.vecgrad.train.optimizers.Optimizers;
import dev.vecgrad.train.registry.CustomObjects;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reading and writing model weights and model directories (see {@code docs/saving.md}, "Model
 * files"). Weights are keyed by variable name ({@code dense_1/kernel}, prefixed by the names of
 * nested models). A model directory is a {@link VersionedDirectory}: each save is a directory
 * holding {@value #CONFIG}, {@value #WEIGHTS} and, for a compiled model, {@value #OPTIMIZER}, made
 * current by one atomic rename.
 */
final class ModelFiles {
    static final String CONFIG = "config.json";
    static final String WEIGHTS = "model.safetensors";
    static final String OPTIMIZER = "optimizer.safetensors";
    static final String FORMAT = "vecgrad.model";
    static final int FORMAT_VERSION = 1;
    /** config.json is small (a few hundred bytes a layer); a larger file is not one of ours. */
    static final int MAX_CONFIG_BYTES = 4 << 20;
    /** The optimizer's step count in {@value #OPTIMIZER}. */
    private static final String ITERATIONS = "iterations";
    /** The largest step count an F64 holds exactly: 2^53. */
    private static final double MAX_EXACT_COUNT = 0x1p53;
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
     * What keeps tensors of these names, shapes and dtypes (dtypes may be absent) from being
     * assigned to {@code model}: every missing, unexpected, wrong-shape and wrong-dtype name.
     */
    static Problems mismatches(Model model, Map<String, Shape> shapes, Map<String, DType> dtypes) {
        Problems problems = new Problems();
        Set<String> expected = new HashSet<>();
        for (Map.Entry<Variable, String> e : keys(model).entrySet()) {
            Variable v = e.getKey();
            String key = e.getValue();
            expected.add(key);
            Shape s = shapes.get(key);
            if (s == null) {
                problems.add("missing '" + Messages.quote(key) + "' " + v.shape());
            } else if (!s.equals(v.shape())) {
                problems.add("'" + Messages.quote(key) + "' has shape " + s + ", the model needs " + v.shape());
            } else if (dtypes.get(key) != null && dtypes.get(key) != v.dtype()) {
                problems.add("'" + Messages.quote(key) + "' is " + dtypes.get(key) + ", the model needs " + v.dtype());
            }
        }
        for (String name : shapes.keySet()) {
            if (!expected.contains(name)) {
                problems.add("unexpected '" + Messages.quote(name) + "' " + shapes.get(name));
            }
        }
        return problems;
    }

    /** Assigns {@code values} by name after checking that they fit exactly; else an IllegalArgumentException listing the problems. */
    static void assignNamedWeights(Model model, Map<String, Tensor> values) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        Map<String, DType> dtypes = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : values.entrySet()) {
            shapes.put(e.getKey(), e.getValue().shape());
            dtypes.put(e.getKey(), e.getValue().dtype());
        }
        Problems problems = mismatches(model, shapes, dtypes);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(mismatchMessage(model, problems));
        }
        for (Map.Entry<Variable, String> e : keys(model).entrySet()) {
            e.getKey().assign(values.get(e.getValue()));
        }
    }

    private static String mismatchMessage(Model model, Problems problems) {
        String hint = model.weights().isEmpty() ? " (the model has no weights yet: build it first)" : "";
        return "the weights do not fit model '" + Messages.quote(model.name()) + "'" + hint + ": " + problems;
    }

    static void saveWeights(Model model, Path file) throws IOException {
        Map<String, Tensor> weights = namedWeights(model);
        requireReplaceableWeightsFile(file);
        createParent(file);
        SafeTensors.write(file, weights, METADATA);
    }

    /** A weights file may replace only a safetensors file (its 8-byte length and the header's brace), never anything else. */
    private static void requireReplaceableWeightsFile(Path file) throws IOException {
        AtomicFiles.requireReplaceable(file, 9, head -> {
            if (head.length < 9) {
                return false;
            }
            long headerLength = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            return headerLength >= 2 && headerLength <= SafeTensors.MAX_HEADER_LENGTH && head[8] == '{';
        }, "a safetensors file");
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
        try (SafeTensorsFile f = SafeTensors.read(file)) {
            assignFrom(model, f);
        }
    }

    /**
     * Assigns the tensors of {@code f} to {@code model}'s weights, after checking every name and
     * shape against the header: nothing is decoded unless all of them fit.
     */
    private static void assignFrom(Model model, SafeTensorsFile f) throws TensorFileException {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (String name : f.names()) {
            shapes.put(name, shapeOf(f, name));
        }
        Problems problems = mismatches(model, shapes, Map.of());
        if (!problems.isEmpty()) {
            throw new TensorFileException(f.source(), null, -1, mismatchMessage(model, problems));
        }
        requireHeap(f, f.names(), "the weights");
        Map<String, Tensor> values = f.getAll();
        try {
            assignNamedWeights(model, values);
        } catch (IllegalArgumentException e) {
            throw new TensorFileException(f.source(), null, -1, e.getMessage());
        }
    }

    /** Fails before decoding when the tensors {@code names} of {@code f} need more memory than the heap can ever hold. */
    private static void requireHeap(SafeTensorsFile f, List<String> names, String what) throws TensorFileException {
        double bytes = 0;
        for (String name : names) {
            SafeTensorsFile.TensorInfo info = f.info(name);
            // Loaded tensors are F32 and I32 (4 bytes an element) or F64 (8), whatever the file's dtype.
            bytes += (double) info.elements() * (info.dtype().equals("F64") ? 8 : 4);
        }
        HeapLimit.require(f.source(), what, bytes);
    }

    /** The shape of tensor {@code name} of {@code f}, or an error naming the file when this engine cannot hold it. */
    private static Shape shapeOf(SafeTensorsFile f, String name) throws TensorFileException {
        List<Long> dims = f.info(name).shape();
        if (dims.size() > Shape.MAX_RANK) {
            throw new TensorFileException(f.source(), name, -1, "rank " + dims.size() + " is more than the maximum "
                    + Shape.MAX_RANK);
        }
        int[] d = new int[dims.size()];
        for (int i = 0; i < d.length; i++) {
            if (dims.get(i) > Integer.MAX_VALUE) {
                throw new TensorFileException(f.source(), name, -1, "dimension " + dims.get(i) + " is larger than "
                        + Integer.MAX_VALUE);
            }
            d[i] = dims.get(i).intValue();
        }
        try {
            return Shape.of(d);
        } catch (IllegalArgumentException e) {
            throw new TensorFileException(f.source(), name, -1, e.getMessage());
        }
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
        VersionedDirectory.write(dir, d -> {
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

    /**
     * Loads the model in {@code dir}: a model directory (its current save, read as
     * {@link VersionedDirectory#read} describes, so a save beside this load is never mixed in),
     * or the directory of one save. {@code optimizerState} false skips the optimizer file.
     */
    static Model load(Path dir, CustomObjects custom, boolean optimizerState) throws IOException {
        Engine.get(); // a bad -Dvecgrad.* setting is reported as itself, not as a problem of the model's files
        if (!VersionedDirectory.isVersioned(dir) && Files.isDirectory(dir)
                && !Files.exists(dir.resolve(CONFIG), LinkOption.NOFOLLOW_LINKS)) {
            throw new TensorFileException(dir.toString(), null, -1, "not a model directory: it has neither a '"
                    + VersionedDirectory.POINTER + "' file (a model directory) nor " + CONFIG + " (one save)");
        }
        if (!VersionedDirectory.isVersioned(dir) && Files.isDirectory(dir)) {
            return loadSave(dir, custom, optimizerState);
        }
        return VersionedDirectory.read(dir, save -> loadSave(save, custom, optimizerState));
    }

    /**
     * Loads the save in {@code save}. Every file is opened (the weights mapped) before any is
     * used, so a writer deleting this save afterwards changes nothing; a file missing at that
     * point is a {@link NoSuchFileException}, which {@link VersionedDirectory#read} tells apart
     * from the save being replaced.
     */
    private static Model loadSave(Path save, CustomObjects custom, boolean optimizerState) throws IOException {
        Path configFile = save.resolve(CONFIG);
        Map<String, Object> config = readConfig(configFile);
        boolean compiled = config.get("compile") != null;
        try (SafeTensorsFile weights = open(save.resolve(WEIGHTS), "the save has " + CONFIG + " but no weights");
                SafeTensorsFile optimizer = compiled && optimizerState ? open(save.resolve(OPTIMIZER), CONFIG
                        + " says the model is compiled, so its optimizer state belongs here; load it with"
                        + " Model.load(dir, custom, false) to use the model without it") : null) {
            requireHeap(weights, weights.names(), "the weights");
            Model model = fromConfig(config, configFile, custom, weights);
            assignFrom(model, weights);
            if (optimizer != null) {
                loadOptimizerState(model, optimizer);
            }
            return model;
        }
    }

    private static SafeTensorsFile open(Path file, String ifMissing) throws IOException {
        try {
            return SafeTensors.read(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "missing: " + ifMissing);
        }
    }

    /** {@code config.json}: a regular file of at most {@value #MAX_CONFIG_BYTES} bytes of UTF-8 JSON in our format. */
    private static Map<String, Object> readConfig(Path configFile) throws IOException {
        byte[] raw = RegularFiles.read(configFile, MAX_CONFIG_BYTES);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new TensorFileException(configFile.toString(), null, -1, "not valid UTF-8");
        }
        try {
            Map<String, Object> config = Json.parseObject(text);
            if (!FORMAT.equals(config.get("format"))) {
                throw new TensorFileException(configFile.toString(), null, -1, "'format' is "
                        + Messages.quote(Json.write(config.get("format"))) + ", expected \"" + FORMAT
                        + "\": not a vecgrad model config");
            }
            if (!Long.valueOf(FORMAT_VERSION).equals(config.get("format_version"))) {
                throw new TensorFileException(configFile.toString(), null, -1, "'format_version' is "
                        + Messages.quote(Json.write(config.get("format_version"))) + "; this version reads "
                        + FORMAT_VERSION);
            }
            return config;
        } catch (JsonException e) {
            throw new TensorFileException(configFile.toString(), null, -1, e.getMessage());
        }
    }

    /**
     * The model {@code config} describes, built and compiled (when it says so), its weights not
     * yet assigned. Building is bounded by {@code weights}: layers may create no more weight
     * elements than the weights file holds, so a config that describes a larger model fails
     * before allocating it.
     */
    private static Model fromConfig(Map<String, Object> config, Path configFile, CustomObjects custom,
            SafeTensorsFile weights) throws TensorFileException {
        long held = 0;
        for (String name : weights.names()) {
            held += weights.info(name).elements();
        }
        String holder = weights.source() + " (" + weights.names().size() + " tensors)";
        try (CustomObjects.Scope scope = custom.activate()) {
            return WeightBudget.call(held, holder, () -> {
                Layer root = Models.deserialize(object(config, "model"));
                if (!(root instanceof Model model)) {
                    throw new IllegalArgumentException("'model' is a " + root.className()
                            + ", which is a layer, not a model");
                }
                Map<String, Object> build = object(config, "build");
                model.maybeBuild(Shape.of(ints(build, "input_shape")), dtype(build, "input_dtype"));
                if (config.get("compile") != null) {
                    compile(model, object(config, "compile"));
                }
                return model;
            });
        } catch (RuntimeException e) {
            throw new TensorFileException(configFile.toString(), null, -1, e.getMessage() == null ? e.toString()
                    : e.getMessage());
        }
    }

    private static DType dtype(Map<String, Object> m, String key) {
        String name = string(m, key);
        for (DType d : DType.values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("'" + key + "' is '" + Messages.quote(name) + "', which is not one of "
                + Arrays.toString(DType.values()));
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
                            + Messages.quote(e.getKey()) + "', not a number");
                }
                weights.put(e.getKey(), w.doubleValue());
            }
            options.lossWeights(weights);
        }
        if (c.get("steps_per_execution") != null) {
            options.stepsPerExecution(Configs.integer(c, "steps_per_execution"));
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

    /**
     * Restores the optimizer's step count and slots from {@code f}, after checking every entry
     * against the header: {@code iterations} one element, each slot named after a trainable
     * weight with its shape and dtype. Nothing is decoded before all of them fit.
     */
    private static void loadOptimizerState(Model model, SafeTensorsFile f) throws TensorFileException {
        // Slots are keyed as the weights are (nested models' names in front), not by bare variable name.
        Map<Variable, String> keys = keys(model);
        Map<String, Variable> byName = new LinkedHashMap<>();
        for (Variable v : model.trainableWeights()) {
            byName.put(keys.get(v), v);
        }
        Problems problems = new Problems();
        for (String key : f.names()) {
            SafeTensorsFile.TensorInfo info = f.info(key);
            Shape shape = shapeOf(f, key);
            if (key.equals(ITERATIONS)) {
                if (shape.size() != 1) {
                    problems.add("'" + ITERATIONS + "' has shape " + shape + ", expected a scalar");
                }
                continue;
            }
            int slash = key.lastIndexOf('/');
            Variable v = slash < 0 ? null : byName.get(key.substring(0, slash));
            if (v == null) {
                problems.add("unexpected '" + Messages.quote(key) + "' (no trainable weight '"
                        + Messages.quote(slash < 0 ? key : key.substring(0, slash)) + "')");
            } else if (!shape.equals(v.shape()) || !info.dtype().equals(v.dtype().name())) {
                problems.add("'" + Messages.quote(key) + "' is " + info.dtype() + " " + shape + ", its weight is "
                        + v.dtype() + " " + v.shape());
            }
        }
        if (!f.contains(ITERATIONS)) {
            problems.add("missing '" + ITERATIONS + "'");
        }
        if (!problems.isEmpty()) {
            throw new TensorFileException(f.source(), null, -1, "the optimizer state does not fit model '"
                    + Messages.quote(model.name()) + "': " + problems);
        }
        double iterations = f.get(ITERATIONS).toDoubleArray()[0];
        if (!(iterations >= 0) || iterations != Math.rint(iterations) || iterations > MAX_EXACT_COUNT) {
            throw new TensorFileException(f.source(), ITERATIONS, -1, "is " + iterations
                    + "; a step count is a whole number from 0 to 2^53");
        }
        requireHeap(f, f.names(), "the optimizer state");
        try {
            model.optimizer().loadState(f.getAll(), keys::get);
        } catch (RuntimeException e) {
            throw new TensorFileException(f.source(), null, -1, e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
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
        if (m.get(key) instanceof List<?> list && list.size() <= Shape.MAX_RANK) {
            int[] out = new int[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Long n) || n < 0 || n > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("'" + key + "' must be a list of at most " + Shape.MAX_RANK
                            + " sizes (whole numbers from 0 to " + Integer.MAX_VALUE + "), got "
                            + Messages.quote(Json.write(list)));
                }
                out[i] = n.intValue();
            }
            return out;
        }
        throw new IllegalArgumentException("'" + key + "' must be a list of at most " + Shape.MAX_RANK + " sizes, got "
                + describe(m.get(key)));
    }

    private static String describe(Object v) {
        return v == null ? "nothing" : Json.typeName(v);
    }
}
