package dev.vecgrad.train.callbacks;

import dev.vecgrad.train.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link CheckpointTarget} writing files, as Keras's {@code ModelCheckpoint(filepath)}: the
 * whole model as a directory ({@link Model#save}) or only the weights as a safetensors file
 * ({@link Model#saveWeights}), at a path formatted from the epoch and the logs. Every save is
 * atomic, so a crash mid-save leaves the previous checkpoint intact.
 *
 * <p>The path may hold Python-style fields: {@code {epoch}} (counted from 1, as Keras),
 * {@code {batch}} (from 1; 0 for an end-of-epoch save) and any log entry such as
 * {@code {val_loss}}, each optionally with a format spec: {@code {epoch:02d}}, {@code {val_loss:.4f}}
 * (specs of the form {@code [0][width][.precision](d|f|e|g)}).
 *
 * <pre>{@code
 * ModelCheckpoint ckpt = ModelCheckpoint.builder(new FileCheckpoints("ckpt/epoch{epoch:02d}-{val_loss:.3f}", false))
 *         .monitor("val_loss").saveBestOnly(true).build();
 * }</pre>
 */
public final class FileCheckpoints implements CheckpointTarget {
    private static final Pattern FIELD = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?}");
    private static final Pattern SPEC = Pattern.compile("0?[0-9]*(\\.[0-9]+)?[dfeg]");

    private final String filepath;
    private final boolean weightsOnly;
    private Path lastSaved;

    /**
     * Saves to {@code filepath} (formatted as the class comment says): a model directory, or a
     * safetensors weights file when {@code weightsOnly}.
     */
    public FileCheckpoints(String filepath, boolean weightsOnly) {
        this.filepath = Objects.requireNonNull(filepath, "filepath");
        this.weightsOnly = weightsOnly;
        Matcher m = FIELD.matcher(filepath);
        while (m.find()) {
            if (m.group(2) != null && !SPEC.matcher(m.group(2)).matches()) {
                throw new IllegalArgumentException("ModelCheckpoint: format spec '" + m.group(2) + "' in '" + filepath
                        + "' is not supported (use e.g. 02d, .4f, .3e)");
            }
        }
    }

    @Override
    public void save(Model model, int epoch, int batch, Map<String, Double> logs) {
        Path path = Path.of(format(filepath, epoch, batch, logs));
        try {
            if (weightsOnly) {
                model.saveWeights(path);
            } else {
                model.save(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint: cannot save to " + path + ": " + e.getMessage(), e);
        }
        lastSaved = path;
    }

    /** The path of the latest save, or null before the first. */
    public Path lastSaved() {
        return lastSaved;
    }

    /** {@code template} with its fields filled from the epoch (0-based here, shown from 1), batch and logs. */
    static String format(String template, int epoch, int batch, Map<String, Double> logs) {
        Matcher m = FIELD.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String spec = m.group(2);
            Object value = switch (key) {
                case "epoch" -> epoch + 1;
                case "batch" -> batch + 1;
                default -> logs.get(key);
            };
            if (value == null) {
                TreeSet<String> known = new TreeSet<>(logs.keySet());
                known.add("epoch");
                known.add("batch");
                throw new IllegalArgumentException("ModelCheckpoint: '{" + key + "}' in '" + template
                        + "' is not a log entry; known: " + known);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(render(value, spec)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String render(Object value, String spec) {
        if (spec == null || spec.isEmpty()) {
            return value instanceof Integer ? value.toString() : Double.toString((Double) value);
        }
        if (spec.endsWith("d")) {
            long v = value instanceof Integer i ? i : Math.round((Double) value);
            return String.format(Locale.ROOT, "%" + spec, v);
        }
        double v = value instanceof Integer i ? i : (Double) value;
        return String.format(Locale.ROOT, "%" + spec, v);
    }
}
