package dev.vecgrad.core;

import java.util.Arrays;

/**
 * The dimensions of a tensor: immutable, rank 0 to {@value #MAX_RANK}, every dimension
 * non-negative, and an element count that fits in an {@code int} (the size of a Java array).
 *
 * {@snippet class=dev.vecgrad.core.CoreSnippetsTest region=shape}
 */
public final class Shape {
    /** The largest rank a tensor may have. */
    public static final int MAX_RANK = 8;
    /** The shape of a scalar: rank 0, one element. */
    public static final Shape SCALAR = new Shape(new int[0]);

    private final int[] dims;
    private final int size;
    /** The contiguous strides, made on first use and shared by every tensor of this shape (never written). */
    private int[] strides;
    /** The shape {@link #withFirstDim} made last: equal-sized row ranges of one tensor share it. */
    private Shape lastWithFirstDim;

    private Shape(int[] dims) {
        if (dims.length > MAX_RANK) {
            throw new IllegalArgumentException(
                    "rank " + dims.length + " is more than the maximum " + MAX_RANK + ": " + Arrays.toString(dims));
        }
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(dims));
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "shape " + Arrays.toString(dims) + " has more than " + Integer.MAX_VALUE + " elements");
            }
        }
        this.dims = dims;
        this.size = (int) n;
    }

    /** A shape with these dimensions (copied). */
    public static Shape of(int... dims) {
        return dims.length == 0 ? SCALAR : new Shape(dims.clone());
    }

    /**
     * This shape with its first dimension set to {@code n}, for a row range of a tensor of this
     * shape; {@code 0 <= n <= dim(0)} is the caller's to check, so no other check is needed. The last
     * result is kept and returned again for the same {@code n} (a benign race may make two).
     */
    Shape withFirstDim(int n) {
        Shape last = lastWithFirstDim;
        if (last != null && last.dims[0] == n) {
            return last;
        }
        int[] d = dims.clone();
        d[0] = n;
        last = new Shape(d);
        lastWithFirstDim = last;
        return last;
    }

    /** The number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** The number of elements: the product of the dimensions (1 for a scalar). */
    public int size() {
        return size;
    }

    /** Dimension {@code axis}; a negative axis counts from the end. */
    public int dim(int axis) {
        return dims[normalizeAxis(axis, dims.length, "dim")];
    }

    /** A copy of the dimensions. */
    public int[] toArray() {
        return dims.clone();
    }

    /**
     * Turns a possibly negative axis into one in {@code [0, rank)}, or throws an error that names
     * the op, the axis and the rank.
     */
    public static int normalizeAxis(int axis, int rank, String op) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(
                    op + ": axis " + axis + " is out of range for rank " + rank);
        }
        return a;
    }

    /** The shape NumPy broadcasting gives {@code a} and {@code b}, or an error naming both and the op. */
    public static Shape broadcast(Shape a, Shape b, String op) {
        if (b.rank() == 0 || a.equals(b)) {
            return a;
        }
        if (a.rank() == 0) {
            return b;
        }
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dims[i - (rank - a.rank())];
            int db = i < rank - b.rank() ? 1 : b.dims[i - (rank - b.rank())];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(
                        op + ": shapes " + a + " and " + b + " cannot be broadcast together (dimension "
                                + i + " of the result: " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    /** Whether this shape can be broadcast to {@code target} (NumPy rules, right-aligned). */
    public boolean broadcastableTo(Shape target) {
        if (rank() > target.rank()) {
            return false;
        }
        int shift = target.rank() - rank();
        for (int i = 0; i < rank(); i++) {
            if (dims[i] != 1 && dims[i] != target.dims[i + shift]) {
                return false;
            }
        }
        return true;
    }

    /** Row-major (C order) strides of a contiguous tensor of this shape, in elements (a copy). */
    public int[] contiguousStrides() {
        return sharedStrides().clone();
    }

    /**
     * The contiguous strides as one array that tensors of this shape share: computed once per shape
     * (a benign race may compute it twice), and never written by anyone.
     */
    int[] sharedStrides() {
        int[] st = strides;
        if (st == null) {
            st = new int[dims.length];
            int s = 1;
            for (int i = dims.length - 1; i >= 0; i--) {
                st[i] = s;
                s *= Math.max(dims[i], 1);
            }
            strides = st;
        }
        return st;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Shape other) || size != other.size || dims.length != other.dims.length) {
            return false;
        }
        for (int i = 0; i < dims.length; i++) { // a plain loop: shapes are short, and compared on every op
            if (dims[i] != other.dims[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** Prints like a Python tuple: {@code (2, 3)}, {@code (5,)}, {@code ()}. */
    @Override
    public String toString() {
        if (dims.length == 1) {
            return "(" + dims[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(dims[i]);
        }
        return sb.append(')').toString();
    }
}
