package dev.vecgrad.core.kernel;

/**
 * Per-thread working arrays that primitives and kernels reuse from call to call, so that a step
 * replayed again and again allocates nothing for its temporary space. Each user names its own
 * {@link Slot}: two users on one thread never share an array, and a user must not hold its array
 * past the call that took it. An array comes back at least as long as asked for (it only ever
 * grows, to the largest request its slot has seen on that thread), holding whatever its last user
 * left in it.
 *
 * <pre>{@code
 * float[] acc = Scratch.f32(Scratch.Slot.COLUMN_FOLD, width);
 * Arrays.fill(acc, 0, width, 0f);
 * }</pre>
 */
public final class Scratch {
    /** The users of scratch space, one array of each element type per thread for each. */
    public enum Slot {
        /** A short row repeated down a block, for a row-broadcast binary op. */
        ROW_BROADCAST,
        /** The band of partial column sums of a reduction over many rows of few columns. */
        COLUMN_FOLD,
        /** The per-chunk partial results of a reduction of a whole tensor to one value. */
        REDUCE_PARTIAL,
        /** A block of a convolution's patch matrix (im2col rows). */
        CONV_PATCHES,
        /** A convolution's filter, transposed for the input gradient. */
        CONV_FILTER_TRANSPOSED,
        /** A convolution's bias repeated down a block of output pixels. */
        CONV_BIAS_ROWS,
        /** The filter gradient's partial sums of every block group but the first. */
        CONV_FILTER_PARTIALS,
        /** The offsets of a convolution patch's taps from its window's corner. */
        CONV_TAPS,
        /** The window corners, in the input, of a table of output pixels. */
        CONV_PIXEL_CORNERS,
        /** The rows, in the output gradient, of a table of output pixels. */
        CONV_PIXEL_ROWS
    }

    private static final ThreadLocal<Scratch> THREAD = ThreadLocal.withInitial(Scratch::new);
    private static final int SLOTS = Slot.values().length;

    private final float[][] f32 = new float[SLOTS][];
    private final double[][] f64 = new double[SLOTS][];
    private final int[][] i32 = new int[SLOTS][];

    private Scratch() {
    }

    /** The calling thread's F32 array for {@code slot}, of length at least {@code n}. */
    public static float[] f32(Slot slot, int n) {
        Scratch s = THREAD.get();
        float[] a = s.f32[slot.ordinal()];
        if (a == null || a.length < n) {
            a = new float[n];
            s.f32[slot.ordinal()] = a;
        }
        return a;
    }

    /** The calling thread's F64 array for {@code slot}, of length at least {@code n}. */
    public static double[] f64(Slot slot, int n) {
        Scratch s = THREAD.get();
        double[] a = s.f64[slot.ordinal()];
        if (a == null || a.length < n) {
            a = new double[n];
            s.f64[slot.ordinal()] = a;
        }
        return a;
    }

    /** The calling thread's I32 array for {@code slot}, of length at least {@code n}. */
    public static int[] i32(Slot slot, int n) {
        Scratch s = THREAD.get();
        int[] a = s.i32[slot.ordinal()];
        if (a == null || a.length < n) {
            a = new int[n];
            s.i32[slot.ordinal()] = a;
        }
        return a;
    }
}
