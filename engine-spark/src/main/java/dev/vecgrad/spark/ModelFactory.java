package dev.vecgrad.spark;

import dev.vecgrad.train.Model;
import java.io.Serializable;

/**
 * Builds and compiles a fresh copy of the model on an executor, as every worker of Keras's
 * multi-worker strategies runs the same model-building code. Needed for models that cannot be
 * rebuilt from their saved configuration (a subclassed model, a custom optimizer, loss or metric
 * object); the Spark strategies rebuild other models from {@code model.save} by themselves.
 *
 * <pre>{@code
 * import dev.vecgrad.train.CompileOptions;
 * import dev.vecgrad.train.Sequential;
 * import dev.vecgrad.train.layers.Dense;
 * import dev.vecgrad.train.layers.Flatten;
 * import dev.vecgrad.train.optimizers.SGD;
 *
 * ModelFactory factory = () -> {
 *     Model m = new Sequential(new Flatten(), new Dense(10));   // or a subclassed model of your own
 *     m.compile(CompileOptions.of(new SGD(0.1), "sparse_categorical_crossentropy").metrics("accuracy"));
 *     return m;
 * };
 * }</pre>
 *
 * The weights the factory gives do not matter: the workers start from the driver's.
 */
@FunctionalInterface
public interface ModelFactory extends Serializable {
    /** A new, compiled model of the same architecture and compile settings as the driver's. */
    Model create();
}
