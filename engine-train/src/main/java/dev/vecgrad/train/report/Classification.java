package dev.vecgrad.train.report;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.draw.Bitmap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * What a classifier did on a labelled set: the confusion matrix and the examples it got most
 * wrong (the lowest probability given to the true class), with their images when the inputs are
 * images.
 *
 * <p>Predictions are {@code (n, classes)} scores, or {@code (n)} / {@code (n, 1)} for a binary
 * classifier; scores outside [0, 1], or rows that do not sum to 1, are taken as logits (softmax,
 * or the sigmoid for one column). Labels are class numbers {@code (n)} / {@code (n, 1)}, or
 * one-hot rows {@code (n, classes)}. Inputs are images when shaped {@code (n, h, w)},
 * {@code (n, h, w, 1)}, {@code (n, h, w, 3)}, or {@code (n, d)} with {@code d} a square.
 */
final class Classification {
    /**
     * One wrongly classified example, with its image as base64 PNG (null when the inputs are not
     * images), encoded once since the page is written many times.
     */
    record Miss(int index, int truth, int predicted, double pTruth, double pPredicted, Bitmap image, String png) {
    }

    /** A pair of classes confused: how often {@code truth} was predicted as {@code predicted}. */
    record Confusion(int truth, int predicted, long count) {
    }

    final int classes;
    final long[][] counts;
    final long total;
    final long correct;
    final List<Miss> worst;

    private Classification(int classes, long[][] counts, long total, long correct, List<Miss> worst) {
        this.classes = classes;
        this.counts = counts;
        this.total = total;
        this.correct = correct;
        this.worst = worst;
    }

