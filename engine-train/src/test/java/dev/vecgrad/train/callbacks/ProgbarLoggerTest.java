package dev.vecgrad.train.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.train.FitOptions;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.data.Dataset;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgbarLoggerTest {

    private static String run(boolean terminal, int verbose) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        Sequential m = CallbackFixtures.model();
        Dataset ds = Dataset.fromTensorSlices(CallbackFixtures.x(), CallbackFixtures.y()).batch(1);
        m.fit(FitOptions.of(ds).epochs(2).verbose(verbose).validationData(ds)
                .callbacks(new ProgbarLogger(out, terminal)));
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void offATerminalItPrintsOneLinePerEpoch() {
        String text = run(false, 1);
        List<String> lines = text.lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("Epoch 1/2");
        assertThat(lines.get(1)).matches(
                "4/4 - \\d+s - \\d+(us|ms|s)/step - loss: \\d+\\.\\d{4}(e-\\d+)? - mae: \\S+ - val_loss: \\S+ - val_mae: \\S+");
        assertThat(lines.get(2)).isEqualTo("Epoch 2/2");
        assertThat(text).doesNotContain("\r");
    }

    @Test
    void onATerminalItDrawsALiveBar() {
        String text = run(true, 1);
        assertThat(text).containsPattern("\r1/4 \\[={6}>\\.{23}\\] - ETA: \\d+s - loss: ");
        assertThat(text).containsPattern("\r4/4 \\[={30}\\] - ");
        assertThat(text).containsPattern("4/4 \\[=+\\] - \\d+s \\d+(us|ms|s)/step - loss: ");
    }

    @Test
    void verboseTwoIsOneLinePerEpochEvenOnATerminal() {
        String text = run(true, 2);
        assertThat(text).doesNotContain("\r").doesNotContain("[");
        assertThat(text.lines().toList()).hasSize(4);
    }

    /**
     * The bar fit adds comes after the callbacks passed to fit (as in Keras 3), so a key one of them
     * adds to the epoch's logs in onEpochEnd is on the printed epoch line, as are the
     * {@code learning_rate} that LearningRateScheduler records and the validation results.
     */
    @Test
    void keysTheCallbacksAddAtEpochEndAreOnTheDefaultBarsEpochLine() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            Sequential m = CallbackFixtures.model();
            Dataset ds = Dataset.fromTensorSlices(CallbackFixtures.x(), CallbackFixtures.y()).batch(2);
            m.fit(FitOptions.of(ds).epochs(2).verbose(2).validationData(ds).callbacks(
                    LambdaCallback.builder().onEpochEnd((epoch, logs) -> logs.put("epoch_squared",
                            (double) (epoch * epoch))).build(),
                    new LearningRateScheduler((epoch, lr) -> 0.5 / (epoch + 1))));
        } finally {
            System.setOut(saved);
        }
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).matches("2/2 - .* - val_mae: \\S+ - epoch_squared: 0\\.0000 - learning_rate: 0\\.5000");
        assertThat(lines.get(3)).matches("2/2 - .* - val_mae: \\S+ - epoch_squared: 1\\.0000 - learning_rate: 0\\.2500");
    }

    @Test
    void smallValuesUseScientificNotationAsKeras() {
        assertThat(ProgbarLogger.metrics(java.util.Map.of("loss", 1.5e-5))).isEqualTo(" - loss: 1.5000e-05");
        assertThat(ProgbarLogger.metrics(java.util.Map.of("loss", 0.25))).isEqualTo(" - loss: 0.2500");
    }
}
