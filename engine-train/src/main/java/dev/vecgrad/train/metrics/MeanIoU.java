package dev.vecgrad.train.metrics;

import java.util.Map;

/**
 * The mean {@link IoU} over every class, as Keras's {@code MeanIoU}: labels and predictions are
 * class ids (or, with a sparse flag false, scores whose argmax is the class).
 *
 * <pre>{@code
 * MeanIoU miou = new MeanIoU(2);
 * miou.update(Tensor.of(new float[] {0, 0, 1, 1}), Tensor.of(new float[] {0, 1, 0, 1}), null);
 * miou.result();   // each class: 1 / (2 + 2 - 1); mean 1/3
 * }</pre>
 */
public class MeanIoU extends IoU {
    /** The mean IoU of {@code numClasses} classes, with class-id labels and predictions. */
    public MeanIoU(int numClasses) {
        this("mean_io_u", numClasses, null, true, true, -1);
    }

    /** Every argument, as Keras's {@code MeanIoU} ({@code ignoreClass} may be null). */
    public MeanIoU(String name, int numClasses, Integer ignoreClass, boolean sparseYTrue, boolean sparseYPred,
            int axis) {
        super(name, numClasses, allClasses(numClasses), ignoreClass, sparseYTrue, sparseYPred, axis);
    }

    /** Keras's config of {@code MeanIoU}: {@link IoU}'s without target_class_ids (every class is a target). */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.remove("target_class_ids");
        return c;
    }
}
