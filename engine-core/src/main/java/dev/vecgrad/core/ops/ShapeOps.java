package dev.vecgrad.core.ops;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.core.kernel.Backend;
import dev.vecgrad.core.kernel.parallel.Parallel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Views and data movement. Reshape (of contiguous data), permute, slice and broadcast are views
 * that share the input's array; the rest copy. Squeeze, unsqueeze, flip, stack, split, tile and
 * repeat are composites of the primitives here, so they need no gradient rule of their own.
 */
public final class ShapeOps {
    private ShapeOps() {
    }

    // ---- views ----------------------------------------------------------------------------

    /** The same elements in shape {@code dims} (one may be -1); a view when {@code x} is contiguous. */
    public static Tensor reshape(Tensor x, int... dims) {
        return Dispatcher.view(Primitives.RESHAPE, resolveReshape(x.shape(), dims), x);
    }

    /** Reshape to a shape of as many elements; a view of the input, or of a contiguous copy of it. */
    static final class Reshape extends ViewPrimitive<Shape> {
        Reshape() {
            super("reshape");
        }

        @Override
        public Tensor view(Tensor x, Shape target) {
            if (target.size() != x.size()) {
                throw new IllegalArgumentException("reshape: cannot reshape " + x.shape() + " (" + x.size()
                        + " elements) to " + target + " (" + target.size() + " elements)");
            }
            if (target.equals(x.shape())) {
                return x;
            }
            Tensor src = x.isContiguous() ? x : copyRaw(x);
            return TensorInternals.wrap(src.dtype(), target, target.contiguousStrides(), src.offset(), TensorInternals.data(src));
        }
    }

