package dev.vecgrad.train.conformance;

import static dev.vecgrad.train.conformance.Keras.close;
import static dev.vecgrad.train.conformance.Keras.raises;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.train.optimizers.Adagrad;
import dev.vecgrad.train.optimizers.Adam;
import dev.vecgrad.train.optimizers.AdamW;
import dev.vecgrad.train.optimizers.Adamax;
import dev.vecgrad.train.optimizers.Lion;
import dev.vecgrad.train.optimizers.Nadam;
import dev.vecgrad.train.optimizers.Optimizer;
import dev.vecgrad.train.optimizers.Optimizers;
import dev.vecgrad.train.optimizers.RMSprop;
import dev.vecgrad.train.optimizers.SGD;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The literal expectations of Keras 3's per-optimizer tests ({@code optimizers/sgd_test.py},
 * {@code adam_test.py}, {@code adamw_test.py}, {@code adagrad_test.py}, {@code rmsprop_test.py},
 * {@code nadam_test.py}, {@code adamax_test.py}, {@code lion_test.py}): one step, weight decay with
 * exclusions, five steps against golden values, and gradient clipping.
 */
class KerasOptimizersTest {
    private static final double[] GRADS = {1, 6, 7, 2};
    private static final double[] VARS = {1, 2, 3, 4};

    private static Variable variable(String name, double... values) {
        return new Variable(name, Tensor.of(values).cast(DType.F32), true);
    }

    private static double[] step(Optimizer o, double[] grads, double[] start) {
        Variable v = variable("v", start);
        o.applyGradients(List.of(Tensor.of(grads).cast(DType.F32)), List.of(v));
        return v.value().toDoubleArray();
    }

    private static void singleStep(Optimizer o, double... expected) {
        close(step(o, GRADS, VARS), expected, 1e-4, 1e-4);
    }

    /** Keras's weight-decay test: var1 decays under three optimizers, the excluded var2 and var3 do not. */
    private static void weightDecay(Supplier<Optimizer> make) {
        Variable var1 = new Variable("var1", Tensor.scalar(2.0f), true);
        Variable var2 = new Variable("exclude", Tensor.scalar(2.0f), true);
        Variable var3 = new Variable("var3", Tensor.scalar(2.0f), true);
        Tensor zero = Tensor.scalar(0.0f);
        Optimizer o1 = make.get().setWeightDecay(0.004);
        o1.applyGradients(List.of(zero), List.of(var1));
        Optimizer o2 = make.get().setWeightDecay(0.004);
        o2.excludeFromWeightDecay(List.of(), List.of("exclude"));
        o2.applyGradients(List.of(zero, zero), List.of(var1, var2));
        Optimizer o3 = make.get().setWeightDecay(0.004);
        o3.excludeFromWeightDecay(List.of(var3), List.of());
        o3.applyGradients(List.of(zero, zero), List.of(var1, var3));
        Keras.almost(var1.value().item(), 1.9760959, 6);
        Keras.almost(var2.value().item(), 2.0, 6);
        Keras.almost(var3.value().item(), 2.0, 6);
    }

    /** Keras's golden test: one step with gradients 0.01, then five with 0.1..1.0, the variable checked before each. */
    private static void golden(Optimizer o, double[][] golden) {
        Variable x = new Variable("x", Tensor.ones(DType.F32, 10), true);
        Tensor grads = Tensor.arange(0.1, 1.05, 0.1, DType.F32);
        o.applyGradients(List.of(Tensor.full(0.01, DType.F32, 10)), List.of(x));
        for (double[] row : golden) {
            close(x.value(), row, 5e-4, 5e-4);
            o.applyGradients(List.of(grads), List.of(x));
        }
    }

    private static double[][] tiled(double... rows) {
        double[][] out = new double[rows.length][10];
        for (int i = 0; i < rows.length; i++) {
            java.util.Arrays.fill(out[i], rows[i]);
        }
        return out;
    }

