package dev.vecgrad.train.callbacks;

import dev.vecgrad.train.metrics.Metric;
import java.util.List;

/**
 * A callback that watches one logged quantity and decides what counts as better, as Keras 3's
 * {@code MonitorCallback} ({@link EarlyStopping}, {@link ReduceLROnPlateau} and
 * {@link ModelCheckpoint} are ones).
 *
 * <p>With {@link MonitorMode#AUTO} the direction is settled at the first epoch end, when the
 * model's metrics exist: {@code loss} and {@code val_loss} go down; otherwise the compiled metric
 * named like the monitor (without its {@code val_} prefix, or as the suffix of a per-output log key
 * such as {@code digit_accuracy}) goes its {@link Metric#direction()}; failing that, a name that
 * {@link MonitorMode#resolve(String)} reads as an accuracy, AUC, precision or recall goes up. Any
 * other monitor is refused with an error asking for {@link MonitorMode#MIN} or
 * {@link MonitorMode#MAX}.
 */
public abstract class MonitorCallback extends Callback {
    private final String monitor;
    private final MonitorMode mode;
    private final double minDelta;
    private MonitorMode resolved;

    /**
     * @param monitor the log key watched, e.g. {@code val_loss}
     * @param mode which way is better, or AUTO to infer it from the model
     * @param minDelta how much better counts as an improvement (its sign is ignored)
     */
    protected MonitorCallback(String monitor, MonitorMode mode, double minDelta) {
        if (monitor == null || monitor.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": monitor must be a log key");
        }
        if (!(Math.abs(minDelta) < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": minDelta must be finite, got "
                    + minDelta);
        }
        this.monitor = monitor;
        this.mode = mode;
        this.minDelta = Math.abs(minDelta);
        this.resolved = mode == MonitorMode.AUTO ? null : mode;
    }

    /** The log key watched. */
    public String monitor() {
        return monitor;
    }

    /**
     * MIN or MAX: the mode given, or for AUTO the direction inferred from the model (see the class
     * comment); settled on first use and kept.
     *
     * @throws IllegalArgumentException when AUTO cannot tell the direction of the monitor
     */
    public MonitorMode monitorMode() {
        if (resolved == null) {
            resolved = infer();
        }
        return resolved;
    }

    /**
     * Whether {@code value} improves on {@code reference} by more than minDelta in the monitor's
     * direction; everything improves on a null reference (nothing seen yet).
     */
    public boolean isImprovement(double value, Double reference) {
        if (reference == null) {
            return true;
        }
        return monitorMode() == MonitorMode.MIN ? value + minDelta < reference : value - minDelta > reference;
    }

    private MonitorMode infer() {
        String name = monitor.startsWith("val_") ? monitor.substring(4) : monitor;
        if (name.equals("loss")) {
            return MonitorMode.MIN;
        }
        List<Metric> metrics = model().metrics();
        for (boolean exact : new boolean[] {true, false}) {
            for (Metric m : metrics) {
                boolean named = exact ? m.name().equals(name) : name.endsWith("_" + m.name());
                if (named && m.direction() != Metric.Direction.UNKNOWN) {
                    return m.direction() == Metric.Direction.UP ? MonitorMode.MAX : MonitorMode.MIN;
                }
            }
        }
        if (MonitorMode.AUTO.resolve(name) == MonitorMode.MAX) {
            return MonitorMode.MAX;
        }
        throw new IllegalArgumentException(getClass().getSimpleName() + " received monitor=" + monitor
                + ", but cannot tell whether it should be maximized or minimized (no compiled metric of that"
                + " name has a direction); pass mode MAX to keep its highest value or MIN for its lowest");
    }
}
