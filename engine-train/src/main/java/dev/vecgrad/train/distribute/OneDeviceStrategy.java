package dev.vecgrad.train.distribute;

import dev.vecgrad.train.data.Batch;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs every step on the calling thread with the whole batch: the default strategy. (The kernels
 * inside a step still spread big ops over the engine's thread pool.)
 */
public final class OneDeviceStrategy implements Strategy {
    static final OneDeviceStrategy INSTANCE = new OneDeviceStrategy();

    /** The strategy; all instances behave alike. */
    public OneDeviceStrategy() {
    }

    @Override
    public int numReplicas() {
        return 1;
    }

    @Override
    public Map<String, Double> run(Function<Batch, Map<String, Double>> step, Batch batch) {
        return step.apply(batch);
    }

    @Override
    public String toString() {
        return "OneDeviceStrategy";
    }
}
