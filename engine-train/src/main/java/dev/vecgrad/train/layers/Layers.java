package dev.vecgrad.train.layers;

import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.registry.Registry;
import java.util.Map;

/**
 * Rebuilds layers from their saved form, {@link Layer#className()} and {@link Layer#getConfig()},
 * for loading a model's architecture, through {@link #REGISTRY}. The rebuilt layer is unbuilt;
 * its weights come from the weights file.
 *
 * <pre>{@code
 * Layer copy = Layers.fromConfig(layer.className(), layer.getConfig());
 * }</pre>
 */
public final class Layers {
    /**
     * Every built-in layer class of this package by its Keras class name. Layer and model classes
     * of your own join through a {@link dev.vecgrad.train.registry.CustomObjects} registration
     * against this registry; the model classes themselves are in {@code Models.REGISTRY}, which
     * falls back to this one.
     */
    public static final Registry<Layer> REGISTRY = new Registry<Layer>("layer")
            .register("Dense", Dense::fromConfig)
            .register("Activation", c -> new Activation(Activations.deserialize(c.get("activation")), name(c)))
            .register("Dropout", c -> new Dropout(Configs.number(c, "rate", 0), name(c)))
            .register("Flatten", c -> new Flatten(name(c)))
            .register("Reshape", c -> new Reshape(name(c), Configs.ints(c, "target_shape")))
            .register("BatchNormalization", BatchNormalization::fromConfig)
            .register("LayerNormalization", LayerNormalization::fromConfig)
            .register("Embedding", Embedding::fromConfig)
            .register("Conv2D", Conv2D::fromConfig)
            .register("MaxPooling2D", c -> new MaxPooling2D(name(c), Pooling2D.poolSizeOf(c), Pooling2D.stridesOf(c),
                    Pooling2D.paddingOf(c)))
            .register("AveragePooling2D", c -> new AveragePooling2D(name(c), Pooling2D.poolSizeOf(c),
                    Pooling2D.stridesOf(c), Pooling2D.paddingOf(c)))
            .register("GlobalAveragePooling2D", GlobalAveragePooling2D::fromConfig)
            .register("InputLayer", InputLayer::fromConfig)
            .register("Masking", c -> new Masking(Configs.number(c, "mask_value", 0), name(c)))
            .register("SimpleRNN", SimpleRNN::fromConfig)
            .register("LSTM", LSTM::fromConfig)
            .register("GRU", GRU::fromConfig)
            .register("MultiHeadAttention", MultiHeadAttention::fromConfig)
            .register("PositionEmbedding", PositionEmbedding::fromConfig)
            .register("SinePositionEncoding", SinePositionEncoding::fromConfig)
            .register("TokenAndPositionEmbedding", TokenAndPositionEmbedding::fromConfig)
            .register("TransformerDecoder", TransformerDecoder::fromConfig)
            .register("TextVectorization", TextVectorization::fromConfig)
            .register("Bidirectional", Bidirectional::fromConfig)
            .register("Conv1D", Conv1D::fromConfig)
            .register("Conv2DTranspose", Conv2DTranspose::fromConfig)
            .register("UpSampling2D", UpSampling2D::fromConfig)
            .register("ZeroPadding2D", ZeroPadding2D::fromConfig)
            .register("GlobalAveragePooling1D", GlobalAveragePooling1D::fromConfig)
            .register("GlobalMaxPooling1D", GlobalMaxPooling1D::fromConfig)
            .register("GlobalMaxPooling2D", GlobalMaxPooling2D::fromConfig)
            .register("Add", c -> new Add(name(c)))
            .register("Multiply", c -> new Multiply(name(c)))
            .register("Average", c -> new Average(name(c)))
            .register("Concatenate", Concatenate::fromConfig)
            .register("Dot", Dot::fromConfig)
            .close();

    private Layers() {
    }

    /**
     * A new layer of Keras class {@code className} with the given config, from {@link #REGISTRY}
     * (and the active custom objects), with the seed and trainable flag the config holds.
     */
    public static Layer fromConfig(String className, Map<String, Object> c) {
        return withCommonConfig(REGISTRY.fromConfig(className, c), c);
    }

    /**
     * Applies what every layer's config may hold beyond its constructor arguments, the seed and
     * the trainable flag, to {@code layer} made from {@code c}; returns the layer.
     */
    public static Layer withCommonConfig(Layer layer, Map<String, Object> c) {
        if (c.get("seed") instanceof Number seed && !layer.isBuilt()) {
            layer.setSeed(seed.longValue());
        }
        layer.setTrainable(Configs.bool(c, "trainable", true));
        return layer;
    }

    private static String name(Map<String, Object> c) {
        return (String) c.get("name");
    }
}
