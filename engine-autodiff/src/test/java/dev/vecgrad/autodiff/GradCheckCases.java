package dev.vecgrad.autodiff;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.Attrs;
import dev.vecgrad.core.ops.BinaryOps;
import dev.vecgrad.core.ops.ConvOps;
import dev.vecgrad.core.ops.IndexOps;
import dev.vecgrad.core.ops.LinalgOps;
import dev.vecgrad.core.ops.NNOps;
import dev.vecgrad.core.ops.Primitive;
import dev.vecgrad.core.ops.Primitives;
import dev.vecgrad.core.ops.Padding;
import dev.vecgrad.core.ops.RecurrentOps;
import dev.vecgrad.core.ops.ShapeOps;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The gradient-check cases, keyed by the primitive each one exercises. The completeness test
 * requires a case for every differentiable {@link Primitive}; each case's function must run its op.
 */
final class GradCheckCases {
    private GradCheckCases() {
    }

    /** One check: a function of F64 tensors (and I32 indices) at fixed inputs. */
    record Case(Primitive<?> op, String name, Function<List<Tensor>, Tensor> f, double eps, List<Tensor> inputs) {
        @Override
        public String toString() {
            return op.name() + ": " + name;
        }
    }

    /** Unary ops with the domain their inputs are drawn from. */
    static final Map<Primitive<?>, UnaryOperator<Tensor>> UNARY = new LinkedHashMap<>();
    /** Unary ops whose inputs must be positive. */
    static final List<Primitive<?>> POSITIVE_DOMAIN = List.of(Primitives.LOG, Primitives.LOG1P, Primitives.SQRT, Primitives.RSQRT, Primitives.RECIPROCAL);

    static {
        UNARY.put(Primitives.NEG, Tensor::neg);
        UNARY.put(Primitives.ABS, Tensor::abs);
        UNARY.put(Primitives.EXP, Tensor::exp);
        UNARY.put(Primitives.EXPM1, Tensor::expm1);
        UNARY.put(Primitives.LOG, Tensor::log);
        UNARY.put(Primitives.LOG1P, Tensor::log1p);
        UNARY.put(Primitives.SQRT, Tensor::sqrt);
        UNARY.put(Primitives.RSQRT, Tensor::rsqrt);
        UNARY.put(Primitives.SQUARE, Tensor::square);
        UNARY.put(Primitives.RECIPROCAL, Tensor::reciprocal);
        UNARY.put(Primitives.SIN, Tensor::sin);
        UNARY.put(Primitives.COS, Tensor::cos);
        UNARY.put(Primitives.TANH, Tensor::tanh);
        UNARY.put(Primitives.SIGMOID, Tensor::sigmoid);
        UNARY.put(Primitives.RELU, Tensor::relu);
        UNARY.put(Primitives.GELU_TANH, t -> t.gelu(true));
        UNARY.put(Primitives.GELU_ERF, t -> t.gelu(false));
        UNARY.put(Primitives.ERF, Tensor::erf);
        UNARY.put(Primitives.SOFTPLUS, Tensor::softplus);
    }

    /** Binary ops as functions of two tensors. */
    static final Map<Primitive<?>, java.util.function.BinaryOperator<Tensor>> BINARY = new LinkedHashMap<>();

    static {
        BINARY.put(Primitives.ADD, Tensor::add);
        BINARY.put(Primitives.SUB, Tensor::sub);
        BINARY.put(Primitives.MUL, Tensor::mul);
        BINARY.put(Primitives.DIV, Tensor::div);
        BINARY.put(Primitives.POW, Tensor::pow);
        BINARY.put(Primitives.MAXIMUM, Tensor::maximum);
        BINARY.put(Primitives.MINIMUM, Tensor::minimum);
        BINARY.put(Primitives.RELU_GRAD, BinaryOps::reluGradient);
    }

    static Map<Primitive<?>, List<Case>> all() {
        Map<Primitive<?>, List<Case>> m = new LinkedHashMap<>();
        unary(m);
        binary(m);
        reductions(m);
        shapes(m);
        indexing(m);
        linalg(m);
        attention(m);
        normalization(m);
        conv(m);
        recurrent(m);
        return m;
    }

