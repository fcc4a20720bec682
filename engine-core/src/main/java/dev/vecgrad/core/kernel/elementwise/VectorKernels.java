package dev.vecgrad.core.kernel.elementwise;

import dev.vecgrad.core.kernel.Kernels;
import dev.vecgrad.core.kernel.gemm.Gemm;
import dev.vecgrad.core.ops.Binary;
import dev.vecgrad.core.ops.Primitive;
import dev.vecgrad.core.ops.Primitives;
import dev.vecgrad.core.ops.Reduce;
import dev.vecgrad.core.ops.Unary;
import java.util.Arrays;

/**
 * The SIMD kernels, on the JDK's Vector API ({@code jdk.incubator.vector}) with the platform's
 * preferred species ({@code FloatVector.SPECIES_PREFERRED}, {@code DoubleVector.SPECIES_PREFERRED}).
 * {@code Engine} loads this class by name; it is tested element by element against
 * {@link ScalarKernels}.
 *
 * <h2>Operand layouts</h2>
 * Contiguous operands (stride 1) run the vector loops of {@code FloatLoops} / {@code DoubleLoops}
 * directly, with the last partial vector under a mask. A single value as the right operand of add,
 * sub, mul or div (or either operand of add and mul) runs loops of its own; any other broadcast
 * operand (stride 0) is spread into a small buffer once and the same loops run against it; a
 * unary op on a broadcast input is computed once by the reference and filled. Other strides (transposed, stepped or flipped views)
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
 *           16-lane vectors, 0.51 computed in double by {@code TanhWide} on 8-lane ones, 0.56 from
 *           the JDK's library on others]; expm1, log1p, sin, cos
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
 * on 16- and 8-lane vectors are plain FMA arithmetic and give the same bits interpreted and compiled. The
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

    /** One SIMD loop of a unary function over contiguous F32 ranges. */
    @FunctionalInterface
    private interface UnaryF32 {
        void run(float[] x, int xo, float[] y, int yo, int n);
    }

    /** One SIMD loop of a unary function over contiguous F64 ranges. */
    @FunctionalInterface
    private interface UnaryF64 {
        void run(double[] x, int xo, double[] y, int yo, int n);
    }

    /** One SIMD loop of a binary function over contiguous F32 ranges. */
    @FunctionalInterface
    private interface BinaryF32 {
        void run(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n);
    }

    /** One SIMD loop of a binary function over contiguous F64 ranges. */
    @FunctionalInterface
    private interface BinaryF64 {
        void run(double[] a, int ao, double[] b, int bo, double[] y, int yo, int n);
    }

    /*
     * The loop of each elementwise primitive, by primitive id. A function without an F64 loop (erf
     * and exact GELU: the Vector API has no F64 erf) or without any (floor, ceil and round: it has no
     * rounding operators, and they are rarely hot) runs its reference definition per element.
     */
    /** One slot per engine primitive (reading {@link Primitives#all()} first makes sure every id is assigned). */
    private static final int SLOTS = Primitives.all().stream().mapToInt(Primitive::id).max().orElse(0) + 1;
    private static final UnaryF32[] UNARY_F32 = new UnaryF32[SLOTS];
    private static final UnaryF64[] UNARY_F64 = new UnaryF64[SLOTS];
    private static final BinaryF32[] BINARY_F32 = new BinaryF32[SLOTS];
    private static final BinaryF64[] BINARY_F64 = new BinaryF64[SLOTS];

    static {
        unary(Primitives.NEG, FloatLoops::neg, DoubleLoops::neg);
        unary(Primitives.ABS, FloatLoops::abs, DoubleLoops::abs);
        unary(Primitives.SIGN, FloatMathLoops::sign, DoubleMathLoops::sign);
        unary(Primitives.EXP, FloatMathLoops::exp, DoubleMathLoops::exp);
        unary(Primitives.EXPM1, FloatLoops::expm1, DoubleLoops::expm1);
        unary(Primitives.LOG, FloatLoops::log, DoubleLoops::log);
        unary(Primitives.LOG1P, FloatLoops::log1p, DoubleLoops::log1p);
        unary(Primitives.SQRT, FloatLoops::sqrt, DoubleLoops::sqrt);
        unary(Primitives.RSQRT, FloatLoops::rsqrt, DoubleLoops::rsqrt);
        unary(Primitives.SQUARE, FloatLoops::square, DoubleLoops::square);
        unary(Primitives.RECIPROCAL, FloatLoops::reciprocal, DoubleLoops::reciprocal);
        unary(Primitives.SIN, FloatLoops::sin, DoubleLoops::sin);
        unary(Primitives.COS, FloatLoops::cos, DoubleLoops::cos);
        unary(Primitives.TANH, FloatMathLoops::tanh, DoubleMathLoops::tanh);
        unary(Primitives.SIGMOID, FloatMathLoops::sigmoid, DoubleMathLoops::sigmoid);
        unary(Primitives.RELU, FloatLoops::relu, DoubleLoops::relu);
        unary(Primitives.GELU_TANH, FloatMathLoops::geluTanh, DoubleMathLoops::geluTanh);
        unary(Primitives.GELU_ERF, FloatMathLoops::geluErf, null);
        unary(Primitives.ERF, FloatMathLoops::erf, null);
        unary(Primitives.SOFTPLUS, FloatMathLoops::softplus, DoubleMathLoops::softplus);
        binary(Primitives.ADD, FloatLoops::add, DoubleLoops::add);
        binary(Primitives.SUB, FloatLoops::sub, DoubleLoops::sub);
        binary(Primitives.MUL, FloatLoops::mul, DoubleLoops::mul);
        binary(Primitives.DIV, FloatLoops::div, DoubleLoops::div);
        binary(Primitives.POW, FloatLoops::pow, DoubleLoops::pow);
        binary(Primitives.MAXIMUM, FloatLoops::max, DoubleLoops::max);
        binary(Primitives.MINIMUM, FloatLoops::min, DoubleLoops::min);
        binary(Primitives.RELU_GRAD, FloatLoops::reluGrad, DoubleLoops::reluGrad);
        binary(Primitives.EQ, FloatLoops::eq, DoubleLoops::eq);
        binary(Primitives.NE, FloatLoops::ne, DoubleLoops::ne);
        binary(Primitives.LT, FloatLoops::lt, DoubleLoops::lt);
        binary(Primitives.LE, FloatLoops::le, DoubleLoops::le);
        binary(Primitives.GT, FloatLoops::gt, DoubleLoops::gt);
        binary(Primitives.GE, FloatLoops::ge, DoubleLoops::ge);
    }

    private static void unary(Unary op, UnaryF32 f32, UnaryF64 f64) {
        UNARY_F32[op.id()] = f32;
        UNARY_F64[op.id()] = f64;
    }

    private static void binary(Binary op, BinaryF32 f32, BinaryF64 f64) {
        BINARY_F32[op.id()] = f32;
        BINARY_F64[op.id()] = f64;
    }

    /** The loop of {@code op} from {@code table}, or null when it has none. */
    private static <T> T loop(T[] table, Primitive<?> op) {
        int id = op.id();
        return id < table.length ? table[id] : null;
    }

    private static void unaryContiguous(Unary op, float[] x, int xo, float[] y, int yo, int n) {
        UnaryF32 loop = loop(UNARY_F32, op);
        if (loop != null) {
            loop.run(x, xo, y, yo, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            y[yo + i] = (float) op.reference(x[xo + i]);
        }
    }

    private static void unaryContiguous(Unary op, double[] x, int xo, double[] y, int yo, int n) {
        UnaryF64 loop = loop(UNARY_F64, op);
        if (loop != null) {
            loop.run(x, xo, y, yo, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            y[yo + i] = op.reference(x[xo + i]);
        }
    }

    private static void binaryContiguous(Binary op, float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        BinaryF32 loop = loop(BINARY_F32, op);
        if (loop != null) {
            loop.run(a, ao, b, bo, y, yo, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            y[yo + i] = (float) op.reference(a[ao + i], b[bo + i]);
        }
    }

    private static void binaryContiguous(Binary op, double[] a, int ao, double[] b, int bo, double[] y, int yo,
            int n) {
        BinaryF64 loop = loop(BINARY_F64, op);
        if (loop != null) {
            loop.run(a, ao, b, bo, y, yo, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            y[yo + i] = op.reference(a[ao + i], b[bo + i]);
        }
    }

    /** Creates the kernels; the vector shapes are fixed by the platform. */
    public VectorKernels() {
    }

    @Override
    public String description() {
        return "vector (" + FloatLoops.S.vectorBitSize() + "-bit, " + FloatLoops.L + " f32 lanes, " + DoubleLoops.L
                + " f64 lanes, GEMM tile " + Gemm.registerTile() + ", caches " + Gemm.caches() + ")";
    }

    // ---------------------------------------------------------------------------------------
    // Unary.

    @Override
    public void unary(Unary op, float[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        KernelArgs.check(op, "input", x.length, xOff, xStride, n);
        KernelArgs.check(op, "output", y.length, yOff, 1, n);
        if (n == 0) {
            return;
        }
        if (xStride == 0) {
            Arrays.fill(y, yOff, yOff + n, (float) op.reference(x[xOff]));
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

    @Override
    public void unary(Unary op, double[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        KernelArgs.check(op, "input", x.length, xOff, xStride, n);
        KernelArgs.check(op, "output", y.length, yOff, 1, n);
        if (n == 0) {
            return;
        }
        if (xStride == 0) {
            Arrays.fill(y, yOff, yOff + n, op.reference(x[xOff]));
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

    // ---------------------------------------------------------------------------------------
    // Binary.

    @Override
    public void binary(Binary op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, float[] y, int yOff,
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
            Arrays.fill(y, yOff, yOff + n, (float) op.reference(a[aOff], b[bOff]));
            return;
        }
        if (bStride == 0 && aStride == 1 && withScalar(op, a, aOff, b[bOff], y, yOff, n)) {
            return;
        }
        if (aStride == 0 && bStride == 1 && (op == Primitives.ADD || op == Primitives.MUL)
                && withScalar(op, b, bOff, a[aOff], y, yOff, n)) {
            return; // c + b and c·b, as b + c and b·c
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

    @Override
    public void binary(Binary op, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride, double[] y,
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
            Arrays.fill(y, yOff, yOff + n, op.reference(a[aOff], b[bOff]));
            return;
        }
        if (bStride == 0 && aStride == 1 && withScalar(op, a, aOff, b[bOff], y, yOff, n)) {
            return;
        }
        if (aStride == 0 && bStride == 1 && (op == Primitives.ADD || op == Primitives.MUL)
                && withScalar(op, b, bOff, a[aOff], y, yOff, n)) {
            return; // c + b and c·b, as b + c and b·c
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

    // F64Source: F32 begin
    @Override
    public void binaryScalar(Binary op, float[] a, int aOff, float c, float[] y, int yOff, int n) {
        KernelArgs.check(op, "left operand", a.length, aOff, 1, n);
        KernelArgs.check(op, "output", y.length, yOff, 1, n);
        if (!withScalar(op, a, aOff, c, y, yOff, n)) {
            Kernels.super.binaryScalar(op, a, aOff, c, y, yOff, n);
        }
    }
    // F64Source: F32 end
    // F64Source: F64 begin (generated from the F32 section above: edit that one, then run F64Source)
    @Override
    public void binaryScalar(Binary op, double[] a, int aOff, double c, double[] y, int yOff, int n) {
        KernelArgs.check(op, "left operand", a.length, aOff, 1, n);
        KernelArgs.check(op, "output", y.length, yOff, 1, n);
        if (!withScalar(op, a, aOff, c, y, yOff, n)) {
            Kernels.super.binaryScalar(op, a, aOff, c, y, yOff, n);
        }
    }
    // F64Source: F64 end

    /** {@code y = a op c} for the arithmetic ops with a loop of their own, returning false for the others. */
    private static boolean withScalar(Binary op, float[] a, int ao, float c, float[] y, int yo, int n) {
        if (op == Primitives.MUL) {
            FloatLoops.mulScalar(a, ao, c, y, yo, n);
        } else if (op == Primitives.ADD) {
            FloatLoops.addScalar(a, ao, c, y, yo, n);
        } else if (op == Primitives.SUB) {
            FloatLoops.subScalar(a, ao, c, y, yo, n);
        } else if (op == Primitives.DIV) {
            FloatLoops.divScalar(a, ao, c, y, yo, n);
        } else {
            return false;
        }
        return true;
    }

    /** {@code y = a op c} for the arithmetic ops with a loop of their own, returning false for the others. */
    private static boolean withScalar(Binary op, double[] a, int ao, double c, double[] y, int yo, int n) {
        if (op == Primitives.MUL) {
            DoubleLoops.mulScalar(a, ao, c, y, yo, n);
        } else if (op == Primitives.ADD) {
            DoubleLoops.addScalar(a, ao, c, y, yo, n);
        } else if (op == Primitives.SUB) {
            DoubleLoops.subScalar(a, ao, c, y, yo, n);
        } else if (op == Primitives.DIV) {
            DoubleLoops.divScalar(a, ao, c, y, yo, n);
        } else {
            return false;
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------
    // Reductions and accumulation.

    @Override
    public float reduce(Reduce op, float[] x, int off, int n) {
        KernelArgs.check(op, "input", x.length, off, 1, n);
        if (op == Primitives.SUM) {
            return FloatLoops.sum(x, off, n);
        } else if (op == Primitives.PROD) {
            return FloatLoops.prod(x, off, n);
        }
        return op == Primitives.MAX ? FloatLoops.max(x, off, n) : FloatLoops.min(x, off, n);
    }

    @Override
    public double reduce(Reduce op, double[] x, int off, int n) {
        KernelArgs.check(op, "input", x.length, off, 1, n);
        if (op == Primitives.SUM) {
            return DoubleLoops.sum(x, off, n);
        } else if (op == Primitives.PROD) {
            return DoubleLoops.prod(x, off, n);
        }
        return op == Primitives.MAX ? DoubleLoops.max(x, off, n) : DoubleLoops.min(x, off, n);
    }

    @Override
    public void accumulate(Reduce op, float[] acc, int accOff, float[] x, int xOff, int n) {
        KernelArgs.check(op, "accumulator", acc.length, accOff, 1, n);
        KernelArgs.check(op, "input", x.length, xOff, 1, n);
        FloatLoops.accumulate(op, acc, accOff, x, xOff, n);
    }

    @Override
    public void accumulate(Reduce op, double[] acc, int accOff, double[] x, int xOff, int n) {
        KernelArgs.check(op, "accumulator", acc.length, accOff, 1, n);
        KernelArgs.check(op, "input", x.length, xOff, 1, n);
        DoubleLoops.accumulate(op, acc, accOff, x, xOff, n);
    }

    @Override
    public void softmaxRows(float[] x, int xOff, float[] y, int yOff, int rows, int cols) {
        KernelArgs.checkRows("softmax", "input", x.length, xOff, rows, cols);
        KernelArgs.checkRows("softmax", "output", y.length, yOff, rows, cols);
        FloatMathLoops.softmaxRows(x, xOff, y, yOff, rows, cols);
    }

    @Override
    public void softmaxRows(double[] x, int xOff, double[] y, int yOff, int rows, int cols) {
        KernelArgs.checkRows("softmax", "input", x.length, xOff, rows, cols);
        KernelArgs.checkRows("softmax", "output", y.length, yOff, rows, cols);
        DoubleMathLoops.softmaxRows(x, xOff, y, yOff, rows, cols);
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
