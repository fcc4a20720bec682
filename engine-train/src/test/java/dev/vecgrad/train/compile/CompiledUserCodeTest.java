package dev.vecgrad.train.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.data.Batch;
import dev.vecgrad.train.data.Tensors;
import dev.vecgrad.train.initializers.Initializers;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.layers.Layer;
import dev.vecgrad.train.losses.SparseCategoricalCrossentropy;
import dev.vecgrad.train.optimizers.Adam;
import dev.vecgrad.train.optimizers.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Steps written by users compile: an overridden {@code trainStep}, a layer of the user's own, and
 * the gradients a compiled step's replay applies are the loss's true gradients (checked against
 * central differences in F64). Each step is compiled strictly (no eager fallback), so a step that
 * could not be replayed fails here instead of quietly running eagerly.
 */
class CompiledUserCodeTest {

    /** A layer of the user's own: {@code x · scale + shift} per feature, with a learned scale and shift. */
    static final class ScaleShift extends Layer {
        private Variable scale;
        private Variable shift;

        ScaleShift() {
            super("scale_shift");
        }

        @Override
        protected void build(Shape inputShape) {
            scale = addWeight("scale", new int[] {inputShape.dim(-1)}, Initializers.ones(), null, true);
            shift = addWeight("shift", new int[] {inputShape.dim(-1)}, Initializers.zeros(), null, true);
        }

        @Override
        protected Tensor forward(Tensor x, boolean training) {
            return x.mul(scale.value()).add(shift.value()).tanh();
        }

        @Override
        public Shape computeOutputShape(Shape inputShape) {
            return inputShape;
        }
    }

    /**
     * A model whose train step is the user's: gradients clipped to a global norm of 1 and the
     * loss's gradient step taken twice as large for the last layer, written with tensor ops only.
     */
    static final class ClippedStep extends Sequential {
        @Override
        public Map<String, Double> trainStep(Batch data) {
            Tensors x = data.inputs();
            Tensors y = data.targets();
            List<Variable> vars = trainableWeights();
            Tensors yPred;
            Tensor loss;
            List<Tensor> grads;
            try (GradientTape tape = GradientTape.open()) {
                yPred = call(x, true);
                loss = computeLoss(x, y, yPred, data.sampleWeights());
                grads = tape.gradient(loss, vars);
            }
            Tensor squares = null;
            for (Tensor g : grads) {
                Tensor s = g.square().sum();
                squares = squares == null ? s : squares.add(s);
            }
            Tensor factor = squares.sqrt().maximum(1.0).reciprocal();
            List<Tensor> clipped = new ArrayList<>();
            for (int i = 0; i < grads.size(); i++) {
                Tensor g = grads.get(i).mul(factor);
                clipped.add(i >= grads.size() - 2 ? g.mul(2) : g);
            }
            applyGradients(clipped, vars);
            return computeMetrics(x, y, yPred, data.sampleWeights(), loss);
        }
    }

