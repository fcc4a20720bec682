package dev.vecgrad.train.distribute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.FitOptions;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.callbacks.History;
import dev.vecgrad.train.data.Batch;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.losses.MeanSquaredError;
import dev.vecgrad.train.losses.Reduction;
import dev.vecgrad.train.regularizers.Regularizers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class MirroredStrategyTest {

    private static Sequential model(Object loss) {
        Sequential m = new Sequential()
                .add(Dense.builder(16).activation(Activations.tanh()).kernelRegularizer(Regularizers.l2(1e-3)).build())
                .add(new Dense(1));
        m.setSeed(21);
        m.build(1, 4);
        // Plain SGD: its step is proportional to the gradient, so a wrongly scaled all-reduce shows.
        m.compile(CompileOptions.of("sgd", loss).metrics("mae"));
        m.optimizer().setLearningRate(0.05);
        return m;
    }

    private static History train(Sequential m, Dataset ds) {
        return m.fit(FitOptions.of(ds).epochs(1).verbose(0));
    }

    private static Dataset data(int n, int batch) {
        Rng rng = new Rng(4);
        Tensor x = Tensor.randomUniform(rng, -1f, 1f, n, 4);
        Tensor y = x.sin().sum(new int[] {1}, true);
        return Dataset.fromTensorSlices(x, y).batch(batch);
    }

    @Test
    void twoReplicasGiveTheSameWeightsAsOneDeviceAfterTwentySteps() {
        Dataset ds = data(20 * 16, 16);
        Sequential one = model("mse");
        Sequential two = model("mse");
        try (MirroredStrategy mirrored = new MirroredStrategy(2)) {
            two.setStrategy(mirrored);
            History h1 = train(one, ds);
            History h2 = train(two, ds);
            assertThat(one.trainCounter()).isEqualTo(20);
            assertThat(two.trainCounter()).isEqualTo(20);
            assertWeightsClose(one, two, 1e-5);
            // The logged loss and metric are the global batch's.
            assertThat(h2.last("loss")).isCloseTo(h1.last("loss"), within(1e-5));
            assertThat(h2.last("mae")).isCloseTo(h1.last("mae"), within(1e-5));
        }
    }

    @Test
    void unevenSlicesAndSummedLossesAreScaledCorrectly() {
        // Batches of 7 split 3/2/2 over three replicas, with a SUM loss (no per-replica rescaling) and
        // a mean loss (rescaled by each replica's share); both must match one device.
        for (Object loss : List.of(new MeanSquaredError("mse", Reduction.SUM), "mse")) {
            Dataset ds = data(7 * 6, 7);
            Sequential one = model(loss);
            Sequential three = model(loss instanceof String ? loss : new MeanSquaredError("mse", Reduction.SUM));
            try (MirroredStrategy mirrored = new MirroredStrategy(3)) {
                three.setStrategy(mirrored);
                History h1 = train(one, ds);
                History h3 = train(three, ds);
                assertWeightsClose(one, three, 1e-5);
                assertThat(h3.last("loss")).isCloseTo(h1.last("loss"), within(1e-4));
            }
        }
    }

    @Test
    void eachReplicaRunsOnItsOwnThreadWithItsShareOfTheBatch() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<Integer> sizes = java.util.Collections.synchronizedList(new ArrayList<>());
        try (MirroredStrategy s = new MirroredStrategy(2)) {
            Map<String, Double> logs = s.run(b -> {
                threads.add(Thread.currentThread().getName() + "#" + Thread.currentThread().threadId());
                sizes.add(b.size());
                ReplicaContext ctx = ReplicaContext.current();
                assertThat(ctx.globalBatch()).isEqualTo(5);
                return Map.of("replica", (double) ctx.replicaId());
            }, Batch.of(Tensor.zeros(5, 2)));
            assertThat(logs).containsEntry("replica", 0.0);
        }
        assertThat(threads).hasSize(2);
        assertThat(sizes).containsExactlyInAnyOrder(3, 2);
        assertThat(ReplicaContext.current()).isNull();
    }

    @Test
    void aFailingReplicaFailsTheStepWithItsOwnError() {
        try (MirroredStrategy s = new MirroredStrategy(2)) {
            assertThatThrownBy(() -> s.run(b -> {
                ReplicaContext ctx = ReplicaContext.current();
                if (ctx.replicaId() == 1) {
                    throw new IllegalArgumentException("replica one broke");
                }
                ctx.sync();
                return Map.of();
            }, Batch.of(Tensor.zeros(4, 2)))).hasMessage("replica one broke");
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(20)
    void aReplicaArrivingAfterAnotherFailedIsReleasedAtOnce() {
        try (MirroredStrategy s = new MirroredStrategy(2)) {
            assertThatThrownBy(() -> s.run(b -> {
                ReplicaContext ctx = ReplicaContext.current();
                if (ctx.replicaId() == 1) {
                    throw new IllegalArgumentException("early failure");
                }
                try {
                    Thread.sleep(300);   // arrive well after replica 1 has failed
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                ctx.sync();
                return Map.of();
            }, Batch.of(Tensor.zeros(4, 2)))).hasMessage("early failure");
            // The strategy still works for the next step.
            assertThat(s.run(b -> {
                ReplicaContext.current().sync();
                return Map.of("ok", 1.0);
            }, Batch.of(Tensor.zeros(4, 2)))).containsEntry("ok", 1.0);
        }
    }

    private static void assertWeightsClose(Sequential a, Sequential b, double tol) {
        List<Tensor> wa = a.getWeights();
        List<Tensor> wb = b.getWeights();
        assertThat(wb).hasSameSizeAs(wa);
        for (int i = 0; i < wa.size(); i++) {
            assertThat(Tensor.describeMismatch(wb.get(i), wa.get(i), 0, tol)).isNull();
        }
        // And training moved them: compare with a fresh model.
        assertThat(Tensor.allClose(wa.get(0), model("mse").getWeights().get(0), 0, 1e-4)).isFalse();
    }
}
