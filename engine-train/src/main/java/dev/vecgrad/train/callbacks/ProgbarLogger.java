package dev.vecgrad.train.callbacks;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Prints progress, as Keras's progress bar. With verbose 1 on a terminal it redraws one line per
 * epoch with the step count, a bar, the ETA and the running metrics:
 * <pre>
 * Epoch 3/10
 *  37/100 [==========&gt;...................] - ETA: 1s - loss: 0.2351 - accuracy: 0.9312
 * </pre>
 * ending with the epoch's time and ms per step. With verbose 2, or when the output is not a
 * terminal (a log file, a pipe), it prints only a summary line per epoch:
 * <pre>
 * Epoch 3/10
 * 100/100 - 0s - 2ms/step - loss: 0.2351 - accuracy: 0.9312
 * </pre>
 * Standalone {@code evaluate} and {@code predict} calls get the same treatment; the validation pass
 * inside {@code fit} prints nothing of its own (its results join the epoch line as {@code val_*}).
 */
public final class ProgbarLogger extends Callback {
    private static final int BAR_WIDTH = 30;
    /** Redraws closer together than this only waste terminal output. */
    private static final long REDRAW_NANOS = 50_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private boolean inFit;
    private long start;
    private long lastDraw;
    private int seen;

    /** Prints to {@code System.out}, drawing a live bar when the JVM has a console. */
    public ProgbarLogger() {
        this(System.out, System.console() != null);
    }

    /** Prints to {@code out}; {@code terminal} says whether a live bar may be redrawn there. */
    public ProgbarLogger(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    private boolean live() {
        return params().verbose() == 1 && terminal;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        inFit = true;
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        inFit = false;
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        if (params().verbose() > 0) {
            out.println("Epoch " + (epoch + 1) + "/" + params().epochs());
        }
        begin();
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        progress(batch, logs);
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        finish(logs);
    }

    @Override
    public void onTestBegin(Map<String, Double> logs) {
        if (!inFit) {
            begin();
        }
    }

    @Override
    public void onTestBatchEnd(int batch, Map<String, Double> logs) {
        if (!inFit) {
            progress(batch, logs);
        }
    }

    @Override
    public void onTestEnd(Map<String, Double> logs) {
        if (!inFit) {
            finish(logs);
        }
    }

    @Override
    public void onPredictBegin(Map<String, Double> logs) {
        begin();
    }

    @Override
    public void onPredictBatchEnd(int batch, Map<String, Double> logs) {
        progress(batch, Map.of());
    }

    @Override
    public void onPredictEnd(Map<String, Double> logs) {
        finish(Map.of());
    }

    /** The bar reads a batch's logs while it draws and keeps nothing of them. */
    @Override
    boolean mayKeepBatchLogs() {
        return false;
    }

    private void begin() {
        start = System.nanoTime();
        lastDraw = 0;
        seen = 0;
    }

    private void progress(int batch, Map<String, Double> logs) {
        seen = batch + 1;
        if (!live()) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS && seen != params().steps()) {
            return;
        }
        lastDraw = now;
        double perStep = (now - start) / 1e9 / seen;
        StringBuilder sb = new StringBuilder("\r").append(counter()).append(' ').append(bar());
        if (params().steps() > 0) {
            double eta = perStep * (params().steps() - seen);
            sb.append(" - ETA: ").append(formatSeconds(eta));
        }
        sb.append(metrics(logs));
        out.print(sb);
        out.flush();
    }

    private void finish(Map<String, Double> logs) {
        if (params().verbose() == 0) {
            return;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        StringBuilder sb = new StringBuilder();
        if (live()) {
            sb.append('\r').append(counter()).append(' ').append(bar()).append(" - ").append(formatSeconds(seconds))
                    .append(' ').append(perStep(seconds));
        } else {
            sb.append(counter()).append(" - ").append(formatSeconds(seconds)).append(" - ").append(perStep(seconds));
        }
        out.println(sb.append(metrics(logs)));
        out.flush();
    }

    private String counter() {
        long steps = params().steps();
        if (steps <= 0) {
            return seen + "/Unknown";
        }
        String total = Long.toString(steps);
        String done = Integer.toString(seen);
        return " ".repeat(Math.max(0, total.length() - done.length())) + done + "/" + total;
    }

    private String bar() {
        long steps = params().steps();
        if (steps <= 0) {
            return "";
        }
        int filled = (int) Math.min(BAR_WIDTH, (long) BAR_WIDTH * seen / steps);
        StringBuilder sb = new StringBuilder("[");
        if (filled > 0) {
            sb.append("=".repeat(filled - 1)).append(seen >= steps ? '=' : '>');
        }
        return sb.append(".".repeat(BAR_WIDTH - filled)).append(']').toString();
    }

    private String perStep(double seconds) {
        double perStep = seen == 0 ? 0 : seconds / seen;
        if (perStep >= 1) {
            return String.format(Locale.ROOT, "%.0fs/step", perStep);
        }
        if (perStep >= 1e-3) {
            return String.format(Locale.ROOT, "%.0fms/step", perStep * 1e3);
        }
        return String.format(Locale.ROOT, "%.0fus/step", perStep * 1e6);
    }

    private static String formatSeconds(double s) {
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", (long) s / 3600, ((long) s % 3600) / 60, (long) s % 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%d:%02d", (long) s / 60, (long) s % 60);
        }
        return String.format(Locale.ROOT, "%.0fs", Math.floor(s));
    }

    /** " - name: value" for each metric, four decimals, or scientific notation for tiny values (as Keras). */
    static String metrics(Map<String, Double> logs) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            double v = e.getValue();
            sb.append(" - ").append(e.getKey()).append(": ")
                    .append(Math.abs(v) > 1e-3 || v == 0 || !Double.isFinite(v)
                            ? String.format(Locale.ROOT, "%.4f", v)
                            : String.format(Locale.ROOT, "%.4e", v));
        }
        return sb.toString();
    }
}
