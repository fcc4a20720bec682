package dev.vecgrad.train;

import dev.vecgrad.train.layers.Layer;
import dev.vecgrad.train.layers.Layers;
import dev.vecgrad.train.registry.Registry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The classes a saved architecture may name: every layer of {@link Layers#REGISTRY} and the
 * model classes, as Keras's {@code keras.models} namespace. {@link Model#load} rebuilds configs
 * through it.
 */
public final class Models {
    /** The built-in layer classes (through {@link Layers#REGISTRY}), {@link Sequential} and {@link Functional}. */
    public static final Registry<Layer> REGISTRY = new Registry<Layer>("layer", Layers.REGISTRY)
            .register("Sequential", Sequential::fromConfig)
            .register("Functional", Functional::fromConfig)
            .close();

    private Models() {
    }

    /**
     * The layer or model a saved entry {@code {"class_name": ..., "config": {...}}} stands for,
     * looked up here (and in the active custom objects), with the seed and trainable flag of its
     * config applied.
     */
    @SuppressWarnings("unchecked")
    public static Layer deserialize(Map<String, Object> entry) {
        Layer layer = REGISTRY.deserialize(entry);
        return Layers.withCommonConfig(layer, (Map<String, Object>) entry.get("config"));
    }

    /** The saved entries of {@code layers}, in order. */
    static List<Object> serialize(List<Layer> layers) {
        List<Object> out = new ArrayList<>();
        for (Layer l : layers) {
            out.add(serialize(l));
        }
        return out;
    }

    /** A layer's saved entry, {@code {"class_name": ..., "config": {...}}}, as {@link #deserialize} reads it. */
    public static Map<String, Object> serialize(Layer layer) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("class_name", layer.className());
        out.put("config", layer.getConfig());
        return out;
    }
}
