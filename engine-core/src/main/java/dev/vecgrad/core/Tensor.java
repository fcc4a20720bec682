package dev.vecgrad.core;

import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.core.ops.Attrs;
import dev.vecgrad.core.ops.BinaryOps;
import dev.vecgrad.core.ops.ConvOps;
import dev.vecgrad.core.ops.IndexOps;
import dev.vecgrad.core.ops.LinalgOps;
import dev.vecgrad.core.ops.NNOps;
import dev.vecgrad.core.ops.Padding;
import dev.vecgrad.core.ops.Primitives;
import dev.vecgrad.core.ops.Reductions;
import dev.vecgrad.core.ops.ShapeOps;
import dev.vecgrad.core.ops.UnaryOps;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable n-dimensional array: a dtype, a {@link Shape}, and strides and an offset over a
 * heap array ({@code float[]}, {@code double[]} or {@code int[]}). Views (reshape, transpose,
 * slice, broadcast) share the array; nothing ever writes to a tensor's array after it is made.
 * No public method hands the array out or takes one in without copying: {@link #of(float[], int...)}
 * and its overloads copy what they are given, and {@link #get}, {@link #item} and
 * {@link #toFloatArray} (with {@link #toDoubleArray} and {@link #toIntArray}) read or copy the
 * elements out, so a tensor once made never changes.
 *
 * <p>The methods below are the public entry points of the primitive and composite ops; each op's
 * code lives in one family class in {@code dev.vecgrad.core.ops} (for example {@link UnaryOps}),
 * which can also be called statically.
 *
 * <p><b>Dtype rule.</b> Binary ops require both operands to have the same dtype; there is no
 * implicit promotion. A Java number given as an operand takes the tensor's dtype. A mismatch is an
 * {@link IllegalArgumentException} naming both dtypes; convert explicitly with {@link #cast}.
 *
 * {@snippet class=dev.vecgrad.core.CoreSnippetsTest region=broadcasting}
 */
public final class Tensor {
    private final DType dtype;
    private final Shape shape;
    private final int[] strides;
    private final int offset;
    private final Object data;
    /** Whether the elements lie back to back in row-major order: fixed when the tensor is made. */
    private final boolean contiguous;
    /** The slot a recorder may claim (see {@link TensorInternals}); not part of the tensor's value. */
    private Object recorderTag;
    private static final VarHandle RECORDER_TAG;

    static {
        try {
            RECORDER_TAG = MethodHandles.lookup().findVarHandle(Tensor.class, "recorderTag", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        TensorInternals.install(new TensorInternals.Access() {
            @Override
            public Object data(Tensor t) {
                t.requireLive();
                return t.data;
            }

            @Override
            public Tensor wrap(DType dtype, Shape shape, int[] strides, int offset, Object data) {
                return Tensor.wrap(dtype, shape, strides, offset, data);
            }

            @Override
            public Tensor wrap(DType dtype, Shape shape, Object data) {
                return Tensor.wrap(dtype, shape, data);
            }

            @Override
            public Tensor rowRange(Tensor t, int start, int stop) {
                return t.rowRange(start, stop);
            }

            @Override
            public Object tag(Tensor t) {
                return RECORDER_TAG.getOpaque(t);
            }

            @Override
            public void setTag(Tensor t, Object tag) {
                RECORDER_TAG.setOpaque(t, tag);
            }

            @Override
            public boolean claimTag(Tensor t, Object tag) {
                return RECORDER_TAG.compareAndSet(t, null, tag);
            }
        });
    }

    /** A tensor over {@code data}; {@code strides} is kept, not copied, and never written. */
    private Tensor(DType dtype, Shape shape, int[] strides, int offset, Object data, boolean contiguous) {
        this.dtype = dtype;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.data = data;
        this.contiguous = contiguous;
    }

    /** A contiguous tensor of {@code shape} over the whole of {@code data}. */
    private Tensor(DType dtype, Shape shape, Object data) {
        this(dtype, shape, shape.sharedStrides(), 0, data, true);
    }

    // ---------------------------------------------------------------------------------------
    // Low-level construction, for engine code (ops, kernels, file readers) through TensorInternals.

    /** A view over {@code data} without copying; strides and offset are checked against the array's length. */
    private static Tensor wrap(DType dtype, Shape shape, int[] strides, int offset, Object data) {
        Objects.requireNonNull(data, "data");
        int length = switch (dtype) {
            case F32 -> ((float[]) data).length;
            case F64 -> ((double[]) data).length;
            case I32 -> ((int[]) data).length;
        };
        if (strides.length != shape.rank()) {
            throw new IllegalArgumentException("strides " + Arrays.toString(strides) + " do not match shape " + shape);
        }
        if (shape.size() > 0) {
            long lo = offset;
            long hi = offset;
            for (int i = 0; i < strides.length; i++) {
                long span = (long) strides[i] * (shape.dim(i) - 1);
                if (span < 0) {
                    lo += span;
                } else {
                    hi += span;
                }
            }
            if (lo < 0 || hi >= length) {
                throw new IllegalArgumentException("a view of shape " + shape + ", strides " + Arrays.toString(strides)
                        + " and offset " + offset + " reaches outside its array of " + length + " elements");
            }
        }
        return new Tensor(dtype, shape, strides.clone(), offset, data, isContiguous(shape, strides));
    }

    /** A contiguous tensor over exactly {@code shape.size()} elements of {@code data}, without copying. */
    private static Tensor wrap(DType dtype, Shape shape, Object data) {
        Objects.requireNonNull(data, "data");
        int length = switch (dtype) {
            case F32 -> ((float[]) data).length;
            case F64 -> ((double[]) data).length;
            case I32 -> ((int[]) data).length;
        };
        if (length != shape.size()) {
            throw new IllegalArgumentException(
                    length + " elements cannot have shape " + shape + " (" + shape.size() + " elements)");
        }
        // Contiguous strides over exactly the array's length cannot reach outside it: no bounds walk.
        return new Tensor(dtype, shape, data);
    }

    /**
     * Rows {@code [start, stop)} of the first axis: the strides and the array stay, the first
     * dimension and the offset change, so nothing but the two bounds is checked (a view of an empty
     * range has offset 0, as every empty view).
     */
    private Tensor rowRange(int start, int stop) {
        if (shape.rank() == 0) {
            throw new IllegalArgumentException("rows: a scalar has no rows to take [" + start + ", " + stop + ") from");
        }
        if (start < 0 || start > stop || stop > shape.dim(0)) {
            throw new IllegalArgumentException("rows: [" + start + ", " + stop + ") does not fit the first axis of "
                    + shape + " (0 <= start <= stop <= " + shape.dim(0) + ")");
        }
        requireLive();
        Shape rows = shape.withFirstDim(stop - start);
        int at = rows.size() == 0 ? 0 : offset + start * strides[0];
        return new Tensor(dtype, rows, strides, at, data, contiguous || isContiguous(rows, strides));
    }

    /** The element type. */
    public DType dtype() {
        return dtype;
    }

    /** The dimensions. */
    public Shape shape() {
        return shape;
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.rank();
    }

    /** The number of elements. */
    public int size() {
        return shape.size();
    }

    /** Strides in elements, one per dimension (a copy). */
    public int[] strides() {
        return strides.clone();
    }

    /** Stride of dimension {@code axis} in elements. */
    public int stride(int axis) {
        return strides[axis];
    }

    /** Position of element (0, ..., 0) in the backing array. */
    public int offset() {
        return offset;
    }

    /** Whether the elements lie in row-major order, back to back, from {@link #offset()}. */
    public boolean isContiguous() {
        return contiguous;
    }

    private static boolean isContiguous(Shape shape, int[] strides) {
        int expected = 1;
        for (int i = shape.rank() - 1; i >= 0; i--) {
            int d = shape.dim(i);
            if (d != 1 && strides[i] != expected) {
                return false;
            }
            expected *= d;
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------
    // Creation.

    /** F32 zeros. */
    public static Tensor zeros(int... dims) {
        return zeros(DType.F32, dims);
    }

    /** Zeros of {@code dtype}. */
    public static Tensor zeros(DType dtype, int... dims) {
        return zeros(dtype, Shape.of(dims));
    }

    /** Zeros of {@code dtype} and {@code shape}. */
    public static Tensor zeros(DType dtype, Shape shape) {
        return new Tensor(dtype, shape, allocate(dtype, shape.size()));
    }

    /** F32 ones. */
    public static Tensor ones(int... dims) {
        return full(1, DType.F32, dims);
    }

    /** Ones of {@code dtype}. */
    public static Tensor ones(DType dtype, int... dims) {
        return full(1, dtype, dims);
    }

    /** Every element {@code value}, converted to {@code dtype}. */
    public static Tensor full(double value, DType dtype, int... dims) {
        Shape s = Shape.of(dims);
        Object a = allocate(dtype, s.size());
        switch (dtype) {
            case F32 -> Arrays.fill((float[]) a, (float) value);
            case F64 -> Arrays.fill((double[]) a, value);
            case I32 -> Arrays.fill((int[]) a, (int) value);
        }
        return wrap(dtype, s, a);
    }

    /** A zero-filled array of {@code n} elements for {@code dtype}. */
    public static Object allocate(DType dtype, int n) {
        return switch (dtype) {
            case F32 -> new float[n];
            case F64 -> new double[n];
            case I32 -> new int[n];
        };
    }

    /** A rank-0 F32 tensor. */
    public static Tensor scalar(float value) {
        return new Tensor(DType.F32, Shape.SCALAR, new float[] {value});
    }

    /** A rank-0 F64 tensor. */
    public static Tensor scalar(double value) {
        return new Tensor(DType.F64, Shape.SCALAR, new double[] {value});
    }

    /** A rank-0 I32 tensor. */
    public static Tensor scalar(int value) {
        return new Tensor(DType.I32, Shape.SCALAR, new int[] {value});
    }

    /** A rank-0 tensor of {@code dtype} holding {@code value}. */
    public static Tensor scalar(double value, DType dtype) {
        return switch (dtype) {
            case F32 -> scalar((float) value);
            case F64 -> scalar(value);
            case I32 -> scalar((int) value);
        };
    }

    /** An F32 vector of {@code values} (copied). */
    public static Tensor of(float[] values) {
        return wrap(DType.F32, Shape.of(values.length), values.clone());
    }

    /**
     * An F32 tensor of shape {@code dims} from a flat array in row-major order (copied); empty
     * {@code dims} make a scalar of a one-element array.
     */
    public static Tensor of(float[] values, int... dims) {
        return wrap(DType.F32, shapeFor(values.length, dims), values.clone());
    }

    /** An F64 vector of {@code values} (copied). */
    public static Tensor of(double[] values) {
        return wrap(DType.F64, Shape.of(values.length), values.clone());
    }

    /**
     * An F64 tensor of shape {@code dims} from a flat array in row-major order (copied); empty
     * {@code dims} make a scalar of a one-element array.
     */
    public static Tensor of(double[] values, int... dims) {
        return wrap(DType.F64, shapeFor(values.length, dims), values.clone());
    }

    /** An I32 vector of {@code values} (copied). */
    public static Tensor of(int[] values) {
        return wrap(DType.I32, Shape.of(values.length), values.clone());
    }

    /**
     * An I32 tensor of shape {@code dims} from a flat array in row-major order (copied); empty
     * {@code dims} make a scalar of a one-element array.
     */
    public static Tensor of(int[] values, int... dims) {
        return wrap(DType.I32, shapeFor(values.length, dims), values.clone());
    }

    /** An F32 matrix from rows of equal length. */
    public static Tensor of(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("ragged rows: row 0 has " + cols + " elements, row " + i + " has "
                        + rows[i].length);
            }
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        return wrap(DType.F32, Shape.of(rows.length, cols), flat);
    }

    /** An F64 matrix from rows of equal length. */
    public static Tensor of(double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] flat = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("ragged rows: row 0 has " + cols + " elements, row " + i + " has "
                        + rows[i].length);
            }
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        return wrap(DType.F64, Shape.of(rows.length, cols), flat);
    }

    private static Shape shapeFor(int length, int[] dims) {
        Shape s = Shape.of(dims);
        if (s.size() != length) {
            throw new IllegalArgumentException(length + " values cannot have shape " + s + " (" + s.size() + " elements)");
        }
        return s;
    }

    /** {@code start, start + step, ...} below {@code stop} (above, for a negative step), as NumPy's arange. */
    public static Tensor arange(double start, double stop, double step, DType dtype) {
        if (step == 0 || !Double.isFinite(step)) {
            throw new IllegalArgumentException("arange: step must be finite and non-zero, got " + step);
        }
        long n = Math.max(0, (long) Math.ceil((stop - start) / step));
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("arange: " + n + " elements is too many");
        }
        Tensor t = zeros(dtype, (int) n);
        for (int i = 0; i < n; i++) {
            t.setFlat(i, start + i * step);
        }
        return t;
    }

    /** {@code 0, 1, ..., n - 1} as I32. */
    public static Tensor arange(int n) {
        return arange(0, n, 1, DType.I32);
    }

    /** {@code num} evenly spaced F32 values from {@code start} to {@code stop} inclusive, as NumPy's linspace. */
    public static Tensor linspace(double start, double stop, int num) {
        if (num < 0) {
            throw new IllegalArgumentException("linspace: num must be non-negative, got " + num);
        }
        Tensor t = zeros(DType.F32, num);
        double step = num > 1 ? (stop - start) / (num - 1) : 0;
        for (int i = 0; i < num; i++) {
            t.setFlat(i, i == num - 1 && num > 1 ? stop : start + i * step);
        }
        return t;
    }

    /** The F32 identity matrix of size n. */
    public static Tensor eye(int n) {
        Tensor t = zeros(n, n);
        for (int i = 0; i < n; i++) {
            t.setFlat(i * n + i, 1);
        }
        return t;
    }

    /** Normal samples with the given mean and standard deviation, F32. */
    public static Tensor randomNormal(Rng rng, float mean, float std, int... dims) {
        Tensor t = zeros(dims);
        float[] a = (float[]) t.data;
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (mean + std * rng.nextGaussian());
        }
        return t;
    }

    /** Uniform samples in [low, high), F32. */
    public static Tensor randomUniform(Rng rng, float low, float high, int... dims) {
        Tensor t = zeros(dims);
        float[] a = (float[]) t.data;
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (low + (high - low) * rng.nextDouble());
        }
        return t;
    }

    /**
     * Normal samples with values further than two standard deviations from the mean drawn again,
     * F32 (as Keras's and TensorFlow's truncated normal).
     */
    public static Tensor truncatedNormal(Rng rng, float mean, float std, int... dims) {
        Tensor t = zeros(dims);
        float[] a = (float[]) t.data;
        for (int i = 0; i < a.length; i++) {
            double g;
            do {
                g = rng.nextGaussian();
            } while (Math.abs(g) > 2);
            a[i] = (float) (mean + std * g);
        }
        return t;
    }

    /** Writes one element of a freshly allocated contiguous tensor; only for creation code here. */
    private void setFlat(int i, double v) {
        switch (dtype) {
            case F32 -> ((float[]) data)[i] = (float) v;
            case F64 -> ((double[]) data)[i] = v;
            case I32 -> ((int[]) data)[i] = (int) v;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Reading back.

    /** The element at {@code index} (one index per dimension, negative counts from the end), as a double. */
    public double get(int... index) {
        if (index.length != shape.rank()) {
            throw new IllegalArgumentException(
                    "get: " + index.length + " indices for a tensor of rank " + shape.rank() + " " + shape);
        }
        int pos = offset;
        for (int i = 0; i < index.length; i++) {
            int d = shape.dim(i);
            int k = index[i] < 0 ? index[i] + d : index[i];
            if (k < 0 || k >= d) {
                throw new IndexOutOfBoundsException(
                        "get: index " + index[i] + " is out of range for dimension " + i + " of shape " + shape);
            }
            pos += k * strides[i];
        }
        return readAt(pos);
    }

    /** The only element of a one-element tensor, as a double. */
    public double item() {
        if (shape.size() != 1) {
            throw new IllegalArgumentException("item: a tensor of shape " + shape + " has " + shape.size()
                    + " elements, not one");
        }
        return readAt(offset);
    }

    double readAt(int pos) {
        requireLive();
        return switch (dtype) {
            case F32 -> ((float[]) data)[pos];
            case F64 -> ((double[]) data)[pos];
            case I32 -> ((int[]) data)[pos];
        };
    }

    /** The elements in row-major order as floats (converted from other dtypes), in a fresh array. */
    public float[] toFloatArray() {
        requireLive();
        Tensor c = dtype == DType.F32 ? contiguous() : cast(DType.F32).contiguous();
        float[] a = (float[]) c.data;
        return c.offset == 0 && a.length == c.size() ? a.clone() : Arrays.copyOfRange(a, c.offset, c.offset + c.size());
    }

    /** The elements in row-major order as doubles (converted from other dtypes), in a fresh array. */
    public double[] toDoubleArray() {
        requireLive();
        Tensor c = dtype == DType.F64 ? contiguous() : cast(DType.F64).contiguous();
        double[] a = (double[]) c.data;
        return Arrays.copyOfRange(a, c.offset, c.offset + c.size());
    }

    /** The elements in row-major order as ints (converted from other dtypes by truncation), in a fresh array. */
    public int[] toIntArray() {
        requireLive();
        Tensor c = dtype == DType.I32 ? contiguous() : cast(DType.I32).contiguous();
        int[] a = (int[]) c.data;
        return Arrays.copyOfRange(a, c.offset, c.offset + c.size());
    }

    /** NumPy-like text: dtype, shape, values; large tensors show their edges and {@code ...}. */
    @Override
    public String toString() {
        return recorderTag == OutputPool.RELEASED ? "tensor(" + dtype + " " + shape + ", released to an output pool)"
                : TensorFormatter.format(this);
    }

    /**
     * Throws when an {@link OutputPool} has taken this tensor's array back: its elements belong to
     * a later op's output now, and reading them would give that op's values silently.
     */
    private void requireLive() {
        if (recorderTag == OutputPool.RELEASED) {
            throw new IllegalStateException("a " + dtype + " " + shape + " tensor was read after it was released to an "
                    + "OutputPool: its array holds a later op's output now");
        }
    }

    /**
     * Whether {@code a} and {@code b} have the same shape and {@code |a - b| <= atol + rtol * |b|}
     * everywhere (NumPy's rule; NaNs never match). See {@link #describeMismatch} for why not.
     */
    public static boolean allClose(Tensor a, Tensor b, double rtol, double atol) {
        return describeMismatch(a, b, rtol, atol) == null;
    }

    /**
     * Null when {@link #allClose} holds, otherwise a sentence naming the shapes or the first
     * element that differs, with both values and the tolerance it missed.
     */
    public static String describeMismatch(Tensor a, Tensor b, double rtol, double atol) {
        if (!a.shape.equals(b.shape)) {
            return "shapes differ: " + a.shape + " vs " + b.shape;
        }
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        int[] strides = a.shape.contiguousStrides();
        int bad = 0;
        int first = -1;
        for (int i = 0; i < x.length; i++) {
            double tol = atol + rtol * Math.abs(y[i]);
            boolean same = x[i] == y[i] || Math.abs(x[i] - y[i]) <= tol;
            if (!same) {
                bad++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (bad == 0) {
            return null;
        }
        int[] idx = new int[strides.length];
        int rem = first;
        for (int d = 0; d < strides.length; d++) {
            idx[d] = rem / strides[d];
            rem %= strides[d];
        }
        return bad + " of " + x.length + " elements differ; first at " + Arrays.toString(idx) + ": " + x[first]
                + " vs " + y[first] + " (|diff| " + Math.abs(x[first] - y[first]) + " > " + (atol + rtol * Math.abs(y[first]))
                + ")";
    }

    // ---------------------------------------------------------------------------------------
    // Views and movement (ShapeOps).

    /** The same elements in a new shape; one dimension may be -1. A view when contiguous, else a copy. */
    public Tensor reshape(int... dims) {
        return ShapeOps.reshape(this, dims);
    }

    /** Axes reordered: output axis {@code i} is input axis {@code perm[i]}. A view. */
    public Tensor permute(int... perm) {
        return ShapeOps.permute(this, perm);
    }

    /** The last two axes swapped (the matrix transpose for rank 2). A view. */
    public Tensor transpose() {
        return ShapeOps.transpose(this, -2, -1);
    }

    /** Axes {@code a} and {@code b} swapped. A view. */
    public Tensor transpose(int a, int b) {
        return ShapeOps.transpose(this, a, b);
    }

    /** Elements {@code start, start + step, ...} before {@code stop} along {@code axis} (Python slice rules). A view. */
    public Tensor slice(int axis, int start, int stop, int step) {
        return ShapeOps.slice(this, axis, start, stop, step);
    }

    /** {@code slice(axis, start, stop, 1)}. */
    public Tensor slice(int axis, int start, int stop) {
        return ShapeOps.slice(this, axis, start, stop, 1);
    }

    /**
     * Rows {@code start} to {@code stop - 1} of the first axis: a view, like {@code slice(0, start,
     * stop)}, made without deriving strides or checking bounds again. The bounds must satisfy
     * {@code 0 <= start <= stop <= shape().dim(0)} (no negative indices, no clamping); anything else
     * is an error naming the range and the shape. A contiguous tensor's row range is contiguous.
     *
     * <pre>{@code
     * Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
     * x.rows(1, 3);   // [[3, 4], [5, 6]], a view of x
     * }</pre>
     */
    public Tensor rows(int start, int stop) {
        return ShapeOps.rows(this, start, stop);
    }

    /** Removes the given size-1 axes, or every size-1 axis when none are given. A view. */
    public Tensor squeeze(int... axes) {
        return ShapeOps.squeeze(this, axes);
    }

    /** Inserts a size-1 axis at {@code axis}. A view. */
    public Tensor unsqueeze(int axis) {
        return ShapeOps.unsqueeze(this, axis);
    }

    /** Broadcasts to {@code dims} with stride-0 dimensions (PyTorch's expand). A view. */
    public Tensor broadcastTo(int... dims) {
        return ShapeOps.broadcastTo(this, Shape.of(dims));
    }

    /** This tensor if contiguous, otherwise a contiguous copy. */
    public Tensor contiguous() {
        return ShapeOps.contiguous(this);
    }

    /** A contiguous copy that shares nothing with this tensor's array. */
    public Tensor contiguousCopy() {
        return ShapeOps.copy(this);
    }

    /** Sums this tensor down to {@code target}, the inverse of broadcasting (for gradients). */
    public Tensor sumToShape(Shape target) {
        return Reductions.sumToShape(this, target);
    }

    /** Converts to {@code to}: floats truncate toward zero when cast to I32. */
    public Tensor cast(DType to) {
        return ShapeOps.cast(this, to);
    }

    /** Reverses the order of elements along the given axes (a view with negative strides). */
    public Tensor flip(int... axes) {
        return ShapeOps.flip(this, axes);
    }

    /** Constant padding: {@code before[i]} and {@code after[i]} elements of {@code value} around dimension {@code i}. */
    public Tensor pad(int[] before, int[] after, double value) {
        return ShapeOps.pad(this, before, after, value);
    }

    /** Repeats the whole tensor {@code reps[i]} times along dimension {@code i} (NumPy's tile). */
    public Tensor tile(int... reps) {
        return ShapeOps.tile(this, reps);
    }

    /** Repeats each element {@code repeats} times along {@code axis} (NumPy's repeat). */
    public Tensor repeat(int repeats, int axis) {
        return ShapeOps.repeat(this, repeats, axis);
    }

    /**
     * Tensors of one dtype joined along an existing {@code axis}; their other dimensions must match
     * (NumPy's concatenate).
     *
     * <pre>{@code
     * Tensor a = Tensor.of(new float[] {1, 2}, 1, 2);
     * Tensor b = Tensor.of(new float[] {3, 4, 5, 6}, 2, 2);
     * Tensor.concat(List.of(a, b), 0);    // [[1, 2], [3, 4], [5, 6]]
     * }</pre>
     */
    public static Tensor concat(List<Tensor> parts, int axis) {
        return ShapeOps.concat(parts, axis);
    }

    /**
     * Tensors of one shape and dtype joined along a new {@code axis} (NumPy's stack).
     *
     * <pre>{@code
     * Tensor.stack(List.of(Tensor.of(new float[] {1, 2}), Tensor.of(new float[] {3, 4})), 1);   // [[1, 3], [2, 4]]
     * }</pre>
     */
    public static Tensor stack(List<Tensor> parts, int axis) {
        return ShapeOps.stack(parts, axis);
    }

    /**
     * This tensor cut along {@code axis} into {@code n} equal views; the axis must divide evenly.
     * The inverse of {@link #concat(List, int)}.
     *
     * <pre>{@code
     * Tensor.of(new float[] {1, 2, 3, 4, 5, 6}).split(3, 0);   // [1, 2], [3, 4], [5, 6]
     * }</pre>
     */
    public List<Tensor> split(int n, int axis) {
        return ShapeOps.split(this, n, axis);
    }

    /** This tensor cut along {@code axis} into views of the given sizes, which must add up to that dimension. */
    public List<Tensor> split(int[] sizes, int axis) {
        return ShapeOps.split(this, sizes, axis);
    }

    // ---------------------------------------------------------------------------------------
    // Unary math (UnaryOps).

    /** -x. */
    public Tensor neg() {
        return UnaryOps.neg(this);
    }

    /** |x|. */
    public Tensor abs() {
        return UnaryOps.abs(this);
    }

    /** -1, 0 or 1. */
    public Tensor sign() {
        return UnaryOps.sign(this);
    }

    /** e^x. */
    public Tensor exp() {
        return UnaryOps.exp(this);
    }

    /** e^x - 1, accurate near 0. */
    public Tensor expm1() {
        return UnaryOps.expm1(this);
    }

    /** Natural logarithm. */
    public Tensor log() {
        return UnaryOps.log(this);
    }

    /** ln(1 + x), accurate near 0. */
    public Tensor log1p() {
        return UnaryOps.log1p(this);
    }

    /** Square root. */
    public Tensor sqrt() {
        return UnaryOps.sqrt(this);
    }

    /** 1 / sqrt(x). */
    public Tensor rsqrt() {
        return UnaryOps.rsqrt(this);
    }

    /** x². */
    public Tensor square() {
        return UnaryOps.square(this);
    }

    /** 1 / x. */
    public Tensor reciprocal() {
        return UnaryOps.reciprocal(this);
    }

    /** sin x. */
    public Tensor sin() {
        return UnaryOps.sin(this);
    }

    /** cos x. */
    public Tensor cos() {
        return UnaryOps.cos(this);
    }

    /** tanh x. */
    public Tensor tanh() {
        return UnaryOps.tanh(this);
    }

    /** 1 / (1 + e^-x). */
    public Tensor sigmoid() {
        return UnaryOps.sigmoid(this);
    }

    /** max(x, 0). */
    public Tensor relu() {
        return UnaryOps.relu(this);
    }

    /** GELU, exact (with erf) or the tanh approximation. */
    public Tensor gelu(boolean approximate) {
        return approximate ? UnaryOps.geluTanh(this) : UnaryOps.geluErf(this);
    }

    /** The error function. */
    public Tensor erf() {
        return UnaryOps.erf(this);
    }

    /** ln(1 + e^x), stable for large |x|. */
    public Tensor softplus() {
        return UnaryOps.softplus(this);
    }

    /** Rounds down. */
    public Tensor floor() {
        return UnaryOps.floor(this);
    }

    /** Rounds up. */
    public Tensor ceil() {
        return UnaryOps.ceil(this);
    }

    /** Rounds half to even, as NumPy. */
    public Tensor round() {
        return UnaryOps.round(this);
    }

    // ---------------------------------------------------------------------------------------
    // Binary math with broadcasting (BinaryOps).

    /** this + other. */
    public Tensor add(Tensor other) {
        return BinaryOps.add(this, other);
    }

    /** this + c. */
    public Tensor add(double c) {
        return Primitives.ADD.apply(this, c);
    }

    /** this - other. */
    public Tensor sub(Tensor other) {
        return BinaryOps.sub(this, other);
    }

    /** this - c. */
    public Tensor sub(double c) {
        return Primitives.SUB.apply(this, c);
    }

    /** this * other. */
    public Tensor mul(Tensor other) {
        return BinaryOps.mul(this, other);
    }

    /** this * c. */
    public Tensor mul(double c) {
        return Primitives.MUL.apply(this, c);
    }

    /** this / other. */
    public Tensor div(Tensor other) {
        return BinaryOps.div(this, other);
    }

    /** this / c. */
    public Tensor div(double c) {
        return Primitives.DIV.apply(this, c);
    }

    /** this ^ other. */
    public Tensor pow(Tensor other) {
        return BinaryOps.pow(this, other);
    }

    /** this ^ c. */
    public Tensor pow(double c) {
        return Primitives.POW.apply(this, c);
    }

    /** Elementwise maximum. */
    public Tensor maximum(Tensor other) {
        return BinaryOps.maximum(this, other);
    }

    /** Elementwise maximum with a constant. */
    public Tensor maximum(double c) {
        return Primitives.MAXIMUM.apply(this, c);
    }

    /** Elementwise minimum. */
    public Tensor minimum(Tensor other) {
        return BinaryOps.minimum(this, other);
    }

    /** Elementwise minimum with a constant. */
    public Tensor minimum(double c) {
        return Primitives.MINIMUM.apply(this, c);
    }

    /**
     * 1 where equal, else 0, in this tensor's dtype. Every comparison broadcasts, carries no
     * gradient, and has an overload taking a constant:
     *
     * <pre>{@code
     * Tensor x = Tensor.of(new float[] {1, 2, 3});
     * x.eq(2);                            // [0, 1, 0]
     * x.ge(Tensor.of(new float[] {3}));   // [0, 0, 1]
     * }</pre>
     */
    public Tensor eq(Tensor other) {
        return BinaryOps.eq(this, other);
    }

    /** 1 where equal to {@code c}, else 0. */
    public Tensor eq(double c) {
        return Primitives.EQ.apply(this, c);
    }

    /** 1 where not equal, else 0. */
    public Tensor ne(Tensor other) {
        return BinaryOps.ne(this, other);
    }

    /** 1 where not equal to {@code c}, else 0. */
    public Tensor ne(double c) {
        return Primitives.NE.apply(this, c);
    }

    /** 1 where this &lt; other, else 0. */
    public Tensor lt(Tensor other) {
        return BinaryOps.lt(this, other);
    }

    /** 1 where this &lt; c, else 0. */
    public Tensor lt(double c) {
        return Primitives.LT.apply(this, c);
    }

    /** 1 where this &lt;= other, else 0. */
    public Tensor le(Tensor other) {
        return BinaryOps.le(this, other);
    }

    /** 1 where this &lt;= c, else 0. */
    public Tensor le(double c) {
        return Primitives.LE.apply(this, c);
    }

    /** 1 where this &gt; other, else 0. */
    public Tensor gt(Tensor other) {
        return BinaryOps.gt(this, other);
    }

    /** 1 where this &gt; c, else 0. */
    public Tensor gt(double c) {
        return Primitives.GT.apply(this, c);
    }

    /** 1 where this &gt;= other, else 0. */
    public Tensor ge(Tensor other) {
        return BinaryOps.ge(this, other);
    }

    /** 1 where this &gt;= c, else 0. */
    public Tensor ge(double c) {
        return Primitives.GE.apply(this, c);
    }

    /** Elements clipped into [lo, hi]. */
    public Tensor clip(double lo, double hi) {
        return BinaryOps.clip(this, lo, hi);
    }

    /** {@code a} where {@code mask} is non-zero, else {@code b} (all three broadcast together). */
    public static Tensor where(Tensor mask, Tensor a, Tensor b) {
        return BinaryOps.where(mask, a, b);
    }

    /** A rank-0 tensor of this tensor's dtype holding {@code c}. */
    public Tensor scalarLike(double c) {
        return scalar(c, dtype);
    }

    // ---------------------------------------------------------------------------------------
    // Reductions.

    /** Sum of all elements, rank 0. */
    public Tensor sum() {
        return Reductions.sum(this, null, false);
    }

    /**
     * Sum over {@code axes} (negative allowed), keeping them as size 1 when {@code keepDims}. Every
     * reduction comes in three forms: over all elements, over one axis, and over a set of axes.
     *
     * <pre>{@code
     * Tensor m = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
     * m.sum();                            // 21
     * m.sum(1);                           // [6, 15]
     * m.sum(-1, true);                    // [[6], [15]]
     * m.sum(new int[] {0, 1}, false);     // 21
     * }</pre>
     */
    public Tensor sum(int[] axes, boolean keepDims) {
        return Reductions.sum(this, axes, keepDims);
    }

    /** Sum over one axis, which is dropped. */
    public Tensor sum(int axis) {
        return sum(axis, false);
    }

    /** Sum over one axis, kept as size 1 when {@code keepDims}. */
    public Tensor sum(int axis, boolean keepDims) {
        return Reductions.sum(this, new int[] {axis}, keepDims);
    }

    /** Mean of all elements, rank 0. */
    public Tensor mean() {
        return Reductions.mean(this, null, false);
    }

    /** Mean over {@code axes}. */
    public Tensor mean(int[] axes, boolean keepDims) {
        return Reductions.mean(this, axes, keepDims);
    }

    /** Mean over one axis, which is dropped. */
    public Tensor mean(int axis) {
        return mean(axis, false);
    }

    /** Mean over one axis, kept as size 1 when {@code keepDims}. */
    public Tensor mean(int axis, boolean keepDims) {
        return Reductions.mean(this, new int[] {axis}, keepDims);
    }

    /** Maximum of all elements. */
    public Tensor max() {
        return Reductions.max(this, null, false);
    }

    /** Maximum over {@code axes}. */
    public Tensor max(int[] axes, boolean keepDims) {
        return Reductions.max(this, axes, keepDims);
    }

    /** Maximum over one axis, which is dropped. */
    public Tensor max(int axis) {
        return max(axis, false);
    }

    /** Maximum over one axis, kept as size 1 when {@code keepDims}. */
    public Tensor max(int axis, boolean keepDims) {
        return Reductions.max(this, new int[] {axis}, keepDims);
    }

    /** Minimum of all elements. */
    public Tensor min() {
        return Reductions.min(this, null, false);
    }

    /** Minimum over {@code axes}. */
    public Tensor min(int[] axes, boolean keepDims) {
        return Reductions.min(this, axes, keepDims);
    }

    /** Minimum over one axis, which is dropped. */
    public Tensor min(int axis) {
        return min(axis, false);
    }

    /** Minimum over one axis, kept as size 1 when {@code keepDims}. */
    public Tensor min(int axis, boolean keepDims) {
        return Reductions.min(this, new int[] {axis}, keepDims);
    }

    /** Product of all elements. */
    public Tensor prod() {
        return Reductions.prod(this, null, false);
    }

    /** Product over {@code axes}. */
    public Tensor prod(int[] axes, boolean keepDims) {
        return Reductions.prod(this, axes, keepDims);
    }

    /** Product over one axis, which is dropped. */
    public Tensor prod(int axis) {
        return prod(axis, false);
    }

    /** Product over one axis, kept as size 1 when {@code keepDims}. */
    public Tensor prod(int axis, boolean keepDims) {
        return Reductions.prod(this, new int[] {axis}, keepDims);
    }

    /** Population variance (divide by n) of all elements, rank 0. */
    public Tensor variance() {
        return Reductions.variance(this, null, false);
    }

    /** Population variance (divide by n) over {@code axes}, null meaning all. */
    public Tensor variance(int[] axes, boolean keepDims) {
        return Reductions.variance(this, axes, keepDims);
    }

    /** Population variance over one axis, which is dropped. */
    public Tensor variance(int axis) {
        return variance(axis, false);
    }

    /** Population variance over one axis, kept as size 1 when {@code keepDims}. */
    public Tensor variance(int axis, boolean keepDims) {
        return Reductions.variance(this, new int[] {axis}, keepDims);
    }

    /**
     * Variance over {@code axes} (null meaning all) dividing by {@code n - correction}: 0 is the
     * population variance, 1 the unbiased sample variance (PyTorch's {@code correction}, NumPy's
     * {@code ddof}).
     *
     * <pre>{@code
     * Tensor.of(new double[] {1, 2, 3, 4}).variance(null, false, 1);   // 5/3
     * }</pre>
     */
    public Tensor variance(int[] axes, boolean keepDims, double correction) {
        return Reductions.variance(this, axes, keepDims, correction);
    }

    /** Population standard deviation (divide by n) of all elements, rank 0. */
    public Tensor std() {
        return Reductions.std(this, null, false, 0);
    }

    /** Population standard deviation over {@code axes}, null meaning all. */
    public Tensor std(int[] axes, boolean keepDims) {
        return Reductions.std(this, axes, keepDims, 0);
    }

    /** Population standard deviation over one axis, which is dropped. */
    public Tensor std(int axis) {
        return std(axis, false);
    }

    /** Population standard deviation over one axis, kept as size 1 when {@code keepDims}. */
    public Tensor std(int axis, boolean keepDims) {
        return Reductions.std(this, new int[] {axis}, keepDims, 0);
    }

    /** The square root of {@link #variance(int[], boolean, double)} with the same correction. */
    public Tensor std(int[] axes, boolean keepDims, double correction) {
        return Reductions.std(this, axes, keepDims, correction);
    }

    /** Index of the largest element along {@code axis} (first on ties), I32. */
    public Tensor argmax(int axis) {
        return Reductions.argmax(this, axis);
    }

    /** Index of the smallest element along {@code axis} (first on ties), I32. */
    public Tensor argmin(int axis) {
        return Reductions.argmin(this, axis);
    }

    // ---------------------------------------------------------------------------------------
    // Indexing, linear algebra, neural-network composites.

    /** Elements at {@code indices} (I32) along {@code axis}: NumPy's take. */
    public Tensor gather(Tensor indices, int axis) {
        return IndexOps.gather(this, indices, axis);
    }

    /** One-hot encoding of an I32 tensor of class indices, as F32 with a new last axis of {@code depth}. */
    public Tensor oneHot(int depth) {
        return IndexOps.oneHot(this, depth);
    }

    /** Matrix product over the last two axes, batch axes broadcast. */
    public Tensor matmul(Tensor other) {
        return LinalgOps.matmul(this, other, false, false);
    }

    /** Matrix product with either operand's last two axes transposed, without copying a transpose. */
    public Tensor matmul(Tensor other, boolean transposeThis, boolean transposeOther) {
        return LinalgOps.matmul(this, other, transposeThis, transposeOther);
    }

    /**
     * 2-D convolution of this channels-last (NHWC) batch {@code [N, H, W, C]} with a Keras-layout
     * (HWIO) {@code filter [KH, KW, C, F]}: strides and dilation as {@code {height, width}}, null
     * meaning Keras's default (strides 1, no dilation), as null strides mean the default for
     * pooling. See {@link ConvOps#conv2d(Tensor, Tensor, Attrs.Conv2d)}.
     *
     * <pre>{@code
     * Tensor y = x.conv2d(w, null, Padding.SAME, null);                // (N, H, W, F)
     * Tensor z = x.conv2d(w, new int[] {2, 2}, Padding.VALID, null);   // (N, (H-KH)/2+1, (W-KW)/2+1, F)
     * }</pre>
     */
    public Tensor conv2d(Tensor filter, int[] strides, Padding padding, int[] dilation) {
        return ConvOps.conv2d(this, filter, strides, padding, dilation);
    }

    /**
     * Max pooling of this channels-last batch over {@code pool = {height, width}} windows; null
     * {@code strides} means the pool size. See {@link ConvOps#maxPool2d(Tensor, Attrs.Pool2d)}.
     */
    public Tensor maxPool2d(int[] pool, int[] strides, Padding padding) {
        return ConvOps.maxPool2d(this, pool, strides, padding);
    }

    /**
     * Average pooling of this channels-last batch over {@code pool = {height, width}} windows; null
     * {@code strides} means the pool size. See {@link ConvOps#avgPool2d(Tensor, Attrs.Pool2d)}.
     */
    public Tensor avgPool2d(int[] pool, int[] strides, Padding padding) {
        return ConvOps.avgPool2d(this, pool, strides, padding);
    }

    /** Softmax along {@code axis}, stable for large inputs. */
    public Tensor softmax(int axis) {
        return NNOps.softmax(this, axis);
    }

    /** log(softmax) along {@code axis}, computed stably. */
    public Tensor logSoftmax(int axis) {
        return NNOps.logSoftmax(this, axis);
    }

    /** log(sum(exp(x))) over {@code axes}, stable for large inputs. */
    public Tensor logSumExp(int[] axes, boolean keepDims) {
        return NNOps.logSumExp(this, axes, keepDims);
    }

    /** log(sum(exp(x))) over one axis, kept as size 1 when {@code keepDims}. */
    public Tensor logSumExp(int axis, boolean keepDims) {
        return NNOps.logSumExp(this, new int[] {axis}, keepDims);
    }
}
