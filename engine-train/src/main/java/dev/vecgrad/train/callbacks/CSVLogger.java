package dev.vecgrad.train.callbacks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes each epoch's logs as a CSV row, as Keras's {@code CSVLogger}: an {@code epoch} column,
 * then the metrics in alphabetical order. The header is written once; with {@code append} an
 * existing file keeps its rows and its header. Each row is flushed as it is written, so the file
 * is readable while training runs.
 *
 * <pre>{@code
 * model.fit(FitOptions.of(train).epochs(5).callbacks(new CSVLogger(Path.of("training.csv"))));
 * }</pre>
 */
public final class CSVLogger extends Callback {
    private final Path file;
    private final String separator;
    private final boolean append;
    private BufferedWriter out;
    private List<String> keys;

    /** Writes to {@code file}, replacing it, comma-separated. */
    public CSVLogger(Path file) {
        this(file, ",", false);
    }

    /** Writes to {@code file} with {@code separator}, appending rows to an existing file if {@code append}. */
    public CSVLogger(Path file, String separator, boolean append) {
        this.file = file;
        this.separator = separator;
        this.append = append;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        try {
            boolean existing = append && Files.exists(file) && Files.size(file) > 0;
            keys = existing ? headerKeys() : null;
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    private List<String> headerKeys() throws IOException {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            String header = lines.findFirst().orElse("");
            List<String> k = new ArrayList<>(List.of(header.split(java.util.regex.Pattern.quote(separator), -1)));
            k.remove("epoch");
            return k;
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        try {
            if (keys == null) {
                keys = new ArrayList<>(new TreeSet<>(logs.keySet()));
                out.write("epoch" + (keys.isEmpty() ? "" : separator + String.join(separator, keys)));
                out.newLine();
            }
            StringBuilder row = new StringBuilder().append(epoch);
            for (String k : keys) {
                Double v = logs.get(k);
                row.append(separator).append(v == null ? "NA" : Double.toString(v));
            }
            out.write(row.toString());
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("CSVLogger: cannot close " + file + ": " + e.getMessage(), e);
            } finally {
                out = null;
            }
        }
    }
}
