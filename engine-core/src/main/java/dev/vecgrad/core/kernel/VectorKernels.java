package dev.vecgrad.core.kernel;

import dev.vecgrad.core.ops.Op;
import java.util.Arrays;

/**
 * The SIMD kernels, on the JDK's Vector API ({@code jdk.incubator.vector}) with the platform's
 * preferred species ({@code FloatVector.SPECIES_PREFERRED}, {@code DoubleVector.SPECIES_PREFERRED}).
 * {@code Engine} loads this class by name; it is tested element by element against
 * {@link ScalarKernels}.
 *
 * <h2>Operand layouts</h2>
 * Contiguous operands (stride 1) run the vector loops of {@code FloatLoops} / {@code DoubleLoops}
 * directly, with the last partial vector under a mask. A broadcast operand (stride 0) is spread
 * into a small buffer once and the same loops run against it; a unary op on a broadcast input is
 * computed once by the reference and filled. Other strides (transposed, stepped or flipped views)
 * are gathered block by block into a buffer first, so every layout gives the same bits as the
 * contiguous path.
 *
 * <h2>Accuracy against the reference (f64 {@link Math} / {@link MathRef}, rounded once)</h2>
 * Bounds are checked by {@code VectorAccuracyTest} over dense grids (every 1021st F32 bit pattern,
 * so every magnitude of both signs including huge |x|, plus a 10⁻⁴ grid on [-12, 12]); the
 * figure in brackets is the worst error measured there. ulp means a unit in the last place of the
 * correctly rounded result; where that result is subnormal, errors of a few subnormal steps are
 * possible for the composite functions.
 * <ul>
 *   <li><b>Bit for bit:</b> neg, abs, sign, sqrt, square, reciprocal, relu, add, sub, mul, div,
 *       maximum, minimum (NaN and ±0 as {@link Math#max}/{@link Math#min}), the comparisons,
 *       {@code accumulate}, and the max/min reductions. floor, ceil and round run the reference.</li>
 *   <li><b>F32:</b>
 *     <ul>
 *       <li>exp ≤ 1 ulp [0.89, checked on every F32 in [-104, 89]], by FMA arithmetic of its own
 *           (Cody-Waite reduction and the Cephes polynomial), subnormal results included; log
 *           ≤ 1 ulp [0.54]; tanh ≤ 1 ulp [0.69 from the polynomial table of {@code TanhTable} on
 *           16-lane vectors, 0.56 from the JDK's library on others]; expm1, log1p, sin, cos
 *           (|x| ≤ 10⁴) ≤ 1 ulp [0.57, 0.54, 0.60, 0.60].</li>
 *       <li>sigmoid ≤ 2.5 ulp everywhere [2.25], computed from e^-|x| so it neither overflows
 *           nor loses small results.</li>
 *       <li>gelu, tanh approximation: relative error ≤ 1·10⁻⁶ for x ≥ -3 [7.5·10⁻⁷] and ≤ 2.5·10⁻⁵
 *           wherever the result is a normal float [1.3·10⁻⁵]. It is evaluated as x·sigmoid(2z)
 *           (identical to 0.5x(1 + tanh z)), which avoids the cancellation of 1 + tanh z; the
 *           remaining error for very negative x is the rounding of z amplified by |2z| ≤ 88.</li>
 *       <li>gelu, exact: absolute error ≤ 2·10⁻⁷·max(1, |x|) [1.8·10⁻⁷]. erf: absolute error
 *           ≤ 2·10⁻⁷ [1.8·10⁻⁷], from the clamped rational approximation Eigen and XLA use
 *           (x·P(x²)/Q(x²) on [-4, 4]). Relative accuracy of 0.5x(1 + erf) is lost for x &lt; -3,
 *           where the result is below 2·10⁻³ in magnitude.</li>
 *       <li>softplus ≤ 2 ulp [1.46]; rsqrt ≤ 2 ulp [1.48]; pow ≤ 2 ulp (random operands).</li>
 *     </ul></li>
 *   <li><b>F64:</b> exp, log, tanh ≤ 4 ulp [1, 1, 1]; sigmoid ≤ 4 ulp [2]; gelu (tanh
 *       approximation) relative error ≤ 10⁻¹² [3.4·10⁻¹³]; other transcendental ops ≤ 4 ulp;
 *       erf and exact GELU run the reference.</li>
 *   <li><b>sum and prod reductions</b> use several vector accumulators, so they differ from a
 *       left-to-right loop by reassociation only; lanes are combined in a fixed order, so results
 *       do not depend on the JIT or the thread count.</li>
 *   <li><b>softmaxRows</b> (F32): within 4 ulp or 10⁻⁵ relative of the f64 reference, except
 *       that in a row with a finite maximum m, an entry with x - m &lt; -87.33 (where e^(x - m)
 *       is below the smallest normal float, 2⁻¹²⁶) is exactly 0: the reference result there is
 *       below 1.2·10⁻³⁸, and computing it would cost a microcode assist per subnormal operand.</li>
 * </ul>
 * F32 exp, and sigmoid, softplus, gelu (tanh form) and softmax, which are built on it, and F32 tanh
 * on 16-lane vectors are plain FMA arithmetic and give the same bits interpreted and compiled. The
 * other transcendental functions (log, tanh on other vectors, expm1, log1p, sin, cos, pow, and all
 * of F64) come from the JDK's vector math library once C2 has compiled a loop and from {@link Math}
 * per lane before that; both are within the bounds above, but the last bit of such a result may
 * differ between an early and a late call.
 */
