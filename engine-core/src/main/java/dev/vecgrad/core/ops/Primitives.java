package dev.vecgrad.core.ops;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.kernel.elementwise.MathRef;
import java.util.List;

/**
 * Every primitive of the engine, one declaration each: the elementwise and reduction families
 * are declared on one line by name and reference definition; the others by a class of their own
 * beside their entry points (for example {@link ConvOps} for convolution), which holds their
 * inference and how they run. Composite ops (log-softmax, mean, variance, clip, stack, ...) are
 * not listed: they are built from these and need no gradient rule of their own.
 *
 * <p>A primitive marked non-differentiable gives no gradient (comparisons, arg-max, one-hot,
 * rounding, max pooling's backward); a tape gives none through it rather than a wrong one.
 *
 * <p>The fused elementwise functions (sigmoid, softplus, both GELUs), {@link #SOFTMAX} and
 * {@link #RELU_GRAD} are primitives rather than composites because one pass over memory measures
 * faster than the several passes their compositions take; {@link #CONV2D_RELU} writes a
 * convolution layer's large activation once instead of twice.
 */
public final class Primitives {
    private Primitives() {
    }

    // ---- unary elementwise (UnaryOps) -------------------------------------------------------

    /** -x. */
    public static final Unary NEG = new Unary("neg", true, x -> -x, x -> -x);
    /** |x|. */
    public static final Unary ABS = new Unary("abs", true, Math::abs, Math::abs);
    /** -1, 0 or 1 (±0 and NaN stay as they are). */
    public static final Unary SIGN = new Unary("sign", false, Math::signum, Integer::signum);
    /** e^x. */
    public static final Unary EXP = new Unary("exp", true, Math::exp, null);
    /** e^x - 1. */
    public static final Unary EXPM1 = new Unary("expm1", true, Math::expm1, null);
    /** ln x. */
    public static final Unary LOG = new Unary("log", true, Math::log, null);
    /** ln(1 + x). */
    public static final Unary LOG1P = new Unary("log1p", true, Math::log1p, null);
    /** √x. */
    public static final Unary SQRT = new Unary("sqrt", true, Math::sqrt, null);
    /** 1/√x. */
    public static final Unary RSQRT = new Unary("rsqrt", true, x -> 1 / Math.sqrt(x), null);
    /** x². */
    public static final Unary SQUARE = new Unary("square", true, x -> x * x, x -> x * x);
    /** 1/x. */
    public static final Unary RECIPROCAL = new Unary("reciprocal", true, x -> 1 / x, null);
    /** sin x. */
    public static final Unary SIN = new Unary("sin", true, Math::sin, null);
    /** cos x. */
    public static final Unary COS = new Unary("cos", true, Math::cos, null);
    /** tanh x. */
    public static final Unary TANH = new Unary("tanh", true, Math::tanh, null);
    /** 1/(1 + e^-x). */
    public static final Unary SIGMOID = new Unary("sigmoid", true, MathRef::sigmoid, null);
    /** max(x, 0): NaN stays NaN, -inf and -0 give +0. */
    public static final Unary RELU = new Unary("relu", true, x -> Math.max(x, 0), null);
    /** GELU with the tanh approximation. */
    public static final Unary GELU_TANH = new Unary("gelu_tanh", true, MathRef::geluTanh, null);
    /** Exact GELU, x·Φ(x). */
    public static final Unary GELU_ERF = new Unary("gelu_erf", true, MathRef::geluErf, null);
    /** The error function. */
    public static final Unary ERF = new Unary("erf", true, MathRef::erf, null);
    /** ln(1 + e^x). */
    public static final Unary SOFTPLUS = new Unary("softplus", true, MathRef::softplus, null);
    /** ⌊x⌋. */
    public static final Unary FLOOR = new Unary("floor", false, Math::floor, null);
    /** ⌈x⌉. */
    public static final Unary CEIL = new Unary("ceil", false, Math::ceil, null);
    /** x rounded half to even. */
    public static final Unary ROUND = new Unary("round", false, Math::rint, null);

