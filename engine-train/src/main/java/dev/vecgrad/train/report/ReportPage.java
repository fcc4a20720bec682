package dev.vecgrad.train.report;

import dev.vecgrad.core.draw.Chart;
import dev.vecgrad.core.draw.Drawing;
import dev.vecgrad.core.draw.Markup;
import dev.vecgrad.core.draw.Numbers;
import dev.vecgrad.core.draw.Rgb;
import dev.vecgrad.core.draw.Series;
import dev.vecgrad.core.io.Json;
import dev.vecgrad.train.Model;
import dev.vecgrad.train.metrics.Metric;
import dev.vecgrad.train.optimizers.Optimizer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The HTML of a {@link Report}: one page with inline styles and pictures, and a reload while training. */
final class ReportPage {
    /** A confusion matrix of more classes than this is shown as a list of the most frequent confusions. */
    static final int MATRIX_UP_TO = 30;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private static final String STYLE = """
            :root { --ink: #222; --muted: #666; --line: #e3e3e3; --card: #f7f8fa; --live: #1f77b4; --done: #2ca02c; }
            * { box-sizing: border-box; }
            body { margin: 0; padding: 24px 32px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto,
                   "DejaVu Sans", sans-serif; color: var(--ink); background: #fff; max-width: 1400px; }
            h1 { font-size: 24px; margin: 0 0 4px; }
            h2 { font-size: 18px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
            h3 { font-size: 15px; margin: 18px 0 8px; }
            nav { margin: 10px 0 4px; font-size: 13px; }
            nav a { margin-right: 14px; color: var(--live); text-decoration: none; }
            .status { display: inline-block; padding: 3px 10px; border-radius: 12px; font-weight: 600; color: #fff; }
            .status.live { background: var(--live); }
            .status.done { background: var(--done); }
            .status.idle { background: var(--muted); }
            .meta { color: var(--muted); font-size: 12px; margin: 6px 0 0; }
            .cards { display: flex; flex-wrap: wrap; gap: 10px; }
            .card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px;
                    min-width: 130px; }
            .card .k { color: var(--muted); font-size: 12px; }
            .card .v { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
            .picture svg { max-width: 100%; height: auto; }
            table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
            th, td { padding: 3px 9px; border-bottom: 1px solid var(--line); text-align: right; }
            th { font-weight: 600; background: var(--card); }
            td.name, th.name { text-align: left; }
            table.confusion td, table.confusion th { border: 1px solid #fff; min-width: 34px; text-align: center; }
            table.confusion td.zero { color: #bbb; }
            .axis { color: var(--muted); font-size: 12px; }
            .grid { display: flex; flex-wrap: wrap; gap: 10px; }
            figure { margin: 0; padding: 6px; border: 1px solid var(--line); border-radius: 6px; text-align: center;
                     background: #fff; }
            figure img { image-rendering: pixelated; display: block; margin: 0 auto; }
            figcaption { font-size: 12px; margin-top: 4px; }
            figcaption .wrong { color: #c0392b; font-weight: 600; }
            .cols { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
            pre { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px;
                  font-size: 12px; overflow-x: auto; margin: 0; }
            .note { color: var(--muted); }
            """;

    /** Keeps the scroll position across the reloads while training. */
    private static final String SCRIPT = """
            (function () {
              var key = 'vecgrad-report-scroll:' + location.pathname;
              try {
                var y = sessionStorage.getItem(key);
                if (y !== null) { window.scrollTo(0, Number(y)); }
                window.addEventListener('beforeunload', function () {
                  sessionStorage.setItem(key, String(window.scrollY));
                });
              } catch (e) {
                /* storage unavailable: reloads start at the top */
              }
            })();
            """;

    private ReportPage() {
    }

