package dev.vecgrad.train.callbacks;

import static dev.vecgrad.train.callbacks.CallbackFixtures.filled;
import static dev.vecgrad.train.callbacks.CallbackFixtures.logs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.FitOptions;
import dev.vecgrad.train.Model;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.data.Batch;
import dev.vecgrad.train.data.Dataset;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallbacksTest {
    @TempDir
    Path dir;

    /** Feeds {@code values} of {@code key} to {@code cb} as epoch ends, setting the weights to the epoch number first. */
    private static int drive(Callback cb, Sequential m, String key, double... values) {
        cb.setModel(m);
        cb.onTrainBegin(new LinkedHashMap<>());
        int stoppedAt = -1;
        for (int e = 0; e < values.length && stoppedAt < 0; e++) {
            m.setWeights(filled(m, e));
            cb.onEpochEnd(e, logs(key, values[e]));
            if (m.stopTraining()) {
                stoppedAt = e;
            }
        }
        cb.onTrainEnd(new LinkedHashMap<>());
        return stoppedAt;
    }

    @Test
    void earlyStoppingWaitsPatienceEpochsAndRestoresTheBestWeights() {
        Sequential m = CallbackFixtures.model();
        EarlyStopping es = EarlyStopping.builder().monitor("val_loss").patience(2).restoreBestWeights(true).build();
        int stopped = drive(es, m, "val_loss", 1.0, 0.9, 0.95, 0.96, 0.97);
        assertThat(stopped).isEqualTo(3);
        assertThat(es.stoppedEpoch()).isEqualTo(3);
        assertThat(es.bestEpoch()).isEqualTo(1);
        assertThat(m.getWeights().get(0).toFloatArray()).containsOnly(1f);   // epoch 1's weights
    }

    @Test
    void earlyStoppingMinDeltaModeBaselineAndStartEpoch() {
        Sequential m = CallbackFixtures.model();
        // Improvements smaller than minDelta do not count.
        EarlyStopping delta = EarlyStopping.builder().monitor("loss").minDelta(0.1).patience(1).build();
        assertThat(drive(delta, m, "loss", 1.0, 0.95, 0.92, 0.5)).isEqualTo(1);
        // An accuracy must go up.
        m.setStopTraining(false);
        EarlyStopping acc = new EarlyStopping("val_accuracy", 1);
        assertThat(drive(acc, m, "val_accuracy", 0.5, 0.6, 0.7, 0.65)).isEqualTo(3);
        // Nothing counts before startFromEpoch.
        m.setStopTraining(false);
        EarlyStopping late = EarlyStopping.builder().monitor("loss").patience(1).startFromEpoch(3).build();
        assertThat(drive(late, m, "loss", 1, 2, 3, 4, 5)).isEqualTo(4);
        // Until the baseline is beaten, improvements do not reset the patience.
        m.setStopTraining(false);
        EarlyStopping base = EarlyStopping.builder().monitor("loss").patience(2).baseline(0.5).build();
        assertThat(drive(base, m, "loss", 1.0, 0.9, 0.95, 0.96)).isEqualTo(2);
        m.setStopTraining(false);
        EarlyStopping noBase = EarlyStopping.builder().monitor("loss").patience(2).build();
        assertThat(drive(noBase, m, "loss", 1.0, 0.9, 0.95, 0.96)).isEqualTo(3);
        m.setStopTraining(false);
        assertThatThrownBy(() -> drive(new EarlyStopping("val_auc", 1), m, "loss", 1.0))
                .hasMessageContaining("val_auc").hasMessageContaining("loss");
    }

    @Test
    void earlyStoppingEndsFit() {
        Sequential m = CallbackFixtures.model();
        EarlyStopping es = EarlyStopping.builder().monitor("loss").minDelta(1e9).patience(1).build();
        History h = m.fit(FitOptions.of(CallbackFixtures.x(), CallbackFixtures.y()).epochs(10).verbose(0).callbacks(es));
        assertThat(h.epochs()).containsExactly(0, 1);
        assertThat(es.stoppedEpoch()).isEqualTo(1);
    }

    @Test
    void modelCheckpointSavesEveryEpochOrOnlyImprovements() {
        Sequential m = CallbackFixtures.model();
        InMemoryCheckpoints all = new InMemoryCheckpoints();
        drive(ModelCheckpoint.builder(all).build(), m, "val_loss", 3, 2, 2.5, 1);
        assertThat(all.snapshots()).extracting(InMemoryCheckpoints.Snapshot::epoch).containsExactly(0, 1, 2, 3);
        InMemoryCheckpoints best = new InMemoryCheckpoints();
        ModelCheckpoint ckpt = ModelCheckpoint.builder(best).monitor("val_loss").saveBestOnly(true).build();
        drive(ckpt, m, "val_loss", 3, 2, 2.5, 1);
        assertThat(best.snapshots()).extracting(InMemoryCheckpoints.Snapshot::epoch).containsExactly(0, 1, 3);
        assertThat(best.last().weights().get(0).toFloatArray()).containsOnly(3f);
        assertThat(ckpt.best()).isEqualTo(1.0);
        // The snapshot is a copy: changing the model afterwards does not change it.
        m.setWeights(filled(m, 42));
        assertThat(best.last().weights().get(0).toFloatArray()).containsOnly(3f);
        InMemoryCheckpoints maxed = new InMemoryCheckpoints();
        drive(ModelCheckpoint.builder(maxed).monitor("val_accuracy").saveBestOnly(true).build(), m, "val_accuracy",
                0.5, 0.4, 0.6);
        assertThat(maxed.snapshots()).extracting(InMemoryCheckpoints.Snapshot::epoch).containsExactly(0, 2);
    }

    @Test
    void csvLoggerWritesAHeaderAndOneRowPerEpochAndAppends() throws IOException {
        Path f = dir.resolve("log.csv");
        Sequential m = CallbackFixtures.model();
        History h = m.fit(FitOptions.of(CallbackFixtures.x(), CallbackFixtures.y()).epochs(3).verbose(0)
                .callbacks(new CSVLogger(f)));
        List<String> lines = Files.readAllLines(f);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("epoch,loss,mae");
        for (int e = 0; e < 3; e++) {
            String[] cells = lines.get(e + 1).split(",");
            assertThat(Integer.parseInt(cells[0])).isEqualTo(e);
            assertThat(Double.parseDouble(cells[1])).isEqualTo(h.get("loss").get(e));
            assertThat(Double.parseDouble(cells[2])).isEqualTo(h.get("mae").get(e));
        }
        m.fit(FitOptions.of(CallbackFixtures.x(), CallbackFixtures.y()).epochs(2).verbose(0)
                .callbacks(new CSVLogger(f, ",", true)));
        lines = Files.readAllLines(f);
        assertThat(lines).hasSize(6);
        assertThat(lines.stream().filter(l -> l.startsWith("epoch"))).hasSize(1);
        m.fit(FitOptions.of(CallbackFixtures.x(), CallbackFixtures.y()).epochs(1).verbose(0).callbacks(new CSVLogger(f)));
        assertThat(Files.readAllLines(f)).hasSize(2);
    }

    @Test
    void learningRateSchedulerSetsTheRateEachEpochAndLogsIt() {
        Sequential m = CallbackFixtures.model();
        History h = m.fit(FitOptions.of(CallbackFixtures.x(), CallbackFixtures.y()).epochs(3).verbose(0)
                .callbacks(new LearningRateScheduler((epoch, lr) -> 0.1 / (epoch + 1))));
        assertThat(h.get("learning_rate")).containsExactly(0.1, 0.05, 0.1 / 3);
        assertThat(m.optimizer().learningRate()).isCloseTo(0.1 / 3, within(1e-12));
    }

    @Test
    void reduceLrOnPlateauCutsTheRateAfterPatienceAndRespectsCooldownAndFloor() {
        Sequential m = CallbackFixtures.model();
        List<Double> rates = new ArrayList<>();
        ReduceLROnPlateau r = ReduceLROnPlateau.builder().monitor("val_loss").factor(0.5).patience(2).cooldown(1)
                .minLr(0.02).build();
        r.setModel(m);
        r.onTrainBegin(new LinkedHashMap<>());
        double[] losses = {1, 1, 1, 1, 1, 1, 1, 1, 0.5, 0.5};
        for (int e = 0; e < losses.length; e++) {
            r.onEpochEnd(e, logs("val_loss", losses[e]));
            rates.add(m.optimizer().learningRate());
        }
        // Keras's rule: epoch 2 cuts (two epochs without improvement); the cooldown epoch after a cut
        // resets the count and then counts itself, so the next cuts come at epochs 4 and 6, the last
        // floored at minLr (0.025 * 0.5 < 0.02); epoch 8 improves.
        assertThat(rates).containsExactly(0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02, 0.02, 0.02);
        r.onEpochEnd(10, logs("val_loss", 0.5));
        r.onEpochEnd(11, logs("val_loss", 0.5));
        assertThat(m.optimizer().learningRate()).isCloseTo(0.02, within(1e-12));   // never below the floor
        assertThatThrownBy(() -> ReduceLROnPlateau.builder().factor(1.5)).hasMessageContaining("factor");
    }

    @Test
    void terminateOnNaNStopsAtTheFirstBadLoss() {
        Model m = new Sequential() {
            int steps;

            @Override
            public Map<String, Double> trainStep(Batch data) {
                steps++;
                return logs("loss", steps == 3 ? Double.NaN : 1.0);
            }
        }.add(new dev.vecgrad.train.layers.Dense(1));
        m.build(1, 2);
        m.compile("sgd", "mse");
        TerminateOnNaN t = new TerminateOnNaN();
        History h = m.fit(FitOptions.of(Dataset.fromTensorSlices(CallbackFixtures.x(), CallbackFixtures.y()).batch(1))
                .epochs(5).verbose(0).callbacks(t));
        assertThat(m.trainCounter()).isEqualTo(3);
        assertThat(t.terminatedAtBatch()).isEqualTo(2);
        assertThat(h.epochs()).containsExactly(0);
    }

    @Test
    void lambdaCallbackSeesEveryHookInKerasOrder() {
        Sequential m = CallbackFixtures.model();
        List<String> ev = new ArrayList<>();
        LambdaCallback cb = LambdaCallback.builder()
                .onTrainBegin(l -> ev.add("train_begin"))
                .onTrainEnd(l -> ev.add("train_end"))
                .onEpochBegin((e, l) -> ev.add("epoch_begin " + e))
                .onEpochEnd((e, l) -> ev.add("epoch_end " + e + " " + l.keySet()))
                .onTrainBatchBegin((b, l) -> ev.add("train_batch_begin " + b))
                .onTrainBatchEnd((b, l) -> ev.add("train_batch_end " + b))
                .onTestBegin(l -> ev.add("test_begin"))
                .onTestEnd(l -> ev.add("test_end"))
                .onTestBatchBegin((b, l) -> ev.add("test_batch_begin " + b))
                .onTestBatchEnd((b, l) -> ev.add("test_batch_end " + b))
                .onPredictBegin(l -> ev.add("predict_begin"))
                .onPredictEnd(l -> ev.add("predict_end"))
                .onPredictBatchBegin((b, l) -> ev.add("predict_batch_begin " + b))
                .onPredictBatchEnd((b, l) -> ev.add("predict_batch_end " + b))
                .build();
        Dataset ds = Dataset.fromTensorSlices(CallbackFixtures.x(), CallbackFixtures.y()).batch(2);
        m.fit(FitOptions.of(ds).epochs(1).validationData(ds.take(1)).verbose(0).callbacks(cb));
        assertThat(ev).containsExactly("train_begin", "epoch_begin 0", "train_batch_begin 0", "train_batch_end 0",
                "train_batch_begin 1", "train_batch_end 1", "test_begin", "test_batch_begin 0", "test_batch_end 0",
                "test_end", "epoch_end 0 [loss, mae, val_loss, val_mae]", "train_end");
        ev.clear();
        m.evaluate(ds, -1, 0, List.of(cb));
        assertThat(ev).containsExactly("test_begin", "test_batch_begin 0", "test_batch_end 0", "test_batch_begin 1",
                "test_batch_end 1", "test_end");
        ev.clear();
        Tensor p = m.predict(ds, -1, 0, List.of(cb));
        assertThat(p.shape().dim(0)).isEqualTo(4);
        assertThat(ev).containsExactly("predict_begin", "predict_batch_begin 0", "predict_batch_end 0",
                "predict_batch_begin 1", "predict_batch_end 1", "predict_end");
    }

    @Test
    void historyKeepsEpochLogsInOrder() {
        History h = new History();
        h.onEpochEnd(0, logs("loss", 2.0));
        h.onEpochEnd(1, logs("loss", 1.0));
        assertThat(h.get("loss")).containsExactly(2.0, 1.0);
        assertThat(h.last("loss")).isEqualTo(1.0);
        assertThat(h.epochs()).containsExactly(0, 1);
        assertThatThrownBy(() -> h.get("acc")).hasMessageContaining("[loss]");
    }

    @Test
    void callbackListAddsHistoryAndProgbarOnlyWhenAsked() {
        Sequential m = CallbackFixtures.model();
        CallbackList quiet = new CallbackList(List.of(), true, false, m, new CallbackParams(1, 1, 0));
        assertThat(quiet.callbacks()).hasSize(1).first().isInstanceOf(History.class);
        History mine = new History();
        CallbackList loud = new CallbackList(List.of(mine), true, true, m, new CallbackParams(1, 1, 1));
        assertThat(loud.callbacks()).hasSize(2);
        assertThat(loud.callbacks().get(0)).isSameAs(mine);
        assertThat(loud.callbacks().get(1)).isInstanceOf(ProgbarLogger.class);
        assertThat(loud.history()).isSameAs(mine);
        assertThat(loud.callbacks().get(1).model()).isSameAs(m);
        assertThat(loud.callbacks().get(1).params().verbose()).isEqualTo(1);
    }

    /** As Keras 3's CallbackList: the given callbacks in their order, then History, then the bar. */
    @Test
    void theAddedHistoryAndProgressBarComeAfterTheGivenCallbacks() {
        Callback first = new Callback() { };
        Callback second = new Callback() { };
        CallbackList list = new CallbackList(List.of(first, second), true, true, CallbackFixtures.model(),
                new CallbackParams(1, 1, 1));
        assertThat(list.callbacks()).hasSize(4);
        assertThat(list.callbacks().subList(0, 2)).containsExactly(first, second);
        assertThat(list.callbacks().get(2)).isSameAs(list.history());
        assertThat(list.callbacks().get(3)).isInstanceOf(ProgbarLogger.class);
        // A bar the caller passes keeps its place, and no second one is added.
        ProgbarLogger bar = new ProgbarLogger(new PrintStream(OutputStream.nullOutputStream()), false);
        CallbackList given = new CallbackList(List.of(bar, first), true, true, CallbackFixtures.model(),
                new CallbackParams(1, 1, 1));
        assertThat(given.callbacks()).containsExactly(bar, first, given.history());
    }

    /** Records its train-batch ends (name, batch, loss) and the logs maps it was given. */
    private static final class BatchEndRecorder extends Callback {
        private final String name;
        private final List<String> calls;
        private final List<Map<String, Double>> seen = new ArrayList<>();

        BatchEndRecorder(String name, List<String> calls) {
            this.name = name;
            this.calls = calls;
        }

        @Override
        public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
            calls.add(name + " " + batch + " " + logs.get("loss"));
            seen.add(logs);
        }
    }

    @Test
    void batchHooksReachTheCallbacksThatOverrideThemInOrderWithOneLogsMap() {
        Sequential m = CallbackFixtures.model();
        CallbackParams params = new CallbackParams(1, 1, 0);
        // A begin override alone is called for its mode's begin only, with empty logs of its own.
        List<String> began = new ArrayList<>();
        CallbackList testBegin = new CallbackList(List.of(new EarlyStopping("loss", 1), new Callback() {
            @Override
            public void onTestBatchBegin(int batch, Map<String, Double> logs) {
                began.add(batch + " " + logs);
                logs.put("seen", 1.0);
            }
        }), true, false, m, params);
        for (CallbackList.Mode mode : CallbackList.Mode.values()) {
            testBegin.onBatchBegin(mode, 2);
            testBegin.onBatchEnd(mode, 2, Map.of("loss", 1.0));
        }
        testBegin.onBatchBegin(CallbackList.Mode.TEST, 3);
        assertThat(began).containsExactly("2 {}", "3 {}");

        List<String> calls = new ArrayList<>();
        BatchEndRecorder first = new BatchEndRecorder("first", calls);
        BatchEndRecorder second = new BatchEndRecorder("second", calls);
        CallbackList list = new CallbackList(List.of(first, new History(), second), false, false, m, params);
        Map<String, Double> logs = logs("loss", 0.5);
        list.onTrainBatchEnd(3, logs);
        assertThat(calls).containsExactly("first 3 0.5", "second 3 0.5");
        assertThat(first.seen).singleElement().isSameAs(logs);
        assertThat(second.seen).singleElement().isSameAs(logs);

        // From a loop: callbacks that may keep the logs share one copy of the step's results, the
        // progress bar in front of them or not; a change to it leaves the results alone.
        for (boolean progbar : new boolean[] {false, true}) {
            calls.clear();
            first.seen.clear();
            second.seen.clear();
            Map<String, Double> results = logs("loss", 0.25);
            new CallbackList(List.of(first, second), false, progbar, m, params).onBatchEnd(CallbackList.Mode.TRAIN, 4,
                    results);
            assertThat(calls).containsExactly("first 4 0.25", "second 4 0.25");
            assertThat(first.seen.get(0)).isSameAs(second.seen.get(0)).isNotSameAs(results).isEqualTo(results);
            first.seen.get(0).put("extra", 1.0);
            assertThat(results).containsOnlyKeys("loss");
        }

        // Through fit: every batch, a map of its own, the same for both callbacks.
        calls.clear();
        first.seen.clear();
        second.seen.clear();
        m.fit(FitOptions.of(Dataset.fromTensorSlices(CallbackFixtures.x(), CallbackFixtures.y()).batch(2)).epochs(1)
                .verbose(0).callbacks(first, second));
        assertThat(calls).hasSize(4).extracting(c -> c.substring(0, c.lastIndexOf(' '))).containsExactly("first 0",
                "second 0", "first 1", "second 1");
        assertThat(first.seen.get(0)).isSameAs(second.seen.get(0)).isNotSameAs(first.seen.get(1));
        assertThat(first.seen.get(1)).isSameAs(second.seen.get(1)).containsKey("loss");
    }

    @Test
    void earlyStoppingRestoresAtTheEndHoweverTrainingEnded() {
        // Another callback stops training at epoch 3; the best epoch (2) is restored at the end.
        Sequential m = CallbackFixtures.model();
        EarlyStopping es = EarlyStopping.builder().monitor("val_loss").patience(5).baseline(0.5)
                .restoreBestWeights(true).build();
        es.setModel(m);
        es.onTrainBegin(new LinkedHashMap<>());
        double[] losses = {0.9, 0.8, 0.7, 0.71, 0.72};
        for (int e = 0; e < 4; e++) {
            m.setWeights(filled(m, e));
            es.onEpochEnd(e, logs("val_loss", losses[e]));
        }
        assertThat(m.stopTraining()).isFalse();
        assertThat(m.getWeights().get(0).toFloatArray()).containsOnly(3f);
        es.onTrainEnd(new LinkedHashMap<>());
        assertThat(m.getWeights().get(0).toFloatArray()).containsOnly(2f);
        assertThat(es.bestEpoch()).isEqualTo(2);

        // Through fit: training that runs out of epochs also ends on the best weights.
        Sequential fitted = CallbackFixtures.model();
        List<Double> seen = new ArrayList<>();
        EarlyStopping keep = EarlyStopping.builder().monitor("loss").patience(100).restoreBestWeights(true).build();
        Callback spy = new Callback() {
            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
                seen.add(logs.get("loss"));
            }
        };
        fitted.optimizer().setLearningRate(5.0);   // diverges: the first epoch is the best
        fitted.fit(FitOptions.of(CallbackFixtures.x(), CallbackFixtures.y()).epochs(3).verbose(0).callbacks(keep, spy));
        assertThat(keep.stoppedEpoch()).isEqualTo(-1);
        assertThat(keep.bestEpoch()).isEqualTo(0);
        assertThat(seen.get(0)).isLessThan(seen.get(1)).isLessThan(seen.get(2));
        // One batch an epoch: epoch 1's loss was measured on the weights epoch 0 ended with.
        double restored = fitted.evaluate(CallbackFixtures.x(), CallbackFixtures.y(), 4).get("loss");
        assertThat(restored).isCloseTo(seen.get(1), within(1e-6 * seen.get(1)));
    }
}
