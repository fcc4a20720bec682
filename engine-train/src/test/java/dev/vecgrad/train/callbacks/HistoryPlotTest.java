package dev.vecgrad.train.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.train.report.SvgCheck;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryPlotTest {
    private static Map<String, Double> logs(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
        }
        return m;
    }

    private static History fourEpochs() {
        History h = new History();
        h.onEpochEnd(0, logs("loss", 1.0, "accuracy", 0.5, "val_loss", 1.2, "val_accuracy", 0.4));
        h.onEpochEnd(1, logs("loss", 0.5, "accuracy", 0.7, "val_loss", 0.6, "val_accuracy", 0.8));
        h.onEpochEnd(2, logs("loss", 0.3, "accuracy", 0.8, "val_loss", 0.9, "val_accuracy", 0.75));
        h.onEpochEnd(3, logs("loss", 0.2, "accuracy", 0.9, "val_loss", 0.7, "val_accuracy", 0.7));
        return h;
    }

    @Test
    void oneChartAMetricWithTrainingBesideValidationAndTheBestEpochMarked() throws Exception {
        SvgCheck svg = new SvgCheck(fourEpochs().curves().toSvg());
        assertThat(svg.texts("//g[@class='chart']/text[1]")).containsExactly("loss", "accuracy");
        assertThat(svg.all("//g[@class='series']").stream().map(e -> e.getAttribute("data-name")))
                .containsExactly("loss", "val_loss", "accuracy", "val_accuracy");
        // Lowest val_loss (0.6) and highest val_accuracy (0.8), both at the second epoch.
        assertThat(svg.all("//g[@class='mark']").stream().map(e -> e.getAttribute("data-name")))
                .containsExactly("best at epoch 2: 0.6", "best at epoch 2: 0.8");
        assertThat(svg.texts("//g[@class='series'][@data-name='loss']/g[@class='point']/title"))
                .containsExactly("loss at 1: 1", "loss at 2: 0.5", "loss at 3: 0.3", "loss at 4: 0.2");
        assertThat(svg.texts("//text")).contains("epoch").doesNotContain("log scale");
    }

    @Test
    void validationEveryOtherEpochIsPlottedAtItsOwnEpochs() throws Exception {
        History h = new History();
        for (int e = 0; e < 4; e++) {
            Map<String, Double> l = logs("loss", 1.0 / (e + 1));
            if (e % 2 == 1) {
                l.put("val_loss", 2.0 / (e + 1));
            }
            h.onEpochEnd(e, l);
        }
        SvgCheck svg = new SvgCheck(h.curves().toSvg());
        assertThat(svg.texts("//g[@class='series'][@data-name='val_loss']/g[@class='point']/title"))
                .containsExactly("val_loss at 2: 1", "val_loss at 4: 0.5");
    }

    @Test
    void aLossSpanningDecadesGetsALogAxis() throws Exception {
        History h = new History();
        double loss = 10;
        for (int e = 0; e < 5; e++, loss /= 10) {
            h.onEpochEnd(e, logs("loss", loss));
        }
        assertThat(new SvgCheck(h.curves().toSvg()).texts("//text")).contains("log scale", "0.001", "10");
    }

    @Test
    void plotWritesAPngOfTheFigure(@TempDir Path dir) throws Exception {
        History h = fourEpochs();
        h.plot(dir.resolve("curves.png"));
        BufferedImage img = ImageIO.read(dir.resolve("curves.png").toFile());
        assertThat(img.getWidth()).isEqualTo((int) Math.ceil(h.curves().width()));
        assertThat(img.getHeight()).isEqualTo((int) Math.ceil(h.curves().height()));
        assertThat(new SvgCheck(new History().curves().toSvg()).texts("//text")).contains("no epochs yet");
    }
}