    private static Batch classes(Rng rng, int n, int features, DType dtype) {
        Tensor x = Tensor.randomUniform(rng, -1, 1, n, features).cast(dtype);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(3);
        }
        return Batch.of(x, Tensor.of(y));
    }

    private static <M extends Sequential> M model(Supplier<M> make, Layer... layers) {
        M m = make.get();
        for (Layer l : layers) {
            m.add(l);
        }
        m.setSeed(9);
        m.compile(CompileOptions.of(new Adam(1e-2), new SparseCategoricalCrossentropy(true)).metrics("accuracy")
                .jitCompile(false));
        return m;
    }

    /** Runs {@code steps} batches through {@code model}'s train step, compiled strictly or eagerly; returns the logs. */
    private static List<Map<String, Double>> train(Sequential model, boolean compiled, int steps) {
        java.util.function.Function<Batch, Map<String, Double>> eager = model::trainStep;
        CompiledStep<Map<String, Double>> step = compiled
                ? new CompiledStep<>("trainStep", eager, model::weights, CompiledStep.DEFAULT_CACHE_SIZE)
                : null;
        Rng rng = new Rng(4);
        List<Map<String, Double>> logs = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            Batch b = classes(rng, i % 3 == 2 ? 5 : 8, 4, DType.F32); // a second signature every third step
            if (!model.isBuilt()) {
                model.build(8, 4);
            }
            logs.add(compiled ? step.apply(b) : eager.apply(b));
        }
        if (compiled) {
            assertThat(step.isEager()).isFalse();
            assertThat(step.traces()).as("two traces for each of two signatures").isEqualTo(4);
        }
        return logs;
    }

    @Test
    void anOverriddenTrainStepReplaysBitForBitAsEager() {
        ClippedStep eager = model(ClippedStep::new, new Dense(6, Activations.relu()), new Dense(3));
        ClippedStep compiled = model(ClippedStep::new, new Dense(6, Activations.relu()), new Dense(3));
        assertThat(train(compiled, true, 9)).isEqualTo(train(eager, false, 9));
        CompiledFitTest.assertSameWeights(compiled::weights, eager::weights);
    }

    @Test
    void aCustomLayerReplaysBitForBitAsEager() {
        Sequential eager = model(Sequential::new, new ScaleShift(), new Dense(5, Activations.relu()), new Dense(3));
        Sequential compiled = model(Sequential::new, new ScaleShift(), new Dense(5, Activations.relu()), new Dense(3));
        assertThat(train(compiled, true, 9)).isEqualTo(train(eager, false, 9));
        CompiledFitTest.assertSameWeights(compiled::weights, eager::weights);
        assertThat(compiled.weights().get(0).peek().toDoubleArray()).as("the custom layer's scale trained")
                .isNotEqualTo(new double[] {1, 1, 1, 1});
    }

    /**
     * With plain SGD at learning rate 1 a replayed step moves each weight by exactly its gradient
     * (up to the last bit of the weight): {@code w_before - w_after} is the gradient the compiled
     * step computed, compared with central differences of the loss in F64.
     */
    @Test
    void theGradientsAReplayAppliesMatchCentralDifferences() {
        Sequential m = new Sequential().add(new ScaleShift()).add(new Dense(5, Activations.tanh())).add(new Dense(3));
        m.setSeed(21);
        m.compile(CompileOptions.of(new SGD(1.0), new SparseCategoricalCrossentropy(true)).jitCompile(false));
        Batch batch = classes(new Rng(8), 6, 4, DType.F64);
        CompiledStep<Map<String, Double>> step = new CompiledStep<>("trainStep", m::trainStep, m::weights, 2);
        m.maybeBuild(batch.x().shape(), DType.F64);
        assertThat(m.weights().get(0).dtype()).isEqualTo(DType.F64);
        step.apply(batch); // first trace
        step.apply(batch); // second trace, then the plan
        List<double[]> before = values(m.weights());
        step.apply(batch); // a replay
        assertThat(step.traces()).isEqualTo(2);
        List<double[]> after = values(m.weights());
        int checked = 0;
        for (int v = 0; v < before.size(); v++) {
            Variable var = m.weights().get(v);
            double[] w = before.get(v);
            for (int k = 0; k < w.length; k++) {
                double applied = w[k] - after.get(v)[k];
                double numeric = (lossAt(m, batch, before, v, k, w[k] + 1e-6) - lossAt(m, batch, before, v, k,
                        w[k] - 1e-6)) / 2e-6;
                assertThat(applied).as("d loss / d %s[%d]", var.name(), k).isCloseTo(numeric,
                        within(1e-7 + 1e-5 * Math.abs(numeric)));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(4 + 4 + 4 * 5 + 5 + 5 * 3 + 3);
    }

    private static List<double[]> values(List<Variable> vars) {
        List<double[]> out = new ArrayList<>();
        for (Variable v : vars) {
            out.add(v.peek().toDoubleArray());
        }
        return out;
    }

    /** The eager loss with every weight at {@code base}, element {@code k} of weight {@code v} at {@code value}. */
    private static double lossAt(Sequential m, Batch batch, List<double[]> base, int v, int k, double value) {
        List<Variable> vars = m.weights();
        for (int i = 0; i < vars.size(); i++) {
            double[] w = base.get(i).clone();
            if (i == v) {
                w[k] = value;
            }
            vars.get(i).assign(Tensor.wrap(DType.F64, vars.get(i).shape(), w));
        }
        try (GradientTape.NoGrad ignored = GradientTape.noGrad()) {
            Tensor x = batch.x();
            return m.computeLoss(x, batch.y(), m.call(x, true), null).item();
        }
    }
}
