package dev.vecgrad.train.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.draw.Bitmap;
import dev.vecgrad.core.draw.Chart;
import dev.vecgrad.core.draw.Figure;
import dev.vecgrad.core.draw.Rgb;
import dev.vecgrad.core.draw.Series;
import dev.vecgrad.train.report.SvgCheck;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * A drawing painted as PNG shows what its SVG describes: each data point's colour where the SVG
 * puts the point, read back with {@code javax.imageio}.
 */
class PicturesTest {
    private static final Rgb RED = new Rgb(0xFF0000);
    private static final Rgb BLUE = new Rgb(0x0000FF);

    /** Two series on a fixed linear y range. */
    private static Chart twoSeries() {
        return Chart.builder().title("t").xLabel("epoch").size(400, 300).yRange(0, 4).integerX()
                .series(new Series("up", new double[] {0, 1, 2, 3}, new double[] {1, 3, 2, 4}, RED, false))
                .series(new Series("flat", new double[] {0, 1, 2, 3}, new double[] {0.5, 0.5, 0.5, 0.5}, BLUE, false))
                .build();
    }

    /** The centre of each data point of {@code series} in the SVG, in order. */
    private static double[][] points(SvgCheck svg, String series) throws Exception {
        List<Element> circles = svg.all("//g[@class='series'][@data-name='" + series + "']/g[@class='point']/circle");
        return circles.stream().map(c -> new double[] {Double.parseDouble(c.getAttribute("cx")),
                Double.parseDouble(c.getAttribute("cy"))}).toArray(double[][]::new);
    }

    private static boolean near(BufferedImage img, double x, double y, Rgb want, int tolerance) {
        int argb = img.getRGB((int) Math.floor(x), (int) Math.floor(y));
        return Math.abs((argb >> 16 & 0xFF) - want.red()) <= tolerance
                && Math.abs((argb >> 8 & 0xFF) - want.green()) <= tolerance
                && Math.abs((argb & 0xFF) - want.blue()) <= tolerance;
    }

    @Test
    void pngHasEachSeriesColourWhereTheSvgPutsItsPointsAndOnTheLinesBetween() throws Exception {
        Chart c = twoSeries();
        SvgCheck svg = new SvgCheck(c.toSvg());
        double[][] up = points(svg, "up");
        double[][] flat = points(svg, "flat");
        assertThat(up).hasNumberOfRows(4);
        assertThat(flat).hasNumberOfRows(4);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Pictures.png(c)));
        assertThat(img.getWidth()).isEqualTo(400);
        assertThat(img.getHeight()).isEqualTo(300);
        for (int i = 0; i < 4; i++) {
            assertThat(near(img, up[i][0], up[i][1], RED, 40)).as("red dot at point %d", i).isTrue();
            assertThat(near(img, flat[i][0], flat[i][1], BLUE, 40)).as("blue dot at point %d", i).isTrue();
        }
        // Halfway between the first two red points the line passes through their midpoint.
        double mx = (up[0][0] + up[1][0]) / 2;
        double my = (up[0][1] + up[1][1]) / 2;
        boolean redNearby = false;
        for (int dy = -1; dy <= 1; dy++) {
            redNearby |= near(img, mx, my + dy, RED, 60);
        }
        assertThat(redNearby).as("the red line between points 0 and 1").isTrue();
        // Away from both lines (x 2.5, y 0.9 on a linear axis: y 0.5 is the blue row, y 1 the first
        // red point) the plot is white.
        double ex = (up[2][0] + up[3][0]) / 2;
        double ey = flat[0][1] + (up[0][1] - flat[0][1]) * (0.9 - 0.5) / (1 - 0.5);
        assertThat(near(img, ex, ey, Rgb.WHITE, 30)).isTrue();
    }

    @Test
    void pngAtScaleTwoHasTwiceThePixels() throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Pictures.png(twoSeries(), 2)));
        assertThat(img.getWidth()).isEqualTo(800);
        assertThat(img.getHeight()).isEqualTo(600);
    }

    @Test
    void aBitmapInAFigureIsPaintedWithSquarePixels() throws Exception {
        Bitmap b = Bitmap.intensity(new float[] {0, 1, 1, 0}, 2, 2, 10);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Pictures.png(Figure.row(b))));
        assertThat(img.getWidth()).isEqualTo(20);
        assertThat(near(img, 4, 4, Rgb.WHITE, 0)).isTrue();
        assertThat(near(img, 14, 4, Rgb.BLACK, 0)).isTrue();
        assertThat(near(img, 4, 14, Rgb.BLACK, 0)).isTrue();
        assertThat(near(img, 14, 14, Rgb.WHITE, 0)).isTrue();
    }

    @Test
    void writePicksTheFormatFromTheNameAndReplacesTheFile(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("c.png");
        Path svg = dir.resolve("c.SVG");
        Files.writeString(png, "old");
        Pictures.write(twoSeries(), png);
        Pictures.write(twoSeries(), svg);
        assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(400);
        assertThat(Files.readString(svg)).startsWith("<svg");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("c.png", "c.SVG");
        }
        assertThatThrownBy(() -> Pictures.write(twoSeries(), dir.resolve("c.jpg")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(".svg or .png");
    }

    @Test
    void badScaleIsAClearError() {
        assertThatThrownBy(() -> Pictures.png(twoSeries(), 0)).hasMessageContaining("scale");
        assertThatThrownBy(() -> Pictures.png(twoSeries(), 9)).hasMessageContaining("scale");
    }
}