    /** Keras's clipping tests: clipnorm 1 and clipvalue 1 on the gradient [100, 100]. */
    private static void clipping(Supplier<Optimizer> make) {
        Tensor g = Tensor.of(new double[] {100, 100});
        close(make.get().setClipnorm(1.0).clipGradients(List.of(g)).get(0), Math.sqrt(2) / 2, Math.sqrt(2) / 2);
        close(make.get().setClipvalue(1.0).clipGradients(List.of(g)).get(0), 1.0, 1.0);
    }

    private static void roundTrips(Optimizer o) {
        Map<String, Object> config = o.getConfig();
        assertThat(Optimizers.fromConfig(o.className(), config).getConfig()).isEqualTo(config);
    }

    @Test
    void sgd() {
        roundTrips(new SGD(0.5, 0.06, true).setWeightDecay(0.004));
        singleStep(new SGD(0.5), 0.5, -1.0, -0.5, 3.0);
        raises(() -> new SGD(0.01, -1.0, false), "momentum must be in [0, 1]");
        raises(() -> new SGD(0.01, 2.0, false), "momentum must be in [0, 1]");
        weightDecay(() -> new SGD(1.0));
        golden(new SGD(0.01, 0, true), new double[][] {
            {0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999},
            {0.9989, 0.9979, 0.9969, 0.9959, 0.9949, 0.9939, 0.9929, 0.9919, 0.9909, 0.9899},
            {0.9979, 0.9959, 0.9939, 0.9919, 0.9899, 0.9879, 0.9859, 0.9839, 0.9819, 0.9799},
            {0.9969, 0.9939, 0.9909, 0.9879, 0.9849, 0.9819, 0.9789, 0.9759, 0.9729, 0.9699},
            {0.9959, 0.9919, 0.9879, 0.9839, 0.9799, 0.9759, 0.9719, 0.9679, 0.9639, 0.9599}});
        clipping(SGD::new);
    }

    @Test
    void adam() {
        roundTrips(new Adam(0.5, 0.5, 0.67, 1e-5, true));
        singleStep(new Adam(0.5), 0.5, 1.5, 2.5, 3.5);
        weightDecay(() -> new Adam(1.0));
        golden(new Adam(0.001, 0.9, 0.999, 1e-7, true), tiled(0.999, 0.9982, 0.9974, 0.9965, 0.9955));
        clipping(Adam::new);
    }

    @Test
    void adamW() {
        roundTrips(new AdamW(0.5, 0.008, 0.5, 0.67, 1e-5, true));
        singleStep(new AdamW(0.5, 0.004), 0.4980, 1.4960, 2.494, 3.492);
        weightDecay(() -> new AdamW(1.0, 0.004));
        raises(() -> new AdamW(1.0, 0.004).setWeightDecay(null), "Argument `weight_decay` must be a float.");
        golden(new AdamW(1.0, 0.5, 0.9, 0.999, 2), new double[][] {
            {0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998},
            {0.2486, 0.2475, 0.2463, 0.2451, 0.244, 0.2428, 0.2417, 0.2405, 0.2394, 0.2382},
            {0.1223, 0.1198, 0.1174, 0.1149, 0.1124, 0.11, 0.1075, 0.1051, 0.1027, 0.1003},
            {0.0586, 0.0549, 0.0512, 0.0475, 0.0439, 0.0402, 0.0366, 0.033, 0.0294, 0.0258},
            {0.0263, 0.0215, 0.0167, 0.012, 0.0073, 0.0026, -0.0021, -0.0067, -0.0113, -0.0159}});
        clipping(AdamW::new);
    }

