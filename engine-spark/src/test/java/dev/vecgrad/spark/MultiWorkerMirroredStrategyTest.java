package dev.vecgrad.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.FitOptions;
import dev.vecgrad.train.Model;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.callbacks.History;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.layers.Conv2D;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.layers.Flatten;
import dev.vecgrad.train.layers.MaxPooling2D;
import dev.vecgrad.train.losses.SparseCategoricalCrossentropy;
import dev.vecgrad.train.optimizers.Adam;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * Two Spark workers with the same global batch give one process's weights: every global batch is
 * the workers' local batches, partition 0 first, which the one-process run is given explicitly.
 */
class MultiWorkerMirroredStrategyTest {
    static final int EPOCHS = 3;

    static Sequential mlp() {
        Sequential m = new Sequential("mlp").add(new Flatten()).add(new Dense(64, Activations.relu())).add(new Dense(10));
        m.setSeed(7);
        m.build(1, 28, 28, 1);
        m.compile(CompileOptions.of(new Adam(), new SparseCategoricalCrossentropy(true)).metrics("accuracy")
                .stepsPerExecution(8));
        return m;
    }

    static Sequential cnn() {
        Sequential m = new Sequential("cnn")
                .add(Conv2D.builder(8, 3, 3).activation("relu").build())
                .add(new MaxPooling2D())
                .add(new Flatten())
                .add(new Dense(10));
        m.setSeed(11);
        m.build(1, 28, 28, 1);
        m.compile(CompileOptions.of(new Adam(), new SparseCategoricalCrossentropy(true)).metrics("accuracy")
                .stepsPerExecution(4));
        return m;
    }

    /**
     * The rows of {@code x} in the order two workers take them: shard p is rows [p*n/2, (p+1)*n/2),
     * and global step s is rows [s*b, (s+1)*b) of shard 0, then the same of shard 1.
     */
    static Tensor interleave(Tensor x, int localBatch) {
        int n = x.shape().dim(0);
        int half = n / 2;
        int[] order = new int[n];
        int k = 0;
        for (int s = 0; s * localBatch < half; s++) {
            for (int p = 0; p < 2; p++) {
                for (int i = s * localBatch; i < Math.min((s + 1) * localBatch, half); i++) {
                    order[k++] = p * half + i;
                }
            }
        }
        return x.gather(Tensor.of(order, n), 0);
    }

    /** ||a - b|| / ||b||, over all the weights. */
    static double relativeDifference(List<Tensor> a, List<Tensor> b) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.size(); i++) {
            float[] x = a.get(i).toFloatArray();
            float[] y = b.get(i).toFloatArray();
            for (int j = 0; j < x.length; j++) {
                diff += (double) (x[j] - y[j]) * (x[j] - y[j]);
                norm += (double) y[j] * y[j];
            }
        }
        return Math.sqrt(diff / norm);
    }

    private record Runs(Model spark, Model local, History sparkHistory, History localHistory, double sparkAcc,
            double localAcc) {
    }

    private static Runs trainBoth(Supplier<Sequential> make, int n, int globalBatch) {
        JavaSparkContext sc = LocalSpark.context();
        Tensor[] train = LocalSpark.mnistTrain(n);
        Tensor[] test = LocalSpark.mnistTest(500);

        Sequential local = make.get();
        Dataset ordered = Dataset.fromTensorSlices(interleave(train[0], globalBatch / 2), interleave(train[1], globalBatch / 2))
                .batch(globalBatch);
        History localHistory = local.fit(FitOptions.of(ordered).epochs(EPOCHS).verbose(0));

        Sequential spark = make.get();
        spark.setStrategy(new MultiWorkerMirroredStrategy(sc, 2));
        SparkData data = SparkData.fromTensors(sc, train[0], train[1], 2).batch(globalBatch);
        History sparkHistory = spark.fit(FitOptions.of(data).epochs(EPOCHS).verbose(0));

        Map<String, Double> localEval = local.evaluate(test[0], test[1], 100);
        Map<String, Double> sparkEval = spark.evaluate(SparkData.fromTensors(sc, test[0], test[1], 2).batch(100));
        return new Runs(spark, local, sparkHistory, localHistory, sparkEval.get("accuracy"), localEval.get("accuracy"));
    }

    private static void assertSameTraining(Runs r) {
        assertThat(relativeDifference(r.spark.getWeights(), r.local.getWeights())).isLessThanOrEqualTo(1e-5);
        assertThat(Math.abs(r.sparkAcc - r.localAcc)).isLessThanOrEqualTo(0.001);
        assertThat(r.sparkAcc).isGreaterThan(0.4); // it learned: chance is 0.1
        List<Double> sparkLoss = r.sparkHistory.history().get("loss");
        List<Double> localLoss = r.localHistory.history().get("loss");
        assertThat(sparkLoss).hasSize(EPOCHS);
        for (int e = 0; e < EPOCHS; e++) {
            // Loss and accuracy over the epoch, merged from both workers' metric states.
            assertThat(sparkLoss.get(e)).isCloseTo(localLoss.get(e), org.assertj.core.api.Assertions.within(1e-4));
            assertThat(r.sparkHistory.history().get("accuracy").get(e))
                    .isCloseTo(r.localHistory.history().get("accuracy").get(e), org.assertj.core.api.Assertions.within(1e-9));
        }
    }

    @Test
    void iteratedInThisProcessASparkDataYieldsTheWorkersGlobalBatches() {
        Tensor[] t = LocalSpark.mnistTrain(200);
        SparkData data = SparkData.fromTensors(LocalSpark.context(), t[0], t[1], 2).batch(40);
        Tensor x = interleave(t[0], 20);
        Tensor y = interleave(t[1], 20);
        int row = 0;
        int batches = 0;
        for (dev.vecgrad.train.data.Batch b : data) {
            assertThat(b.size()).isEqualTo(40);
            assertThat(java.util.Arrays.equals(b.x().toFloatArray(), x.slice(0, row, row + 40).toFloatArray())).isTrue();
            assertThat(b.y().toIntArray()).containsExactly(y.slice(0, row, row + 40).toIntArray());
            row += 40;
            batches++;
        }
        assertThat(row).isEqualTo(200);
        assertThat(batches).isEqualTo(data.cardinality());
    }

    @Test
    void twoWorkersTrainAnMlpAsOneProcessWithTheSameGlobalBatch() {
        assertSameTraining(trainBoth(MultiWorkerMirroredStrategyTest::mlp, 1024, 64));
    }

    @Test
    void twoWorkersTrainACnnAsOneProcessWithTheSameGlobalBatch() {
        assertSameTraining(trainBoth(MultiWorkerMirroredStrategyTest::cnn, 256, 32));
    }
}