    // ---- binary elementwise with broadcasting (BinaryOps) -----------------------------------

    /** a + b. */
    public static final Binary ADD = new Binary("add", true, (a, b) -> a + b, (a, b) -> a + b);
    /** a - b. */
    public static final Binary SUB = new Binary("sub", true, (a, b) -> a - b, (a, b) -> a - b);
    /** a · b. */
    public static final Binary MUL = new Binary("mul", true, (a, b) -> a * b, (a, b) -> a * b);
    /** a / b; on I32, truncation toward zero, and division by zero is an error. */
    public static final Binary DIV = new Binary("div", true, (a, b) -> a / b, Primitives::intDiv);
    /** a^b. */
    public static final Binary POW = new Binary("pow", true, Math::pow, (a, b) -> (int) Math.pow(a, b));
    /** The larger of a and b (NaN if either is NaN). */
    public static final Binary MAXIMUM = new Binary("maximum", true, Math::max, Math::max);
    /** The smaller of a and b (NaN if either is NaN). */
    public static final Binary MINIMUM = new Binary("minimum", true, Math::min, Math::min);
    /**
     * relu's backward in one pass: {@code a} (the output's gradient) where {@code b} (relu's input)
     * is above 0, else +0 (even for a NaN or infinite a; a NaN b is not above 0).
     */
    public static final Binary RELU_GRAD = new Binary("relu_grad", true, (a, b) -> b > 0 ? a : 0,
            (a, b) -> b > 0 ? a : 0);
    /** 1 where a == b, else 0. */
    public static final Binary EQ = new Binary("eq", false, (a, b) -> a == b ? 1 : 0, (a, b) -> a == b ? 1 : 0);
    /** 1 where a != b, else 0. */
    public static final Binary NE = new Binary("ne", false, (a, b) -> a != b ? 1 : 0, (a, b) -> a != b ? 1 : 0);
    /** 1 where a &lt; b, else 0. */
    public static final Binary LT = new Binary("lt", false, (a, b) -> a < b ? 1 : 0, (a, b) -> a < b ? 1 : 0);
    /** 1 where a &lt;= b, else 0. */
    public static final Binary LE = new Binary("le", false, (a, b) -> a <= b ? 1 : 0, (a, b) -> a <= b ? 1 : 0);
    /** 1 where a &gt; b, else 0. */
    public static final Binary GT = new Binary("gt", false, (a, b) -> a > b ? 1 : 0, (a, b) -> a > b ? 1 : 0);
    /** 1 where a &gt;= b, else 0. */
    public static final Binary GE = new Binary("ge", false, (a, b) -> a >= b ? 1 : 0, (a, b) -> a >= b ? 1 : 0);
    /** {@code a} where the mask (first input, any dtype) is non-zero, else {@code b}; the three broadcast together. */
    public static final ComputePrimitive<Void> WHERE = new BinaryOps.Where();

    // ---- reductions (Reductions) -------------------------------------------------------------

    /** Sum over axes. */
    public static final Reduce SUM = new Reduce("sum", 0, (acc, x) -> acc + x, false);
    /** Maximum over axes (NaN wins); reducing no elements is an error. */
    public static final Reduce MAX = new Reduce("max", Double.NEGATIVE_INFINITY, Math::max, true);
    /** Minimum over axes (NaN wins); reducing no elements is an error. */
    public static final Reduce MIN = new Reduce("min", Double.POSITIVE_INFINITY, Math::min, true);
    /** Product over axes. */
    public static final Reduce PROD = new Reduce("prod", 1, (acc, x) -> acc * x, false);
    /** Index of the largest element along an axis (I32; first on ties, NaN counts as largest). */
    public static final ComputePrimitive<Attrs.Axis> ARGMAX = new Reductions.ArgReduce("argmax", true);
    /** Index of the smallest element along an axis (I32; first on ties, NaN counts as smallest). */
    public static final ComputePrimitive<Attrs.Axis> ARGMIN = new Reductions.ArgReduce("argmin", false);

