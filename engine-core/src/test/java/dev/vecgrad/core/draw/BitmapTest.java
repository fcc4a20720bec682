package dev.vecgrad.core.draw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * A bitmap's pixels and their PNG encoding, read back with the JDK's own PNG decoder
 * ({@code javax.imageio}, which the engine does not use) so the encoder is checked by an
 * independent reader.
 */
class BitmapTest {
    private static BufferedImage decode(byte[] png) throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(img).as("ImageIO reads the PNG").isNotNull();
        return img;
    }

    @Test
    void intensityIsInkOnPaperScaledToTheRange() throws Exception {
        // range 0..1: level = round(255 v) = 0, 255, 128, 64; grey = 255 - level
        Bitmap b = Bitmap.intensity(new float[] {0, 1, 0.5f, 0.25f}, 2, 2, 3);
        int[][] grey = {{255, 0}, {127, 191}};
        BufferedImage img = decode(b.pixelsPng());
        assertThat(img.getWidth()).isEqualTo(2);
        assertThat(img.getHeight()).isEqualTo(2);
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 2; c++) {
                int g = grey[r][c];
                int rgb = g << 16 | g << 8 | g;
                assertThat(b.rgb(r, c)).as("pixel (%d, %d)", r, c).isEqualTo(rgb);
                assertThat(img.getRGB(c, r) & 0xFFFFFF).as("decoded pixel (%d, %d)", r, c).isEqualTo(rgb);
            }
        }
        assertThat(b.width()).isEqualTo(6);
        assertThat(b.height()).isEqualTo(6);
    }

    @Test
    void colourChannelsAreScaledTogetherAndRowsStayInOrder() throws Exception {
        // 3 rows x 2 columns x RGB over the range 0..10: level = round(25.5 v)
        float[] v = {
            10, 0, 0, 0, 10, 0,
            0, 0, 10, 10, 10, 10,
            0, 0, 0, 2, 4, 6};
        Bitmap b = Bitmap.color(v, 3, 2, 1);
        int[][] want = {{0xFF0000, 0x00FF00}, {0x0000FF, 0xFFFFFF}, {0x000000, 51 << 16 | 102 << 8 | 153}};
        BufferedImage img = decode(b.pixelsPng());
        assertThat(img.getWidth()).isEqualTo(2);
        assertThat(img.getHeight()).isEqualTo(3);
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 2; c++) {
                assertThat(img.getRGB(c, r) & 0xFFFFFF).as("pixel (%d, %d)", r, c).isEqualTo(want[r][c]);
            }
        }
    }

    @Test
    void aWideBitmapSurvivesTheRoundTrip() throws Exception {
        int rows = 37;
        int columns = 301;
        float[] v = new float[rows * columns];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 7919) % 256;
        }
        Bitmap b = Bitmap.intensity(v, rows, columns, 1);
        BufferedImage img = decode(b.pixelsPng());
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                int g = 255 - (int) v[r * columns + c];
                assertThat(img.getRGB(c, r) & 0xFFFFFF).isEqualTo(g << 16 | g << 8 | g);
            }
        }
    }

    @Test
    void svgEmbedsThePixelsAsPngScaledToTheZoom() throws Exception {
        Bitmap b = Bitmap.intensity(new float[] {0, 1, 1, 0}, 2, 2, 5);
        String svg = b.toSvg();
        Matcher m = Pattern.compile("width=\"10\" height=\"10\".*href=\"data:image/png;base64,([^\"]+)\"").matcher(svg);
        assertThat(m.find()).as(svg).isTrue();
        BufferedImage img = decode(Base64.getDecoder().decode(m.group(1)));
        assertThat(img.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        assertThat(img.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0);
    }

    @Test
    void badInputIsAClearError() {
        assertThatThrownBy(() -> Bitmap.intensity(new float[3], 2, 2, 1)).hasMessageContaining("needs 4 values, got 3");
        assertThatThrownBy(() -> Bitmap.intensity(new float[4], 2, 2, 0)).hasMessageContaining("zoom");
        Bitmap b = Bitmap.intensity(new float[4], 2, 2, 1);
        assertThatThrownBy(() -> b.rgb(2, 0)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("(2, 0)");
    }
}
