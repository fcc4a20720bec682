package dev.vecgrad.train;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.layers.Layer;
import dev.vecgrad.train.layers.Masked;
import java.util.List;
import java.util.Map;

/**
 * A model that is a stack of layers, each feeding the next, as Keras's {@code Sequential}. It is
 * built from the first input it sees (or {@link #build(int...)}): each layer is built for the
 * output shape of the one before.
 *
 * <pre>{@code
 * import dev.vecgrad.train.layers.Dense;
 * import dev.vecgrad.train.layers.Flatten;
 *
 * Sequential mlp = new Sequential()
 *         .add(new Flatten())
 *         .add(new Dense(128, Activations.relu()))
 *         .add(new Dense(10));
 * mlp.compile("adam", "sparse_categorical_crossentropy", "accuracy");
 * }</pre>
 */
public class Sequential extends Model {
    /** An empty stack with a default name. */
    public Sequential() {
        this((String) null);
    }

    /** An empty stack called {@code name}. */
    public Sequential(String name) {
        super(name);
    }

    /** A stack of {@code layers}, in order. */
    public Sequential(Layer... layers) {
        this((String) null);
        for (Layer l : layers) {
            add(l);
        }
    }

    /** Appends {@code layer}; an unnamed layer gets a unique name within this model. Before building only. */
    public Sequential add(Layer layer) {
        if (isBuilt()) {
            throw new IllegalStateException("Sequential '" + name() + "': cannot add layer " + layer
                    + " after the model is built");
        }
        if (layers().contains(layer)) {
            throw new IllegalArgumentException("Sequential '" + name() + "' already contains " + layer);
        }
        track(layer);
        return this;
    }

    @Override
    protected void build(Shape inputShape) {
        List<Layer> stack = layers();
        if (stack.isEmpty()) {
            throw new IllegalStateException("Sequential '" + name() + "' has no layers; add some before using it");
        }
        Shape shape = inputShape;
        DType dtype = inputDType();
        for (Layer l : stack) {
            l.maybeBuild(shape, dtype);
            shape = l.computeOutputShape(shape);
            // A layer with weights computes in its weights' dtype; one without passes its input's on.
            if (!l.weights().isEmpty()) {
                dtype = l.dtype();
            }
        }
    }

    /**
     * Accepts what the layers accept: each checks its own input when called, so a stack of
     * recurrent layers built on sequences of one length runs on any other.
     */
    @Override
    protected void checkInputShape(Shape builtFor, Shape given) {
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        return forwardMasked(x, null, training).value();
    }

    @Override
    protected Tensor forward(Tensor x, Tensor mask, boolean training) {
        return forwardMasked(x, mask, training).value();
    }

    /** Each layer in turn, the mask made or passed on by one going to the next. */
    @Override
    protected Masked forwardMasked(Tensor x, Tensor mask, boolean training) {
        Masked h = new Masked(x, mask);
        for (Layer l : layers()) {
            h = l.callMasked(h.value(), h.mask(), training);
        }
        return h;
    }

    /** The mask of the last layer's output: runs the stack in inference mode to find it. */
    @Override
    public Tensor computeMask(Tensor x, Tensor mask) {
        return forwardMasked(x, mask, false).mask();
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        Shape s = inputShape;
        for (Layer l : layers()) {
            s = l.computeOutputShape(s);
        }
        return s;
    }

    /** The layer config plus {@code layers}: each layer's {@code {"class_name": ..., "config": ...}}, in order. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("layers", Models.serialize(layers()));
        return c;
    }

    /** Rebuilds a Sequential from {@link #getConfig()}, each layer through {@link Models#deserialize}. */
    static Sequential fromConfig(Map<String, Object> c) {
        Sequential s = new Sequential(c.get("name") instanceof String n ? n : null);
        if (!(c.get("layers") instanceof List<?> stack)) {
            throw new IllegalArgumentException("the config has no 'layers' list");
        }
        for (Object l : stack) {
            if (!(l instanceof Map<?, ?> entry)) {
                throw new IllegalArgumentException("a layer entry is " + dev.vecgrad.core.io.Json.typeName(l)
                        + ", not an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> e = (Map<String, Object>) entry;
            s.add(Models.deserialize(e));
        }
        return s;
    }
}
