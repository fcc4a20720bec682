package dev.vecgrad.train;

import dev.vecgrad.train.layers.Layer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The layer (and model) classes of your own that {@link Model#load(java.nio.file.Path, CustomLayers)}
 * may rebuild, as Keras's {@code custom_objects}: each class name a saved {@code config.json} can
 * mention maps to a factory that builds the object from its {@link Layer#getConfig()}. Loading
 * looks class names up here and in the built-in layers only; a name from the file is never used
 * to find or load a Java class.
 *
 * <pre>{@code
 * CustomLayers custom = new CustomLayers().register("Scale", c -> new Scale(((Number) c.get("factor")).doubleValue()));
 * Model m = Model.load(dir, custom);
 * }</pre>
 */
public final class CustomLayers {
    private final Map<String, Function<Map<String, Object>, ? extends Layer>> factories = new LinkedHashMap<>();

    /** An empty registry: only the built-in layers and {@link Sequential} load. */
    public CustomLayers() {
    }

    /**
     * Registers {@code factory} for layers whose {@link Layer#className()} is {@code className}
     * (the name written to {@code config.json}); returns this registry.
     */
    public CustomLayers register(String className, Function<Map<String, Object>, ? extends Layer> factory) {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(factory, "factory");
        factories.put(className, factory);
        return this;
    }

    /** The factory for {@code className}, or null when none is registered. */
    Function<Map<String, Object>, ? extends Layer> factory(String className) {
        return factories.get(className);
    }

    /** The registered class names, in registration order. */
    public Set<String> classNames() {
        return Collections.unmodifiableSet(factories.keySet());
    }
}
