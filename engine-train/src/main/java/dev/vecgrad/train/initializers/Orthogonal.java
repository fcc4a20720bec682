package dev.vecgrad.train.initializers;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A random orthogonal matrix times {@code gain}, as Keras's {@code Orthogonal} (the default for
 * recurrent kernels: repeated multiplication by an orthogonal matrix neither grows nor shrinks the
 * state). The shape is read as a matrix of {@code prod(shape[:-1])} rows and {@code shape[-1]}
 * columns; the factor Q of the QR decomposition of a normal matrix of the taller orientation,
 * with its columns' signs fixed by R's diagonal so the distribution is uniform, is transposed when
 * there are fewer rows than columns. Rows (or columns) are then orthonormal.
 */
public final class Orthogonal implements Initializer {
    private final double gain;
    private final Long seed;

    /** Gain 1, drawing from the layer's generator. */
    public Orthogonal() {
        this(1.0, null);
    }

    /** {@code gain} times an orthogonal matrix, from a generator seeded with {@code seed} (null: the layer's). */
    public Orthogonal(double gain, Long seed) {
        if (!Double.isFinite(gain)) {
            throw new IllegalArgumentException("Orthogonal: gain must be finite, got " + gain);
        }
        this.gain = gain;
        this.seed = seed;
    }

    @Override
    public Tensor initialize(Shape shape, DType dtype, Rng rng) {
        if (shape.rank() < 2) {
            throw new IllegalArgumentException("Orthogonal: needs a shape of rank 2 or more, got " + shape);
        }
        Rng r = seed == null ? rng : new Rng(seed);
        int cols = shape.dim(-1);
        int rows = shape.size() / Math.max(cols, 1);
        int n = Math.max(rows, cols);
        int m = Math.min(rows, cols);
        // a is n x m (tall), column-major in q: q[j] is column j.
        double[][] q = new double[m][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                q[j][i] = r.nextGaussian();
            }
        }
        orthonormalize(q);
        double[] out = new double[rows * cols];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                // Q is n x m; the result is Q (rows >= cols) or its transpose.
                int at = rows >= cols ? i * cols + j : j * cols + i;
                out[at] = gain * q[j][i];
            }
        }
        Tensor t = TensorInternals.wrap(DType.F64, shape, out);
        return dtype == DType.F64 ? t : t.cast(dtype);
    }

    /**
     * Modified Gram-Schmidt, applied twice for accuracy: the columns become the Q of a QR
     * decomposition whose R has a positive diagonal, which is Keras's sign correction.
     */
    private static void orthonormalize(double[][] cols) {
        for (int j = 0; j < cols.length; j++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double dot = 0;
                    for (int i = 0; i < cols[j].length; i++) {
                        dot += cols[k][i] * cols[j][i];
                    }
                    for (int i = 0; i < cols[j].length; i++) {
                        cols[j][i] -= dot * cols[k][i];
                    }
                }
            }
            double norm = 0;
            for (double v : cols[j]) {
                norm += v * v;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < cols[j].length; i++) {
                cols[j][i] /= norm;
            }
        }
    }

    @Override
    public String className() {
        return "Orthogonal";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("gain", gain);
        c.put("seed", seed);
        return c;
    }
}