    /** Every case in one list, for parameterized tests. */
    static List<Case> list() {
        List<Case> out = new ArrayList<>();
        all().values().forEach(out::addAll);
        return out;
    }

    // ---- inputs --------------------------------------------------------------------------

    /** Standard normal F64 values, with magnitudes pushed to at least 0.2 so no input sits on a kink. */
    static Tensor normal(long seed, int... dims) {
        Rng rng = new Rng(seed);
        double[] v = new double[Shape.of(dims).size()];
        for (int i = 0; i < v.length; i++) {
            double g = rng.nextGaussian();
            v[i] = Math.copySign(Math.abs(g) + 0.2, g);
        }
        return Tensor.of(v, dims);
    }

    /** Uniform F64 values in [0.5, 2). */
    static Tensor positive(long seed, int... dims) {
        Rng rng = new Rng(seed);
        double[] v = new double[Shape.of(dims).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.5 + 1.5 * rng.nextDouble();
        }
        return Tensor.of(v, dims);
    }

    /** Input for a unary op: positive where the op needs it. */
    static Tensor unaryInput(Primitive<?> op, long seed, int... dims) {
        return POSITIVE_DOMAIN.contains(op) ? positive(seed, dims) : normal(seed, dims);
    }

    private static Tensor pick(boolean positive, long seed, int... dims) {
        return positive ? positive(seed, dims) : normal(seed, dims);
    }

    private static void add(Map<Primitive<?>, List<Case>> m, Primitive<?> op, String name, Function<List<Tensor>, Tensor> f,
            Tensor... inputs) {
        add(m, op, name, GradCheck.DEFAULT_EPS, f, inputs);
    }

    private static void add(Map<Primitive<?>, List<Case>> m, Primitive<?> op, String name, double eps, Function<List<Tensor>, Tensor> f,
            Tensor... inputs) {
        m.computeIfAbsent(op, k -> new ArrayList<>()).add(new Case(op, name, f, eps, List.of(inputs)));
    }

    // ---- families ------------------------------------------------------------------------

    private static void unary(Map<Primitive<?>, List<Case>> m) {
        for (Map.Entry<Primitive<?>, UnaryOperator<Tensor>> e : UNARY.entrySet()) {
            Primitive<?> op = e.getKey();
            UnaryOperator<Tensor> f = e.getValue();
            add(m, op, "(3, 4)", in -> f.apply(in.get(0)), unaryInput(op, 11, 3, 4));
            add(m, op, "transposed view (4, 3)ᵀ", in -> f.apply(in.get(0).transpose()), unaryInput(op, 12, 4, 3));
            add(m, op, "scalar", in -> f.apply(in.get(0)), unaryInput(op, 13));
        }
        // The NN composites, whose max shift core takes with recording paused.
        add(m, Primitives.SOFTMAX, "softmax along axis -1", in -> in.get(0).softmax(-1), normal(14, 3, 4));
        add(m, Primitives.SOFTMAX, "softmax along axis 0 of large logits", in -> in.get(0).mul(50).softmax(0),
                normal(15, 3, 4));
        add(m, Primitives.SOFTMAX, "softmax along the middle axis of a transposed view",
                in -> in.get(0).transpose(0, 2).softmax(1), normal(17, 2, 3, 4));
        add(m, Primitives.LOG, "logSoftmax along axis 1", in -> in.get(0).logSoftmax(1), normal(16, 2, 5));
        add(m, Primitives.LOG, "logSumExp over axes (0, 2)", in -> in.get(0).logSumExp(new int[] {0, 2}, false),
                normal(17, 2, 3, 2));
        add(m, Primitives.LOG, "logSumExp keepdims", in -> in.get(0).logSumExp(new int[] {-1}, true), normal(18, 3, 4));
    }

