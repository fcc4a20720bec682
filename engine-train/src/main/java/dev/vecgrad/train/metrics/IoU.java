package dev.vecgrad.train.metrics;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Intersection over union for chosen classes, as Keras's {@code IoU}: every label and prediction
 * (after flattening) adds its weight to a {@code numClasses x numClasses} confusion matrix (rows:
 * true class, columns: predicted class), and a class's IoU is
 * {@code tp / (tp + fp + fn)} = {@code cm[c][c] / (row c + column c - cm[c][c])}. The result is the
 * mean IoU of the {@code targetClassIds}; a class that neither occurs nor is predicted has no IoU
 * and is left out of the mean. Labels and predictions are class ids (truncated to integers, as
 * Keras casts them), or, with {@code sparseYTrue} / {@code sparseYPred} false, scores whose
 * {@code argmax} along {@code axis} is the class. Labels equal to {@code ignoreClass} (for
 * example a segmentation map's void class 255) count for nothing.
 *
 * <pre>{@code
 * IoU iou = new IoU(3, new int[] {0, 2});
 * iou.update(Tensor.of(new float[] {0, 0, 1, 2}), Tensor.of(new float[] {0, 1, 1, 2}), null);
 * iou.result();   // class 0: 1 / (2 + 1 - 1) = 0.5, class 2: 1 / (1 + 1 - 1) = 1; mean 0.75
 * }</pre>
 *
 * <p>{@link MeanIoU} averages every class, {@link BinaryIoU} thresholds one probability,
 * {@link OneHotIoU} and {@link OneHotMeanIoU} read one-hot labels. Unnamed, they log under the
 * names Keras gives them: {@code io_u}, {@code mean_io_u}, {@code binary_io_u},
 * {@code one_hot_io_u}, {@code one_hot_mean_io_u}.
 */
public class IoU extends Metric {
    private static final double EPSILON = 1e-7;

    private final int numClasses;
    private final int[] targetClassIds;
    private final Integer ignoreClass;
    private final boolean sparseYTrue;
    private final boolean sparseYPred;
    private final int axis;
    /** The confusion matrix, row-major: {@code cm[t * numClasses + p]} is the weight of label t predicted p. */
    private final double[] cm;

    /** The IoU of {@code targetClassIds} among {@code numClasses} classes, with class-id labels and predictions. */
    public IoU(int numClasses, int[] targetClassIds) {
        this("io_u", numClasses, targetClassIds, null, true, true, -1);
    }

    /**
     * Every argument, as Keras's {@code IoU}: {@code ignoreClass} may be null (nothing ignored);
     * {@code axis} is the class axis of scores when a sparse flag is false.
     */
    public IoU(String name, int numClasses, int[] targetClassIds, Integer ignoreClass, boolean sparseYTrue,
            boolean sparseYPred, int axis) {
        super(name);
        if (numClasses < 1) {
            throw new IllegalArgumentException(name + ": num_classes must be positive, got " + numClasses);
        }
        if (targetClassIds.length == 0) {
            throw new IllegalArgumentException(name + ": target_class_ids must name at least one class");
        }
        for (int id : targetClassIds) {
            if (id < 0 || id >= numClasses) {
                throw new IllegalArgumentException(name + ": target class id " + id + " is out of range, which is [0, "
                        + numClasses + ")");
            }
        }
        if ((long) numClasses * numClasses > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(name + ": num_classes " + numClasses + " is too many for a confusion"
                    + " matrix");
        }
        this.numClasses = numClasses;
        this.targetClassIds = targetClassIds.clone();
        this.ignoreClass = ignoreClass;
        this.sparseYTrue = sparseYTrue;
        this.sparseYPred = sparseYPred;
        this.axis = axis;
        this.cm = new double[numClasses * numClasses];
    }

    /** Every class id from 0 to {@code numClasses - 1}. */
    static int[] allClasses(int numClasses) {
        int[] ids = new int[Math.max(numClasses, 0)];
        Arrays.setAll(ids, i -> i);
        return ids;
    }

    @Override
    public void update(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        int[] labels;
        int[] predicted;
        double[] w;
        try (GradientTape.NoGrad r = GradientTape.noGrad()) {
            Tensor t = sparseYTrue ? yTrue : yTrue.argmax(axis);
            labels = classIds(t, "label");
            predicted = predictedClasses(yPred);
            if (labels.length != predicted.length) {
                throw new IllegalArgumentException(name() + ": " + labels.length + " labels " + t.shape() + " but "
                        + predicted.length + " predictions (from " + yPred.shape() + ")");
            }
            w = weights(sampleWeight, t, labels.length);
        }
        double[] add = new double[cm.length];
        for (int i = 0; i < labels.length; i++) {
            if (ignoreClass != null && labels[i] == ignoreClass) {
                continue;
            }
            checkClass(labels[i], "label");
            checkClass(predicted[i], "predicted class");
            add[labels[i] * numClasses + predicted[i]] += w == null ? 1 : w[i];
        }
        synchronized (this) {
            for (int i = 0; i < cm.length; i++) {
                cm[i] += add[i];
            }
        }
    }

    /** The predicted class of each element: its id, or the argmax of its scores. {@link BinaryIoU} thresholds. */
    int[] predictedClasses(Tensor yPred) {
        return classIds(sparseYPred ? yPred : yPred.argmax(axis), "prediction");
    }

    /** The values of {@code t}, flattened, as class ids (truncated toward zero, as Keras casts them). */
    int[] classIds(Tensor t, String what) {
        double[] v = t.cast(DType.F64).toDoubleArray();
        int[] ids = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i]) || Math.abs(v[i]) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name() + ": " + what + " " + v[i] + " at " + i + " is not a class id");
            }
            ids[i] = (int) v[i];
        }
        return ids;
    }

    private void checkClass(int id, String what) {
        if (id < 0 || id >= numClasses) {
            throw new IllegalArgumentException(name() + ": " + what + " " + id + " is outside [0, " + numClasses + ")"
                    + (ignoreClass == null ? "" : " and is not the ignored class " + ignoreClass));
        }
    }

    /**
     * One weight a label: none (null), one for all, one each, or one for each leading index (per
     * sample weights of shape {@code (batch,)} for labels of shape {@code (batch, height, width)}).
     */
    private double[] weights(Tensor sampleWeight, Tensor labels, int n) {
        if (sampleWeight == null) {
            return null;
        }
        double[] sw = sampleWeight.cast(DType.F64).toDoubleArray();
        if (sw.length == n) {
            return sw;
        }
        int[] s = sampleWeight.shape().toArray();
        int[] l = labels.shape().toArray();
        boolean leading = s.length <= l.length;
        for (int i = 0; leading && i < s.length; i++) {
            leading = s[i] == l[i];
        }
        if (sw.length == 1 || (leading && sw.length > 0 && n % sw.length == 0)) {
            int each = n / sw.length;
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                w[i] = sw[i / each];
            }
            return w;
        }
        throw new IllegalArgumentException(name() + ": sample weights " + sampleWeight.shape() + " do not fit labels "
                + labels.shape() + ": give one weight, one per label, or one per leading index");
    }

    /** The IoU of each class, {@code tp / (tp + fp + fn)} (0 for a class that neither occurs nor is predicted). */
    public synchronized double[] classIoUs() {
        double[] iou = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            double d = denominator(c);
            iou[c] = d > 0 ? cm[c * numClasses + c] / d : 0;
        }
        return iou;
    }

    /** Row c plus column c minus the diagonal entry: tp + fp + fn of class c. */
    private double denominator(int c) {
        double row = 0;
        double column = 0;
        for (int k = 0; k < numClasses; k++) {
            row += cm[c * numClasses + k];
            column += cm[k * numClasses + c];
        }
        return row + column - cm[c * numClasses + c];
    }

    /** The mean IoU of the target classes that occur or are predicted, with Keras's epsilon in both divisions. */
    @Override
    public synchronized double result() {
        double sum = 0;
        int valid = 0;
        for (int c : targetClassIds) {
            double d = denominator(c);
            sum += cm[c * numClasses + c] / (d + EPSILON);
            if (d > 1e-9) {
                valid++;
            }
        }
        return sum / (valid + EPSILON);
    }

    @Override
    public synchronized void reset() {
        Arrays.fill(cm, 0);
    }

    /** The confusion matrix, row-major (row: true class, column: predicted class). */
    @Override
    public synchronized double[] state() {
        return cm.clone();
    }

    @Override
    public synchronized void mergeState(double[] other) {
        checkState(other, cm.length);
        for (int i = 0; i < cm.length; i++) {
            cm[i] += other[i];
        }
    }

    @Override
    public Direction direction() {
        return Direction.UP;
    }

    /** The number of classes. */
    public int numClasses() {
        return numClasses;
    }

    /** The classes whose IoUs are averaged (a copy). */
    public int[] targetClassIds() {
        return targetClassIds.clone();
    }

    /** The label that counts for nothing, or null. */
    public Integer ignoreClass() {
        return ignoreClass;
    }

    /** Whether labels are class ids (else scores, argmax along {@link #axis()}). */
    public boolean sparseYTrue() {
        return sparseYTrue;
    }

    /** Whether predictions are class ids (else scores, argmax along {@link #axis()}). */
    public boolean sparseYPred() {
        return sparseYPred;
    }

    /** The class axis of scores. */
    public int axis() {
        return axis;
    }

    /** Keras's config of {@code IoU}: the name, num_classes, target_class_ids, ignore_class, the sparse flags and axis. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("num_classes", numClasses);
        c.put("target_class_ids", ids(targetClassIds));
        c.put("ignore_class", ignoreClass);
        c.put("sparse_y_true", sparseYTrue);
        c.put("sparse_y_pred", sparseYPred);
        c.put("axis", axis);
        return c;
    }

    static List<Integer> ids(int[] ids) {
        List<Integer> out = new ArrayList<>();
        for (int id : ids) {
            out.add(id);
        }
        return out;
    }
}
