package dev.vecgrad.train.callbacks;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A {@link CheckpointTarget} that keeps every save's weights (copies) in a list. */
public final class InMemoryCheckpoints implements CheckpointTarget {
    /**
     * One save.
     *
     * @param epoch the epoch
     * @param batch the batch, or -1 for an end-of-epoch save
     * @param weights the model's weights at the time, in {@link Model#getWeights()} order
     * @param logs the logs at the time
     */
    public record Snapshot(int epoch, int batch, List<Tensor> weights, Map<String, Double> logs) {
    }

    private final List<Snapshot> snapshots = new ArrayList<>();

    /** An empty store. */
    public InMemoryCheckpoints() {
    }

    @Override
    public void save(Model model, int epoch, int batch, Map<String, Double> logs) {
        snapshots.add(new Snapshot(epoch, batch, model.getWeights(), logs));
    }

    /** Every save, oldest first. */
    public List<Snapshot> snapshots() {
        return List.copyOf(snapshots);
    }

    /** The latest save; an error when nothing was saved. */
    public Snapshot last() {
        if (snapshots.isEmpty()) {
            throw new IllegalStateException("no checkpoint has been saved");
        }
        return snapshots.get(snapshots.size() - 1);
    }
}