    private static void binary(Map<Primitive<?>, List<Case>> m) {
        for (Map.Entry<Primitive<?>, java.util.function.BinaryOperator<Tensor>> e : BINARY.entrySet()) {
            Primitive<?> op = e.getKey();
            java.util.function.BinaryOperator<Tensor> f = e.getValue();
            boolean positiveA = op == Primitives.POW;
            boolean positiveB = op == Primitives.DIV;
            add(m, op, "(3, 4) and (3, 4)", in -> f.apply(in.get(0), in.get(1)),
                    pick(positiveA, 21, 3, 4), pick(positiveB, 22, 3, 4));
            add(m, op, "(3, 4) and (4,) broadcast", in -> f.apply(in.get(0), in.get(1)),
                    pick(positiveA, 23, 3, 4), pick(positiveB, 24, 4));
            add(m, op, "(3, 1) and (1, 4) broadcast both ways", in -> f.apply(in.get(0), in.get(1)),
                    pick(positiveA, 25, 3, 1), pick(positiveB, 26, 1, 4));
            add(m, op, "scalar and (2, 3)", in -> f.apply(in.get(0), in.get(1)),
                    pick(positiveA, 27), pick(positiveB, 28, 2, 3));
            add(m, op, "strided slice and transposed view", in -> f.apply(in.get(0).slice(1, 0, 6, 2),
                    in.get(1).transpose()), pick(positiveA, 29, 4, 6), pick(positiveB, 30, 3, 4));
        }
        add(m, Primitives.MUL, "x·x, one tensor used twice", in -> in.get(0).mul(in.get(0)), normal(31, 5));
        add(m, Primitives.POW, "negative base, integer exponent (d/da only)",
                in -> in.get(0).pow(in.get(0).scalarLike(3)), normal(32, 5));
        add(m, Primitives.WHERE, "mask (3, 1), a (3, 4), b (4,)",
                in -> Tensor.where(in.get(0), in.get(1), in.get(2)),
                Tensor.of(new int[] {1, 0, 1}, 3, 1), normal(33, 3, 4), normal(34, 4));
        add(m, Primitives.WHERE, "mask from a comparison of the inputs",
                in -> Tensor.where(in.get(0).gt(in.get(1)), in.get(0).square(), in.get(1).mul(3)),
                normal(35, 2, 5), normal(36, 2, 5));
        add(m, Primitives.MAXIMUM, "clip (maximum then minimum)", in -> in.get(0).clip(-0.5, 0.5), normal(37, 10));
    }

    private static void reductions(Map<Primitive<?>, List<Case>> m) {
        add(m, Primitives.SUM, "all axes", in -> in.get(0).sum(), normal(41, 3, 4));
        add(m, Primitives.SUM, "axis 1", in -> in.get(0).sum(new int[] {1}, false), normal(42, 3, 4));
        add(m, Primitives.SUM, "axis -1 keepdims", in -> in.get(0).sum(new int[] {-1}, true), normal(43, 3, 4));
        add(m, Primitives.SUM, "axes (0, 2) of (2, 3, 4)", in -> in.get(0).sum(new int[] {0, 2}, false), normal(44, 2, 3, 4));
        add(m, Primitives.SUM, "mean over axis 0 keepdims", in -> in.get(0).mean(new int[] {0}, true), normal(45, 3, 4));
        add(m, Primitives.SUM, "variance over axis -1", in -> in.get(0).variance(new int[] {-1}, false), normal(46, 3, 5));
        add(m, Primitives.SUM, "of a strided view", in -> in.get(0).slice(0, 3, 0, -1).sum(new int[] {0}, false),
                normal(47, 5, 2));
        for (Primitive<?> op : List.of(Primitives.MAX, Primitives.MIN)) {
            boolean max = op == Primitives.MAX;
            add(m, op, "all axes", in -> max ? in.get(0).max() : in.get(0).min(), normal(51, 3, 4));
            add(m, op, "axis -2 keepdims", in -> max ? in.get(0).max(new int[] {-2}, true)
                    : in.get(0).min(new int[] {-2}, true), normal(52, 3, 4));
            add(m, op, "axes (0, 2)", in -> max ? in.get(0).max(new int[] {0, 2}, false)
                    : in.get(0).min(new int[] {0, 2}, false), normal(53, 2, 3, 2));
        }
        add(m, Primitives.PROD, "axis 1", in -> in.get(0).prod(new int[] {1}, false), normal(61, 3, 4));
        add(m, Primitives.PROD, "all, keepdims", in -> in.get(0).prod(null, true), normal(62, 2, 3));
        add(m, Primitives.PROD, "one zero in a row", in -> in.get(0).prod(new int[] {-1}, false),
                Tensor.of(new double[] {1.5, 0, -2, 0.7, 0.3, 1.2}, 2, 3));
        add(m, Primitives.PROD, "two zeros in a row", in -> in.get(0).prod(new int[] {-1}, false),
                Tensor.of(new double[] {0, 0, -2, 0.7, 0.3, 1.2}, 2, 3));
    }

