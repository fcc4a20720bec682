package dev.vecgrad.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.train.callbacks.History;
import dev.vecgrad.train.callbacks.InMemoryCheckpoints;
import dev.vecgrad.train.callbacks.LambdaCallback;
import dev.vecgrad.train.callbacks.ModelCheckpoint;
import dev.vecgrad.train.data.Batch;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.layers.Dropout;
import dev.vecgrad.train.layers.Flatten;
import dev.vecgrad.train.metrics.Mean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelTest {

    private static Sequential compiled(long seed, int stepsPerExecution) {
        Sequential m = TestModels.regression(3, seed);
        m.compile(CompileOptions.of("sgd", "mse").metrics("mae").stepsPerExecution(stepsPerExecution));
        m.optimizer().setLearningRate(0.05);
        return m;
    }

    @Test
    void evaluateAccumulatesMetricStatesOverUnequalBatches() {
        Sequential m = compiled(7, 1);
        Tensor x = TestModels.inputs(25, 3, 1);
        Tensor y = TestModels.targets(x);
        Map<String, Double> r = m.evaluate(x, y, 10);   // batches of 10, 10 and 5

        // Independent: one prediction per sample, then plain means over all 25 samples.
        double[] pred = m.call(x, false).toDoubleArray();
        double[] t = y.toDoubleArray();
        double se = 0;
        double ae = 0;
        for (int i = 0; i < 25; i++) {
            se += (pred[i] - t[i]) * (pred[i] - t[i]);
            ae += Math.abs(pred[i] - t[i]);
        }
        assertThat(r.get("loss")).isCloseTo(se / 25, within(1e-5));
        assertThat(r.get("mae")).isCloseTo(ae / 25, within(1e-5));
        // The mean of the three per-batch means weights the short batch double: it must differ.
        double perBatch = 0;
        for (int[] b : new int[][] {{0, 10}, {10, 20}, {20, 25}}) {
            double s = 0;
            for (int i = b[0]; i < b[1]; i++) {
                s += (pred[i] - t[i]) * (pred[i] - t[i]);
            }
            perBatch += s / (b[1] - b[0]) / 3;
        }
        assertThat(Math.abs(perBatch - se / 25)).isGreaterThan(1e-4);
    }

    @Test
    void evaluateAndPredictOnDataWithoutBatchesSaySo() {
        Sequential m = compiled(1, 1);
        Dataset empty = Dataset.fromTensorSlices(Tensor.zeros(0, 3), Tensor.zeros(0, 1)).batch(4);
        assertThatThrownBy(() -> m.evaluate(empty)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no batches");
        assertThatThrownBy(() -> m.predict(empty)).hasMessageContaining("no batches");
        assertThatThrownBy(() -> m.fit(empty, 1)).hasMessageContaining("no batches");
    }

    @Test
    void fitBeforeCompileIsAnError() {
        Sequential m = TestModels.regression(3, 1);
        assertThatThrownBy(() -> m.fit(Tensor.zeros(4, 3), Tensor.zeros(4, 1), 1, 2))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("compile");
    }

    @Test
    void predictConcatenatesBatchesInOrderInInferenceMode() {
        Sequential m = new Sequential().add(new Dropout(0.5)).add(new Dense(2));
        m.setSeed(3);
        m.build(1, 4);
        Tensor x = TestModels.inputs(23, 4, 9);
        Tensor p = m.predict(x, 7);
        assertThat(p.shape()).isEqualTo(Shape.of(23, 2));
        // Dropout off in inference: the same as one call on all rows, and repeatable.
        assertThat(Tensor.describeMismatch(p, m.call(x, false), 1e-6, 1e-6)).isNull();
        assertThat(Tensor.describeMismatch(m.predict(x, 5), p, 0, 0)).isNull();
    }

    @Test
    void stepsPerExecutionFiresBatchCallbacksOncePerExecutionWithKerasStepNumbers() {
        Sequential m = compiled(5, 5);
        Tensor x = TestModels.inputs(23, 3, 2);
        Tensor y = TestModels.targets(x);
        List<String> events = new ArrayList<>();
        InMemoryCheckpoints saved = new InMemoryCheckpoints();
        ModelCheckpoint every3 = ModelCheckpoint.builder(saved).saveEveryBatches(3).build();
        LambdaCallback recorder = LambdaCallback.builder()
                .onTrainBatchBegin((b, l) -> events.add("begin " + b))
                .onTrainBatchEnd((b, l) -> events.add("end " + b))
                .build();
        // 12 batches of 2 (the last holds 1): executions cover batches 0-4, 5-9 and 10-11.
        m.fit(FitOptions.of(Dataset.fromTensorSlices(x, y).batch(2)).epochs(2).verbose(0).callbacks(recorder, every3));
        assertThat(events).containsExactly("begin 0", "end 4", "begin 5", "end 9", "begin 10", "end 11",
                "begin 0", "end 4", "begin 5", "end 9", "begin 10", "end 11");
        assertThat(m.trainCounter()).isEqualTo(24);
        // Every 3 batches, counting the batches an execution ran: saves after batches 4 and 9 in each epoch.
        assertThat(saved.snapshots()).extracting(s -> s.epoch() + ":" + s.batch())
                .containsExactly("0:4", "0:9", "1:4", "1:9");
    }

    @Test
    void stepsPerExecutionDoesNotChangeTheTrainingOrTheLogs() {
        Tensor x = TestModels.inputs(23, 3, 2);
        Tensor y = TestModels.targets(x);
        Dataset ds = Dataset.fromTensorSlices(x, y).batch(2);
        Sequential one = compiled(5, 1);
        Sequential five = compiled(5, 5);
        History h1 = one.fit(FitOptions.of(ds).epochs(3).verbose(0));
        History h5 = five.fit(FitOptions.of(ds).epochs(3).verbose(0));
        assertThat(h5.get("loss")).containsExactlyElementsOf(h1.get("loss"));
        assertThat(h5.get("mae")).containsExactlyElementsOf(h1.get("mae"));
        for (int i = 0; i < one.getWeights().size(); i++) {
            assertThat(Tensor.describeMismatch(five.getWeights().get(i), one.getWeights().get(i), 0, 0)).isNull();
        }
    }

    @Test
    void theLoggedLossIsTheBatchSizeWeightedMeanOfTheEpochsStepLosses() {
        Sequential m = compiled(11, 1);
        Tensor x = TestModels.inputs(7, 3, 4);
        Tensor y = TestModels.targets(x);
        List<Double> stepLosses = new ArrayList<>();
        // Record each step's own loss from the weights before its update, computed independently.
        Sequential shadow = compiled(11, 1);
        Dataset ds = Dataset.fromTensorSlices(x, y).batch(3);   // 3, 3, 1
        for (Batch b : ds) {
            double[] p = shadow.call(b.x(), false).toDoubleArray();
            double[] t = b.y().toDoubleArray();
            double s = 0;
            for (int i = 0; i < p.length; i++) {
                s += (p[i] - t[i]) * (p[i] - t[i]);
            }
            stepLosses.add(s / p.length);
            shadow.trainStep(b);
        }
        History h = m.fit(FitOptions.of(ds).epochs(1).verbose(0));
        double expected = (3 * stepLosses.get(0) + 3 * stepLosses.get(1) + stepLosses.get(2)) / 7;
        assertThat(h.last("loss")).isCloseTo(expected, within(1e-5));
    }

    /** The walkthrough's SimplifiedModel: its own train step with its own tape, loss and metrics. */
    static final class CustomStepModel extends Model {
        final Dense dense = track(new Dense(1));
        final Mean lossMean = new Mean("custom_loss");
        int steps;

        @Override
        protected Tensor forward(Tensor x, boolean training) {
            return dense.call(x, training);
        }

        @Override
        public Map<String, Double> trainStep(Batch data) {
            steps++;
            List<Variable> vars = trainableWeights();
            Tensor loss;
            List<Tensor> grads;
            try (GradientTape tape = GradientTape.open()) {
                Tensor pred = call(data.x(), true);
                loss = pred.sub(data.y()).square().mean();
                grads = tape.gradient(loss, vars);
            }
            applyGradients(grads, vars);
            lossMean.update(loss.get(), 1);
            Map<String, Double> logs = new LinkedHashMap<>();
            logs.put("custom_loss", lossMean.result());
            logs.put("steps", (double) steps);
            return logs;
        }

        @Override
        public void resetMetrics() {
            super.resetMetrics();
            lossMean.reset();
        }
    }

    @Test
    void anOverriddenTrainStepStillGetsLogsCallbacksAndHistoryFromFit() {
        CustomStepModel m = new CustomStepModel();
        m.build(1, 2);
        m.compile("sgd", "mse");
        Tensor x = TestModels.inputs(20, 2, 3);
        Tensor y = x.sum(new int[] {1}, true);
        List<Map<String, Double>> batchLogs = new ArrayList<>();
        LambdaCallback spy = LambdaCallback.builder().onTrainBatchEnd((b, l) -> batchLogs.add(l)).build();
        History h = m.fit(FitOptions.of(Dataset.fromTensorSlices(x, y).batch(5)).epochs(4).verbose(0).callbacks(spy));
        assertThat(m.steps).isEqualTo(16);
        assertThat(h.history().keySet()).containsExactly("custom_loss", "steps");
        assertThat(h.get("steps")).containsExactly(4.0, 8.0, 12.0, 16.0);
        assertThat(batchLogs).hasSize(16);
        assertThat(h.get("custom_loss").get(3)).isLessThan(h.get("custom_loss").get(0));
        assertThat(m.trainCounter()).isEqualTo(16);
    }

    @Test
    void validationSplitHoldsOutTheLastRowsAndLogsValMetrics() {
        Sequential m = compiled(2, 1);
        Tensor x = TestModels.inputs(50, 3, 8);
        Tensor y = TestModels.targets(x);
        History h = m.fit(FitOptions.of(x, y).epochs(2).batchSize(8).validationSplit(0.2).verbose(0));
        assertThat(h.history().keySet()).containsExactly("loss", "mae", "val_loss", "val_mae");
        Map<String, Double> held = m.evaluate(x.slice(0, 40, 50), y.slice(0, 40, 50), 8);
        assertThat(h.last("val_loss")).isCloseTo(held.get("loss"), within(1e-9));
        assertThat(m.trainCounter()).isEqualTo(2 * 5);   // 40 training rows in batches of 8
    }

    @Test
    void classWeightActsAsPerSampleWeights() {
        Tensor x = TestModels.inputs(12, 3, 5);
        Tensor y = Tensor.of(new int[] {0, 1, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2}).reshape(12, 1).cast(DType.F32);
        Map<Integer, Double> cw = Map.of(0, 1.0, 1, 0.25, 2, 3.0);
        float[] w = new float[12];
        float[] labels = y.toFloatArray();
        for (int i = 0; i < 12; i++) {
            w[i] = cw.get((int) labels[i]).floatValue();
        }
        Sequential a = compiled(4, 1);
        Sequential b = compiled(4, 1);
        a.fit(FitOptions.of(x, y).epochs(2).batchSize(4).shuffleSeed(1).classWeight(cw).verbose(0));
        b.fit(FitOptions.of(x, y, Tensor.of(w)).epochs(2).batchSize(4).shuffleSeed(1).verbose(0));
        for (int i = 0; i < a.getWeights().size(); i++) {
            assertThat(Tensor.describeMismatch(a.getWeights().get(i), b.getWeights().get(i), 1e-6, 1e-7)).isNull();
        }
        Sequential c = compiled(4, 1);
        assertThatThrownBy(() -> c.fit(FitOptions.of(x, y).classWeight(Map.of(0, 1.0)).verbose(0)))
                .hasMessageContaining("no weight for class");
    }

    @Test
    void stepsPerEpochContinuesThePassAcrossEpochsAndStopsWhenDataRunsOut() {
        Sequential m = compiled(3, 1);
        Tensor x = TestModels.inputs(10, 3, 1);
        Dataset ds = Dataset.fromTensorSlices(x, TestModels.targets(x)).batch(1);   // 10 batches
        History h = m.fit(FitOptions.of(ds).epochs(5).stepsPerEpoch(4).verbose(0));
        assertThat(m.trainCounter()).isEqualTo(10);
        assertThat(h.epochs()).containsExactly(0, 1, 2);
        Sequential r = compiled(3, 1);
        r.fit(FitOptions.of(ds.repeat()).epochs(5).stepsPerEpoch(4).verbose(0));
        assertThat(r.trainCounter()).isEqualTo(20);
    }

    @Test
    void initialEpochResumesTheEpochCount() {
        Sequential m = compiled(3, 1);
        Tensor x = TestModels.inputs(8, 3, 1);
        History h = m.fit(FitOptions.of(x, TestModels.targets(x)).epochs(5).initialEpoch(3).batchSize(4).verbose(0));
        assertThat(h.epochs()).containsExactly(3, 4);
    }

    @Test
    void summaryListsLayersOutputShapesAndParameterCounts() {
        Sequential m = new Sequential("net").add(new Flatten()).add(new Dense(4)).add(new Dense(2));
        m.build(1, 3, 2);
        String s = m.summary();
        assertThat(s).contains("Model: \"net\"");
        assertThat(s).containsPattern("flatten \\(Flatten\\)\\s+\\(None, 6\\)\\s+0");
        assertThat(s).containsPattern("dense \\(Dense\\)\\s+\\(None, 4\\)\\s+28");      // 6*4 + 4
        assertThat(s).containsPattern("dense_1 \\(Dense\\)\\s+\\(None, 2\\)\\s+10");    // 4*2 + 2
        assertThat(s).contains("Total params: 38").contains("Trainable params: 38").contains("Non-trainable params: 0");
    }

    @Test
    void resetMetricsClearsTheirState() {
        Sequential m = compiled(1, 1);
        Tensor x = TestModels.inputs(4, 3, 1);
        m.testStep(Batch.of(x, TestModels.targets(x)));
        assertThat(m.metricResults().get("loss")).isGreaterThan(0);
        m.resetMetrics();
        assertThat(m.metricResults().get("loss")).isEqualTo(0.0);
    }
}
