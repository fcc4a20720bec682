package dev.vecgrad.train.conformance;

import static dev.vecgrad.train.conformance.Keras.close;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.FitOptions;
import dev.vecgrad.train.Model;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.callbacks.BackupAndRestore;
import dev.vecgrad.train.callbacks.Callback;
import dev.vecgrad.train.callbacks.EarlyStopping;
import dev.vecgrad.train.callbacks.History;
import dev.vecgrad.train.callbacks.LearningRateScheduler;
import dev.vecgrad.train.callbacks.MonitorCallback;
import dev.vecgrad.train.callbacks.MonitorMode;
import dev.vecgrad.train.callbacks.ReduceLROnPlateau;
import dev.vecgrad.train.callbacks.TerminateOnNaN;
import dev.vecgrad.train.initializers.Constant;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.metrics.F1Score;
import dev.vecgrad.train.optimizers.Adam;
import dev.vecgrad.train.optimizers.schedules.PolynomialDecay;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The expectations of Keras 3's callback tests ({@code callbacks/terminate_on_nan_test.py},
 * {@code early_stopping_test.py}, {@code monitor_callback_test.py},
 * {@code reduce_lr_on_plateau_test.py}, {@code learning_rate_scheduler_test.py}), run through
 * vecgrad's {@code fit} on models like Keras's. Inputs Keras draws at random are drawn here with a
 * fixed seed; no expectation depends on their values.
 */
class KerasCallbacksTest {
    private final Random rng = new Random(1337);

    @TempDir
    Path tmp;

