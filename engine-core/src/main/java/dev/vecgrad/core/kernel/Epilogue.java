package dev.vecgrad.core.kernel;

import dev.vecgrad.core.ops.Binary;
import dev.vecgrad.core.ops.Unary;
import java.util.List;

/**
 * Elementwise work finishing a row-major output block by block while each block is still in cache:
 * a list of {@link Stage stages}, each an elementwise op on the output, applied in place. A GEMM
 * applies it to each finished block of C (see {@code Gemm.sgemm}'s epilogue argument), a
 * convolution to each block of output rows, and a chain of elementwise ops is one epilogue whose
 * first stage reads the chain's inputs. Each element goes through the same kernels, with the same
 * operands, as the separate ops would give it, so the result has the same bits as running the ops
 * one after another over the whole output.
 *
 * <p>The output is an {@code m x n} matrix; an {@link Operand} gives, for output element
 * {@code (i, j)}, the element of another array the stage reads: the same element of a tensor of the
 * output's shape ({@link Operand#full}), element {@code j} of a row repeated down the output (a
 * bias, {@link Operand#row}), or one value ({@link Operand#scalar}).
 *
 * <pre>{@code
 * // y = relu(y + bias), applied to rows [0, m) of y (m x n) in one pass
 * Epilogue e = new Epilogue(backend.kernels(), List.of(
 *         new Epilogue.Combine(Primitives.ADD, null, Epilogue.Operand.row(bias, 0)),
 *         new Epilogue.Map(Primitives.RELU, null)));
 * e.apply(y, 0, n, 0, 0, m, n);
 * }</pre>
 */
public final class Epilogue {
    /** Most elements the stages go over at a time: a few pages, so every stage finds them in L1. */
    static final int CHUNK_ELEMENTS = 1 << 12;

    private final Kernels kernels;
    private final Stage[] stages;

    /** An epilogue running {@code stages}, in order, on {@code kernels}. */
    public Epilogue(Kernels kernels, List<Stage> stages) {
        this.kernels = kernels;
        this.stages = stages.toArray(new Stage[0]);
        if (this.stages.length == 0) {
            throw new IllegalArgumentException("an epilogue needs at least one stage");
        }
    }

    /** The stages, in the order they run. */
    public List<Stage> stages() {
        return List.of(stages);
    }

    /**
     * Where a stage reads another array: output element {@code (i, j)} reads element
     * {@code offset + (i mod period)·rowStride + j·colStride} of {@code array} (a {@code float[]} or
     * {@code double[]}, the output's type).
     *
     * @param array     the array read
     * @param offset    where row 0, column 0 is
     * @param rowStride the distance between rows
     * @param colStride the distance between columns (0 for one value)
     * @param period    after how many rows the operand repeats ({@link Integer#MAX_VALUE}: never)
     */
    public record Operand(Object array, int offset, int rowStride, int colStride, int period) {
        /** Checks the fields. */
        public Operand {
            if (!(array instanceof float[]) && !(array instanceof double[])) {
                throw new IllegalArgumentException("an epilogue operand is a float[] or double[], got "
                        + (array == null ? "null" : array.getClass().getSimpleName()));
            }
            if (offset < 0 || rowStride < 0 || colStride < 0 || period < 1) {
                throw new IllegalArgumentException("epilogue operand: offset " + offset + ", strides " + rowStride + ", "
                        + colStride + ", period " + period);
            }
        }

        /** A contiguous tensor of the output's shape ({@code cols} columns) starting at {@code offset}. */
        public static Operand full(Object array, int offset, int cols) {
            return new Operand(array, offset, cols, 1, Integer.MAX_VALUE);
        }

        /** The row at {@code offset}, repeated down every row, read in place (one kernel call a row). */
        public static Operand row(Object array, int offset) {
            return new Operand(array, offset, 0, 1, Integer.MAX_VALUE);
        }

        /**
         * The {@code cols} values at {@code offset}, repeated down every row, as a copy made here
         * into a block of rows, so that a run of contiguous rows is one kernel call: for an
         * epilogue used once, while the row does not change.
         */
        public static Operand repeatedRow(Object array, int offset, int cols) {
            int rows = Math.max(1, CHUNK_ELEMENTS / Math.max(1, cols));
            Object repeated = array instanceof float[] ? new float[rows * cols] : new double[rows * cols];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(array, offset, repeated, r * cols, cols);
            }
            return new Operand(repeated, 0, cols, 1, rows);
        }

        /** The one value at {@code offset}. */
        public static Operand scalar(Object array, int offset) {
            return new Operand(array, offset, 0, 0, Integer.MAX_VALUE);
        }

        int position(int row, int col) {
            return offset + (period == Integer.MAX_VALUE ? row : row % period) * rowStride + col * colStride;
        }

