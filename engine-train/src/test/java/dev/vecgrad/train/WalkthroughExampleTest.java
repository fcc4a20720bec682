package dev.vecgrad.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.Shape;
import dev.vecgrad.train.examples.WalkthroughExample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WalkthroughExampleTest {

    @Test
    void theWalkthroughExampleLearnsTheBiasAndReportsLikeKeras() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        WalkthroughExample.Result r = WalkthroughExample.run(out, 2);

        // Before training the bias is 0 and x is 0, so every prediction is 0: a summed squared error
        // of 10 * (1 - 0)^2 per batch of 10, and an absolute percentage error of 100 %.
        assertThat(r.before().get("loss")).isCloseTo(10.0, within(1e-9));
        assertThat(r.before().get("mean_absolute_percentage_error")).isCloseTo(100.0, within(1e-6));

        // Each step: grad of 10 (b - 1)^2 is 20 (b - 1); SGD at 0.01 shrinks (b - 1) by 0.8.
        // 1000 steps take it far below float precision.
        assertThat(r.after().get("loss")).isLessThanOrEqualTo(1e-6);
        assertThat(r.history().last("loss")).isLessThanOrEqualTo(1e-6);
        assertThat(r.history().get("loss")).hasSize(10);
        assertThat(r.predictions().shape()).isEqualTo(Shape.of(1000, 1));
        for (double v : r.predictions().toDoubleArray()) {
            assertThat(v).isCloseTo(1.0, within(1e-4));
        }
        assertThat(r.model().trainCounter()).isEqualTo(1000);

        String text = buf.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("Epoch 1/10").contains("Epoch 10/10").contains("100/100 - ")
                .contains("Predictions Shape: (1000, 1)");
    }

    @Test
    void theFirstEpochFollowsTheHandComputedGeometricDecay() {
        WalkthroughExample.Result r = WalkthroughExample.run(new PrintStream(new ByteArrayOutputStream()), 0);
        // Epoch 1 loss is the batch-size-weighted mean over its 100 steps of 10 (b_k - 1)^2 with
        // b_k - 1 = -0.8^k, k = 0..99 (each step logs the loss before its own update).
        double sum = 0;
        for (int k = 0; k < 100; k++) {
            sum += 10 * Math.pow(0.8, 2 * k);
        }
        assertThat(r.history().get("loss").get(0)).isCloseTo(sum / 100, within(1e-4));
    }
}