    // ---- views and movement (ShapeOps) -------------------------------------------------------

    /** The same elements in another shape: a view of contiguous data. */
    public static final ViewPrimitive<Shape> RESHAPE = new ShapeOps.Reshape();
    /** Axes reordered: a view. */
    public static final ViewPrimitive<Attrs.Permute> PERMUTE = new ShapeOps.Permute();
    /** A strided window along every axis: a view. */
    public static final ViewPrimitive<Attrs.Slice> SLICE = new ShapeOps.Slice();
    /** A zero tensor with the input at a slice's positions: the adjoint of {@link #SLICE}. */
    public static final ComputePrimitive<Attrs.Unslice> UNSLICE = new ShapeOps.Unslice();
    /** Broadcast to a shape: a view with stride-0 axes. */
    public static final ViewPrimitive<Shape> BROADCAST_TO = new ShapeOps.BroadcastTo();
    /** A contiguous copy. */
    public static final ComputePrimitive<Void> COPY = new ShapeOps.Copy();
    /** Tensors joined along an axis. */
    public static final ComputePrimitive<Attrs.Axis> CONCAT = new ShapeOps.Concat();
    /** Constant padding. */
    public static final ComputePrimitive<Attrs.Pad> PAD = new ShapeOps.Pad();
    /** Conversion to another dtype. */
    public static final ComputePrimitive<Attrs.Cast> CAST = new ShapeOps.Cast();

    // ---- indexing (IndexOps) -----------------------------------------------------------------

    /** Elements at I32 indices along an axis (NumPy's take). */
    public static final ComputePrimitive<Attrs.Axis> GATHER = new IndexOps.Gather();
    /** Slices added at I32 indices of a zero tensor: the adjoint of {@link #GATHER}. */
    public static final ComputePrimitive<Attrs.ScatterAdd> SCATTER_ADD = new IndexOps.ScatterAdd();
    /** F32 one-hot rows of I32 indices. */
    public static final ComputePrimitive<Attrs.OneHot> ONE_HOT = new IndexOps.OneHot();

    // ---- linear algebra (LinalgOps) ----------------------------------------------------------

    /** Matrix product over the last two axes, either operand optionally transposed. */
    public static final ComputePrimitive<Attrs.Matmul> MATMUL = new LinalgOps.Matmul();

    // ---- neural-network functions (NNOps) ---------------------------------------------------

    /**
     * exp(x - max) / Σ exp(x - max) along an axis, in one pass per row: a primitive with its own
     * rule rather than a composite of five ops and as many passes over memory.
     */
    public static final ComputePrimitive<Attrs.Axis> SOFTMAX = new NNOps.Softmax();
    /**
     * Attention's softmax over the last axis of scale·x where a broadcast mask allows, 0 elsewhere:
     * one pass per row instead of a scale, a masking add, the softmax and a masking product.
     */
    public static final ComputePrimitive<Attrs.Scaled> MASKED_SOFTMAX = new NNOps.MaskedSoftmax();
    /** scale·y·(g - Σ g·y) over the last axis: the gradient of {@link #MASKED_SOFTMAX}, in one pass per row. */
    public static final ComputePrimitive<Attrs.Scaled> SOFTMAX_BACKWARD = new NNOps.SoftmaxBackward();
    /** (x - mean) / sqrt(var + ε) over the last axis: layer normalisation in one op instead of eight. */
    public static final ComputePrimitive<Attrs.Epsilon> NORMALIZE = new NNOps.Normalize();
    /** The gradient of {@link #NORMALIZE} with respect to its input, in one op. */
    public static final ComputePrimitive<Attrs.Epsilon> NORMALIZE_BACKWARD = new NNOps.NormalizeBackward();

