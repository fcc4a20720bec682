package dev.vecgrad.core.ops;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.kernel.parallel.Parallel;

/**
 * The one strided path every elementwise op goes through. It walks a contiguous output of some
 * shape together with input views of that shape (broadcast dimensions have stride 0), merges
 * dimensions that can be walked as one (so a contiguous tensor is a single run), and hands the
 * kernel runs along the innermost dimension: {@code (input offsets, output offset, length)} with
 * fixed inner strides. Big outputs are split into fixed chunks over the backend's threads.
 */
final class StridedLoop {
    /** Elements per chunk of parallel work; a named constant so results never depend on threads. */
    static final int CHUNK = 1 << 15;

    /** One run of the innermost dimension. */
    @FunctionalInterface
    interface Run {
        /** {@code offsets[k]} is operand k's position; the output run starts at {@code outOff}. */
        void run(int[] offsets, int outOff, int n);
    }

    private final int[] dims;
    private final int[][] strides;
    private final int[] base;
    private final int size;

    /** A loop over {@code shape} for inputs already viewed at that shape (see {@link #viewAs}). */
    StridedLoop(Shape shape, Tensor... inputs) {
        int rank = shape.rank();
        int k = inputs.length;
        int[] d = new int[Math.max(rank, 1)];
        int[][] s = new int[k][Math.max(rank, 1)];
        int r = 0;
        for (int i = 0; i < rank; i++) {
            if (shape.dim(i) == 1 && rank > 1) {
                continue; // size-1 dimensions do not move anything
            }
            if (r > 0 && canMerge(d, s, r - 1, inputs, i, shape)) {
                d[r - 1] *= shape.dim(i);
                for (int j = 0; j < k; j++) {
                    s[j][r - 1] = inputs[j].stride(i);
                }
                continue;
            }
            d[r] = shape.dim(i);
            for (int j = 0; j < k; j++) {
                s[j][r] = inputs[j].stride(i);
            }
            r++;
        }
        if (r == 0) {
            d[0] = 1;
            r = 1;
        }
        this.dims = java.util.Arrays.copyOf(d, r);
        this.strides = new int[k][];
        this.base = new int[k];
        for (int j = 0; j < k; j++) {
            strides[j] = java.util.Arrays.copyOf(s[j], r);
            base[j] = inputs[j].offset();
        }
        this.size = shape.size();
    }

    /**
     * The stride a kernel can walk {@code t} with as one flat run over {@code shape}: 1 when
     * {@code t} is contiguous with that shape, 0 when it is a single value broadcast over it, and -1
     * when it needs this loop.
     */
    static int flatStride(Tensor t, Shape shape) {
        if (t.size() == 1) {
            return 0;
        }
        return t.shape().equals(shape) && t.isContiguous() ? 1 : -1;
    }

    /** Dimension i of the original shape merges into merged dimension m when every operand's strides line up. */
    private static boolean canMerge(int[] d, int[][] s, int m, Tensor[] inputs, int i, Shape shape) {
        for (int j = 0; j < inputs.length; j++) {
            if (s[j][m] != inputs[j].stride(i) * shape.dim(i)) {
                return false;
            }
        }
        return true;
    }

    /** The stride operand {@code k} moves by along the innermost run. */
    int innerStride(int k) {
        return strides[k][dims.length - 1];
    }

    /** Runs {@code run} over every element, in parallel chunks on {@code parallel} when the output is big. */
    void forEach(Parallel parallel, Run run) {
        if (size == 0) {
            return;
        }
        if (!Parallel.worthSplitting(size)) {
            range(0, size, run);
            return;
        }
        int chunks = (size + CHUNK - 1) / CHUNK;
        parallel.forEachChunk(chunks, c -> range(c * CHUNK, Math.min(size, (c + 1) * CHUNK), run));
    }

    /** Output positions [from, to) in runs along the innermost dimension. */
    private void range(int from, int to, Run run) {
        int r = dims.length;
        int inner = dims[r - 1];
        int[] idx = new int[r];
        int rem = from;
        for (int i = r - 1; i >= 0; i--) {
            idx[i] = rem % dims[i];
            rem /= dims[i];
        }
        int[] offsets = new int[base.length];
        int pos = from;
        while (pos < to) {
            for (int k = 0; k < base.length; k++) {
                int o = base[k];
                for (int i = 0; i < r; i++) {
                    o += idx[i] * strides[k][i];
                }
                offsets[k] = o;
            }
            int n = Math.min(inner - idx[r - 1], to - pos);
            run.run(offsets, pos, n);
            pos += n;
            idx[r - 1] += n;
            for (int i = r - 1; i > 0 && idx[i] == dims[i]; i--) {
                idx[i] = 0;
                idx[i - 1]++;
            }
        }
    }
}