    private static Shape resolveReshape(Shape from, int[] dims) {
        int infer = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: only one dimension may be -1, got " + Arrays.toString(dims));
                }
                infer = i;
            } else if (dims[i] < 0) {
                throw new IllegalArgumentException("reshape: negative dimension in " + Arrays.toString(dims));
            } else {
                known *= dims[i];
            }
        }
        int[] out = dims.clone();
        if (infer >= 0) {
            if (known == 0 || from.size() % known != 0) {
                throw new IllegalArgumentException("reshape: cannot reshape " + from + " (" + from.size()
                        + " elements) to " + Arrays.toString(dims));
            }
            out[infer] = (int) (from.size() / known);
            known *= out[infer];
        }
        if (known != from.size()) {
            throw new IllegalArgumentException("reshape: cannot reshape " + from + " (" + from.size()
                    + " elements) to " + Arrays.toString(dims) + " (" + known + " elements)");
        }
        return Shape.of(out);
    }

    /** Axes reordered: output axis i is input axis {@code perm[i]} (negative axes allowed). A view. */
    public static Tensor permute(Tensor x, int... perm) {
        return Dispatcher.view(Primitives.PERMUTE, new Attrs.Permute(normalizePermutation(x.shape(), perm)), x);
    }

    /** {@code perm} with negative axes normalised, checked to name every axis of {@code shape} once. */
    private static int[] normalizePermutation(Shape shape, int[] perm) {
        int rank = shape.rank();
        if (perm.length != rank) {
            throw new IllegalArgumentException("permute: " + Arrays.toString(perm) + " does not name every axis of "
                    + shape + " once");
        }
        int[] p = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = Shape.normalizeAxis(perm[i], rank, "permute");
            if (seen[p[i]]) {
                throw new IllegalArgumentException("permute: axis " + perm[i] + " appears twice in " + Arrays.toString(perm));
            }
            seen[p[i]] = true;
        }
        return p;
    }

    /** Axes reordered: output axis i is input axis {@code perm[i]}. A view. */
    static final class Permute extends ViewPrimitive<Attrs.Permute> {
        Permute() {
            super("permute");
        }

        @Override
        public Tensor view(Tensor x, Attrs.Permute attrs) {
            int[] p = normalizePermutation(x.shape(), attrs.perm());
            boolean identity = true;
            int[] dims = new int[p.length];
            int[] strides = new int[p.length];
            for (int i = 0; i < p.length; i++) {
                identity &= p[i] == i;
                dims[i] = x.shape().dim(p[i]);
                strides[i] = x.stride(p[i]);
            }
            return identity ? x : TensorInternals.wrap(x.dtype(), Shape.of(dims), strides, x.offset(), TensorInternals.data(x));
        }
    }

    /** Axes {@code a} and {@code b} swapped. A view. */
    public static Tensor transpose(Tensor x, int a, int b) {
        int rank = x.rank();
        if (rank < 2 && a == -2 && b == -1) {
            throw new IllegalArgumentException("transpose: needs rank 2 or more, got " + x.shape());
        }
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        int na = Shape.normalizeAxis(a, rank, "transpose");
        int nb = Shape.normalizeAxis(b, rank, "transpose");
        perm[na] = nb;
        perm[nb] = na;
        return permute(x, perm);
    }

    /**
     * Elements {@code start, start + step, ...} before {@code stop} along {@code axis}, with
     * Python's rules: negative start/stop count from the end, out-of-range values clamp, a
     * negative step walks backwards. A view.
     */
    public static Tensor slice(Tensor x, int axis, int start, int stop, int step) {
        int ax = Shape.normalizeAxis(axis, x.rank(), "slice");
        if (step == 0) {
            throw new IllegalArgumentException("slice: step must not be zero (axis " + axis + " of " + x.shape() + ")");
        }
        int d = x.shape().dim(ax);
        return slice(x, alongAxis(x.shape(), ax, clampSliceBound(start, d, step), clampSliceBound(stop, d, step), step));
    }

    /** The normalised slice taking {@code start} to {@code stop} by {@code step} on axis {@code ax} and all of every other axis. */
    private static Attrs.Slice alongAxis(Shape shape, int ax, int start, int stop, int step) {
        int[] starts = new int[shape.rank()];
        int[] stops = shape.toArray();
        int[] steps = new int[shape.rank()];
        Arrays.fill(steps, 1);
        starts[ax] = start;
        stops[ax] = stop;
        steps[ax] = step;
        return new Attrs.Slice(starts, stops, steps);
    }

    /**
     * Rows {@code [start, stop)} of the first axis: the view {@code slice(x, 0, start, stop, 1)}
     * makes, built straight from {@code x}'s strides and offset (see {@link Tensor#rows}), and
     * reported as that slice to recorders and allocators.
     */
    public static Tensor rows(Tensor x, int start, int stop) {
        Tensor out = TensorInternals.rowRange(x, start, stop);
        if (Dispatcher.reportsViews()) {
            Dispatcher.reportView(Primitives.SLICE, alongAxis(x.shape(), 0, start, stop, 1), x, out);
        }
        return out;
    }

    /** A Python-style bound: negative counts from the end, then clamped to what a slice of this step may use. */
    private static int clampSliceBound(int v, int d, int step) {
        if (v < 0) {
            v += d;
        }
        if (step > 0) {
            return Math.max(0, Math.min(v, d));
        }
        return Math.max(-1, Math.min(v, d - 1));
    }

    /** The number of elements a slice from start to stop by step takes. */
    static int sliceLength(int start, int stop, int step) {
        if (step > 0) {
            return start >= stop ? 0 : (stop - start + step - 1) / step;
        }
        return start <= stop ? 0 : (start - stop - step - 1) / -step;
    }

    /** A multi-axis slice with bounds already normalised (as {@link Attrs.Slice} stores them). A view. */
    public static Tensor slice(Tensor x, Attrs.Slice s) {
        return Dispatcher.view(Primitives.SLICE, s, x);
    }

    /** A multi-axis slice with normalised bounds. A view. */
    static final class Slice extends ViewPrimitive<Attrs.Slice> {
        Slice() {
            super("slice");
        }

        @Override
        public Tensor view(Tensor x, Attrs.Slice s) {
            Shape shape = sliceShape(x.shape(), s);
            int offset = x.offset();
            int[] strides = new int[x.rank()];
            int[] start = s.start();
            int[] step = s.step();
            for (int i = 0; i < x.rank(); i++) {
                if (shape.dim(i) > 0) {
                    offset += start[i] * x.stride(i);
                }
                strides[i] = x.stride(i) * step[i];
            }
            return TensorInternals.wrap(x.dtype(), shape, strides, shape.size() == 0 ? 0 : offset, TensorInternals.data(x));
        }
    }

    /** The shape a normalised slice of {@code from} has; bounds outside the dimension are an error. */
    static Shape sliceShape(Shape from, Attrs.Slice s) {
        int[] start = s.start();
        int[] stop = s.stop();
        int[] step = s.step();
        if (start.length != from.rank() || stop.length != from.rank() || step.length != from.rank()) {
            throw new IllegalArgumentException("slice: bounds for " + start.length + " axes on a tensor of shape " + from);
        }
        int[] dims = new int[from.rank()];
        for (int i = 0; i < dims.length; i++) {
            int d = from.dim(i);
            int len = sliceLength(start[i], stop[i], step[i]);
            if (step[i] == 0 || (len > 0 && (start[i] < 0 || start[i] >= d
                    || start[i] + (long) (len - 1) * step[i] < 0
                    || start[i] + (long) (len - 1) * step[i] >= d))) {
                throw new IllegalArgumentException("slice: start " + start[i] + ", stop " + stop[i] + ", step "
                        + step[i] + " do not fit axis " + i + " of " + from);
            }
            dims[i] = len;
        }
        return Shape.of(dims);
    }

    /**
     * The adjoint of {@link #slice(Tensor, Attrs.Slice)}: a zero tensor of {@code u.shape()} with
     * {@code x} written at the slice's positions. The gradient of slice.
     */
    public static Tensor unslice(Tensor x, Attrs.Unslice u) {
        return Dispatcher.call(Primitives.UNSLICE, u, x);
    }

    /** The adjoint of slice: its input written at the slice's positions of a zero tensor. */
    static final class Unslice extends ComputePrimitive<Attrs.Unslice> {
        Unslice() {
            super("unslice", true);
        }

        @Override
        public Shape inferShape(Tensor[] in, Attrs.Unslice u) {
            Shape expected = sliceShape(u.shape(), u.slice());
            if (!expected.equals(in[0].shape())) {
                throw new IllegalArgumentException("unslice: input " + in[0].shape() + " does not match the slice's shape "
                        + expected + " of " + u.shape());
            }
            return u.shape();
        }

        @Override
        public boolean writesEveryElement() {
            return false;
        }

        @Override
        public void run(Backend backend, Tensor[] in, Attrs.Unslice u, Tensor y) {
            copyInto(backend.parallel(), in[0], sliceView(y, u.slice()));
        }
    }

    /** Removes the given size-1 axes, or all size-1 axes when none are given. */
    public static Tensor squeeze(Tensor x, int... axes) {
        boolean[] drop = new boolean[x.rank()];
        if (axes.length == 0) {
            for (int i = 0; i < x.rank(); i++) {
                drop[i] = x.shape().dim(i) == 1;
            }
        } else {
            for (int a : axes) {
                int ax = Shape.normalizeAxis(a, x.rank(), "squeeze");
                if (x.shape().dim(ax) != 1) {
                    throw new IllegalArgumentException("squeeze: axis " + a + " of " + x.shape() + " has size "
                            + x.shape().dim(ax) + ", not 1");
                }
                drop[ax] = true;
            }
        }
        int[] dims = new int[x.rank()];
        int r = 0;
        for (int i = 0; i < x.rank(); i++) {
            if (!drop[i]) {
                dims[r++] = x.shape().dim(i);
            }
        }
        return reshape(x, Arrays.copyOf(dims, r));
    }

    /** Inserts a size-1 axis at {@code axis} (in {@code [-rank-1, rank]}). */
    public static Tensor unsqueeze(Tensor x, int axis) {
        int ax = Shape.normalizeAxis(axis, x.rank() + 1, "unsqueeze");
        int[] dims = new int[x.rank() + 1];
        for (int i = 0, j = 0; i < dims.length; i++) {
            dims[i] = i == ax ? 1 : x.shape().dim(j++);
        }
        return reshape(x, dims);
    }

    /** Broadcasts to {@code shape} (NumPy rules) as a view with stride-0 dimensions. */
    public static Tensor broadcastTo(Tensor x, Shape shape) {
        return Dispatcher.view(Primitives.BROADCAST_TO, shape, x);
    }

    /** Broadcast to a shape as a view with stride-0 dimensions. */
    static final class BroadcastTo extends ViewPrimitive<Shape> {
        BroadcastTo() {
            super("broadcast_to");
        }

        @Override
        public Tensor view(Tensor x, Shape shape) {
            return broadcastView(x, shape);
        }
    }

    /** The view behind {@link #broadcastTo}, for primitives that broadcast their inputs. */
    static Tensor broadcastView(Tensor x, Shape shape) {
        if (x.shape().equals(shape)) {
            return x;
        }
        if (!x.shape().broadcastableTo(shape)) {
            throw new IllegalArgumentException("broadcastTo: shape " + x.shape() + " cannot be broadcast to " + shape);
        }
        int shift = shape.rank() - x.rank();
        int[] strides = new int[shape.rank()];
        for (int i = 0; i < x.rank(); i++) {
            strides[i + shift] = x.shape().dim(i) == 1 && shape.dim(i + shift) != 1 ? 0 : x.stride(i);
        }
        return TensorInternals.wrap(x.dtype(), shape, strides, x.offset(), TensorInternals.data(x));
    }

    /** Reverses the given axes (all when none are given): a slice with step -1. */
    public static Tensor flip(Tensor x, int... axes) {
        int rank = x.rank();
        int[] starts = new int[rank];
        int[] stops = x.shape().toArray();
        int[] steps = new int[rank];
        Arrays.fill(steps, 1);
        boolean[] flipAxis = new boolean[rank];
        if (axes.length == 0) {
            Arrays.fill(flipAxis, true);
        }
        for (int a : axes) {
            flipAxis[Shape.normalizeAxis(a, rank, "flip")] = true;
        }
        for (int i = 0; i < rank; i++) {
            if (flipAxis[i]) {
                starts[i] = x.shape().dim(i) - 1;
                stops[i] = -1;
                steps[i] = -1;
            }
        }
        return slice(x, new Attrs.Slice(starts, stops, steps));
    }

    // ---- copies ---------------------------------------------------------------------------

    /** {@code x} itself when contiguous, else a contiguous copy. */
    public static Tensor contiguous(Tensor x) {
        return x.isContiguous() ? x : copy(x);
    }

    /** A contiguous copy sharing nothing with {@code x}. */
    public static Tensor copy(Tensor x) {
        return Dispatcher.call(Primitives.COPY, null, x);
    }

    /** A contiguous copy as helper work inside another primitive (see {@link Dispatcher#compute}). */
    static Tensor copyRaw(Tensor x) {
        return Dispatcher.compute(Primitives.COPY, null, x);
    }

    /** A contiguous copy. */
    static final class Copy extends ComputePrimitive<Void> {
        Copy() {
            super("copy", true);
        }

        @Override
        public Shape inferShape(Tensor[] in, Void attrs) {
            return in[0].shape();
        }

        @Override
        public void run(Backend backend, Tensor[] in, Void attrs, Tensor y) {
            copyInto(backend.parallel(), in[0], y);
        }
    }

    /** Copies {@code src} into the view {@code dst} of the same shape and dtype (dst is freshly made). */
    static void copyInto(Parallel parallel, Tensor src, Tensor dst) {
        if (src.isContiguous() && dst.isContiguous() && !Parallel.worthSplitting(src.size())) {
            System.arraycopy(TensorInternals.data(src), src.offset(), TensorInternals.data(dst), dst.offset(), src.size());
            return;
        }
        Object s = TensorInternals.data(src);
        Object d = TensorInternals.data(dst);
        if (src.rank() == 2 && !Parallel.worthSplitting(src.size())) {
            // A small matrix (a transposed view): row by row, without setting up the strided loop.
            int cols = src.shape().dim(1);
            for (int r = 0; r < src.shape().dim(0); r++) {
                copyRun(s, src.offset() + r * src.stride(0), src.stride(1), d, dst.offset() + r * dst.stride(0),
                        dst.stride(1), cols);
            }
            return;
        }
        StridedLoop loop = new StridedLoop(src.shape(), src, dst);
        int ss = loop.innerStride(0);
        int ds = loop.innerStride(1);
        loop.forEach(parallel, (offs, unused, n) -> copyRun(s, offs[0], ss, d, offs[1], ds, n));
    }

    /** {@code d[dOff + i·ds] = s[sOff + i·ss]} for i in [0, n), on arrays of one dtype. */
    private static void copyRun(Object s, int sOff, int ss, Object d, int dOff, int ds, int n) {
        if (ss == 1 && ds == 1) {
            System.arraycopy(s, sOff, d, dOff, n);
            return;
        }
        switch (s) {
            case float[] a -> {
                float[] b = (float[]) d;
                for (int i = 0; i < n; i++) {
                    b[dOff + i * ds] = a[sOff + i * ss];
                }
            }
            case double[] a -> {
                double[] b = (double[]) d;
                for (int i = 0; i < n; i++) {
                    b[dOff + i * ds] = a[sOff + i * ss];
                }
            }
            case int[] a -> {
                int[] b = (int[]) d;
                for (int i = 0; i < n; i++) {
                    b[dOff + i * ds] = a[sOff + i * ss];
                }
            }
            default -> throw new IllegalArgumentException("not a tensor array: " + s.getClass());
        }
    }

    /** Converts to {@code to}; floats become I32 by truncation toward zero (NaN becomes 0). */
    public static Tensor cast(Tensor x, DType to) {
        if (x.dtype() == to) {
            return x;
        }
        return Dispatcher.call(Primitives.CAST, new Attrs.Cast(to), x);
    }

    /** {@link #cast} as helper work inside another primitive; {@code x} itself when it already has {@code to}. */
    static Tensor castRaw(Tensor x, DType to) {
        return x.dtype() == to ? x : Dispatcher.compute(Primitives.CAST, new Attrs.Cast(to), x);
    }

    /** Conversion to another dtype; floats become I32 by truncation toward zero (NaN becomes 0). */
    static final class Cast extends ComputePrimitive<Attrs.Cast> {
        Cast() {
            super("cast", true);
        }

        @Override
        public Shape inferShape(Tensor[] in, Attrs.Cast attrs) {
            java.util.Objects.requireNonNull(attrs.to(), "cast: target dtype");
            return in[0].shape();
        }

        @Override
        public DType inferDType(Tensor[] in, Attrs.Cast attrs) {
            return attrs.to();
        }

        @Override
        public void run(Backend backend, Tensor[] in, Attrs.Cast attrs, Tensor y) {
            Tensor x = in[0];
            DType to = attrs.to();
            Object src = TensorInternals.data(x);
            Object dst = TensorInternals.data(y);
            DType from = x.dtype();
            if (x.isContiguous() && !Parallel.worthSplitting(x.size())) {
                convert(src, from, x.offset(), 1, dst, to, 0, x.size());
                return;
            }
            StridedLoop loop = new StridedLoop(x.shape(), x);
            int xs = loop.innerStride(0);
            loop.forEach(backend.parallel(), (offs, yo, n) -> convert(src, from, offs[0], xs, dst, to, yo, n));
        }

        /** {@code dst[yo + i] = (to) src[xo + i·xs]} for i in [0, n). */
        private static void convert(Object src, DType from, int xo, int xs, Object dst, DType to, int yo, int n) {
            for (int i = 0; i < n; i++) {
                int p = xo + i * xs;
                double v = switch (from) {
                    case F32 -> ((float[]) src)[p];
                    case F64 -> ((double[]) src)[p];
                    case I32 -> ((int[]) src)[p];
                };
                switch (to) {
                    case F32 -> ((float[]) dst)[yo + i] = (float) v;
                    case F64 -> ((double[]) dst)[yo + i] = v;
                    case I32 -> ((int[]) dst)[yo + i] = (int) v;
                }
            }
        }
    }

    /** Constant padding: {@code before[i]}/{@code after[i]} elements of {@code value} around dimension i. */
    public static Tensor pad(Tensor x, int[] before, int[] after, double value) {
        return Dispatcher.call(Primitives.PAD, new Attrs.Pad(before.clone(), after.clone(), value), x);
    }

    /** Constant padding around each dimension. */
    static final class Pad extends ComputePrimitive<Attrs.Pad> {
        Pad() {
            super("pad", true);
        }

        @Override
        public Shape inferShape(Tensor[] in, Attrs.Pad p) {
            Tensor x = in[0];
            int[] before = p.before();
            int[] after = p.after();
            if (before.length != x.rank() || after.length != x.rank()) {
                throw new IllegalArgumentException("pad: padding for " + before.length + " and " + after.length
                        + " axes on a tensor of shape " + x.shape());
            }
            int[] dims = new int[x.rank()];
            for (int i = 0; i < dims.length; i++) {
                if (before[i] < 0 || after[i] < 0) {
                    throw new IllegalArgumentException("pad: negative padding on axis " + i + ": " + before[i] + ", "
                            + after[i]);
                }
                dims[i] = Math.addExact(Math.addExact(x.shape().dim(i), before[i]), after[i]);
            }
            return Shape.of(dims);
        }

        @Override
        public void run(Backend backend, Tensor[] in, Attrs.Pad p, Tensor y) {
            Tensor x = in[0];
            switch (y.dtype()) {
                case F32 -> Arrays.fill(TensorInternals.f32(y), (float) p.value());
                case F64 -> Arrays.fill(TensorInternals.f64(y), p.value());
                case I32 -> Arrays.fill(TensorInternals.i32(y), (int) p.value());
            }
            int[] before = p.before();
            int[] starts = new int[x.rank()];
            int[] stops = new int[x.rank()];
            int[] steps = new int[x.rank()];
            for (int i = 0; i < starts.length; i++) {
                starts[i] = before[i];
                stops[i] = before[i] + x.shape().dim(i);
                steps[i] = 1;
            }
            copyInto(backend.parallel(), x, sliceView(y, new Attrs.Slice(starts, stops, steps)));
        }
    }

    /** The view of a normalised slice, as helper work inside another primitive (not reported). */
    static Tensor sliceView(Tensor x, Attrs.Slice s) {
        return Primitives.SLICE.view(x, s);
    }

    /** Joins tensors of one dtype along {@code axis}; all other dimensions must match. */
    public static Tensor concat(List<Tensor> parts, int axis) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concat: no tensors given");
        }
        Tensor first = parts.get(0);
        if (first.rank() == 0) {
            throw new IllegalArgumentException("concat: cannot join rank-0 tensors; use stack");
        }
        int ax = Shape.normalizeAxis(axis, first.rank(), "concat");
        return Dispatcher.call(Primitives.CONCAT, new Attrs.Axis(ax), parts.toArray(new Tensor[0]));
    }

    /** Tensors of one dtype joined along an axis. */
    static final class Concat extends ComputePrimitive<Attrs.Axis> {
        Concat() {
            super("concat", true);
        }

        @Override
        public Shape inferShape(Tensor[] in, Attrs.Axis attrs) {
            Tensor first = in[0];
            int ax = attrs.axis();
            Shape.normalizeAxis(ax, Math.max(first.rank(), 1), "concat");
            int total = 0;
            for (Tensor t : in) {
                BinaryOps.checkSameDType("concat", first, t);
                if (t.rank() != first.rank()) {
                    throw new IllegalArgumentException("concat: shapes " + first.shape() + " and " + t.shape()
                            + " differ in rank");
                }
                for (int i = 0; i < t.rank(); i++) {
                    if (i != ax && t.shape().dim(i) != first.shape().dim(i)) {
                        throw new IllegalArgumentException("concat along axis " + ax + ": shapes " + first.shape()
                                + " and " + t.shape() + " differ on axis " + i);
                    }
                }
                total = Math.addExact(total, t.shape().dim(ax));
            }
            int[] dims = first.shape().toArray();
            dims[ax] = total;
            return Shape.of(dims);
        }

        @Override
        public void run(Backend backend, Tensor[] in, Attrs.Axis attrs, Tensor y) {
            int ax = attrs.axis();
            int[] dims = y.shape().toArray();
            int at = 0;
            for (Tensor t : in) {
                int[] starts = new int[dims.length];
                int[] stops = dims.clone();
                int[] steps = new int[dims.length];
                Arrays.fill(steps, 1);
                starts[ax] = at;
                stops[ax] = at + t.shape().dim(ax);
                copyInto(backend.parallel(), t, sliceView(y, new Attrs.Slice(starts, stops, steps)));
                at = stops[ax];
            }
        }
    }

    /** Joins tensors of one shape along a new axis. */
    public static Tensor stack(List<Tensor> parts, int axis) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("stack: no tensors given");
        }
        List<Tensor> expanded = new ArrayList<>();
        for (Tensor t : parts) {
            if (!t.shape().equals(parts.get(0).shape())) {
                throw new IllegalArgumentException("stack: shapes " + parts.get(0).shape() + " and " + t.shape() + " differ");
            }
            expanded.add(unsqueeze(t, axis));
        }
        return concat(expanded, axis);
    }

    /** Splits along {@code axis} into pieces of the given sizes, which must add up to that dimension. */
    public static List<Tensor> split(Tensor x, int[] sizes, int axis) {
        int ax = Shape.normalizeAxis(axis, x.rank(), "split");
        long sum = 0;
        for (int s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException("split: negative size in " + Arrays.toString(sizes));
            }
            sum += s;
        }
        if (sum != x.shape().dim(ax)) {
            throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " add up to " + sum
                    + ", but axis " + axis + " of " + x.shape() + " has " + x.shape().dim(ax));
        }
        List<Tensor> out = new ArrayList<>();
        int at = 0;
        for (int s : sizes) {
            out.add(slice(x, ax, at, at + s, 1));
            at += s;
        }
        return out;
    }

    /** Splits along {@code axis} into {@code n} equal pieces. */
    public static List<Tensor> split(Tensor x, int n, int axis) {
        int ax = Shape.normalizeAxis(axis, x.rank(), "split");
        int d = x.shape().dim(ax);
        if (n <= 0 || d % n != 0) {
            throw new IllegalArgumentException("split: axis " + axis + " of " + x.shape() + " (" + d
                    + ") does not split into " + n + " equal pieces");
        }
        int[] sizes = new int[n];
        Arrays.fill(sizes, d / n);
        return split(x, sizes, ax);
    }

    /** NumPy's tile: reshape to interleave size-1 axes, broadcast them to the repeat counts, merge. */
    public static Tensor tile(Tensor x, int... reps) {
        int rank = Math.max(x.rank(), reps.length);
        int[] r = new int[rank];
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) {
            int ri = i - (rank - reps.length);
            int di = i - (rank - x.rank());
            r[i] = ri >= 0 ? reps[ri] : 1;
            d[i] = di >= 0 ? x.shape().dim(di) : 1;
            if (r[i] < 0) {
                throw new IllegalArgumentException("tile: negative repeat count in " + Arrays.toString(reps));
            }
        }
        int[] spread = new int[2 * rank];
        int[] target = new int[2 * rank];
        int[] merged = new int[rank];
        for (int i = 0; i < rank; i++) {
            spread[2 * i] = 1;
            spread[2 * i + 1] = d[i];
            target[2 * i] = r[i];
            target[2 * i + 1] = d[i];
            merged[i] = Math.multiplyExact(r[i], d[i]);
        }
        return reshape(broadcastTo(reshape(x, spread), Shape.of(target)), merged);
    }

    /** NumPy's repeat: each element {@code repeats} times along {@code axis}, by broadcasting a new axis. */
    public static Tensor repeat(Tensor x, int repeats, int axis) {
        if (repeats < 0) {
            throw new IllegalArgumentException("repeat: negative repeat count " + repeats);
        }
        int ax = Shape.normalizeAxis(axis, x.rank(), "repeat");
        Tensor spread = unsqueeze(x, ax + 1);
        int[] target = spread.shape().toArray();
        target[ax + 1] = repeats;
        int[] merged = x.shape().toArray();
        merged[ax] = Math.multiplyExact(merged[ax], repeats);
        return reshape(broadcastTo(spread, Shape.of(target)), merged);
    }
}