    private Tensor random(int rows, int cols) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextDouble();
        }
        return Tensor.of(v, rows, cols).cast(dev.vecgrad.core.DType.F32);
    }

    /** {@code to_categorical} of random labels of two classes, as Keras's {@code get_test_data}. */
    private Tensor twoClasses(int rows) {
        float[] v = new float[rows * 2];
        for (int i = 0; i < rows; i++) {
            v[i * 2 + rng.nextInt(2)] = 1;
        }
        return Tensor.of(v, rows, 2);
    }

    private static History fit(Model m, Tensor x, Tensor y, int epochs, int batch, Callback... callbacks) {
        return m.fit(FitOptions.of(x, y).batchSize(batch).epochs(epochs).verbose(0).callbacks(callbacks));
    }

    /** {@code Sequential([Dense(1, input_shape=(1,))])} compiled with sgd and mse, as the NaN tests build it. */
    private static Sequential oneByOne() {
        Sequential m = new Sequential(new Dense(1));
        m.setSeed(1);
        m.build(1, 1);
        m.compile(CompileOptions.of("sgd", "mse"));
        return m;
    }

    private static Tensor column(double... v) {
        return Tensor.of(v, v.length, 1).cast(dev.vecgrad.core.DType.F32);
    }

    // ---------------------------------------------------------------------------------------
    // terminate_on_nan_test.py

    @Test
    void terminateOnNaN() {
        Sequential m = new Sequential();
        for (int i = 0; i < 5; i++) {
            m.add(Dense.builder(2).activation(Activations.relu()).kernelInitializer(new Constant(1e5)).build());
        }
        m.add(new Dense(2));
        m.build(1, 3);
        m.compile(CompileOptions.of("sgd", "mean_squared_error"));
        History h = m.fit(FitOptions.of(random(10, 3), twoClasses(10)).batchSize(4).epochs(20).verbose(0)
                .validationData(random(10, 3), twoClasses(10)).callbacks(new TerminateOnNaN()));
        List<Double> loss = h.get("loss");
        assertThat(loss).hasSize(1);
        assertThat(Double.isFinite(loss.get(0))).isFalse();
    }

    @Test
    void terminateOnNaNStopsGracefullyByDefault() {
        History h = fit(oneByOne(), column(1, 2), column(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY), 2, 1,
                new TerminateOnNaN(false));
        assertThat(h.get("loss").size()).isLessThan(4);
    }

    @Test
    void terminateOnNaNWithRaiseErrorThrows() {
        assertThatThrownBy(() -> fit(oneByOne(), column(1, 2), column(Double.POSITIVE_INFINITY,
                Double.POSITIVE_INFINITY), 1, 1, new TerminateOnNaN(true)))
                .isInstanceOf(TerminateOnNaN.NonFiniteLossException.class)
                .hasMessageContaining("NaN or Inf loss encountered");
    }

    @Test
    void raisingSkipsOnTrainEnd() {
        boolean[] trainEndCalled = {false};
        Callback tracking = new Callback() {
            @Override
            public void onTrainEnd(Map<String, Double> logs) {
                trainEndCalled[0] = true;
            }
        };
        assertThatThrownBy(() -> fit(oneByOne(), column(1), column(Double.POSITIVE_INFINITY), 1, 1, tracking,
                new TerminateOnNaN(true))).isInstanceOf(RuntimeException.class);
        assertThat(trainEndCalled[0]).isFalse();
    }

    @Test
    void raisingKeepsTheBackup() throws IOException {
        Path backups = Files.createDirectories(tmp.resolve("backups"));
        Path fake = Files.writeString(backups.resolve("checkpoint.txt"), "dummy checkpoint");
        BackupAndRestore backup = new BackupAndRestore(backups);
        assertThatThrownBy(() -> fit(oneByOne(), column(1), column(Double.POSITIVE_INFINITY), 1, 1, backup,
                new TerminateOnNaN(true))).isInstanceOf(RuntimeException.class);
        assertThat(backups).exists();
        assertThat(fake).exists();
    }

    @Test
    void normalTrainingDoesNotRaise() {
        for (boolean raiseError : new boolean[] {false, true}) {
            History h = fit(oneByOne(), column(1, 2), column(1, 2), 2, 32, new TerminateOnNaN(raiseError));
            assertThat(h.get("loss")).hasSize(2);
        }
    }

    @Test
    void raisingNamesTheLaterBatch() {
        assertThatThrownBy(() -> fit(oneByOne(), column(1, 2), column(1, Double.POSITIVE_INFINITY), 1, 1,
                new TerminateOnNaN(true))).isInstanceOf(TerminateOnNaN.NonFiniteLossException.class)
                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("batch 0", "batch 1"));
    }

    // ---------------------------------------------------------------------------------------
    // early_stopping_test.py and monitor_callback_test.py

    /** Keras's model for the monitor tests: two ReLU Dense(1) compiled with mae, adam and five metrics. */
    private Sequential monitored() {
        Sequential m = new Sequential(new Dense(1, Activations.relu()), new Dense(1, Activations.relu()));
        m.setSeed(3);
        m.build(1, 5);
        m.compile(CompileOptions.of("adam", "mae").metrics("mse", "acc", "accuracy", "hinge",
                new F1Score("f1_score", F1Score.Average.NONE, null)));
        return m;
    }

    private static final Object[][] MODE_CASES = {
        {MonitorMode.MAX, "val_mse", MonitorMode.MAX},
        {MonitorMode.MIN, "val_loss", MonitorMode.MIN},
        {MonitorMode.AUTO, "val_mse", MonitorMode.MIN},
        {MonitorMode.AUTO, "loss", MonitorMode.MIN},
        {MonitorMode.AUTO, "acc", MonitorMode.MAX},
        {MonitorMode.AUTO, "val_accuracy", MonitorMode.MAX},
        {MonitorMode.AUTO, "hinge", MonitorMode.MIN},
        {MonitorMode.AUTO, "f1_score", MonitorMode.MAX},
    };

    @Test
    void earlyStoppingModes() {
        Sequential m = monitored();
        Tensor x = random(10, 5);
        Tensor y = random(10, 1);
        Tensor xv = random(10, 5);
        Tensor yv = random(10, 1);
        for (Object[] c : MODE_CASES) {
            EarlyStopping stop = EarlyStopping.builder().patience(0).monitor((String) c[1]).mode((MonitorMode) c[0])
                    .build();
            m.fit(FitOptions.of(x, y).batchSize(5).validationData(xv, yv).epochs(2).verbose(0).callbacks(stop));
            assertThat(stop.monitorMode()).as("%s", c[1]).isEqualTo(c[2]);
        }
        EarlyStopping unknown = EarlyStopping.builder().patience(0).monitor("unknown").build();
        assertThatThrownBy(() -> m.fit(FitOptions.of(x, y).batchSize(5).validationData(xv, yv).epochs(2).verbose(0)
                .callbacks(unknown))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown");
    }

    @Test
    void earlyStoppingPatience() {
        double[] losses = {10.0, 9.0, 8.0, 9.0, 8.9, 8.8, 8.7, 8.6, 8.5};
        for (int patience = 0; patience <= 3; patience++) {
            Sequential m = new Sequential(new Dense(1));
            m.build(1, 1);
            m.compile(CompileOptions.of("sgd", "mse"));
            EarlyStopping stopper = EarlyStopping.builder().monitor("loss").patience(patience).build();
            stopper.setModel(m);
            stopper.onTrainBegin(new HashMap<>());
            for (int epoch = 0; epoch < losses.length; epoch++) {
                stopper.onEpochEnd(epoch, new HashMap<>(Map.of("loss", losses[epoch])));
                if (m.stopTraining()) {
                    break;
                }
            }
            assertThat(stopper.stoppedEpoch()).isEqualTo(Math.max(patience, 1) + 2);
        }
    }

    @Test
    void earlyStoppingReuse() {
        int patience = 3;
        Tensor data = random(100, 1);
        float[] d = data.toFloatArray();
        float[] l = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            l[i] = d[i] > 0.5 ? 1 : 0;
        }
        Tensor labels = Tensor.of(l, 100, 1);
        Sequential m = new Sequential(new Dense(1, Activations.relu()), new Dense(1, Activations.relu()));
        m.build(1, 1);
        m.compile(CompileOptions.of("sgd", "mae").metrics("mse"));
        EarlyStopping stopper = EarlyStopping.builder().monitor("mse").patience(patience).build();
        History first = fit(m, data, labels, 20, 32, stopper);
        assertThat(first.epochs().size()).isGreaterThanOrEqualTo(patience);
        History second = fit(m, data, labels, 20, 32, stopper);
        assertThat(second.epochs().size()).isGreaterThanOrEqualTo(patience);
    }

    @Test
    void earlyStoppingWithBaseline() {
        Sequential m = new Sequential(new Dense(1, Activations.relu()), new Dense(1, Activations.relu()));
        m.build(1, 5);
        m.compile(CompileOptions.of("sgd", "mae").metrics("mse"));
        EarlyStopping stopper = EarlyStopping.builder().monitor("mse").patience(3).baseline(0.6).build();
        History h = fit(m, random(10, 5), random(10, 1), 20, 32, stopper);
        assertThat(h.epochs().size()).isGreaterThanOrEqualTo(3);
    }

    /** Runs Keras's scripted epochs: weights set to the epoch's number, then {@code onEpochEnd}. */
    private static int scripted(EarlyStopping stop, Sequential m, double[] losses, int forceStopAt) {
        int trained = 0;
        m.setStopTraining(false);
        stop.setModel(m);
        stop.onTrainBegin(new HashMap<>());
        for (int epoch = 0; epoch < losses.length; epoch++) {
            trained++;
            int e = epoch;
            m.setWeights(m.getWeights().stream().map(t -> Tensor.full(e, t.dtype(), t.shape().toArray())).toList());
            stop.onEpochEnd(epoch, new HashMap<>(Map.of("val_loss", losses[epoch])));
            if (epoch == forceStopAt) {
                m.setStopTraining(true);
            }
            if (m.stopTraining()) {
                break;
            }
        }
        stop.onTrainEnd(new HashMap<>());
        return trained;
    }

    private static double weight(Sequential m) {
        return m.getWeights().get(0).toDoubleArray()[0];
    }

    @Test
    void earlyStoppingRestoresTheBestWeightsWhoeverStopped() {
        Sequential m = new Sequential(new Dense(1));
        m.build(1, 1);
        m.compile(CompileOptions.of("sgd", "mse"));
        scripted(EarlyStopping.builder().monitor("val_loss").patience(2).restoreBestWeights(true).build(), m,
                new double[] {0.2, 0.15, 0.1, 0.11, 0.12}, -1);
        assertThat(weight(m)).isEqualTo(2);
        double[] losses = {0.9, 0.8, 0.7, 0.71, 0.72, 0.73};
        int trained = scripted(EarlyStopping.builder().monitor("val_loss").patience(5).baseline(0.5)
                .restoreBestWeights(true).build(), m, losses, -1);
        assertThat(trained).isEqualTo(5);
        assertThat(weight(m)).isEqualTo(2);
        trained = scripted(EarlyStopping.builder().monitor("val_loss").patience(5).baseline(0.5)
                .restoreBestWeights(true).build(), m, losses, 3);
        assertThat(trained).isEqualTo(4);
        assertThat(weight(m)).isEqualTo(2);
    }

    @Test
    void earlyStoppingStartFromEpoch() {
        Sequential m = new Sequential(new Dense(1, Activations.relu()), new Dense(1, Activations.relu()));
        m.build(1, 5);
        m.compile(CompileOptions.of("sgd", "mae").metrics("mse"));
        Tensor x = random(10, 5);
        Tensor y = random(10, 1);
        History h = fit(m, x, y, 20, 32, EarlyStopping.builder().monitor("mse").patience(3).startFromEpoch(2).build());
        assertThat(h.epochs().size()).isGreaterThanOrEqualTo(3 + 2);
        h = fit(m, x, y, 20, 32, EarlyStopping.builder().monitor("mse").patience(0).startFromEpoch(2).build());
        assertThat(h.epochs().size()).isGreaterThanOrEqualTo(2);
    }

    /** A bare monitor, as Keras's tests build {@code MonitorCallback(monitor, mode)}. */
    private static MonitorCallback monitor(String name, MonitorMode mode, double minDelta) {
        return new MonitorCallback(name, mode, minDelta) {
        };
    }

    @Test
    void monitorOpLogic() {
        Sequential m = monitored();
        Tensor x = random(10, 5);
        Tensor y = random(10, 1);
        for (Object[] c : MODE_CASES) {
            MonitorCallback cb = monitor((String) c[1], (MonitorMode) c[0], 0);
            cb.setModel(m);
            m.fit(FitOptions.of(x, y).batchSize(5).validationData(random(10, 5), random(10, 1)).epochs(2).verbose(0));
            assertThat(cb.monitorMode()).as("%s", c[1]).isEqualTo(c[2]);
        }
        MonitorCallback unknown = monitor("unknown", MonitorMode.AUTO, 0);
        unknown.setModel(m);
        assertThatThrownBy(unknown::monitorMode).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void monitorMinDelta() {
        MonitorCallback cb = monitor("val_loss", MonitorMode.MAX, 0.5);
        assertThat(cb.isImprovement(0.75, 0.0)).isTrue();
        assertThat(cb.isImprovement(0.5, null)).isTrue();
        assertThat(cb.isImprovement(0.5, 0.0)).isFalse();
        assertThat(cb.isImprovement(0.2, 0.5)).isFalse();
    }

    // ---------------------------------------------------------------------------------------
    // reduce_lr_on_plateau_test.py and learning_rate_scheduler_test.py

    /** Keras's {@code Sequential([Dense(5), Dense(2)])} on inputs of 3, compiled with mse. */
    private static Sequential fiveTwo(Object optimizer) {
        Sequential m = new Sequential(new Dense(5), new Dense(2));
        m.setSeed(7);
        m.build(1, 3);
        m.compile(CompileOptions.of(optimizer, "mse"));
        return m;
    }

    private double reducedRate(ReduceLROnPlateau reduce, int epochs) {
        Sequential m = fiveTwo(new Adam(0.1));
        m.fit(FitOptions.of(random(10, 3), twoClasses(10)).validationData(random(10, 3), twoClasses(10))
                .epochs(epochs).verbose(0).callbacks(reduce));
        return m.optimizer().learningRate();
    }

    @Test
    void reduceLrOnPlateau() {
        close(reducedRate(ReduceLROnPlateau.builder().patience(1).factor(0.1).monitor("val_loss").minDelta(100)
                .build(), 2), 0.01);
        Sequential scheduled = fiveTwo(new Adam(new PolynomialDecay(0.1, 10), 0.9, 0.999, 1e-7));
        ReduceLROnPlateau reduce = ReduceLROnPlateau.builder().patience(1).factor(0.1).monitor("val_loss")
                .minDelta(100).build();
        assertThatThrownBy(() -> scheduled.fit(FitOptions.of(random(10, 3), twoClasses(10))
                .validationData(random(10, 3), twoClasses(10)).epochs(2).verbose(0).callbacks(reduce)))
                .hasMessageContaining("learning-rate schedule");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        reducedRate(ReduceLROnPlateau.builder().patience(1).factor(0.1).monitor("val_loss").minDelta(100)
                .verbose(new PrintStream(printed, true, StandardCharsets.UTF_8)).build(), 2);
        assertThat(printed.toString(StandardCharsets.UTF_8)).isNotEmpty()
                .contains("ReduceLROnPlateau reducing learning rate to 0.01");
        close(reducedRate(ReduceLROnPlateau.builder().patience(1).factor(0.1).monitor("val_loss").minDelta(10)
                .minLr(0.005).build(), 4), 0.005);
        close(reducedRate(ReduceLROnPlateau.builder().patience(1).factor(0.1).monitor("val_loss").minDelta(100)
                .cooldown(2).build(), 4), 0.001);
    }

    @Test
    void learningRateScheduler() {
        Sequential m = fiveTwo("sgd");
        fit(m, random(10, 3), twoClasses(10), 1, 32, new LearningRateScheduler((epoch, lr) -> 1.0 / (2.0 + epoch)));
        assertThat(m.optimizer().learningRate()).isEqualTo(0.5);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        fit(fiveTwo("sgd"), random(10, 3), twoClasses(10), 1, 32, new LearningRateScheduler(
                (epoch, lr) -> 1.0 / (1.0 + epoch), new PrintStream(printed, true, StandardCharsets.UTF_8)));
        assertThat(printed.toString(StandardCharsets.UTF_8)).isNotEmpty()
                .contains("LearningRateScheduler setting learning rate to 1.0");
        Sequential halving = fiveTwo(new Adam(0.03));
        fit(halving, random(10, 3), twoClasses(10), 2, 32, new LearningRateScheduler((epoch, lr) -> lr / 2));
        close(halving.optimizer().learningRate(), 0.03 / 4);
        Sequential scheduled = fiveTwo(new Adam(new PolynomialDecay(0.1, 10), 0.9, 0.999, 1e-7));
        assertThatThrownBy(() -> fit(scheduled, random(10, 3), twoClasses(10), 2, 32,
                new LearningRateScheduler((epoch, lr) -> lr / 2))).hasMessageContaining("learning-rate schedule");
        History h = fit(fiveTwo("sgd"), random(10, 3), twoClasses(10), 1, 32,
                new LearningRateScheduler((epoch, lr) -> 0.5));
        assertThat(h.history()).containsKey("learning_rate");
        assertThat(h.get("learning_rate").get(0)).isInstanceOf(Double.class);
        assertThat(h.get("learning_rate").get(0)).isEqualTo(0.5);
    }
}