    // ---- convolution and pooling, channels-last (ConvOps) ------------------------------------
    // The backward computations are primitives of their own so that gradients can be
    // differentiated again; max pooling's backward is not differentiable (its second derivative
    // through the arg-max routing is zero almost everywhere).

    /** 2-D convolution with an optional bias. */
    public static final ComputePrimitive<Attrs.Conv2d> CONV2D = new ConvOps.Conv2d("conv2d", false);
    /** relu(conv2d(x, w) + b) in one pass over the output. */
    public static final ComputePrimitive<Attrs.Conv2d> CONV2D_RELU = new ConvOps.Conv2d("conv2d_relu", true);
    /** The gradient of conv2d with respect to its input. */
    public static final ComputePrimitive<Attrs.Conv2dBackwardInput> CONV2D_BACKWARD_INPUT =
            new ConvOps.Conv2dBackwardInput();
    /** The gradient of conv2d with respect to its filter. */
    public static final ComputePrimitive<Attrs.Conv2dBackwardFilter> CONV2D_BACKWARD_FILTER =
            new ConvOps.Conv2dBackwardFilter();
    /** 2-D max pooling. */
    public static final ComputePrimitive<Attrs.Pool2d> MAX_POOL2D = new ConvOps.Pool2d("max_pool2d", true);
    /** The gradient of max pooling. */
    public static final ComputePrimitive<Attrs.Pool2d> MAX_POOL2D_BACKWARD = new ConvOps.MaxPool2dBackward();
    /** 2-D average pooling over the real elements of each window. */
    public static final ComputePrimitive<Attrs.Pool2d> AVG_POOL2D = new ConvOps.Pool2d("avg_pool2d", false);
    /** The gradient of average pooling. */
    public static final ComputePrimitive<Attrs.Pool2dBackward> AVG_POOL2D_BACKWARD = new ConvOps.AvgPool2dBackward();

    // ---- recurrences over a whole sequence (RecurrentOps) ----------------------------------------
    // One op per sequence, so that the recurrent kernel's gradient is one product over all steps
    // rather than a sum of one per step.

    /** The LSTM recurrence over a sequence, given the input projections and the recurrent kernel. */
    public static final ComputePrimitive<Void> LSTM_SEQUENCE = new RecurrentOps.LstmSequence();

    private static final List<Primitive<?>> ALL = List.of(
            NEG, ABS, SIGN, EXP, EXPM1, LOG, LOG1P, SQRT, RSQRT, SQUARE, RECIPROCAL, SIN, COS, TANH, SIGMOID, RELU,
            GELU_TANH, GELU_ERF, ERF, SOFTPLUS, FLOOR, CEIL, ROUND,
            ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, RELU_GRAD, EQ, NE, LT, LE, GT, GE, WHERE,
            SUM, MAX, MIN, PROD, ARGMAX, ARGMIN,
            RESHAPE, PERMUTE, SLICE, UNSLICE, BROADCAST_TO, COPY, CONCAT, PAD, CAST,
            GATHER, SCATTER_ADD, ONE_HOT,
            MATMUL,
            SOFTMAX, MASKED_SOFTMAX, SOFTMAX_BACKWARD, NORMALIZE, NORMALIZE_BACKWARD,
            CONV2D, CONV2D_RELU, CONV2D_BACKWARD_INPUT, CONV2D_BACKWARD_FILTER,
            MAX_POOL2D, MAX_POOL2D_BACKWARD, AVG_POOL2D, AVG_POOL2D_BACKWARD,
            LSTM_SEQUENCE);

    /** Every primitive above, in declaration order (for completeness checks and documentation). */
    public static List<Primitive<?>> all() {
        return ALL;
    }

    private static int intDiv(int a, int b) {
        if (b == 0) {
            throw new ArithmeticException("div: integer division by zero (I32 operands)");
        }
        return a / b;
    }
}