    static String render(Report.Snapshot s) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        if (s.training()) {
            h.append("<meta http-equiv=\"refresh\" content=\"").append(s.refreshSeconds()).append("\">\n");
        }
        h.append("<link rel=\"icon\" href=\"data:,\">\n<title>vecgrad report: ").append(esc(s.title()))
                .append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        header(h, s);
        results(h, s);
        curves(h, s);
        classification(h, s);
        timing(h, s);
        learningRate(h, s);
        runs(h, s);
        model(h, s);
        compile(h, s);
        h.append("<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, Report.Snapshot s) {
        h.append("<header>\n<h1>").append(esc(s.title())).append("</h1>\n");
        String epochs = s.epochs() > 0 ? " of " + s.epochs() : "";
        if (s.training()) {
            String step = s.batch() >= 0 ? ", step " + (s.batch() + 1) + (s.steps() > 0 ? " of " + s.steps() : "") : "";
            h.append("<p><span class=\"status live\" id=\"status\">training: epoch ").append(s.epoch() + 1)
                    .append(epochs).append(step).append("</span> <span class=\"note\">this page reloads every ")
                    .append(s.refreshSeconds()).append(" s while training runs</span></p>\n");
        } else if (s.finished()) {
            h.append("<p><span class=\"status done\" id=\"status\">finished: ").append(s.timings().size())
                    .append(s.timings().size() == 1 ? " epoch" : " epochs").append(" in ")
                    .append(seconds(s.trainSeconds())).append("</span></p>\n");
        } else {
            h.append("<p><span class=\"status idle\" id=\"status\">not trained here</span></p>\n");
        }
        h.append("<p class=\"meta\">written by vecgrad at ").append(TIME.format(Instant.now()));
        if (s.started() != null) {
            h.append(" · training started at ").append(TIME.format(s.started()));
        }
        h.append("</p>\n<nav><a href=\"#curves\">curves</a>");
        if (s.classification() != null) {
            h.append("<a href=\"#classification\">confusion matrix</a><a href=\"#worst\">most wrong</a>");
        }
        h.append("<a href=\"#timing\">timing</a><a href=\"#learning-rate\">learning rate</a>");
        if (!s.runs().isEmpty()) {
            h.append("<a href=\"#runs\">evaluate and predict</a>");
        }
        h.append("<a href=\"#model\">model</a><a href=\"#compile\">compile settings</a></nav>\n</header>\n");
    }

    private static void results(StringBuilder h, Report.Snapshot s) {
        Map<String, List<Double>> hist = s.history().history();
        h.append("<section id=\"results\">\n<div class=\"cards\">\n");
        for (Map.Entry<String, List<Double>> e : hist.entrySet()) {
            List<Double> v = e.getValue();
            if (!v.isEmpty()) {
                card(h, e.getKey(), Numbers.significant(v.get(v.size() - 1), 4));
            }
        }
        if (s.classification() != null) {
            card(h, "accuracy on " + s.classificationSource(), Numbers.significant(s.classification().accuracy(), 4));
        }
        if (!s.timings().isEmpty()) {
            double steps = 0;
            double secs = 0;
            for (Report.EpochTiming t : s.timings()) {
                steps += t.steps();
                secs += t.trainSeconds();
            }
            card(h, "steps / s", secs > 0 ? Numbers.significant(steps / secs, 3) : "–");
            card(h, "training time", seconds(s.trainSeconds()));
        }
        h.append("</div>\n</section>\n");
    }

    private static void card(StringBuilder h, String key, String value) {
        h.append("<div class=\"card\"><div class=\"k\">").append(esc(key)).append("</div><div class=\"v\">")
                .append(esc(value)).append("</div></div>\n");
    }

    private static void curves(StringBuilder h, Report.Snapshot s) {
        h.append("<section id=\"curves\">\n<h2>Training curves</h2>\n");
        picture(h, s.history().curves());
        h.append("</section>\n");
    }

