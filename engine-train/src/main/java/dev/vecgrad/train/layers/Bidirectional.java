package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A recurrent layer run over the sequence in both directions, the two outputs merged, as Keras's
 * {@code Bidirectional}. The wrapped layer is a template: building makes two fresh layers from its
 * config, {@code <name>_forward} reading the steps in the template's direction and
 * {@code <name>_backward} in the other, each with its own weights. With {@code returnSequences} the
 * backward layer's outputs are put back in time order, so step t of the output sees the whole
 * sequence; where a mask is given, the merged output is zero at masked steps (the mask passes on).
 *
 * <p>Merge modes: {@code concat} (the default, {@code 2·units} features), {@code sum},
 * {@code mul}, {@code ave}.
 *
 * <pre>{@code
 * Layer encoder = new Bidirectional(LSTM.builder(64).returnSequences(true).build());
 * encoder.call(Tensor.zeros(8, 20, 16));   // (8, 20, 128)
 * }</pre>
 */
public final class Bidirectional extends Layer {
    /** How the two directions' outputs combine. */
    public enum MergeMode {
        /** Side by side on the last axis. */
        CONCAT,
        /** Added. */
        SUM,
        /** Multiplied. */
        MUL,
        /** Averaged. */
        AVE
    }

    private final RecurrentLayer template;
    private final MergeMode mergeMode;
    private RecurrentLayer forwardLayer;
    private RecurrentLayer backwardLayer;

    /** Both directions of {@code layer}, concatenated. */
    public Bidirectional(RecurrentLayer layer) {
        this(null, layer, MergeMode.CONCAT);
    }

    /** Both directions of {@code layer}, merged by {@code mergeMode}; {@code name} null for the default. */
    public Bidirectional(String name, RecurrentLayer layer, MergeMode mergeMode) {
        super(name);
        this.template = Objects.requireNonNull(layer, "layer");
        if (layer.returnState()) {
            throw new IllegalArgumentException("Bidirectional gives one output; wrap a layer without return_state");
        }
        this.mergeMode = Objects.requireNonNull(mergeMode, "mergeMode");
    }

    @Override
    protected void build(Shape inputShape) {
        forwardLayer = copy("_forward", template.goBackwards(), inputShape);
        backwardLayer = copy("_backward", !template.goBackwards(), inputShape);
    }

    private RecurrentLayer copy(String suffix, boolean goBackwards, Shape inputShape) {
        Map<String, Object> c = new LinkedHashMap<>(template.getConfig());
        c.put("name", name() + suffix);
        c.put("go_backwards", goBackwards);
        RecurrentLayer l = (RecurrentLayer) Layers.fromConfig(template.className(), c);
        track(l);
        l.setSeed(seed());
        l.maybeBuild(inputShape, dtype());
        return l;
    }

    @Override
    protected void checkInputShape(Shape builtFor, Shape given) {
        requireSequence(builtFor, given);
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        return forward(x, null, training);
    }

    @Override
    protected Tensor forward(Tensor x, Tensor mask, boolean training) {
        Tensor f = forwardLayer.call(x, mask, training);
        Tensor b = backwardLayer.call(x, mask, training);
        boolean sequences = template.returnSequences();
        if (sequences) {
            b = b.flip(1);
        }
        Tensor y = switch (mergeMode) {
            case CONCAT -> dev.vecgrad.core.ops.ShapeOps.concat(java.util.List.of(f, b), -1);
            case SUM -> f.add(b);
            case MUL -> f.mul(b);
            case AVE -> f.add(b).mul(0.5);
        };
        return sequences && mask != null ? y.mul(Masks.expandTo(mask, y)) : y;
    }

    /** Passes the mask on when returning sequences. */
    @Override
    public Tensor computeMask(Tensor x, Tensor mask) {
        return template.returnSequences() ? mask : null;
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        Shape one = template.computeOutputShape(inputShape);
        if (mergeMode != MergeMode.CONCAT) {
            return one;
        }
        int[] d = one.toArray();
        d[d.length - 1] *= 2;
        return Shape.of(d);
    }

    /** The layer reading the steps in the template's direction (null before building). */
    public RecurrentLayer forwardLayer() {
        return forwardLayer;
    }

    /** The layer reading the steps in the other direction (null before building). */
    public RecurrentLayer backwardLayer() {
        return backwardLayer;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("layer", Configs.nested(template.className(), template.getConfig()));
        c.put("merge_mode", mergeMode.name().toLowerCase(Locale.ROOT));
        c.put("seed", seed());
        return c;
    }

    @SuppressWarnings("unchecked")
    static Bidirectional fromConfig(Map<String, Object> c) {
        Map<String, Object> inner = (Map<String, Object>) c.get("layer");
        if (inner == null) {
            throw new IllegalArgumentException("Bidirectional: the config needs the wrapped 'layer'");
        }
        Layer layer = Layers.fromConfig((String) inner.get("class_name"), (Map<String, Object>) inner.get("config"));
        if (!(layer instanceof RecurrentLayer r)) {
            throw new IllegalArgumentException("Bidirectional wraps a recurrent layer, got " + layer.className());
        }
        String mode = c.get("merge_mode") == null ? "concat" : (String) c.get("merge_mode");
        return new Bidirectional((String) c.get("name"), r, MergeMode.valueOf(mode.toUpperCase(Locale.ROOT)));
    }
}
