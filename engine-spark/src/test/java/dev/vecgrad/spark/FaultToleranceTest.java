package dev.vecgrad.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.FitOptions;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.callbacks.Callback;
import dev.vecgrad.train.callbacks.History;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.Test;

/** A synchronous run that loses a task or a worker's model copy ends as the run that lost nothing. */
class FaultToleranceTest {
    private static final int N = 512;
    private static final int BATCH = 64;

    private static History fit(Sequential model, MultiWorkerMirroredStrategy strategy, Callback... callbacks) {
        JavaSparkContext sc = LocalSpark.context();
        Tensor[] train = LocalSpark.mnistTrain(N);
        model.setStrategy(strategy);
        return model.fit(FitOptions.of(SparkData.fromTensors(sc, train[0], train[1], 2).batch(BATCH).shuffle(N, 3))
                .epochs(3).verbose(0).callbacks(callbacks));
    }

    private static void assertIdentical(Sequential a, Sequential b) {
        List<Tensor> wa = a.getWeights();
        List<Tensor> wb = b.getWeights();
        for (int i = 0; i < wa.size(); i++) {
            float[] x = wa.get(i).toFloatArray();
            float[] y = wb.get(i).toFloatArray();
            double max = 0;
            for (int j = 0; j < x.length; j++) {
                max = Math.max(max, Math.abs(x[j] - y[j]));
            }
            assertThat(java.util.Arrays.mismatch(x, y)).as("weight %d differs by up to %s", i, max).isEqualTo(-1);
        }
    }

    /** Counts tasks that ended with an exception. */
    private static final class FailedTasks extends SparkListener {
        final AtomicInteger count = new AtomicInteger();

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.reason() instanceof ExceptionFailure) {
                count.incrementAndGet();
            }
        }
    }

    @Test
    void aTaskThatFailsMidTrainingIsRetriedBySparkAndTheResultIsUnchanged() {
        JavaSparkContext sc = LocalSpark.context();
        Sequential clean = MultiWorkerMirroredStrategyTest.mlp();
        History cleanHistory = fit(clean, new MultiWorkerMirroredStrategy(sc, 2));

        FailedTasks failed = new FailedTasks();
        sc.sc().addSparkListener(failed);
        Sequential faulty = MultiWorkerMirroredStrategyTest.mlp();
        // Step 13 falls inside the second job of the second epoch (8 steps a job, 8 a pass).
        History faultyHistory = fit(faulty, new MultiWorkerMirroredStrategy(sc, 2).failFirstAttempt(1, 13));
        sc.sc().removeSparkListener(failed);

        assertThat(failed.count.get()).isEqualTo(1);
        assertIdentical(faulty, clean);
        assertThat(faultyHistory.history()).isEqualTo(cleanHistory.history());
    }

    @Test
    void aWholeJobThatDiedResumesFromItsBackupAndEndsAsTheUninterruptedJob(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) {
        JavaSparkContext sc = LocalSpark.context();
        Tensor[] train = LocalSpark.mnistTrain(N);
        SparkData data = SparkData.fromTensors(sc, train[0], train[1], 2).batch(BATCH);
        Sequential whole = MultiWorkerMirroredStrategyTest.mlp();
        whole.setStrategy(new MultiWorkerMirroredStrategy(sc, 2));
        whole.fit(FitOptions.of(data).epochs(3).verbose(0));

        Callback dies = new Callback() {
            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
                if (epoch == 0) {
                    throw new IllegalStateException("the driver died");
                }
            }
        };
        Sequential first = MultiWorkerMirroredStrategyTest.mlp();
        first.setStrategy(new MultiWorkerMirroredStrategy(sc, 2));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> first.fit(FitOptions.of(data).epochs(3).verbose(0)
                .callbacks(new dev.vecgrad.train.callbacks.BackupAndRestore(dir), dies))).hasMessageContaining("died");

        Sequential resumed = MultiWorkerMirroredStrategyTest.mlp(); // a new driver
        resumed.setStrategy(new MultiWorkerMirroredStrategy(sc, 2));
        History h = resumed.fit(FitOptions.of(data).epochs(3).verbose(0)
                .callbacks(new dev.vecgrad.train.callbacks.BackupAndRestore(dir)));
        assertThat(h.history().get("loss")).hasSize(2);
        assertIdentical(resumed, whole);
    }

    @Test
    void aWorkerThatLostItsCopyGetsItFromAnotherWorkerOrTheDriver() {
        JavaSparkContext sc = LocalSpark.context();
        Sequential clean = MultiWorkerMirroredStrategyTest.mlp();
        clean.compile(dev.vecgrad.train.CompileOptions.of(clean.optimizer(), clean.loss()).metrics("accuracy")
                .stepsPerExecution(3));
        fit(clean, new MultiWorkerMirroredStrategy(sc, 2));

        Sequential lossy = MultiWorkerMirroredStrategyTest.mlp();
        lossy.compile(dev.vecgrad.train.CompileOptions.of(lossy.optimizer(), lossy.loss()).metrics("accuracy")
                .stepsPerExecution(3));
        // After the first execution worker 1's executor "dies" (a peer sends it the state); after the
        // second both do, mid-epoch (the driver replays from the state it holds); at the end of the
        // first epoch both do again (the driver's state is current).
        Callback dropper = new Callback() {
            int executions;

            @Override
            public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
                executions++;
                if (executions == 1) {
                    Replicas.forget(1);
                } else if (executions == 2) {
                    Replicas.forget(0);
                    Replicas.forget(1);
                }
            }

            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
                if (epoch == 0) {
                    Replicas.forget(0);
                    Replicas.forget(1);
                }
            }
        };
        fit(lossy, new MultiWorkerMirroredStrategy(sc, 2), dropper);
        assertIdentical(lossy, clean);
    }
}