    private static void shapes(Map<Primitive<?>, List<Case>> m) {
        add(m, Primitives.RESHAPE, "(3, 4) to (2, 6)", in -> in.get(0).reshape(2, 6).mul(in.get(0).reshape(2, 6)),
                normal(71, 3, 4));
        add(m, Primitives.RESHAPE, "a non-contiguous view to (-1,)", in -> in.get(0).transpose().reshape(-1), normal(72, 3, 4));
        add(m, Primitives.PERMUTE, "(2, 3, 4) by (2, 0, 1)", in -> in.get(0).permute(2, 0, 1).mul(positive(73, 4, 2, 3)),
                normal(74, 2, 3, 4));
        add(m, Primitives.PERMUTE, "squeeze and unsqueeze around a transpose",
                in -> in.get(0).unsqueeze(0).transpose(1, 2).squeeze(0).exp(), normal(75, 2, 3));
        add(m, Primitives.SLICE, "step 2 on axis 1", in -> in.get(0).slice(1, 1, 5, 2).square(), normal(76, 3, 5));
        add(m, Primitives.SLICE, "a row range (rows)", in -> in.get(0).rows(1, 3).square(), normal(196, 4, 3));
        add(m, Primitives.SLICE, "negative step (flip)", in -> in.get(0).flip(0).mul(positive(77, 4, 2)), normal(78, 4, 2));
        add(m, Primitives.SLICE, "split into pieces", in -> {
            List<Tensor> parts = ShapeOps.split(in.get(0), new int[] {1, 3}, -1);
            return parts.get(0).mul(parts.get(1).sum(new int[] {-1}, true));
        }, normal(79, 2, 4));
        add(m, Primitives.UNSLICE, "(2, 2) into (4, 3)", in -> ShapeOps.unslice(in.get(0),
                new Attrs.Unslice(Shape.of(4, 3), new Attrs.Slice(new int[] {1, 0}, new int[] {4, 3}, new int[] {2, 2})))
                .mul(positive(80, 4, 3)), normal(81, 2, 2));
        add(m, Primitives.BROADCAST_TO, "(3, 1) to (2, 3, 4)", in -> in.get(0).broadcastTo(2, 3, 4).mul(normal(82, 2, 3, 4)),
                normal(83, 3, 1));
        add(m, Primitives.BROADCAST_TO, "tile and repeat", in -> in.get(0).tile(2, 1).add(in.get(0).repeat(2, 0)).square(),
                normal(84, 2, 3));
        add(m, Primitives.COPY, "contiguous copy of a transposed view", in -> in.get(0).transpose().contiguousCopy().square(),
                normal(85, 3, 2));
        add(m, Primitives.CONCAT, "three pieces along axis -1",
                in -> ShapeOps.concat(List.of(in.get(0), in.get(1).exp(), in.get(2)), -1).square(),
                normal(86, 2, 1), normal(87, 2, 3), normal(88, 2, 2));
        add(m, Primitives.CONCAT, "stack along a new axis", in -> ShapeOps.stack(List.of(in.get(0), in.get(1)), 1).square(),
                normal(89, 2, 3), normal(90, 2, 3));
        add(m, Primitives.PAD, "(1, 2) and (0, 1) around (2, 3)",
                in -> in.get(0).pad(new int[] {1, 0}, new int[] {2, 1}, 0.5).mul(normal(91, 5, 4)), normal(92, 2, 3));
        add(m, Primitives.CAST, "f64 -> f32 -> f64", 1e-2, in -> in.get(0).cast(DType.F32).square().cast(DType.F64),
                normal(93, 2, 3));
    }

