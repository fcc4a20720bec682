package dev.vecgrad.train.layers;

import java.util.Map;

/**
 * The maximum over the steps of {@code (batch, steps, channels)}, giving {@code (batch, channels)}, as Keras's {@code GlobalMaxPooling1D}; with {@code keepdims} the pooled axes stay as size 1.
 */
public final class GlobalMaxPooling1D extends GlobalPooling {
    /** With the default name, pooled axes dropped. */
    public GlobalMaxPooling1D() {
        this(null, false);
    }

    /** Called {@code name} (null: default), pooled axes dropped. */
    public GlobalMaxPooling1D(String name) {
        this(name, false);
    }

    /** Called {@code name} (null: default); {@code keepdims} keeps the pooled axes as size 1. */
    public GlobalMaxPooling1D(String name, boolean keepdims) {
        super(name, 3, true, keepdims);
    }

    static GlobalMaxPooling1D fromConfig(Map<String, Object> c) {
        return new GlobalMaxPooling1D((String) c.get("name"), Configs.bool(c, "keepdims", false));
    }
}