public final class VectorKernels implements Kernels {
    /** Elements gathered into a buffer at a time for strided and broadcast operands. */
    private static final int BLOCK = 1024;
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);
    private static final ScalarKernels REFERENCE = new ScalarKernels();

    /** Per-thread scratch space for gathered operands. */
    private static final class Buffers {
        final float[] fa = new float[BLOCK];
        final float[] fb = new float[BLOCK];
        final double[] da = new double[BLOCK];
        final double[] db = new double[BLOCK];
    }

    /** Creates the kernels; the vector shapes are fixed by the platform. */
    public VectorKernels() {
    }

    @Override
    public String description() {
        return "vector (" + FloatLoops.S.vectorBitSize() + "-bit, " + FloatLoops.L + " f32 lanes, " + DoubleLoops.L
                + " f64 lanes)";
    }

    // ---------------------------------------------------------------------------------------
    // Unary.

    @Override
    public void unary(Op op, float[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        KernelArgs.check(op, "input", x.length, xOff, xStride, n);
        KernelArgs.check(op, "output", y.length, yOff, 1, n);
        if (n == 0) {
            return;
        }
        if (xStride == 0) {
            Arrays.fill(y, yOff, yOff + n, (float) ScalarKernels.unary(op, x[xOff]));
        } else if (xStride == 1) {
            unaryContiguous(op, x, xOff, y, yOff, n);
        } else {
            float[] buf = BUFFERS.get().fa;
            for (int i = 0; i < n; i += BLOCK) {
                int len = Math.min(BLOCK, n - i);
                gather(x, xOff + i * xStride, xStride, buf, len);
                unaryContiguous(op, buf, 0, y, yOff + i, len);
            }
        }
    }

    private static void unaryContiguous(Op op, float[] x, int xo, float[] y, int yo, int n) {
        switch (op) {
            case NEG -> FloatLoops.neg(x, xo, y, yo, n);
            case ABS -> FloatLoops.abs(x, xo, y, yo, n);
            case SIGN -> FloatLoops.sign(x, xo, y, yo, n);
            case EXP -> FloatLoops.exp(x, xo, y, yo, n);
            case EXPM1 -> FloatLoops.expm1(x, xo, y, yo, n);
            case LOG -> FloatLoops.log(x, xo, y, yo, n);
            case LOG1P -> FloatLoops.log1p(x, xo, y, yo, n);
            case SQRT -> FloatLoops.sqrt(x, xo, y, yo, n);
            case RSQRT -> FloatLoops.rsqrt(x, xo, y, yo, n);
            case SQUARE -> FloatLoops.square(x, xo, y, yo, n);
            case RECIPROCAL -> FloatLoops.reciprocal(x, xo, y, yo, n);
            case SIN -> FloatLoops.sin(x, xo, y, yo, n);
            case COS -> FloatLoops.cos(x, xo, y, yo, n);
            case TANH -> FloatLoops.tanh(x, xo, y, yo, n);
            case SIGMOID -> FloatLoops.sigmoid(x, xo, y, yo, n);
            case RELU -> FloatLoops.relu(x, xo, y, yo, n);
            case GELU_TANH -> FloatLoops.geluTanh(x, xo, y, yo, n);
            case GELU_ERF -> FloatLoops.geluErf(x, xo, y, yo, n);
            case ERF -> FloatLoops.erf(x, xo, y, yo, n);
            case SOFTPLUS -> FloatLoops.softplus(x, xo, y, yo, n);
            // The Vector API has no rounding operators; these are rarely hot.
            case FLOOR, CEIL, ROUND -> {
                for (int i = 0; i < n; i++) {
                    y[yo + i] = (float) ScalarKernels.unary(op, x[xo + i]);
                }
            }
            default -> throw new IllegalArgumentException(op.opName() + " is not a unary op");
        }
    }

    @Override
    public void unary(Op op, double[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        KernelArgs.check(op, "input", x.length, xOff, xStride, n);
        KernelArgs.check(op, "output", y.length, yOff, 1, n);
        if (n == 0) {
            return;
        }
        if (xStride == 0) {
            Arrays.fill(y, yOff, yOff + n, ScalarKernels.unary(op, x[xOff]));
        } else if (xStride == 1) {
            unaryContiguous(op, x, xOff, y, yOff, n);
        } else {
            double[] buf = BUFFERS.get().da;
            for (int i = 0; i < n; i += BLOCK) {
                int len = Math.min(BLOCK, n - i);
                gather(x, xOff + i * xStride, xStride, buf, len);
                unaryContiguous(op, buf, 0, y, yOff + i, len);
            }
        }
    }

    private static void unaryContiguous(Op op, double[] x, int xo, double[] y, int yo, int n) {
        switch (op) {
            case NEG -> DoubleLoops.neg(x, xo, y, yo, n);
            case ABS -> DoubleLoops.abs(x, xo, y, yo, n);
            case SIGN -> DoubleLoops.sign(x, xo, y, yo, n);
            case EXP -> DoubleLoops.exp(x, xo, y, yo, n);
            case EXPM1 -> DoubleLoops.expm1(x, xo, y, yo, n);
            case LOG -> DoubleLoops.log(x, xo, y, yo, n);
            case LOG1P -> DoubleLoops.log1p(x, xo, y, yo, n);
            case SQRT -> DoubleLoops.sqrt(x, xo, y, yo, n);
            case RSQRT -> DoubleLoops.rsqrt(x, xo, y, yo, n);
            case SQUARE -> DoubleLoops.square(x, xo, y, yo, n);
            case RECIPROCAL -> DoubleLoops.reciprocal(x, xo, y, yo, n);
            case SIN -> DoubleLoops.sin(x, xo, y, yo, n);
            case COS -> DoubleLoops.cos(x, xo, y, yo, n);
            case TANH -> DoubleLoops.tanh(x, xo, y, yo, n);
            case SIGMOID -> DoubleLoops.sigmoid(x, xo, y, yo, n);
            case RELU -> DoubleLoops.relu(x, xo, y, yo, n);
            case GELU_TANH -> DoubleLoops.geluTanh(x, xo, y, yo, n);
            case SOFTPLUS -> DoubleLoops.softplus(x, xo, y, yo, n);
            // No F64 erf in the Vector API, and no rounding operators: the reference, per element.
            case GELU_ERF, ERF, FLOOR, CEIL, ROUND -> {
                for (int i = 0; i < n; i++) {
                    y[yo + i] = ScalarKernels.unary(op, x[xo + i]);
                }
            }
            default -> throw new IllegalArgumentException(op.opName() + " is not a unary op");
        }
    }

    // ---------------------------------------------------------------------------------------
    // Binary.

    @Override
    public void binary(Op op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, float[] y, int yOff,
            int n) {
        KernelArgs.check(op, "left operand", a.length, aOff, aStride, n);
        KernelArgs.check(op, "right operand", b.length, bOff, bStride, n);
        KernelArgs.check(op, "output", y.length, yOff, 1, n);
        if (n == 0) {
            return;
        }
        if (aStride == 1 && bStride == 1) {
            binaryContiguous(op, a, aOff, b, bOff, y, yOff, n);
            return;
        }
        if (aStride == 0 && bStride == 0) {
            Arrays.fill(y, yOff, yOff + n, (float) ScalarKernels.binary(op, a[aOff], b[bOff]));
            return;
        }
        Buffers bufs = BUFFERS.get();
        int blockLen = Math.min(BLOCK, n);
        // A broadcast operand is spread over its buffer once; the buffer then serves every block.
        if (aStride == 0) {
            Arrays.fill(bufs.fa, 0, blockLen, a[aOff]);
        }
        if (bStride == 0) {
            Arrays.fill(bufs.fb, 0, blockLen, b[bOff]);
        }
        for (int i = 0; i < n; i += BLOCK) {
            int len = Math.min(BLOCK, n - i);
            float[] av = a;
            int ao = aOff + i;
            if (aStride != 1) {
                av = bufs.fa;
                ao = 0;
                if (aStride != 0) {
                    gather(a, aOff + i * aStride, aStride, av, len);
                }
            }
            float[] bv = b;
            int bo = bOff + i;
            if (bStride != 1) {
                bv = bufs.fb;
                bo = 0;
                if (bStride != 0) {
                    gather(b, bOff + i * bStride, bStride, bv, len);
                }
            }
            binaryContiguous(op, av, ao, bv, bo, y, yOff + i, len);
        }
    }

    private static void binaryContiguous(Op op, float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        switch (op) {
            case ADD -> FloatLoops.add(a, ao, b, bo, y, yo, n);
            case SUB -> FloatLoops.sub(a, ao, b, bo, y, yo, n);
            case MUL -> FloatLoops.mul(a, ao, b, bo, y, yo, n);
            case DIV -> FloatLoops.div(a, ao, b, bo, y, yo, n);
            case POW -> FloatLoops.pow(a, ao, b, bo, y, yo, n);
            case MAXIMUM -> FloatLoops.max(a, ao, b, bo, y, yo, n);
            case MINIMUM -> FloatLoops.min(a, ao, b, bo, y, yo, n);
            case RELU_GRAD -> FloatLoops.reluGrad(a, ao, b, bo, y, yo, n);
            case EQ -> FloatLoops.eq(a, ao, b, bo, y, yo, n);
            case NE -> FloatLoops.ne(a, ao, b, bo, y, yo, n);
            case LT -> FloatLoops.lt(a, ao, b, bo, y, yo, n);
            case LE -> FloatLoops.le(a, ao, b, bo, y, yo, n);
            case GT -> FloatLoops.gt(a, ao, b, bo, y, yo, n);
            case GE -> FloatLoops.ge(a, ao, b, bo, y, yo, n);
            default -> throw new IllegalArgumentException(op.opName() + " is not a binary op");
        }
    }

    @Override
    public void binary(Op op, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride, double[] y,
            int yOff, int n) {
        KernelArgs.check(op, "left operand", a.length, aOff, aStride, n);
        KernelArgs.check(op, "right operand", b.length, bOff, bStride, n);
        KernelArgs.check(op, "output", y.length, yOff, 1, n);
        if (n == 0) {
            return;
        }
        if (aStride == 1 && bStride == 1) {
            binaryContiguous(op, a, aOff, b, bOff, y, yOff, n);
            return;
        }
        if (aStride == 0 && bStride == 0) {
            Arrays.fill(y, yOff, yOff + n, ScalarKernels.binary(op, a[aOff], b[bOff]));
            return;
        }
        Buffers bufs = BUFFERS.get();
        int blockLen = Math.min(BLOCK, n);
        if (aStride == 0) {
            Arrays.fill(bufs.da, 0, blockLen, a[aOff]);
        }
        if (bStride == 0) {
            Arrays.fill(bufs.db, 0, blockLen, b[bOff]);
        }
        for (int i = 0; i < n; i += BLOCK) {
            int len = Math.min(BLOCK, n - i);
            double[] av = a;
            int ao = aOff + i;
            if (aStride != 1) {
                av = bufs.da;
                ao = 0;
                if (aStride != 0) {
                    gather(a, aOff + i * aStride, aStride, av, len);
                }
            }
            double[] bv = b;
            int bo = bOff + i;
            if (bStride != 1) {
                bv = bufs.db;
                bo = 0;
                if (bStride != 0) {
                    gather(b, bOff + i * bStride, bStride, bv, len);
                }
            }
            binaryContiguous(op, av, ao, bv, bo, y, yOff + i, len);
        }
    }

    private static void binaryContiguous(Op op, double[] a, int ao, double[] b, int bo, double[] y, int yo, int n) {
        switch (op) {
            case ADD -> DoubleLoops.add(a, ao, b, bo, y, yo, n);
            case SUB -> DoubleLoops.sub(a, ao, b, bo, y, yo, n);
            case MUL -> DoubleLoops.mul(a, ao, b, bo, y, yo, n);
            case DIV -> DoubleLoops.div(a, ao, b, bo, y, yo, n);
            case POW -> DoubleLoops.pow(a, ao, b, bo, y, yo, n);
            case MAXIMUM -> DoubleLoops.max(a, ao, b, bo, y, yo, n);
            case MINIMUM -> DoubleLoops.min(a, ao, b, bo, y, yo, n);
            case RELU_GRAD -> DoubleLoops.reluGrad(a, ao, b, bo, y, yo, n);
            case EQ -> DoubleLoops.eq(a, ao, b, bo, y, yo, n);
            case NE -> DoubleLoops.ne(a, ao, b, bo, y, yo, n);
            case LT -> DoubleLoops.lt(a, ao, b, bo, y, yo, n);
            case LE -> DoubleLoops.le(a, ao, b, bo, y, yo, n);
            case GT -> DoubleLoops.gt(a, ao, b, bo, y, yo, n);
            case GE -> DoubleLoops.ge(a, ao, b, bo, y, yo, n);
            default -> throw new IllegalArgumentException(op.opName() + " is not a binary op");
        }
    }

    // ---------------------------------------------------------------------------------------
    // Reductions and accumulation.

    @Override
    public float reduce(Op op, float[] x, int off, int n) {
        KernelArgs.check(op, "input", x.length, off, 1, n);
        return switch (op) {
            case SUM -> FloatLoops.sum(x, off, n);
            case PROD -> FloatLoops.prod(x, off, n);
            case MAX -> FloatLoops.max(x, off, n);
            case MIN -> FloatLoops.min(x, off, n);
            default -> throw new IllegalArgumentException(op.opName() + " is not a reduction");
        };
    }

    @Override
    public double reduce(Op op, double[] x, int off, int n) {
        KernelArgs.check(op, "input", x.length, off, 1, n);
        return switch (op) {
            case SUM -> DoubleLoops.sum(x, off, n);
            case PROD -> DoubleLoops.prod(x, off, n);
            case MAX -> DoubleLoops.max(x, off, n);
            case MIN -> DoubleLoops.min(x, off, n);
            default -> throw new IllegalArgumentException(op.opName() + " is not a reduction");
        };
    }

    @Override
    public void accumulate(Op op, float[] acc, int accOff, float[] x, int xOff, int n) {
        KernelArgs.check(op, "accumulator", acc.length, accOff, 1, n);
        KernelArgs.check(op, "input", x.length, xOff, 1, n);
        FloatLoops.accumulate(op, acc, accOff, x, xOff, n);
    }

    @Override
    public void accumulate(Op op, double[] acc, int accOff, double[] x, int xOff, int n) {
        KernelArgs.check(op, "accumulator", acc.length, accOff, 1, n);
        KernelArgs.check(op, "input", x.length, xOff, 1, n);
        DoubleLoops.accumulate(op, acc, accOff, x, xOff, n);
    }

    @Override
    public void softmaxRows(float[] x, int xOff, float[] y, int yOff, int rows, int cols) {
        KernelArgs.checkRows("softmax", "input", x.length, xOff, rows, cols);
        KernelArgs.checkRows("softmax", "output", y.length, yOff, rows, cols);
        FloatLoops.softmaxRows(x, xOff, y, yOff, rows, cols);
    }

    @Override
    public void softmaxRows(double[] x, int xOff, double[] y, int yOff, int rows, int cols) {
        KernelArgs.checkRows("softmax", "input", x.length, xOff, rows, cols);
        KernelArgs.checkRows("softmax", "output", y.length, yOff, rows, cols);
        DoubleLoops.softmaxRows(x, xOff, y, yOff, rows, cols);
    }

    @Override
    public void windowMax(float[] x, int xOff, int[] taps, int nTaps, float[] y, int yOff, int c) {
        PoolLoops.windowMax(x, xOff, taps, nTaps, y, yOff, c);
    }

    /** F64 pooling runs the scalar reference: it serves gradient checks, not training speed. */
    @Override
    public void windowMax(double[] x, int xOff, int[] taps, int nTaps, double[] y, int yOff, int c) {
        REFERENCE.windowMax(x, xOff, taps, nTaps, y, yOff, c);
    }

    @Override
    public void windowMaxRoute(float[] x, int xOff, int[] taps, int nTaps, float[] dy, int dyOff, float[] dx,
            int dxOff, int c, boolean disjoint) {
        PoolLoops.windowMaxRoute(x, xOff, taps, nTaps, dy, dyOff, dx, dxOff, c, disjoint);
    }

    /** F64 pooling runs the scalar reference: it serves gradient checks, not training speed. */
    @Override
    public void windowMaxRoute(double[] x, int xOff, int[] taps, int nTaps, double[] dy, int dyOff, double[] dx,
            int dxOff, int c, boolean disjoint) {
        REFERENCE.windowMaxRoute(x, xOff, taps, nTaps, dy, dyOff, dx, dxOff, c, disjoint);
    }

    private static void gather(float[] x, int from, int stride, float[] buf, int n) {
        for (int i = 0; i < n; i++) {
            buf[i] = x[from + i * stride];
        }
    }

    private static void gather(double[] x, int from, int stride, double[] buf, int n) {
        for (int i = 0; i < n; i++) {
            buf[i] = x[from + i * stride];
        }
    }
}
