package dev.vecgrad.train;

import dev.vecgrad.train.losses.Loss;
import dev.vecgrad.train.losses.Losses;
import dev.vecgrad.train.losses.Reduction;
import dev.vecgrad.train.optimizers.Optimizer;
import dev.vecgrad.train.optimizers.Optimizers;

/** Turns the optimizer and loss names {@code compile} accepts into objects. */
final class Registry {
    private Registry() {
    }

    static Optimizer optimizer(String name) {
        return Optimizers.get(name);
    }

    static Loss loss(String name) {
        return Losses.get(name);
    }

    /** Whether the loss adds up per-sample values instead of averaging them (no per-replica rescaling then). */
    static boolean isSumReduction(Loss loss) {
        return loss.reduction() == Reduction.SUM;
    }
}
