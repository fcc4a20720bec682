package dev.vecgrad.train.layers;

import dev.vecgrad.core.Tensor;
import java.util.Map;

/**
 * The mean over the steps of {@code (batch, steps, channels)}, giving {@code (batch, channels)}, as
 * Keras's {@code GlobalAveragePooling1D}; with {@code keepdims} the steps axis stays as size 1.
 * With a mask the mean is over the unmasked steps only, as Keras takes it, and the mask stops here.
 *
 * <pre>{@code
 * import dev.vecgrad.train.Sequential;
 *
 * new Sequential(Embedding.maskingZero(vocab, 32), new GlobalAveragePooling1D(), new Dense(1));
 * }</pre>
 */
public final class GlobalAveragePooling1D extends GlobalPooling {
    /** With the default name, the steps axis dropped. */
    public GlobalAveragePooling1D() {
        this(null, false);
    }

    /** Called {@code name} (null: default); {@code keepdims} keeps the steps axis as size 1. */
    public GlobalAveragePooling1D(String name, boolean keepdims) {
        super(name, 3, false, keepdims);
    }

    @Override
    protected Tensor forward(Tensor x, Tensor mask, boolean training) {
        if (mask == null) {
            return forward(x, training);
        }
        Tensor w = Masks.expandTo(mask, x);
        return x.mul(w).sum(axes(), keepdims()).div(w.sum(axes(), keepdims()));
    }

    static GlobalAveragePooling1D fromConfig(Map<String, Object> c) {
        return new GlobalAveragePooling1D((String) c.get("name"), Configs.bool(c, "keepdims", false));
    }
}
