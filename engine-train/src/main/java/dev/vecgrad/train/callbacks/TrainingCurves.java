package dev.vecgrad.train.callbacks;

import dev.vecgrad.core.draw.Chart;
import dev.vecgrad.core.draw.Drawing;
import dev.vecgrad.core.draw.Figure;
import dev.vecgrad.core.draw.Numbers;
import dev.vecgrad.core.draw.Rgb;
import dev.vecgrad.core.draw.Series;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The charts of {@link History#curves()}: one a metric, training beside validation, the best epoch marked. */
final class TrainingCurves {
    static final String VAL = "val_";
    private static final int COLUMNS = 3;
    private static final double WIDTH = 460;
    private static final double HEIGHT = 290;

    private TrainingCurves() {
    }

    static Drawing figure(Map<String, List<Double>> values, Map<String, List<Integer>> epochs) {
        Set<String> metrics = new LinkedHashSet<>();
        for (String key : values.keySet()) {
            metrics.add(key.startsWith(VAL) ? key.substring(VAL.length()) : key);
        }
        List<Chart> charts = new ArrayList<>();
        for (String metric : metrics) {
            Chart.Builder b = Chart.builder().title(metric).xLabel("epoch").integerX().size(WIDTH, HEIGHT);
            if (values.containsKey(metric)) {
                b.series(series(metric, values.get(metric), epochs.get(metric), Rgb.series(0)));
            }
            String val = VAL + metric;
            if (values.containsKey(val)) {
                Series s = series(val, values.get(val), epochs.get(val), Rgb.series(1));
                b.series(s);
                markBest(b, s, val);
            }
            charts.add(b.build());
        }
        if (charts.isEmpty()) {
            return Chart.builder().title("no epochs yet").xLabel("epoch").size(WIDTH, HEIGHT).build();
        }
        return Figure.grid(COLUMNS, charts);
    }

    private static Series series(String name, List<Double> ys, List<Integer> epochs, Rgb color) {
        double[] x = new double[ys.size()];
        double[] y = new double[ys.size()];
        for (int i = 0; i < y.length; i++) {
            x[i] = epochs.get(i) + 1;
            y[i] = ys.get(i) == null ? Double.NaN : ys.get(i);
        }
        return new Series(name, x, y, color, false);
    }

    private static void markBest(Chart.Builder b, Series s, String name) {
        boolean max = MonitorMode.AUTO.resolve(name) == MonitorMode.MAX;
        double[] x = s.x();
        double[] y = s.y();
        int best = -1;
        for (int i = 0; i < y.length; i++) {
            if (Double.isFinite(y[i]) && (best < 0 || (max ? y[i] > y[best] : y[i] < y[best]))) {
                best = i;
            }
        }
        if (best >= 0) {
            b.mark(x[best], y[best], "best at epoch " + (long) x[best] + ": " + Numbers.significant(y[best], 4));
        }
    }
}
