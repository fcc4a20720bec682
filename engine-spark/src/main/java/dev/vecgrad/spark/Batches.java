package dev.vecgrad.spark;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.ShapeOps;
import dev.vecgrad.train.data.Batch;
import java.util.ArrayList;
import java.util.List;

/** Putting the workers' local batches and outputs back together, in partition order. */
final class Batches {
    private Batches() {
    }

    /** One batch of the rows of {@code parts}, in order. */
    static Batch concat(List<Batch> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        List<Tensor> xs = new ArrayList<>();
        List<Tensor> ys = new ArrayList<>();
        for (Batch b : parts) {
            xs.add(b.x());
            ys.add(b.y());
        }
        return new Batch(rows(xs), ys.get(0) == null ? null : rows(ys), null);
    }

    /** The rows of {@code parts}, in order. */
    static Tensor rows(List<Tensor> parts) {
        return parts.size() == 1 ? parts.get(0) : ShapeOps.concat(parts, 0);
    }
}
