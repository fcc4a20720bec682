package dev.vecgrad.train.data;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.io.Idx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An image classification set stored as a pair of IDX files, as MNIST is:
 * {@code PREFIX-images-idx3-ubyte} and {@code PREFIX-labels-idx1-ubyte}, each optionally ending in
 * {@code .gz}. Images load channels-last as F32 {@code (n, height, width, 1)} scaled to [0, 1];
 * labels as I32 {@code (n)}.
 *
 * <pre>{@code
 * IdxImages train = IdxImages.load("data/mnist/mnist10k-train");
 * Dataset ds = train.dataset().shuffle(train.size(), 1).batch(128);
 * }</pre>
 *
 * @param images F32 (n, height, width, 1), values in [0, 1]
 * @param labels I32 (n), class indices
 */
public record IdxImages(Tensor images, Tensor labels) {
    /** Checks that there is one label per image. */
    public IdxImages {
        if (images.rank() != 4 || labels.rank() != 1 || images.shape().dim(0) != labels.shape().dim(0)) {
            throw new IllegalArgumentException("IDX images " + images.shape() + " and labels " + labels.shape()
                    + " do not pair up: expected (n, height, width, 1) and (n)");
        }
    }

    /** Reads {@code prefix}-images-idx3-ubyte[.gz] and {@code prefix}-labels-idx1-ubyte[.gz]. */
    public static IdxImages load(String prefix) {
        Tensor images = loadImages(prefix);
        Path labelFile = find(prefix + "-labels-idx1-ubyte");
        try {
            Tensor labels = Idx.readLabels(labelFile);
            if (labels.rank() != 1 || labels.dtype() != DType.I32) {
                throw new IllegalArgumentException(labelFile + ": expected I32 labels of rank 1, got " + labels.dtype()
                        + " " + labels.shape());
            }
            if (labels.shape().dim(0) != images.shape().dim(0)) {
                throw new IllegalArgumentException(prefix + "-images-idx3-ubyte holds " + images.shape().dim(0)
                        + " images but " + labelFile + " holds " + labels.shape().dim(0) + " labels");
            }
            return new IdxImages(images, labels);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + prefix + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads only {@code prefix}-images-idx3-ubyte[.gz] (for prediction, where there are no labels):
     * F32 (n, height, width, 1) scaled to [0, 1].
     */
    public static Tensor loadImages(String prefix) {
        Path imageFile = find(prefix + "-images-idx3-ubyte");
        try {
            Tensor raw = Idx.readImagesScaled(imageFile);
            if (raw.rank() != 3) {
                throw new IllegalArgumentException(imageFile + ": expected images of rank 3 (n, height, width), got "
                        + raw.shape());
            }
            return raw.reshape(raw.shape().dim(0), raw.shape().dim(1), raw.shape().dim(2), 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + prefix + ": " + e.getMessage(), e);
        }
    }

    private static Path find(String base) {
        Path plain = Path.of(base);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = Path.of(base + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw new IllegalArgumentException("no such file: " + base + " (nor " + base + ".gz)");
    }

    /** The number of images. */
    public int size() {
        return labels.shape().dim(0);
    }

    /** Height and width of the images. */
    public int[] imageSize() {
        return new int[] {images.shape().dim(1), images.shape().dim(2)};
    }

    /** The (image, label) pairs as an unbatched dataset. */
    public Dataset dataset() {
        return Dataset.fromTensorSlices(images, labels);
    }
}
