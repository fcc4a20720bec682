package dev.vecgrad.train.metrics;

import java.util.Map;

/**
 * {@link IoU} for one-hot labels, as Keras's {@code OneHotIoU}: the class of a label is the argmax
 * of its one-hot vector along {@code axis}, and of a prediction the argmax of its scores (or its
 * id, with {@code sparseYPred}).
 *
 * <pre>{@code
 * OneHotIoU iou = new OneHotIoU(3, new int[] {0, 2});
 * iou.update(Tensor.of(new float[][] {{0, 0, 1}, {1, 0, 0}}),
 *         Tensor.of(new float[][] {{0.2f, 0.3f, 0.5f}, {0.6f, 0.3f, 0.1f}}), null);
 * iou.result();   // both right: class 0 and class 2 have IoU 1
 * }</pre>
 */
public final class OneHotIoU extends IoU {
    /** The IoU of {@code targetClassIds} among {@code numClasses}, one-hot labels and score predictions. */
    public OneHotIoU(int numClasses, int[] targetClassIds) {
        this("one_hot_io_u", numClasses, targetClassIds, null, false, -1);
    }

    /** Every argument, as Keras's {@code OneHotIoU} ({@code ignoreClass} may be null). */
    public OneHotIoU(String name, int numClasses, int[] targetClassIds, Integer ignoreClass, boolean sparseYPred,
            int axis) {
        super(name, numClasses, targetClassIds, ignoreClass, false, sparseYPred, axis);
    }

    /** Keras's config of {@code OneHotIoU}: {@link IoU}'s without sparse_y_true (labels are one-hot). */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.remove("sparse_y_true");
        return c;
    }
}
