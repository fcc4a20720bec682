package dev.vecgrad.train.initializers;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
import java.util.function.DoubleSupplier;

/** Fills a new tensor of a floating dtype element by element; shared by the initializers. */
final class Fill {
    private Fill() {
    }

    static Tensor of(Shape shape, DType dtype, DoubleSupplier values) {
        if (!dtype.isFloating()) {
            throw new IllegalArgumentException("initializers make floating weights (F32 or F64), got " + dtype
                    + " for shape " + shape);
        }
        int n = shape.size();
        if (dtype == DType.F32) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = (float) values.getAsDouble();
            }
            return TensorInternals.wrap(DType.F32, shape, a);
        }
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = values.getAsDouble();
        }
        return TensorInternals.wrap(DType.F64, shape, a);
    }
}
