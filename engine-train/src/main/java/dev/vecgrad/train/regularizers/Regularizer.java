package dev.vecgrad.train.regularizers;

import dev.vecgrad.core.Tensor;
import java.util.Map;

/**
 * A penalty on a weight's value that a layer adds to its {@code losses()}; the training step adds
 * those to the data loss, so the penalty's gradient reaches the weight.
 *
 * <pre>{@code
 * import dev.vecgrad.train.layers.Dense;
 *
 * Dense d = Dense.builder(10).kernelRegularizer(Regularizers.l2(1e-4)).build();
 * }</pre>
 */
public interface Regularizer {

    /** The penalty for {@code weight} as a rank-0 tensor of its dtype, written with ops so it has a gradient. */
    Tensor apply(Tensor weight);

    /** The Keras class name, e.g. {@code L2}. */
    String className();

    /** The constructor arguments as JSON-able values, e.g. {@code {"l2": 0.01}}. */
    Map<String, Object> getConfig();
}