    private static void classification(StringBuilder h, Report.Snapshot s) {
        Classification c = s.classification();
        if (c == null) {
            if (s.classificationProblem() != null) {
                h.append("<section id=\"classification\">\n<h2>No confusion matrix</h2>\n<p class=\"note\">")
                        .append(esc(s.classificationProblem())).append("</p>\n</section>\n");
            }
            return;
        }
        h.append("<section id=\"classification\">\n<h2>Confusion matrix on ").append(esc(s.classificationSource()))
                .append("</h2>\n<p>").append(c.correct).append(" of ").append(c.total).append(" right (accuracy ")
                .append(Numbers.significant(c.accuracy(), 4)).append(").</p>\n");
        if (c.classes <= MATRIX_UP_TO) {
            matrix(h, c);
        } else {
            h.append("<p class=\"note\">").append(c.classes).append(" classes: the most frequent confusions.</p>\n")
                    .append("<table class=\"confusions\"><tr><th>true</th><th>predicted</th><th>count</th></tr>\n");
            for (Classification.Confusion x : c.topConfusions(40)) {
                h.append("<tr><td>").append(x.truth()).append("</td><td>").append(x.predicted()).append("</td><td>")
                        .append(x.count()).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("<h3 id=\"worst\">Most wrong: the examples given the lowest probability of their true class</h3>\n");
        if (c.worst.isEmpty()) {
            h.append("<p class=\"note\">No example is misclassified.</p>\n");
        } else {
            h.append("<div class=\"grid\">\n");
            for (Classification.Miss m : c.worst) {
                h.append("<figure class=\"miss\">");
                if (m.image() != null) {
                    h.append("<img alt=\"example ").append(m.index()).append("\" width=\"")
                            .append((int) m.image().width()).append("\" height=\"").append((int) m.image().height())
                            .append("\" src=\"data:image/png;base64,").append(m.png()).append("\">");
                }
                h.append("<figcaption>#").append(m.index()).append("<br>true ").append(m.truth()).append(" (p ")
                        .append(Numbers.significant(m.pTruth(), 2)).append(")<br><span class=\"wrong\">predicted ")
                        .append(m.predicted()).append(" (p ").append(Numbers.significant(m.pPredicted(), 2))
                        .append(")</span></figcaption></figure>\n");
            }
            h.append("</div>\n");
        }
        h.append("</section>\n");
    }

    private static void matrix(StringBuilder h, Classification c) {
        h.append("<table class=\"confusion\" id=\"confusion\">\n<tr><th class=\"axis\">true ↓ predicted →</th>");
        for (int p = 0; p < c.classes; p++) {
            h.append("<th>").append(p).append("</th>");
        }
        h.append("<th>recall</th></tr>\n");
        for (int t = 0; t < c.classes; t++) {
            long row = 0;
            for (long v : c.counts[t]) {
                row += v;
            }
            h.append("<tr><th>").append(t).append("</th>");
            for (int p = 0; p < c.classes; p++) {
                long v = c.counts[t][p];
                double share = row == 0 ? 0 : (double) v / row;
                String colour = t == p ? "44, 160, 44" : "214, 39, 40";
                double alpha = t == p ? share : Math.min(1, share * 4);
                h.append("<td").append(v == 0 ? " class=\"zero\"" : "").append(" style=\"background: rgba(")
                        .append(colour).append(", ").append(String.format(Locale.ROOT, "%.2f", alpha * 0.85))
                        .append(")\">").append(v).append("</td>");
            }
            h.append("<td>").append(row == 0 ? "–" : Numbers.significant((double) c.counts[t][t] / row, 3))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void timing(StringBuilder h, Report.Snapshot s) {
        h.append("<section id=\"timing\">\n<h2>Time per epoch</h2>\n");
        List<Report.EpochTiming> ts = s.timings();
        if (ts.isEmpty()) {
            h.append("<p class=\"note\">No epoch has finished yet.</p>\n</section>\n");
            return;
        }
        double[] x = new double[ts.size()];
        double[] rate = new double[ts.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = ts.get(i).epoch() + 1;
            rate[i] = ts.get(i).stepsPerSecond();
        }
        h.append("<div class=\"cols\">\n");
        picture(h, Chart.builder().title("training steps per second").xLabel("epoch").integerX().size(420, 260)
                .series(new Series("steps/s", x, rate, Rgb.series(2), false)).build());
        h.append("<table class=\"timing\">\n<tr><th>epoch</th><th>seconds</th><th>training s</th>"
                + "<th>steps</th><th>steps/s</th>");
        Set<String> metrics = new LinkedHashSet<>(s.history().history().keySet());
        for (String m : metrics) {
            h.append("<th>").append(esc(m)).append("</th>");
        }
        h.append("</tr>\n");
        for (Report.EpochTiming t : ts) {
            h.append("<tr><td>").append(t.epoch() + 1).append("</td><td>").append(fixed(t.seconds(), 2))
                    .append("</td><td>").append(fixed(t.trainSeconds(), 2)).append("</td><td>").append(t.steps())
                    .append("</td><td>").append(Numbers.significant(t.stepsPerSecond(), 4)).append("</td>");
            for (String m : metrics) {
                Double v = t.logs().get(m);
                h.append("<td>").append(v == null ? "" : Numbers.significant(v, 4)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n</div>\n</section>\n");
    }

    private static void learningRate(StringBuilder h, Report.Snapshot s) {
        h.append("<section id=\"learning-rate\">\n<h2>Learning rate</h2>\n");
        List<double[]> rates = s.rates();
        if (rates.isEmpty()) {
            h.append("<p class=\"note\">No training step has run yet.</p>\n</section>\n");
            return;
        }
        double[] x = new double[rates.size()];
        double[] y = new double[rates.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = rates.get(i)[0];
            y[i] = rates.get(i)[1];
        }
        picture(h, Chart.builder().title("learning rate of each step").xLabel("step").integerX().size(640, 260)
                .series(new Series("learning rate", x, y, Rgb.series(4), false)).build());
        h.append("</section>\n");
    }

    private static void runs(StringBuilder h, Report.Snapshot s) {
        if (s.runs().isEmpty()) {
            return;
        }
        h.append("<section id=\"runs\">\n<h2>evaluate and predict</h2>\n<table>\n<tr><th class=\"name\">call</th>"
                + "<th>batches</th><th>seconds</th><th class=\"name\">results</th></tr>\n");
        for (Report.Run r : s.runs()) {
            List<String> parts = new ArrayList<>();
            r.results().forEach((k, v) -> parts.add(k + " " + Numbers.significant(v, 4)));
            h.append("<tr><td class=\"name\">").append(r.kind()).append("</td><td>").append(r.batches())
                    .append("</td><td>").append(fixed(r.seconds(), 2)).append("</td><td class=\"name\">")
                    .append(esc(String.join(", ", parts))).append("</td></tr>\n");
        }
        h.append("</table>\n</section>\n");
    }

    private static void model(StringBuilder h, Report.Snapshot s) {
        h.append("<section id=\"model\">\n<h2>Model</h2>\n");
        Model m = s.model();
        if (m == null || !m.isBuilt()) {
            h.append("<p class=\"note\">The model is not built yet.</p>\n</section>\n");
            return;
        }
        h.append("<div class=\"cols\">\n<pre>").append(esc(m.summary())).append("</pre>\n");
        picture(h, m.layerGraph().drawing());
        h.append("</div>\n</section>\n");
    }

    private static void compile(StringBuilder h, Report.Snapshot s) {
        h.append("<section id=\"compile\">\n<h2>Compile settings</h2>\n");
        Model m = s.model();
        if (m == null || !m.isCompiled()) {
            h.append("<p class=\"note\">The model is not compiled yet.</p>\n</section>\n");
            return;
        }
        h.append("<table>\n");
        Optimizer opt = m.optimizer();
        setting(h, "optimizer", opt.className() + " " + config(opt.getConfig()));
        setting(h, "loss", m.loss().className() + " " + config(m.loss().getConfig()));
        List<String> metrics = new ArrayList<>();
        for (Metric metric : m.metrics()) {
            metrics.add(metric.name() + " (" + metric.className() + ")");
        }
        setting(h, "metrics", metrics.isEmpty() ? "none" : String.join(", ", metrics));
        setting(h, "steps per execution", Integer.toString(m.stepsPerExecution()));
        setting(h, "distribution", m.strategy().getClass().getSimpleName());
        if (s.epochs() > 0) {
            setting(h, "epochs", Integer.toString(s.epochs()));
        }
        if (s.steps() > 0) {
            setting(h, "steps per epoch", Long.toString(s.steps()));
        }
        h.append("</table>\n</section>\n");
    }

    private static void setting(StringBuilder h, String key, String value) {
        h.append("<tr><th class=\"name\">").append(esc(key)).append("</th><td class=\"name\">").append(esc(value))
                .append("</td></tr>\n");
    }

    /** A config map as JSON, or as Java prints it when a value is not JSON. */
    private static String config(Map<String, Object> config) {
        try {
            return Json.write(config);
        } catch (IllegalArgumentException e) {
            return config.toString();
        }
    }

    private static void picture(StringBuilder h, Drawing d) {
        h.append("<div class=\"picture\">\n").append(d.toSvg()).append("</div>\n");
    }

    private static String seconds(double s) {
        return s >= 120 ? fixed(s / 60, 1) + " min" : fixed(s, 1) + " s";
    }

    private static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String esc(String s) {
        return Markup.escape(s);
    }
}
