package dev.vecgrad.train.layers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.Functional;
import dev.vecgrad.train.Model;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.data.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gradients through functional graphs: several inputs and outputs, a shared layer, nested models. */
class FunctionalGradientsTest {
    /** Multiplies its two inputs elementwise: a merge whose gradient reaches both branches. */
    static final class Product extends Layer {
        Product() {
            super(null);
        }

        @Override
        protected Tensor forward(Tensor x, boolean training) {
            return x;
        }

        @Override
        protected Tensor forward(List<Tensor> inputs, List<Tensor> masks, boolean training) {
            return inputs.get(0).mul(inputs.get(1));
        }

        @Override
        public Shape computeOutputShape(Shape inputShape) {
            return inputShape;
        }

        @Override
        public Shape computeOutputShape(List<Shape> inputShapes) {
            return inputShapes.get(0);
        }
    }

    @Test
    void everyWeightOfATwoInputTwoOutputGraphWithSharingAndNestingMatchesFiniteDifferences() {
        SymbolicTensor a = Input.of("a", DType.F64, 3);
        SymbolicTensor b = Input.of("b", DType.F64, 3);
        Dense shared = new Dense(3, Activations.tanh());
        SymbolicTensor sa = shared.call(a);
        SymbolicTensor sb = shared.call(b);                      // the same weights on both inputs
        SymbolicTensor p = new Product().call(sa, sb);
        SymbolicTensor innerIn = Input.of(null, DType.F64, 3);
        Functional inner = Model.of("inner", List.of(innerIn), List.of(new Dense(2, Activations.sigmoid()).call(innerIn)));
        SymbolicTensor first = new Dense(2).call(inner.call(p));
        SymbolicTensor second = new Sequential(new Dense(1, Activations.tanh())).call(sb);
        Functional m = Model.of(List.of(a, b), List.of(first, second));
        assertThat(m.trainableWeights()).hasSize(2 + 2 + 2 + 2);

        Rng rng = new Rng(5);
        Tensor xa = Tensor.randomUniform(rng, -1f, 1f, 4, 3).cast(DType.F64);
        Tensor xb = Tensor.randomUniform(rng, -1f, 1f, 4, 3).cast(DType.F64);
        int checked = WeightGradCheck.check(() -> {
            Tensors out = m.call(Tensors.of(xa, xb), true);
            return out.get(0).mul(out.get(1));                  // both heads reach the projected loss
        }, m.trainableWeights());
        assertThat(checked).isEqualTo((9 + 3) + (6 + 2) + (4 + 2) + (3 + 1));
    }
}
