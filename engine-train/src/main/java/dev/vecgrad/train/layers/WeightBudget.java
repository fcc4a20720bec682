package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;

/**
 * A limit on how many weight elements layers may create on the current thread while an action
 * runs. Loading a model sets it to the number of elements the weights file holds, so a config
 * that describes a larger model (a {@code Dense} of a million units where the file holds a few
 * thousand weights) fails before a single large weight is allocated, naming the weight.
 *
 * <pre>{@code
 * import dev.vecgrad.train.Models;
 *
 * Layer model = WeightBudget.call(100_000, "weights.safetensors", () -> Models.deserialize(entry));
 * }</pre>
 */
public final class WeightBudget {
    private static final ScopedValue<WeightBudget> ACTIVE = ScopedValue.newInstance();

    private final long limit;
    private final String holder;
    private long used;

    private WeightBudget(long limit, String holder) {
        this.limit = limit;
        this.holder = holder;
    }

    /**
     * Runs {@code action} with at most {@code maxElements} weight elements allowed to be created
     * on this thread; {@code holder} names what sets the limit, for the error message.
     */
    public static <T, X extends Throwable> T call(long maxElements, String holder, ScopedValue.CallableOp<T, X> action)
            throws X {
        return ScopedValue.where(ACTIVE, new WeightBudget(maxElements, holder)).call(action);
    }

    /** Counts a weight about to be created, or fails when it would pass the active limit. */
    static void charge(String weight, Shape shape) {
        if (!ACTIVE.isBound()) {
            return;
        }
        WeightBudget b = ACTIVE.get();
        long total = b.used + shape.size();
        if (total > b.limit) {
            throw new IllegalArgumentException("weight '" + weight + "' " + shape + " would make " + total
                    + " weight elements, more than the " + b.limit + " that " + b.holder + " holds");
        }
        b.used = total;
    }
}
