package dev.vecgrad.spark;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.io.SafeTensors;
import dev.vecgrad.core.io.SafeTensorsFile;
import dev.vecgrad.core.io.TensorFileException;
import dev.vecgrad.train.Model;
import java.io.Serializable;
import java.util.Map;

/**
 * A model's weights and optimizer state after {@code version} training steps, as safetensors
 * bytes: what moves between the driver and the workers, and what a worker keeps to start a step
 * over again.
 *
 * @param version training steps applied
 * @param weights the weights by variable name
 * @param optimizer the optimizer's step count and slots
 */
record ModelState(long version, byte[] weights, byte[] optimizer) implements Serializable {
    private static final Map<String, String> METADATA = Map.of("format", "vecgrad");

    /** The state of {@code model} now. */
    static ModelState of(Model model, long version) {
        return new ModelState(version, SafeTensors.toBytes(model.namedWeights(), METADATA),
                SafeTensors.toBytes(model.optimizer().state(), METADATA));
    }

    /** Makes {@code model} hold this state. */
    void applyTo(Model model) {
        model.setNamedWeights(read(weights));
        model.optimizer().loadState(read(optimizer));
    }

    /** The tensors of safetensors bytes we wrote. */
    static Map<String, Tensor> read(byte[] bytes) {
        try (SafeTensorsFile f = SafeTensors.read(bytes)) {
            return f.getAll();
        } catch (TensorFileException e) {
            throw new IllegalStateException("corrupt model state from another worker: " + e.getMessage(), e);
        }
    }

    /** Bytes on the wire. */
    long size() {
        return (long) weights.length + optimizer.length;
    }
}
