package dev.vecgrad.train.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.FitOptions;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.callbacks.History;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.distribute.MirroredStrategy;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.optimizers.SGD;
import dev.vecgrad.train.regularizers.Regularizers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Mirrored replicas run compiled steps (one per replica, each with its own plans) and train exactly
 * as eager replicas do: the per-replica loss scale, the regularization's share, the all-reduce and
 * the metric updates are read at every replay, not frozen at the trace.
 */
class CompiledReplicasTest {

    private static Sequential model(boolean jit) {
        Sequential m = new Sequential()
                .add(Dense.builder(12).activation(Activations.relu()).kernelRegularizer(Regularizers.l2(1e-3)).build())
                .add(new Dense(1));
        m.setSeed(31);
        m.build(1, 4);
        m.compile(CompileOptions.of(new SGD(0.05), "mse").metrics("mae").jitCompile(jit));
        return m;
    }

    @Test
    void compiledReplicasTrainBitForBitAsEagerReplicas() {
        // Batches of 7 and 6 over three replicas: slices 3/2/2 then 2/2/2, so replicas 1 and 2 see
        // one slice shape (one plan) under two global batches, whose loss scales differ (2/7, 2/6).
        Rng rng = new Rng(9);
        Tensor x = Tensor.randomUniform(rng, -1f, 1f, 13, 4);
        Tensor y = x.sin().sum(new int[] {1}, true);
        Dataset ds = Dataset.fromTensorSlices(x, y).batch(7);
        Sequential eager = model(false);
        Sequential compiled = model(true);
        try (MirroredStrategy a = new MirroredStrategy(3); MirroredStrategy b = new MirroredStrategy(3)) {
            eager.setStrategy(a);
            compiled.setStrategy(b);
            History he = eager.fit(FitOptions.of(ds).epochs(5).verbose(0));
            History hc = compiled.fit(FitOptions.of(ds).epochs(5).verbose(0));
            CompiledFitTest.assertSameWeights(compiled::weights, eager::weights);
            // Replicas fold their metrics in whichever order they arrive: the same sums up to rounding.
            for (String k : List.of("loss", "mae")) {
                List<Double> want = he.history().get(k);
                List<Double> got = hc.history().get(k);
                assertThat(got).hasSameSizeAs(want);
                for (int i = 0; i < want.size(); i++) {
                    assertThat(got.get(i)).as("%s, epoch %d", k, i).isCloseTo(want.get(i), within(1e-6));
                }
            }
            Map<String, Double> ev = compiled.evaluate(ds);
            Map<String, Double> ee = eager.evaluate(ds);
            assertThat(ev.get("loss")).isCloseTo(ee.get("loss"), within(1e-6));
        }
    }
}
