package dev.vecgrad.train.metrics;

import java.util.Map;

/**
 * {@link MeanIoU} for one-hot labels, as Keras's {@code OneHotMeanIoU}: the mean IoU over every
 * class, each label's class the argmax of its one-hot vector along {@code axis}, each
 * prediction's the argmax of its scores (or its id, with {@code sparseYPred}).
 *
 * <pre>{@code
 * OneHotMeanIoU miou = new OneHotMeanIoU(3);
 * miou.update(labelsOneHot, probabilities, null);
 * }</pre>
 */
public final class OneHotMeanIoU extends MeanIoU {
    /** The mean IoU of {@code numClasses} classes, one-hot labels and score predictions. */
    public OneHotMeanIoU(int numClasses) {
        this("one_hot_mean_io_u", numClasses, null, false, -1);
    }

    /** Every argument, as Keras's {@code OneHotMeanIoU} ({@code ignoreClass} may be null). */
    public OneHotMeanIoU(String name, int numClasses, Integer ignoreClass, boolean sparseYPred, int axis) {
        super(name, numClasses, ignoreClass, false, sparseYPred, axis);
    }

    /** Keras's config of {@code OneHotMeanIoU}: {@link MeanIoU}'s without sparse_y_true (labels are one-hot). */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.remove("sparse_y_true");
        return c;
    }
}