        /** How many rows from {@code row} on are one contiguous run of {@code cols} columns each (at most {@code limit}). */
        int contiguousRows(int row, int cols, int limit) {
            if (colStride == 0 && rowStride == 0) {
                return limit;
            }
            if (colStride != 1 || rowStride != cols) {
                return 1;
            }
            return period == Integer.MAX_VALUE ? limit : Math.min(limit, period - row % period);
        }
    }

    /** One elementwise op of an epilogue, writing the output in place. */
    public sealed interface Stage permits Map, Combine {
        /** Runs on {@code n} output elements at {@code c[pos ..]}, which are row {@code row}, columns {@code col ..}. */
        void run(Kernels k, Object c, int pos, int row, int col, int n);

        /**
         * How many rows from {@code row} on every operand of the stage other than the output reads
         * as one contiguous run of {@code cols} columns each, at most {@code limit}.
         */
        int contiguousRows(int row, int cols, int limit);
    }

    /**
     * {@code out = op(x)}: of the output itself when {@code x} is null, else of the operand (the
     * first stage of a chain, which does not read the output).
     *
     * @param op the elementwise function
     * @param x  its argument, or null for the output
     */
    public record Map(Unary op, Operand x) implements Stage {
        @Override
        public void run(Kernels k, Object c, int pos, int row, int col, int n) {
            int xs = x == null ? 1 : x.colStride();
            int xp = x == null ? pos : x.position(row, col);
            if (c instanceof float[] y) {
                k.unary(op, x == null ? y : (float[]) x.array(), xp, xs, y, pos, n);
            } else {
                double[] y = (double[]) c;
                k.unary(op, x == null ? y : (double[]) x.array(), xp, xs, y, pos, n);
            }
        }

        @Override
        public int contiguousRows(int row, int cols, int limit) {
            return x == null ? limit : x.contiguousRows(row, cols, limit);
        }
    }

    /**
     * {@code out = op(a, b)}, a null operand standing for the output (a bias add is
     * {@code Combine(ADD, null, Operand.row(bias, ...))}; relu's gradient with the output as the
     * incoming gradient is {@code Combine(RELU_GRAD, null, Operand.full(activation, ...))}).
     *
     * @param op the elementwise function
     * @param a  its left operand, or null for the output
     * @param b  its right operand, or null for the output
     */
    public record Combine(Binary op, Operand a, Operand b) implements Stage {
        @Override
        public void run(Kernels k, Object c, int pos, int row, int col, int n) {
            int as = a == null ? 1 : a.colStride();
            int ap = a == null ? pos : a.position(row, col);
            int bs = b == null ? 1 : b.colStride();
            int bp = b == null ? pos : b.position(row, col);
            if (c instanceof float[] y) {
                k.binary(op, a == null ? y : (float[]) a.array(), ap, as, b == null ? y : (float[]) b.array(), bp, bs, y,
                        pos, n);
            } else {
                double[] y = (double[]) c;
                k.binary(op, a == null ? y : (double[]) a.array(), ap, as, b == null ? y : (double[]) b.array(), bp, bs,
                        y, pos, n);
            }
        }

        @Override
        public int contiguousRows(int row, int cols, int limit) {
            int run = a == null ? limit : a.contiguousRows(row, cols, limit);
            return b == null ? run : Math.min(run, b.contiguousRows(row, cols, limit));
        }
    }

    /**
     * Runs the stages on rows {@code [row0, row0 + rows)}, columns {@code [col0, col0 + cols)} of
     * the output, whose element {@code (row0, col0)} is {@code c[cOff]} and whose rows are
     * {@code ldc} apart: all stages over a few pages, then the next pages.
     */
    public void apply(Object c, int cOff, int ldc, int row0, int col0, int rows, int cols) {
        if (cols <= 0) {
            return;
        }
        int r = 0;
        while (r < rows) {
            int run = cols > CHUNK_ELEMENTS ? 0
                    : ldc == cols ? contiguousRows(row0 + r, cols, Math.min(rows - r, CHUNK_ELEMENTS / cols)) : 1;
            if (run > 0) {
                for (Stage s : stages) {
                    s.run(kernels, c, cOff + r * ldc, row0 + r, col0, run * cols);
                }
                r += run;
            } else {
                // A row longer than a chunk: a chunk of columns at a time.
                for (int j = 0; j < cols; j += CHUNK_ELEMENTS) {
                    int n = Math.min(CHUNK_ELEMENTS, cols - j);
                    for (Stage s : stages) {
                        s.run(kernels, c, cOff + r * ldc + j, row0 + r, col0 + j, n);
                    }
                }
                r++;
            }
        }
    }

    /** How many rows from {@code row} on every operand reads contiguously, at most {@code limit}. */
    private int contiguousRows(int row, int cols, int limit) {
        int run = limit;
        for (Stage s : stages) {
            run = Math.min(run, s.contiguousRows(row, cols, limit));
        }
        return run;
    }
}
