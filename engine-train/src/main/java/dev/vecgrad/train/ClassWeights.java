package dev.vecgrad.train;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.train.data.Batch;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Keras's {@code class_weight}: each sample's weight multiplied by the weight of its class. */
final class ClassWeights {
    private ClassWeights() {
    }

    /** A dataset map that sets (or multiplies into) each batch's sample weights. */
    static UnaryOperator<Batch> applier(Map<Integer, Double> classWeight) {
        return b -> {
            if (b.targets() == null) {
                throw new IllegalArgumentException("classWeight needs targets y");
            }
            if (b.targets().size() != 1) {
                throw new IllegalArgumentException("classWeight needs a model of one output, and the batch has "
                        + b.targets().size() + " targets; give each output's samples weights instead");
            }
            int[] labels = labels(b.y());
            float[] w = new float[labels.length];
            for (int i = 0; i < labels.length; i++) {
                Double cw = classWeight.get(labels[i]);
                if (cw == null) {
                    throw new IllegalArgumentException("classWeight has no weight for class " + labels[i]
                            + "; it gives weights for " + classWeight.keySet());
                }
                w[i] = cw.floatValue();
            }
            Tensor weights = TensorInternals.wrap(DType.F32, Shape.of(w.length), w);
            Tensor given = b.sampleWeight();
            return b.withSampleWeight(given == null ? weights : given.cast(DType.F32).mul(weights.reshape(
                    broadcastDims(given.rank(), w.length))));
        };
    }

    /** Class indices: the labels themselves for one label a sample, the arg-max of one-hot rows otherwise. */
    private static int[] labels(Tensor y) {
        boolean oneHot = y.rank() >= 2 && y.shape().dim(-1) > 1;
        Tensor idx = oneHot ? y.argmax(-1) : y.reshape(y.shape().dim(0));
        return idx.toIntArray();
    }

    private static int[] broadcastDims(int rank, int n) {
        int[] dims = new int[Math.max(rank, 1)];
        java.util.Arrays.fill(dims, 1);
        dims[0] = n;
        return dims;
    }
}
