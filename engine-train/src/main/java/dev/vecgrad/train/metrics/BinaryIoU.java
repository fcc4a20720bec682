package dev.vecgrad.train.metrics;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link IoU} of class 0 and/or class 1 of a binary task whose predictions are scores, as
 * Keras's {@code BinaryIoU}: a prediction at or above {@code threshold} is class 1, below it
 * class 0; labels are 0 or 1.
 *
 * <pre>{@code
 * BinaryIoU iou = new BinaryIoU(new int[] {0, 1}, 0.3);
 * iou.update(Tensor.of(new float[] {0, 1, 0, 1}), Tensor.of(new float[] {0.1f, 0.2f, 0.4f, 0.7f}), null);
 * iou.result();   // predicted classes 0, 0, 1, 1: each class 1 / (2 + 2 - 1); mean 1/3
 * }</pre>
 */
public final class BinaryIoU extends IoU {
    private final double threshold;

    /** Keras's defaults: both classes, threshold 0.5. */
    public BinaryIoU() {
        this(new int[] {0, 1}, 0.5);
    }

    /** The IoU of {@code targetClassIds} ({@code {0}}, {@code {1}} or {@code {0, 1}}) at {@code threshold}. */
    public BinaryIoU(int[] targetClassIds, double threshold) {
        this("binary_io_u", targetClassIds, threshold);
    }

    /** Every argument, as Keras's {@code BinaryIoU}. */
    public BinaryIoU(String name, int[] targetClassIds, double threshold) {
        super(name, 2, targetClassIds, null, true, true, -1);
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException(name + ": threshold must be finite, got " + threshold);
        }
        this.threshold = threshold;
    }

    @Override
    int[] predictedClasses(Tensor yPred) {
        double[] p = yPred.cast(DType.F64).toDoubleArray();
        int[] classes = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            if (Double.isNaN(p[i])) {
                throw new IllegalArgumentException(name() + ": prediction NaN at " + i);
            }
            classes[i] = p[i] >= threshold ? 1 : 0;
        }
        return classes;
    }

    /** The score from which a prediction is class 1. */
    public double threshold() {
        return threshold;
    }

    /** Keras's config of {@code BinaryIoU}: target_class_ids, threshold and the name. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("target_class_ids", ids(targetClassIds()));
        c.put("threshold", threshold);
        c.put("name", name());
        return c;
    }
}