    /** The accuracy, correct over total. */
    double accuracy() {
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    /** The most frequent confusions, largest first, at most {@code limit}. */
    List<Confusion> topConfusions(int limit) {
        List<Confusion> all = new ArrayList<>();
        for (int t = 0; t < classes; t++) {
            for (int p = 0; p < classes; p++) {
                if (t != p && counts[t][p] > 0) {
                    all.add(new Confusion(t, p, counts[t][p]));
                }
            }
        }
        all.sort(Comparator.comparingLong(Confusion::count).reversed());
        return all.subList(0, Math.min(limit, all.size()));
    }

    /** Works out the matrix and the {@code worstCount} worst misses of {@code yPred} against {@code yTrue}. */
    static Classification of(Tensor x, Tensor yTrue, Tensor yPred, int worstCount, int imageZoom) {
        Shape ps = yPred.shape();
        if (ps.rank() < 1 || ps.rank() > 2 || ps.dim(0) == 0) {
            throw new IllegalArgumentException("report: predictions must be (n, classes), (n) or (n, 1) with n > 0, "
                    + "got " + ps);
        }
        int n = ps.dim(0);
        if (x.rank() < 1 || x.shape().dim(0) != n || yTrue.rank() < 1 || yTrue.shape().dim(0) != n) {
            throw new IllegalArgumentException("report: inputs " + x.shape() + ", labels " + yTrue.shape()
                    + " and predictions " + ps + " must have the same number of examples");
        }
        int columns = ps.rank() == 1 ? 1 : ps.dim(1);
        int classes = Math.max(2, columns);
        double[][] probs = probabilities(yPred.toDoubleArray(), n, columns);
        int[] truth = labels(yTrue, n, classes);

        long[][] counts = new long[classes][classes];
        long correct = 0;
        List<Integer> missed = new ArrayList<>();
        int[] predicted = new int[n];
        for (int i = 0; i < n; i++) {
            predicted[i] = argmax(probs[i]);
            counts[truth[i]][predicted[i]]++;
            if (predicted[i] == truth[i]) {
                correct++;
            } else {
                missed.add(i);
            }
        }
        missed.sort(Comparator.comparingDouble((Integer i) -> probs[i][truth[i]]).thenComparingInt(i -> i));
        List<Miss> worst = new ArrayList<>();
        Images images = Images.of(x);
        for (int k = 0; k < Math.min(worstCount, missed.size()); k++) {
            int i = missed.get(k);
            Bitmap image = images == null ? null : images.bitmap(i, imageZoom);
            worst.add(new Miss(i, truth[i], predicted[i], probs[i][truth[i]], probs[i][predicted[i]], image,
                    image == null ? null : Base64.getEncoder().encodeToString(image.pixelsPng())));
        }
        return new Classification(classes, counts, n, correct, List.copyOf(worst));
    }

    /** Rows of class probabilities: as given, or through softmax (sigmoid for one column) when they are logits. */
    static double[][] probabilities(double[] scores, int n, int columns) {
        boolean logits = false;
        for (int i = 0; i < n && !logits; i++) {
            double sum = 0;
            for (int c = 0; c < columns; c++) {
                double v = scores[i * columns + c];
                if (!(v >= 0 && v <= 1)) {
                    logits = true;
                }
                sum += v;
            }
            logits |= columns > 1 && Math.abs(sum - 1) > 1e-3;
        }
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            if (columns == 1) {
                double v = scores[i];
                double p1 = logits ? 1 / (1 + Math.exp(-v)) : v;
                p[i] = new double[] {1 - p1, p1};
            } else {
                double[] row = new double[columns];
                System.arraycopy(scores, i * columns, row, 0, columns);
                if (logits) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (double v : row) {
                        max = Math.max(max, v);
                    }
                    double sum = 0;
                    for (int c = 0; c < columns; c++) {
                        row[c] = Math.exp(row[c] - max);
                        sum += row[c];
                    }
                    for (int c = 0; c < columns; c++) {
                        row[c] /= sum;
                    }
                }
                p[i] = row;
            }
        }
        return p;
    }

    private static int[] labels(Tensor yTrue, int n, int classes) {
        Shape s = yTrue.shape();
        double[] v = yTrue.toDoubleArray();
        int[] out = new int[n];
        if (s.rank() == 2 && s.dim(1) == classes && classes > 1) {
            for (int i = 0; i < n; i++) {
                double[] row = new double[classes];
                System.arraycopy(v, i * classes, row, 0, classes);
                out[i] = argmax(row);
            }
            return out;
        }
        if (s.rank() > 2 || (s.rank() == 2 && s.dim(1) != 1)) {
            throw new IllegalArgumentException("report: labels must be class numbers (n) or (n, 1), or one-hot rows "
                    + "(n, " + classes + "), got " + s);
        }
        for (int i = 0; i < n; i++) {
            double c = v[i];
            if (c != Math.rint(c) || c < 0 || c >= classes) {
                throw new IllegalArgumentException("report: label " + c + " of example " + i
                        + " is not a class number 0.." + (classes - 1));
            }
            out[i] = (int) c;
        }
        return out;
    }

    private static int argmax(double[] row) {
        int best = 0;
        for (int c = 1; c < row.length; c++) {
            if (row[c] > row[best]) {
                best = c;
            }
        }
        return best;
    }

    /** The inputs as images, when their shape says they are. */
    private record Images(float[] values, int rows, int columns, int channels) {
        static Images of(Tensor x) {
            Shape s = x.shape();
            int rows;
            int cols;
            int channels = 1;
            if (s.rank() == 3) {
                rows = s.dim(1);
                cols = s.dim(2);
            } else if (s.rank() == 4 && (s.dim(3) == 1 || s.dim(3) == 3)) {
                rows = s.dim(1);
                cols = s.dim(2);
                channels = s.dim(3);
            } else if (s.rank() == 2 && isSquare(s.dim(1))) {
                rows = (int) Math.round(Math.sqrt(s.dim(1)));
                cols = rows;
            } else {
                return null;
            }
            return new Images(x.toFloatArray(), rows, cols, channels);
        }

        private static boolean isSquare(int d) {
            long r = Math.round(Math.sqrt(d));
            return d >= 4 && r * r == d;
        }

        Bitmap bitmap(int i, int zoom) {
            int size = rows * columns * channels;
            float[] one = new float[size];
            System.arraycopy(values, i * size, one, 0, size);
            return channels == 3 ? Bitmap.color(one, rows, columns, zoom) : Bitmap.intensity(one, rows, columns, zoom);
        }
    }
}