    private static void indexing(Map<Primitive<?>, List<Case>> m) {
        add(m, Primitives.GATHER, "rows with a repeated index", in -> in.get(0).gather(in.get(1), 0).square(),
                normal(101, 4, 3), Tensor.of(new int[] {2, 0, 2, -1}));
        add(m, Primitives.GATHER, "2-D indices along axis -1", in -> in.get(0).gather(in.get(1), -1).mul(normal(102, 2, 2, 2)),
                normal(103, 2, 3), Tensor.of(new int[] {0, 2, 1, 1}, 2, 2));
        add(m, Primitives.SCATTER_ADD, "into (4, 2) along axis 0 with repeats",
                in -> IndexOps.scatterAdd(in.get(0), in.get(1), 0, Shape.of(4, 2)).mul(normal(104, 4, 2)),
                normal(105, 3, 2), Tensor.of(new int[] {1, 3, 1}));
    }

    private static void linalg(Map<Primitive<?>, List<Case>> m) {
        add(m, Primitives.MATMUL, "(3, 4)·(4, 5)", in -> in.get(0).matmul(in.get(1)), normal(111, 3, 4), normal(112, 4, 5));
        add(m, Primitives.MATMUL, "(3, 4)·(5, 4)ᵀ", in -> in.get(0).matmul(in.get(1), false, true), normal(113, 3, 4),
                normal(114, 5, 4));
        add(m, Primitives.MATMUL, "(4, 3)ᵀ·(4, 5)", in -> in.get(0).matmul(in.get(1), true, false), normal(115, 4, 3),
                normal(116, 4, 5));
        add(m, Primitives.MATMUL, "(4, 3)ᵀ·(5, 4)ᵀ", in -> in.get(0).matmul(in.get(1), true, true), normal(117, 4, 3),
                normal(118, 5, 4));
        add(m, Primitives.MATMUL, "batched (2, 3, 4)·(2, 4, 5)", in -> in.get(0).matmul(in.get(1)), normal(119, 2, 3, 4),
                normal(120, 2, 4, 5));
        add(m, Primitives.MATMUL, "batch broadcast (2, 3, 4)·(4, 5)", in -> in.get(0).matmul(in.get(1)), normal(121, 2, 3, 4),
                normal(122, 4, 5));
        add(m, Primitives.MATMUL, "batch broadcast (1, 3, 4)ᵀ·(2, 3, 5) transposed", in -> LinalgOps.matmul(in.get(0),
                in.get(1), true, false), normal(123, 1, 3, 4), normal(124, 2, 3, 5));
        add(m, Primitives.MATMUL, "transposed views as operands", in -> in.get(0).transpose().matmul(in.get(1).transpose()),
                normal(125, 4, 3), normal(126, 5, 4));
        add(m, Primitives.MATMUL, "a column-sliced operand", in -> in.get(0).slice(1, 0, 8, 2).matmul(in.get(1)),
                normal(127, 3, 8), normal(128, 4, 2));
        add(m, Primitives.MATMUL, "a batch-transposed view · a broadcast (5, 4)ᵀ", in -> in.get(0).transpose(0, 1)
                .matmul(in.get(1), false, true), normal(129, 2, 3, 4), normal(130, 5, 4));
        add(m, Primitives.MATMUL, "(2, 4, 3)ᵀ · a broadcast (1, 4, 5)", in -> LinalgOps.matmul(in.get(0), in.get(1), true,
                false), normal(181, 2, 4, 3), normal(182, 1, 4, 5));
    }

    private static void normalization(Map<Primitive<?>, List<Case>> m) {
        add(m, Primitives.NORMALIZE, "(3, 7), epsilon 1e-3", in -> NNOps.normalize(in.get(0), 1e-3), normal(190, 3, 7));
        add(m, Primitives.NORMALIZE, "a transposed (2, 5, 4) view, epsilon 0", in -> NNOps.normalize(
                in.get(0).transpose(1, 2), 0), normal(191, 2, 4, 5));
        add(m, Primitives.NORMALIZE_BACKWARD, "(3, 6)", in -> NNOps.normalizeBackward(in.get(0), in.get(1), 1e-2),
                normal(192, 3, 6), normal(193, 3, 6));
        add(m, Primitives.NORMALIZE_BACKWARD, "(2, 2, 5), g a transposed view", in -> NNOps.normalizeBackward(in.get(0),
                in.get(1).transpose(1, 2), 0.1), normal(194, 2, 2, 5), normal(195, 2, 5, 2));
    }

