package dev.vecgrad.train.registry;

import dev.vecgrad.core.io.Messages;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The classes of one kind (layers, losses, metrics, optimizers, ...) that can be made from a name
 * or rebuilt from a saved config, as Keras's serialization registry. Each entry is a class name
 * (the one {@code className()} returns and a config file stores) with a factory that builds the
 * object from its {@code getConfig()} map, plus the short names {@code compile} accepts.
 *
 * <p>The built-in classes of each kind are registered in one place ({@code Layers.REGISTRY},
 * {@code Losses.REGISTRY}, ...) and that registry is then closed. Classes of your own join through
 * {@link CustomObjects}, with the same {@code register} call; while a {@code CustomObjects} is
 * {@linkplain CustomObjects#activate() active} on a thread (as it is throughout
 * {@code Model.load(dir, custom)}), every look-up on that thread sees its classes first. A name
 * from a file is only ever looked up here, never used to find or load a Java class.
 *
 * <pre>{@code
 * import dev.vecgrad.train.losses.Loss;
 * import dev.vecgrad.train.losses.MeanSquaredError;
 * import dev.vecgrad.train.losses.Reduction;
 *
 * Registry<Loss> losses = new Registry<Loss>("loss")
 *         .register("MeanSquaredError", c -> new MeanSquaredError((String) c.get("name"), Reduction.SUM_OVER_BATCH_SIZE),
 *                 "mse", "mean_squared_error")
 *         .close();
 * Loss l = losses.get("mse");                              // named "mse", default arguments
 * Loss m = losses.fromConfig(l.className(), l.getConfig()); // the same loss again
 * }</pre>
 *
 * <p><b>Names.</b> {@link #get} matches a name ignoring case and underscores, so
 * {@code "he_normal"}, {@code "HeNormal"} and {@code "henormal"} are one initializer; class names
 * are names too. {@link #fromConfig} matches class names exactly, as a config stores them.
 *
 * @param <T> the kind of object
 */
public final class Registry<T> {

    private final String kind;
    private final Registry<? extends T> parent;
    private final Map<String, Function<Map<String, Object>, ? extends T>> classes = new LinkedHashMap<>();
    /** Normalised name to class name. */
    private final Map<String, String> names = new LinkedHashMap<>();
    /** The names as registered, for messages. */
    private final List<String> spelled = new ArrayList<>();
    private volatile boolean closed;

    /** An empty registry of objects called {@code kind} in messages ("layer", "loss", ...). */
    public Registry(String kind) {
        this(kind, null);
    }

    /**
     * An empty registry that falls back to {@code parent} for what it does not hold itself, for
     * a kind that several packages contribute to (models are layers too).
     */
    public Registry(String kind, Registry<? extends T> parent) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.parent = parent;
    }

    /**
     * Adds class {@code className}, built from a config by {@code fromConfig}, also known by
     * {@code names} in {@link #get}; returns this registry. A class name or name that is taken is
     * an error, and so is registering in a closed registry.
     */
    public synchronized Registry<T> register(String className, Function<Map<String, Object>, ? extends T> fromConfig,
            String... names) {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(fromConfig, "fromConfig");
        if (closed) {
            throw new IllegalStateException("the built-in " + kind + " registry is closed; register " + className
                    + " in a CustomObjects and activate it (or pass it to Model.load)");
        }
        if (className.isEmpty() || classes.containsKey(className)) {
            throw new IllegalArgumentException(kind + " class '" + className + "' is "
                    + (className.isEmpty() ? "empty" : "registered already"));
        }
        List<String> all = new ArrayList<>(List.of(names));
        all.add(className);
        for (String n : all) {
            String owner = this.names.get(normalise(n));
            if (owner != null && !owner.equals(className)) {
                throw new IllegalArgumentException(kind + " name '" + n + "' already stands for " + owner);
            }
        }
        classes.put(className, fromConfig);
        for (String n : all) {
            if (this.names.putIfAbsent(normalise(n), className) == null) {
                spelled.add(n);
            }
        }
        return this;
    }

    /** Refuses further registrations (the built-in registries are closed once filled); returns this registry. */
    public Registry<T> close() {
        closed = true;
        return this;
    }

    /** What the objects are called in messages, e.g. {@code "loss"}. */
    public String kind() {
        return kind;
    }

    /**
     * The object called {@code name} (a short name such as {@code "adam"} or a class name such as
     * {@code "Adam"}), made by its factory from the config {@code {"name": name}}: every other
     * argument takes its default, and an object that has a name in logs (a loss, a metric) is
     * called what it was asked for.
     */
    public T get(String name) {
        Objects.requireNonNull(name, kind + " name");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name);
        T found = lookUp(normalise(name), config);
        if (found == null) {
            throw new IllegalArgumentException("unknown " + kind + " '" + Messages.quote(name) + "'; known: "
                    + String.join(", ", knownNames()));
        }
        return found;
    }

    /** The object of class {@code className} rebuilt from {@code config} (a {@code getConfig()} map). */
    public T fromConfig(String className, Map<String, Object> config) {
        Objects.requireNonNull(className, kind + " class name");
        Objects.requireNonNull(config, kind + " config");
        T found = build(className, config);
        if (found == null) {
            throw new IllegalArgumentException(kind + " class '" + Messages.quote(className)
                    + "' is neither built in nor registered (register it in a CustomObjects); known: "
                    + String.join(", ", knownClasses()));
        }
        return found;
    }

    /**
     * The object a saved value stands for: null for null, {@link #get} for a name, and
     * {@link #fromConfig} for a map {@code {"class_name": ..., "config": {...}}} as Keras nests
     * objects in configs.
     */
    @SuppressWarnings("unchecked")
    public T deserialize(Object saved) {
        if (saved == null) {
            return null;
        }
        if (saved instanceof String name) {
            return get(name);
        }
        if (saved instanceof Map<?, ?> m && m.get("class_name") instanceof String className
                && m.get("config") instanceof Map<?, ?> config) {
            return fromConfig(className, (Map<String, Object>) config);
        }
        throw new IllegalArgumentException("a saved " + kind + " must be a name or {\"class_name\": ..., \"config\": {...}},"
                + " got " + Messages.quote(String.valueOf(saved)));
    }

    /** Whether {@code className} can be rebuilt here (built in, or registered in an active CustomObjects). */
    public boolean contains(String className) {
        return factory(className) != null;
    }

    /** The registered class names, custom ones of the active scopes first. */
    public List<String> knownClasses() {
        List<String> out = new ArrayList<>();
        for (Registry<? extends T> r : CustomObjects.activeFor(this)) {
            out.addAll(r.knownClasses());
        }
        synchronized (this) {
            out.addAll(classes.keySet());
        }
        if (parent != null) {
            out.addAll(parent.knownClasses());
        }
        return out;
    }

    /** The names {@link #get} accepts (class names among them, spelled once), custom ones of the active scopes first. */
    public List<String> knownNames() {
        List<String> out = new ArrayList<>();
        for (Registry<? extends T> r : CustomObjects.activeFor(this)) {
            out.addAll(r.knownNames());
        }
        synchronized (this) {
            out.addAll(spelled);
        }
        if (parent != null) {
            out.addAll(parent.knownNames());
        }
        return out;
    }

    /** The class names registered here, without scopes or parent. */
    synchronized List<String> ownClasses() {
        return new ArrayList<>(classes.keySet());
    }

    private T lookUp(String key, Map<String, Object> config) {
        for (Registry<? extends T> r : CustomObjects.activeFor(this)) {
            T found = r.lookUp(key, config);
            if (found != null) {
                return found;
            }
        }
        String className;
        synchronized (this) {
            className = names.get(key);
        }
        if (className != null) {
            return make(className, classes.get(className), config);
        }
        return parent == null ? null : parent.lookUp(key, config);
    }

    private T build(String className, Map<String, Object> config) {
        Function<Map<String, Object>, ? extends T> f = factory(className);
        return f == null ? null : make(className, f, config);
    }

    private Function<Map<String, Object>, ? extends T> factory(String className) {
        for (Registry<? extends T> r : CustomObjects.activeFor(this)) {
            Function<Map<String, Object>, ? extends T> f = r.factory(className);
            if (f != null) {
                return f;
            }
        }
        Function<Map<String, Object>, ? extends T> f;
        synchronized (this) {
            f = classes.get(className);
        }
        return f != null || parent == null ? f : parent.factory(className);
    }

    private T make(String className, Function<Map<String, Object>, ? extends T> f, Map<String, Object> config) {
        T made;
        String what = kind + " '" + Messages.quote(String.valueOf(config.get("name"))) + "' ("
                + Messages.quote(className) + "): ";
        try {
            made = f.apply(config);
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException(what + "a config value has the wrong type or is missing", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + e.getMessage(), e);
        }
        if (made == null) {
            throw new IllegalArgumentException("the factory registered for " + kind + " class '" + className
                    + "' returned null");
        }
        return made;
    }

    /** Lower case without underscores: the form {@link #get} compares. */
    static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replace("_", "");
    }

    @Override
    public String toString() {
        return "Registry(" + kind + ": " + String.join(", ", knownClasses()) + ")";
    }
}
