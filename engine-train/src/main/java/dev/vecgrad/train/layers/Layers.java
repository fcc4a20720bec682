package dev.vecgrad.train.layers;

import dev.vecgrad.train.activations.Activations;
import java.util.Map;

/**
 * Rebuilds the layers of this package from their saved form, {@link Layer#className()} and
 * {@link Layer#getConfig()}, for loading a model's architecture. The rebuilt layer is unbuilt;
 * its weights come from the weights file.
 *
 * <pre>{@code
 * Layer copy = Layers.fromConfig(layer.className(), layer.getConfig());
 * }</pre>
 */
public final class Layers {
    private Layers() {
    }

    /** A new layer of Keras class {@code className} with the given config. */
    public static Layer fromConfig(String className, Map<String, Object> c) {
        String name = (String) c.get("name");
        Layer layer = switch (className) {
            case "Dense" -> Dense.fromConfig(c);
            case "Activation" -> new Activation(Activations.deserialize(c.get("activation")), name);
            case "Dropout" -> new Dropout(Configs.number(c, "rate", 0), name);
            case "Flatten" -> new Flatten(name);
            case "Reshape" -> new Reshape(name, Configs.ints(c, "target_shape"));
            case "BatchNormalization" -> BatchNormalization.fromConfig(c);
            case "LayerNormalization" -> LayerNormalization.fromConfig(c);
            case "Embedding" -> Embedding.fromConfig(c);
            case "Conv2D" -> Conv2D.fromConfig(c);
            case "MaxPooling2D" -> new MaxPooling2D(name, Pooling2D.poolSizeOf(c), Pooling2D.stridesOf(c),
                    Pooling2D.paddingOf(c));
            case "AveragePooling2D" -> new AveragePooling2D(name, Pooling2D.poolSizeOf(c), Pooling2D.stridesOf(c),
                    Pooling2D.paddingOf(c));
            case "GlobalAveragePooling2D" -> new GlobalAveragePooling2D(name);
            case "Masking" -> new Masking(Configs.number(c, "mask_value", 0), name);
            case "SimpleRNN" -> SimpleRNN.fromConfig(c);
            case "LSTM" -> LSTM.fromConfig(c);
            case "GRU" -> GRU.fromConfig(c);
            default -> throw new IllegalArgumentException("unknown layer class '" + className + "'; known: Dense,"
                    + " Activation, Dropout, Flatten, Reshape, BatchNormalization, LayerNormalization, Embedding, Conv2D,"
                    + " MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, Masking, SimpleRNN, LSTM, GRU");
        };
        if (c.get("seed") instanceof Number seed) {
            layer.setSeed(seed.longValue());
        }
        layer.setTrainable(Configs.bool(c, "trainable", true));
        return layer;
    }
}
