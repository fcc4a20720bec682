package dev.vecgrad.train.callbacks;

import dev.vecgrad.train.Model;
import java.util.Map;

/** Where {@link ModelCheckpoint} puts a save: memory ({@link InMemoryCheckpoints}) or files ({@link FileCheckpoints}). */
@FunctionalInterface
public interface CheckpointTarget {
    /**
     * Saves {@code model} as it is now.
     *
     * @param epoch the epoch (from 0)
     * @param batch the batch within the epoch, or -1 for an end-of-epoch save
     * @param logs the logs that triggered the save
     */
    void save(Model model, int epoch, int batch, Map<String, Double> logs);
}
