package dev.vecgrad.train.distribute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.FitOptions;
import dev.vecgrad.train.Model;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.callbacks.History;
import dev.vecgrad.train.data.Batch;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.data.DatasetIterator;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.metrics.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seam fit/evaluate/predict offer strategies whose workers run the steps in other processes. */
class ClusterStrategyTest {

    private static Sequential model() {
        Sequential m = new Sequential().add(new Dense(8, Activations.tanh())).add(new Dense(3));
        m.setSeed(5);
        m.build(1, 4);
        m.compile(CompileOptions.of("sgd", "sparse_categorical_crossentropy").metrics("accuracy"));
        return m;
    }

    private static Dataset data() {
        Rng rng = new Rng(9);
        Tensor x = Tensor.randomUniform(rng, -1f, 1f, 40, 4);
        Tensor y = x.sum(new int[] {1}, false).gt(0f).cast(dev.vecgrad.core.DType.I32).add(x.slice(1, 0, 1).reshape(40)
                .gt(0.5f).cast(dev.vecgrad.core.DType.I32));
        return Dataset.fromTensorSlices(x, y).batch(8);
    }

    /**
     * A stand-in for a multi-process strategy: its one "worker" is a second copy of the model that
     * runs the steps; metric states and weights travel to the model on this side as they would
     * over a network.
     */
    private static final class OneWorkerCluster implements ClusterStrategy {
        final Sequential worker = model();
        int syncs;
        int closed;

        @Override
        public int numReplicas() {
            return 1;
        }

        @Override
        public Map<String, Double> run(java.util.function.Function<Batch, Map<String, Double>> step, Batch batch) {
            return step.apply(batch);
        }

        @Override
        public boolean accepts(Dataset data) {
            return true;
        }

        @Override
        public ClusterRun start(Model model, Dataset data, Mode mode) {
            return new ClusterRun() {
                DatasetIterator pass = data.iterator();
                final List<Tensor> outputs = new ArrayList<>();

                @Override
                public long cardinality() {
                    return data.cardinality();
                }

                @Override
                public void startPass() {
                    pass.close();
                    pass = data.iterator();
                }

                @Override
                public boolean hasNext() {
                    return pass.hasNext();
                }

                @Override
                public int run(int limit) {
                    worker.resetMetrics();
                    int done = 0;
                    while (done < limit && pass.hasNext()) {
                        Batch b = pass.next();
                        switch (mode) {
                            case TRAIN -> worker.trainStep(b);
                            case TEST -> worker.testStep(b);
                            case PREDICT -> outputs.add(worker.predictStep(b.x()));
                        }
                        if (mode != Mode.PREDICT) {
                            model.buildMetrics(b.y().shape(), worker.predictStep(b.x()).shape());
                        }
                        done++;
                    }
                    List<Metric> mine = model.metrics();
                    List<Metric> theirs = worker.metrics();
                    for (int i = 0; i < mine.size() && mode != Mode.PREDICT; i++) {
                        mine.get(i).mergeState(theirs.get(i).state());
                    }
                    return done;
                }

                @Override
                public Map<String, Double> logs() {
                    return model.metricResults();
                }

                @Override
                public List<Tensor> takeOutputs() {
                    List<Tensor> out = new ArrayList<>(outputs);
                    outputs.clear();
                    return out;
                }

                @Override
                public void syncModel() {
                    syncs++;
                    model.setWeights(worker.getWeights());
                }

                @Override
                public void close() {
                    closed++;
                    pass.close();
                }
            };
        }
    }

    @Test
    void fitHandsWholeExecutionsToTheRunAndTakesTheWorkersWeightsEachEpoch() {
        Sequential local = model();
        History expected = local.fit(FitOptions.of(data()).epochs(3).verbose(0));

        Sequential driver = model();
        driver.compile(CompileOptions.of("sgd", "sparse_categorical_crossentropy").metrics("accuracy")
                .stepsPerExecution(2));
        OneWorkerCluster cluster = new OneWorkerCluster();
        driver.setStrategy(cluster);
        History got = driver.fit(FitOptions.of(data()).epochs(3).verbose(0));

        assertThat(cluster.syncs).isEqualTo(3);
        assertThat(cluster.closed).isEqualTo(1);
        for (int i = 0; i < driver.getWeights().size(); i++) {
            assertThat(driver.getWeights().get(i).toFloatArray()).containsExactly(local.getWeights().get(i).toFloatArray());
        }
        assertThat(got.history().get("loss")).containsExactlyElementsOf(expected.history().get("loss"));
        assertThat(got.history().get("accuracy")).containsExactlyElementsOf(expected.history().get("accuracy"));
        assertThat(driver.trainCounter()).isEqualTo(15);
    }

    @Test
    void evaluateAndPredictRunOnTheWorkers() {
        Sequential driver = model();
        OneWorkerCluster cluster = new OneWorkerCluster();
        driver.setStrategy(cluster);
        Map<String, Double> result = driver.evaluate(data());
        Map<String, Double> expected = model().evaluate(data());
        assertThat(result).isEqualTo(expected);
        Tensor predicted = driver.predict(data());
        assertThat(predicted.toFloatArray()).containsExactly(model().predict(data()).toFloatArray());
        assertThat(cluster.closed).isEqualTo(2);
    }
}
