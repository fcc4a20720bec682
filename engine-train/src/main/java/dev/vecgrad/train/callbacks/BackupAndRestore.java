package dev.vecgrad.train.callbacks;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.io.AtomicFiles;
import dev.vecgrad.core.io.Json;
import dev.vecgrad.core.io.SafeTensors;
import dev.vecgrad.core.io.TensorFileException;
import dev.vecgrad.train.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lets a training job that was interrupted (a crash, a lost cluster) start again where it left
 * off, as Keras's {@code BackupAndRestore}: at the end of every epoch it writes the weights, the
 * optimizer state and the epoch into {@code dir/backup}, replaced as a whole through
 * {@link AtomicFiles#writeDirectory} (a crash leaves the previous backup or the new one, never a
 * mix); when a fit starts and a backup exists, it loads it and the fit resumes at the next epoch.
 * When a fit ends normally the backup is deleted, so the next run starts afresh.
 *
 * <pre>{@code
 * model.fit(FitOptions.of(data).epochs(20).callbacks(new BackupAndRestore(Path.of("runs/backup"))));
 * // killed during epoch 7; the same command again resumes at epoch 7 from the end of epoch 6
 * }</pre>
 *
 * <p>Under a strategy whose workers hold the weights, the model this process holds is brought up
 * to date before the epoch's callbacks run, and the restored weights are the ones the workers
 * start from.
 */
public class BackupAndRestore extends Callback {
    static final String BACKUP = "backup";
    static final String WEIGHTS = "weights.safetensors";
    static final String OPTIMIZER = "optimizer.safetensors";
    static final String STATE = "state.json";
    private static final Map<String, String> METADATA = Map.of("format", "vecgrad-backup");

    private final Path dir;
    private final boolean deleteOnEnd;

    /** Backs up into {@code dir} every epoch and deletes the backup when a fit completes. */
    public BackupAndRestore(Path dir) {
        this(dir, true);
    }

    /** As {@link #BackupAndRestore(Path)}; with {@code deleteOnEnd} false the last backup stays. */
    public BackupAndRestore(Path dir, boolean deleteOnEnd) {
        this.dir = java.util.Objects.requireNonNull(dir, "dir");
        this.deleteOnEnd = deleteOnEnd;
    }

    /** The directory holding the backup. */
    public Path backupDirectory() {
        return dir.resolve(BACKUP);
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        Path found;
        try {
            found = AtomicFiles.resolveDirectory(backupDirectory());
        } catch (NoSuchFileException e) {
            return; // nothing to resume
        } catch (IOException e) {
            throw new UncheckedIOException("BackupAndRestore: cannot look for a backup in " + dir, e);
        }
        Model model = model();
        try {
            Map<String, Object> state = Json.parseObject(Files.readString(found.resolve(STATE), StandardCharsets.UTF_8));
            if (!(state.get("epoch") instanceof Number epoch) || epoch.intValue() < 0) {
                throw new TensorFileException(found.resolve(STATE).toString(), null, -1, "no valid 'epoch'");
            }
            model.loadWeights(found.resolve(WEIGHTS));
            if (model.optimizer() != null && Files.exists(found.resolve(OPTIMIZER))) {
                model.optimizer().loadState(SafeTensors.readAll(found.resolve(OPTIMIZER)));
            }
            model.resumeFromEpoch(epoch.intValue() + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("BackupAndRestore: cannot restore the backup in " + found + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("BackupAndRestore: the backup in " + found + " does not fit model '"
                    + model.name() + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Model model = model();
        Map<String, Tensor> weights = model.namedWeights();
        Map<String, Tensor> optimizer = model.optimizer() != null ? model.optimizer().state() : null;
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("epoch", epoch);
        byte[] json = Json.writePretty(state).getBytes(StandardCharsets.UTF_8);
        try {
            Files.createDirectories(dir);
            AtomicFiles.writeDirectory(backupDirectory(), d -> {
                SafeTensors.write(d.resolve(WEIGHTS), weights, METADATA);
                if (optimizer != null) {
                    SafeTensors.write(d.resolve(OPTIMIZER), optimizer, METADATA);
                }
                Files.write(d.resolve(STATE), json);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("BackupAndRestore: cannot write the backup of epoch " + (epoch + 1) + " to "
                    + dir + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the backup (its own files only) unless asked to keep it. */
    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        if (!deleteOnEnd) {
            return;
        }
        Path b = backupDirectory();
        try {
            for (String f : List.of(WEIGHTS, OPTIMIZER, STATE)) {
                Files.deleteIfExists(b.resolve(f));
            }
            Files.deleteIfExists(b);
        } catch (IOException e) {
            throw new UncheckedIOException("BackupAndRestore: cannot delete the backup in " + b + ": " + e.getMessage(), e);
        }
    }
}