    @Test
    void adagrad() {
        roundTrips(new Adagrad(0.5, 0.2, 1e-5));
        singleStep(new Adagrad(0.5), 0.5233, 1.5007, 2.5005, 3.5061);
        weightDecay(() -> new Adagrad(1.0));
        golden(new Adagrad(0.2, 0.3, 1e-6), new double[][] {
            {0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963},
            {0.9604, 0.9278, 0.9003, 0.8784, 0.8615, 0.8487, 0.8388, 0.8313, 0.8255, 0.8209},
            {0.9251, 0.8629, 0.8137, 0.7768, 0.7497, 0.7298, 0.7151, 0.704, 0.6956, 0.6891},
            {0.8903, 0.8012, 0.7342, 0.6862, 0.6521, 0.6277, 0.6099, 0.5967, 0.5867, 0.579},
            {0.856, 0.7422, 0.6604, 0.6037, 0.5644, 0.5367, 0.5168, 0.5021, 0.491, 0.4825}});
        clipping(Adagrad::new);
    }

    @Test
    void rmsprop() {
        roundTrips(new RMSprop(0.5, 0.8, 0.05, 1e-6, true));
        singleStep(new RMSprop(0.5), -0.5811, 0.4189, 1.4189, 2.4189);
        weightDecay(() -> new RMSprop(1.0));
        golden(new RMSprop(0.001, 0.9, 0, 1e-7, true), tiled(0.9967, 0.9933, 0.9908, 0.9885, 0.9864));
        clipping(RMSprop::new);
    }

    @Test
    void nadam() {
        roundTrips(new Nadam(0.5, 0.5, 0.67, 1e-5));
        singleStep(new Nadam(0.5), 0.4686, 1.4686, 2.4686, 3.4686);
        weightDecay(() -> new Nadam(1.0));
        golden(new Nadam(0.5, 0.5, 0.67, 1e-5), new double[][] {
            {0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281},
            {-0.1738, -0.1731, -0.1726, -0.1723, -0.1721, -0.172, -0.1719, -0.1718, -0.1718, -0.1717},
            {-0.7115, -0.7103, -0.7096, -0.7092, -0.709, -0.7088, -0.7086, -0.7085, -0.7085, -0.7084},
            {-1.2335, -1.2322, -1.2313, -1.2309, -1.2306, -1.2304, -1.2302, -1.2301, -1.23, -1.2299},
            {-1.7492, -1.7478, -1.7469, -1.7464, -1.7461, -1.7459, -1.7457, -1.7456, -1.7455, -1.7454}});
        clipping(Nadam::new);
    }

    @Test
    void adamax() {
        roundTrips(new Adamax(0.5, 0.8, 0.95, 1e-5));
        singleStep(new Adamax(0.5), 0.5, 1.5, 2.5, 3.5);
        weightDecay(() -> new Adamax(1.0));
        golden(new Adamax(0.2, 0.85, 0.95, 1e-6), new double[][] {
            {0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8},
            {0.6827, 0.6873, 0.6888, 0.6896, 0.6901, 0.6904, 0.6906, 0.6908, 0.6909, 0.691},
            {0.5333, 0.5407, 0.5431, 0.5444, 0.5451, 0.5456, 0.546, 0.5462, 0.5464, 0.5466},
            {0.368, 0.3773, 0.3804, 0.382, 0.3829, 0.3835, 0.384, 0.3843, 0.3846, 0.3848},
            {0.1933, 0.204, 0.2076, 0.2094, 0.2105, 0.2112, 0.2117, 0.2121, 0.2124, 0.2126}});
        clipping(Adamax::new);
    }

    @Test
    void lion() {
        raises(() -> new Lion(0.001, -0.1, 0.99), "Argument `beta_1` must be in the [0, 1] range. Otherwise, the"
                + " optimizer degenerates to SignSGD. Received: beta_1=-0.1.");
        raises(() -> new Lion(0.001, 0.0, 0.99), "Received: beta_1=0.0.");
        raises(() -> new Lion(0.001, 1.1, 0.99), "Received: beta_1=1.1.");
        roundTrips(new Lion(0.5, 0.5, 0.67));
        singleStep(new Lion(0.5), 0.5, 1.5, 2.5, 3.5);
        weightDecay(() -> new Lion(1.0));
        golden(new Lion(), tiled(0.999, 0.998, 0.997, 0.996, 0.995));
        clipping(Lion::new);
    }
}