    private static void attention(Map<Primitive<?>, List<Case>> m) {
        double[] causal = new double[16];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j <= i; j++) {
                causal[i * 4 + j] = 1;
            }
        }
        Tensor lower = Tensor.of(causal, 1, 1, 4, 4);
        add(m, Primitives.MASKED_SOFTMAX, "causal (1, 1, 4, 4) mask over (2, 2, 4, 4), scale 0.5",
                in -> NNOps.maskedSoftmax(in.get(0), lower, 0.5), normal(183, 2, 2, 4, 4));
        Tensor keys = Tensor.of(new double[] {1, 0, 1, 1, 0, 0, 0, 0}, 2, 1, 4);
        add(m, Primitives.MASKED_SOFTMAX, "a transposed input, a batch entry with nothing allowed",
                in -> NNOps.maskedSoftmax(in.get(0).transpose(0, 2), keys, 1.0), normal(184, 4, 3, 2));
        add(m, Primitives.MASKED_SOFTMAX, "no mask, scale 1.5", in -> NNOps.maskedSoftmax(in.get(0), null, 1.5),
                normal(185, 3, 5));
        add(m, Primitives.SOFTMAX_BACKWARD, "(2, 3, 5) at scale 0.7", in -> NNOps.softmaxBackward(in.get(0), in.get(1),
                0.7), normal(186, 2, 3, 5), normal(187, 2, 3, 5));
        add(m, Primitives.SOFTMAX_BACKWARD, "of a softmax's output, g a transposed view", in -> NNOps.softmaxBackward(
                in.get(0).softmax(-1), in.get(1).transpose(), 1.0), normal(188, 4, 6), normal(189, 6, 4));
    }

    private static void recurrent(Map<Primitive<?>, List<Case>> m) {
        // Three steps, a batch of two, two units; every part of the packed output is weighed.
        add(m, Primitives.LSTM_SEQUENCE, "(3, 2, 8) with a (2, 8) kernel", in -> RecurrentOps.lstmSequence(in.get(0),
                in.get(1), in.get(2), in.get(3), null), normal(161, 3, 2, 8), normal(162, 2, 8), normal(163, 2, 2),
                normal(164, 2, 2));
        Tensor mask = Tensor.of(new double[] {1, 1, 0, 1, 1, 0}, 3, 2, 1);
        add(m, Primitives.LSTM_SEQUENCE, "masked steps", in -> RecurrentOps.lstmSequence(in.get(0), in.get(1), in.get(2),
                in.get(3), mask), normal(165, 3, 2, 8), normal(166, 2, 8), normal(167, 2, 2), normal(168, 2, 2));
        add(m, Primitives.LSTM_SEQUENCE, "one step, hidden states only", in -> RecurrentOps.lstmSequence(in.get(0), in.get(1),
                in.get(2), in.get(3), null).slice(2, 0, 3), normal(169, 1, 2, 12), normal(170, 3, 12),
                normal(171, 2, 3), normal(172, 2, 3));
    }

    private static void conv(Map<Primitive<?>, List<Case>> m) {
        Attrs.Conv2d valid = new Attrs.Conv2d(1, 1, 1, 1, Padding.VALID);
        Attrs.Conv2d sameStrided = new Attrs.Conv2d(2, 2, 1, 1, Padding.SAME);
        Attrs.Conv2d dilated = new Attrs.Conv2d(1, 2, 2, 1, Padding.SAME);
        add(m, Primitives.CONV2D, "VALID, stride 1, (2, 5, 4, 3) * (3, 2, 3, 2)", in -> ConvOps.conv2d(in.get(0), in.get(1), valid),
                normal(131, 2, 5, 4, 3), normal(132, 3, 2, 3, 2));
        add(m, Primitives.CONV2D, "SAME, stride 2", in -> ConvOps.conv2d(in.get(0), in.get(1), sameStrided),
                normal(133, 1, 5, 6, 2), normal(134, 3, 3, 2, 3));
        add(m, Primitives.CONV2D, "SAME, dilation (2, 1), stride (1, 2)", in -> ConvOps.conv2d(in.get(0), in.get(1), dilated),
                normal(135, 1, 6, 5, 2), normal(136, 2, 3, 2, 2));
        add(m, Primitives.CONV2D, "SAME, stride 2, with a bias", in -> ConvOps.conv2d(in.get(0), in.get(1), in.get(2),
                sameStrided), normal(147, 2, 5, 6, 2), normal(148, 3, 3, 2, 3), normal(149, 3));
        add(m, Primitives.CONV2D, "a strided view of a bias", in -> ConvOps.conv2d(in.get(0), in.get(1),
                in.get(2).slice(0, 1, 6, 2), valid), normal(150, 1, 4, 3, 2), normal(151, 2, 2, 2, 3), normal(152, 6));
        add(m, Primitives.CONV2D_RELU, "SAME, stride 2, with a bias", in -> ConvOps.conv2dRelu(in.get(0), in.get(1),
                in.get(2), sameStrided), normal(153, 2, 5, 6, 2), normal(154, 3, 3, 2, 3), normal(155, 3));
        add(m, Primitives.CONV2D_RELU, "VALID, no bias", in -> ConvOps.conv2dRelu(in.get(0), in.get(1), null, valid),
                normal(156, 1, 5, 4, 3), normal(157, 3, 2, 3, 4));
        add(m, Primitives.CONV2D, "a permuted (non-contiguous) input", in -> ConvOps.conv2d(in.get(0).permute(0, 2, 1, 3),
                in.get(1), valid), normal(137, 1, 4, 5, 2), normal(138, 2, 2, 2, 1));
        add(m, Primitives.CONV2D_BACKWARD_INPUT, "SAME, stride 2 into (1, 5, 6, 2)", in -> ConvOps.conv2dBackwardInput(in.get(0),
                in.get(1), new Attrs.Conv2dBackwardInput(sameStrided, Shape.of(1, 5, 6, 2))),
                normal(139, 1, 3, 3, 3), normal(140, 3, 3, 2, 3));
        add(m, Primitives.CONV2D_BACKWARD_INPUT, "VALID into (2, 4, 4, 1)", in -> ConvOps.conv2dBackwardInput(in.get(0),
                in.get(1), new Attrs.Conv2dBackwardInput(valid, Shape.of(2, 4, 4, 1))),
                normal(141, 2, 3, 2, 2), normal(142, 2, 3, 1, 2));
        add(m, Primitives.CONV2D_BACKWARD_FILTER, "SAME, stride 2, filter (3, 3, 2, 3)", in -> ConvOps.conv2dBackwardFilter(
                in.get(0), in.get(1), new Attrs.Conv2dBackwardFilter(sameStrided, Shape.of(3, 3, 2, 3))),
                normal(143, 1, 5, 6, 2), normal(144, 1, 3, 3, 3));
        add(m, Primitives.CONV2D_BACKWARD_FILTER, "dilated, filter (2, 3, 2, 2)", in -> ConvOps.conv2dBackwardFilter(
                in.get(0), in.get(1), new Attrs.Conv2dBackwardFilter(dilated, Shape.of(2, 3, 2, 2))),
                normal(145, 1, 6, 5, 2), normal(146, 1, 6, 3, 2));
        Attrs.Pool2d pool2 = new Attrs.Pool2d(2, 2, 2, 2, Padding.VALID);
        Attrs.Pool2d overlapping = new Attrs.Pool2d(3, 3, 2, 2, Padding.SAME);
        add(m, Primitives.MAX_POOL2D, "2x2, stride 2, VALID", in -> ConvOps.maxPool2d(in.get(0), pool2), normal(151, 2, 4, 6, 3));
        add(m, Primitives.MAX_POOL2D, "3x3, stride 2, SAME (overlapping windows)", in -> ConvOps.maxPool2d(in.get(0), overlapping),
                normal(152, 1, 5, 5, 2));
        add(m, Primitives.AVG_POOL2D, "2x2, stride 2, VALID", in -> ConvOps.avgPool2d(in.get(0), pool2), normal(153, 2, 4, 6, 3));
        add(m, Primitives.AVG_POOL2D, "3x3, stride 2, SAME (edge windows count real elements)",
                in -> ConvOps.avgPool2d(in.get(0), overlapping), normal(154, 1, 5, 5, 2));
        add(m, Primitives.AVG_POOL2D_BACKWARD, "3x3, stride 2, SAME into (1, 5, 5, 2)", in -> ConvOps.avgPool2dBackward(in.get(0),
                new Attrs.Pool2dBackward(overlapping, Shape.of(1, 5, 5, 2))), normal(155, 1, 3, 3, 2));
    }
}
