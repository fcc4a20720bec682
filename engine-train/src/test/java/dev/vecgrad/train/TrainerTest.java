package dev.vecgrad.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.metrics.MeanAbsoluteError;
import dev.vecgrad.train.optimizers.SGD;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the Trainer behind Model adds: building before the first step, plain and weighted metrics. */
class TrainerTest {
    @TempDir
    Path tmp;

    /** A subclassed model of two Dense layers, the shape of model a user writes first. */
    static final class TwoDense extends Model {
        private final Dense hidden = track(new Dense(4, Activations.tanh()));
        private final Dense out = track(new Dense(1));

        @Override
        protected Tensor forward(Tensor x, boolean training) {
            return out.call(hidden.call(x, training), training);
        }
    }

    private static void assertSameBits(Model a, Model b) {
        List<Tensor> wa = a.getWeights();
        List<Tensor> wb = b.getWeights();
        assertThat(wa).hasSameSizeAs(wb);
        for (int i = 0; i < wa.size(); i++) {
            assertThat(wa.get(i).toFloatArray()).as("weight %d", i).containsExactly(wb.get(i).toFloatArray());
        }
    }

    @Test
    void theFirstStepOfAnUnbuiltModelUpdatesItExactlyAsAnExplicitlyBuiltOne() {
        Tensor x = TestModels.inputs(12, 3, 4);
        Tensor y = TestModels.targets(x);
        for (boolean sequential : new boolean[] {true, false}) {
            Model built = sequential ? new Sequential(new Dense(4, Activations.tanh()), new Dense(1)) : new TwoDense();
            Model lazy = sequential ? new Sequential(new Dense(4, Activations.tanh()), new Dense(1)) : new TwoDense();
            Model untouched = sequential ? new Sequential(new Dense(4, Activations.tanh()), new Dense(1)) : new TwoDense();
            built.build(1, 3);
            untouched.build(1, 3);
            for (Model m : List.of(built, lazy)) {
                m.compile(new SGD(0.1), new dev.vecgrad.train.losses.MeanSquaredError());
                m.fit(FitOptions.of(x, y).epochs(1).batchSize(12).shuffle(false).verbose(0));
                assertThat(m.optimizer().iterations()).isEqualTo(1);
            }
            assertSameBits(built, lazy);
            // The one step moved every weight: the bias of the output layer starts at zero.
            assertThat(lazy.getWeights().get(3).item()).isNotEqualTo(0.0);
            assertThat(lazy.getWeights().get(0).toFloatArray()).isNotEqualTo(untouched.getWeights().get(0).toFloatArray());
            // And they go on the same way.
            built.fit(FitOptions.of(x, y).epochs(2).batchSize(5).shuffle(false).verbose(0));
            lazy.fit(FitOptions.of(x, y).epochs(2).batchSize(5).shuffle(false).verbose(0));
            assertSameBits(built, lazy);
        }
    }

    @Test
    void plainMetricsIgnoreSampleWeightsAndWeightedMetricsUseThem() {
        Sequential m = TestModels.regression(2, 9);
        m.compile(CompileOptions.of("sgd", "mse").metrics("mae").weightedMetrics("mae", new MeanAbsoluteError("wmae")));
        Tensor x = TestModels.inputs(7, 2, 5);
        Tensor y = TestModels.targets(x);
        Tensor w = Tensor.of(new float[] {1, 0, 2, 0.5f, 0, 3, 1}, 7);
        Map<String, Double> r = m.evaluate(Dataset.fromTensorSlices(x, y, w).batch(3));

        double[] pred = m.call(x, false).toDoubleArray();
        double[] t = y.toDoubleArray();
        double[] ws = w.toDoubleArray();
        double plain = 0;
        double weighted = 0;
        double weightSum = 0;
        for (int i = 0; i < 7; i++) {
            double e = Math.abs(pred[i] - t[i]);
            plain += e;
            weighted += ws[i] * e;
            weightSum += ws[i];
        }
        assertThat(r.keySet()).containsExactly("loss", "mae", "weighted_mae", "wmae");
        assertThat(r.get("mae")).isCloseTo(plain / 7, within(1e-6));
        assertThat(r.get("weighted_mae")).isCloseTo(weighted / weightSum, within(1e-6));
        assertThat(r.get("wmae")).isCloseTo(weighted / weightSum, within(1e-6));
        assertThat(plain / 7).isNotCloseTo(weighted / weightSum, within(1e-3));
    }

    @Test
    void classWeightsReachOnlyTheWeightedMetrics() {
        Tensor x = TestModels.inputs(8, 2, 6);
        Tensor labels = Tensor.of(new int[] {0, 1, 1, 0, 1, 0, 0, 1}, 8);
        Sequential m = new Sequential(new Dense(2));
        m.setSeed(4);
        m.build(1, 2);
        m.compile(CompileOptions.of(new SGD(0), "sparse_categorical_crossentropy").metrics("accuracy")
                .weightedMetrics("accuracy"));
        Map<String, Double> logs = m.fit(FitOptions.of(x, labels).epochs(1).batchSize(8).shuffle(false).verbose(0)
                .classWeight(Map.of(0, 3.0, 1, 0.0))).history().entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(0)));
        // Learning rate 0: the predictions during the step are the model's now.
        int[] predicted = m.call(x, false).argmax(-1).toIntArray();
        int[] truth = labels.toIntArray();
        double right = 0;
        double rightClass0 = 0;
        for (int i = 0; i < 8; i++) {
            right += predicted[i] == truth[i] ? 1 : 0;
            rightClass0 += predicted[i] == truth[i] && truth[i] == 0 ? 1 : 0;
        }
        assertThat(logs.get("accuracy")).isCloseTo(right / 8, within(1e-9));
        assertThat(logs.get("weighted_accuracy")).isCloseTo(rightClass0 / 4, within(1e-9));
    }

    @Test
    void weightedMetricsSurviveSaveAndLoad() throws IOException {
        Sequential m = TestModels.regression(2, 9);
        m.compile(CompileOptions.of("adam", "mse").metrics("mae").weightedMetrics("mse", new MeanAbsoluteError("wmae")));
        m.save(tmp.resolve("m"));
        Model loaded = Model.load(tmp.resolve("m"));
        Tensor x = TestModels.inputs(6, 2, 5);
        Tensor y = TestModels.targets(x);
        Tensor w = Tensor.of(new float[] {1, 0, 2, 0.5f, 0, 3}, 6);
        Dataset data = Dataset.fromTensorSlices(x, y, w).batch(4);
        assertThat(loaded.evaluate(data)).isEqualTo(m.evaluate(data));
        assertThat(loaded.evaluate(data).keySet()).containsExactly("loss", "mae", "mse", "wmae");
    }

    @Test
    void anUnknownMetricNameFailsInCompile() {
        Sequential m = TestModels.regression(2, 9);
        assertThatThrownBy(() -> m.compile(CompileOptions.of("sgd", "mse").weightedMetrics("f9")))
                .hasMessageContaining("unknown metric 'f9'");
        assertThat(m.isCompiled()).isFalse();
    }
}
