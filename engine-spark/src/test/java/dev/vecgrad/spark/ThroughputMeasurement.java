package dev.vecgrad.spark;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.FitOptions;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.distribute.MirroredStrategy;
import dev.vecgrad.train.layers.Conv2D;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.layers.Flatten;
import dev.vecgrad.train.layers.MaxPooling2D;
import dev.vecgrad.train.losses.SparseCategoricalCrossentropy;
import dev.vecgrad.train.optimizers.Adam;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Throughput of the command-line recipes on {@code local[2]} against the in-process
 * MirroredStrategy with two replicas, alternating, and where Spark's time per step goes. Not a
 * test: run it with
 * {@code mvn -pl engine-spark -am test -Dtest=ThroughputMeasurement -Dvecgrad.measure=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "vecgrad.measure", matches = "true")
class ThroughputMeasurement {
    private static final int ROUNDS = 3;

    static Sequential mlp() {
        Sequential m = new Sequential("mlp").add(new Flatten()).add(new Dense(256, Activations.relu()))
                .add(new Dense(128, Activations.relu())).add(new Dense(10));
        m.setSeed(1);
        m.build(1, 28, 28, 1);
        return m;
    }

    static Sequential cnn() {
        Sequential m = new Sequential("cnn")
                .add(Conv2D.builder(32, 3, 3).activation("relu").build()).add(new MaxPooling2D())
                .add(Conv2D.builder(64, 3, 3).activation("relu").build()).add(new MaxPooling2D())
                .add(new Flatten()).add(new Dense(128, Activations.relu())).add(new Dense(10));
        m.setSeed(1);
        m.build(1, 28, 28, 1);
        return m;
    }

    private static Sequential compiled(Supplier<Sequential> make, int stepsPerExecution) {
        Sequential m = make.get();
        m.compile(CompileOptions.of(new Adam(), new SparseCategoricalCrossentropy(true)).metrics("accuracy")
                .stepsPerExecution(stepsPerExecution));
        return m;
    }

    /** Seconds for one epoch of {@code data} under {@code strategy}, after one epoch of warm-up. */
    private static double epochSeconds(Sequential m, Dataset data) {
        m.fit(FitOptions.of(data).epochs(1).verbose(0));
        long start = System.nanoTime();
        m.fit(FitOptions.of(data).epochs(1).verbose(0));
        return (System.nanoTime() - start) / 1e9;
    }

    private static void measure(String name, Supplier<Sequential> make, int n, int batch) {
        JavaSparkContext sc = LocalSpark.context();
        Tensor[] train = LocalSpark.mnistTrain(n);
        Dataset local = Dataset.fromTensorSlices(train[0], train[1]).batch(batch);
        SparkData spark = SparkData.fromTensors(sc, train[0], train[1], 2).batch(batch);
        long steps = spark.cardinality();
        for (int r = 0; r < ROUNDS; r++) {
            Sequential inProcess = compiled(make, 1);
            try (MirroredStrategy mirrored = new MirroredStrategy(2)) {
                inProcess.setStrategy(mirrored);
                double t = epochSeconds(inProcess, local);
                report(name, "in-process MirroredStrategy(2)", n, steps, t, null);
            }
            for (int spe : new int[] {(int) steps, 8, 1}) {
                Sequential m = compiled(make, spe);
                MultiWorkerMirroredStrategy s = new MultiWorkerMirroredStrategy(sc, 2);
                m.setStrategy(s);
                double t = epochSeconds(m, spark);
                report(name, "local[2] MultiWorkerMirrored, " + spe + " steps a job", n, steps, t, s.stats());
            }
            Sequential m = compiled(make, (int) steps);
            ParameterServerStrategy ps = new ParameterServerStrategy(sc, 2);
            m.setStrategy(ps);
            double t = epochSeconds(m, spark);
            report(name, "local[2] ParameterServer async", n, steps, t, ps.stats());
        }
    }

    private static void report(String model, String how, int n, long steps, double seconds, RunStats stats) {
        System.out.printf(Locale.ROOT, "MEASURE %s | %-45s | %6.0f samples/s | %6.1f ms/step%s%n", model, how, n / seconds,
                seconds * 1e3 / steps, stats == null ? "" : String.format(Locale.ROOT,
                        " | compute %.1f ms/step, exchange %.1f ms/step, Spark overhead %.1f ms/step, %d jobs, %.2f MB/step",
                        stats.computeSeconds() * 1e3 / stats.steps(), stats.exchangeSeconds() * 1e3 / stats.steps(),
                        stats.overheadMillisPerStep(), stats.jobs(), stats.exchangedBytes() / 1e6 / stats.steps()));
    }

    @Test
    void mlp8000ExamplesBatch128() {
        measure("mlp", ThroughputMeasurement::mlp, 8000, 128);
    }

    @Test
    void cnn2000ExamplesBatch64() {
        measure("cnn", ThroughputMeasurement::cnn, 2000, 64);
    }
}
