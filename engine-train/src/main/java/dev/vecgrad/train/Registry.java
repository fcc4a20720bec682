package dev.vecgrad.train;

import dev.vecgrad.train.losses.BinaryCrossentropy;
import dev.vecgrad.train.losses.CategoricalCrossentropy;
import dev.vecgrad.train.losses.Loss;
import dev.vecgrad.train.losses.Losses;
import dev.vecgrad.train.losses.Reduction;
import dev.vecgrad.train.losses.SparseCategoricalCrossentropy;
import dev.vecgrad.train.metrics.Metric;
import dev.vecgrad.train.metrics.Metrics;
import dev.vecgrad.train.optimizers.Optimizer;
import dev.vecgrad.train.optimizers.Optimizers;
import java.util.Locale;

/** Turns the names {@code compile} accepts into objects, resolving "accuracy" by the loss as Keras does. */
final class Registry {
    private Registry() {
    }

    static Optimizer optimizer(String name) {
        return Optimizers.get(name);
    }

    static Loss loss(String name) {
        return Losses.get(name);
    }

    /**
     * The metric called {@code name}. "accuracy" (or "acc") means the accuracy that fits the loss:
     * sparse categorical for integer labels, categorical for one-hot ones, binary otherwise; it is
     * logged as the name given, as in Keras.
     */
    static Metric metric(String name, Loss loss) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("accuracy") || n.equals("acc")) {
            String kind = loss instanceof SparseCategoricalCrossentropy ? "sparse_categorical_accuracy"
                    : loss instanceof CategoricalCrossentropy ? "categorical_accuracy"
                    : loss instanceof BinaryCrossentropy ? "binary_accuracy"
                    : "accuracy";
            return Metrics.get(kind, name);
        }
        return Metrics.get(name);
    }

    /** Whether the loss adds up per-sample values instead of averaging them (no per-replica rescaling then). */
    static boolean isSumReduction(Loss loss) {
        return loss.reduction() == Reduction.SUM;
    }
}
