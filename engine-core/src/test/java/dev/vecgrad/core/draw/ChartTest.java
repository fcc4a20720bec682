package dev.vecgrad.core.draw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChartTest {
    private static final Rgb RED = new Rgb(0xFF0000);
    private static final Rgb BLUE = new Rgb(0x0000FF);

    /** Two series on fixed ranges. */
    private static Chart twoSeries() {
        return Chart.builder().title("t").xLabel("epoch").size(400, 300).yRange(0, 4).integerX()
                .series(new Series("up", new double[] {0, 1, 2, 3}, new double[] {1, 3, 2, 4}, RED, false))
                .series(new Series("flat", new double[] {0, 1, 2, 3}, new double[] {0.5, 0.5, 0.5, 0.5}, BLUE, false))
                .build();
    }

    @Test
    void svgIsWellFormedWithOneLineADotAPointAndLabelledTicks() throws Exception {
        SvgDocument svg = new SvgDocument(twoSeries().toSvg());
        assertThat(svg.rootName()).isEqualTo("svg");
        assertThat(svg.count("//g[@class='series']")).isEqualTo(2);
        assertThat(svg.count("//g[@class='series'][@data-name='up']/path")).isEqualTo(1);
        assertThat(svg.count("//g[@class='series'][@data-name='up']/g[@class='point']/circle")).isEqualTo(4);
        assertThat(svg.count("//g[@class='legend']/text")).isEqualTo(2);
        // y ticks 0..4 on a range of 4 at a round step, x ticks at the four epochs
        assertThat(svg.count("//g[@class='axes']/text")).isGreaterThanOrEqualTo(5 + 4 + 1);
        assertThat(svg.all("//g[@class='series'][@data-name='up']/g[@class='point']/title").item(1).getTextContent())
                .isEqualTo("up at 1: 3");
    }

    @Test
    void curvesSpanningDecadesGetALogAxisWithDecadeTicks() throws Exception {
        Chart c = Chart.builder().series(Series.of("loss", List.of(10.0, 1.0, 0.1, 0.01))).build();
        assertThat(c.isLogY()).isTrue();
        // On a log axis equal ratios are equal distances.
        assertThat(c.py(10) - c.py(1)).isCloseTo(c.py(0.1) - c.py(0.01), org.assertj.core.data.Offset.offset(1e-9));
        String svg = c.toSvg();
        assertThat(svg).contains(">0.01<", ">0.1<", ">1<", ">10<", "log scale");
        Chart lin = Chart.builder().series(Series.of("acc", List.of(0.5, 0.9, 0.95))).build();
        assertThat(lin.isLogY()).isFalse();
        assertThat(Chart.builder().logY(false).series(Series.of("loss", List.of(10.0, 0.01))).build().isLogY())
                .isFalse();
    }

    @Test
    void gapsAndMarksAreDrawn() throws Exception {
        Chart c = Chart.builder()
                .series(Series.of("val_loss", List.of(1.0, Double.NaN, 0.5, 0.7)))
                .mark(3, 0.5, "best val_loss 0.5 (epoch 3)")
                .build();
        SvgDocument svg = new SvgDocument(c.toSvg());
        String d = svg.all("//g[@class='series']/path").item(0).getAttributes().getNamedItem("d").getNodeValue();
        assertThat(d.chars().filter(ch -> ch == 'M').count()).as("a NaN breaks the line").isEqualTo(2);
        assertThat(svg.count("//g[@class='series']/g[@class='point']")).isEqualTo(3);
        assertThat(svg.count("//g[@class='mark']/circle")).isEqualTo(1);
        assertThat(svg.all("//g[@class='mark']").item(0).getAttributes().getNamedItem("data-name").getNodeValue())
                .isEqualTo("best val_loss 0.5 (epoch 3)");
        assertThat(svg.all("//g[@class='legend']/text").item(1).getTextContent()).isEqualTo("best val_loss 0.5 (epoch 3)");
    }

    @Test
    void anEmptyChartSaysSo() {
        assertThat(Chart.builder().title("loss").build().toSvg()).contains("no data yet");
    }

    @Test
    void figuresPlaceChartsSideBySide() throws Exception {
        Figure f = Figure.row(twoSeries(), twoSeries());
        assertThat(f.width()).isGreaterThan(800);
        assertThat(f.height()).isEqualTo(300);
        assertThat(new SvgDocument(f.toSvg()).count("//g[@class='chart']")).isEqualTo(2);
        assertThat(Figure.grid(2, List.of(twoSeries(), twoSeries(), twoSeries())).height()).isGreaterThan(600);
    }

    @Test
    void badInputIsAClearError() {
        assertThatThrownBy(() -> Series.of("a", new double[] {1, 2}, new double[] {1}))
                .hasMessageContaining("2 x values but 1 y values");
        assertThatThrownBy(() -> Series.of("a", new double[] {Double.NaN}, new double[] {1}))
                .hasMessageContaining("finite");
        assertThatThrownBy(() -> Chart.builder().yRange(1, 1)).hasMessageContaining("lo < hi");
        assertThatThrownBy(() -> Chart.builder().size(50, 300)).hasMessageContaining("100..10000");
    }

    @Test
    void ticksAreRoundNumbers() {
        assertThat(Ticks.niceStep(1, 5)).isEqualTo(0.2);
        assertThat(Ticks.niceStep(97, 4)).isEqualTo(20);
        assertThat(Ticks.covering(0.13, 0.91, 0.2)).containsExactly(0.0, 0.2, 0.4, 0.6, 0.8, 1.0);
        assertThat(Ticks.inside(1, 10, 2)).containsExactly(2.0, 4.0, 6.0, 8.0, 10.0);
        assertThat(Ticks.log(-2, 1, 5)).containsExactly(0.01, 0.1, 1.0, 10.0);
        assertThat(Ticks.log(0, 1, 5)).containsExactly(1.0, 2.0, 5.0, 10.0);
        assertThat(Ticks.format(0.30000000000000004, 0.1)).isEqualTo("0.3");
        assertThat(Ticks.format(2e-5, 1e-5)).isEqualTo("2e-5");
        assertThat(Ticks.value(0.123456)).isEqualTo("0.1235");
    }
}
