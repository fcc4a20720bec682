package dev.vecgrad.core.ops;

/**
 * The identity of every primitive op: the key that recorders (the autodiff tape) and the gradient
 * registry use. Composite ops such as softmax are not listed: they are built from these and need no
 * rule of their own.
 *
 * <p>{@link #differentiable()} is false for ops whose output carries no gradient (comparisons,
 * arg-max, one-hot, integer results); a tape gives no gradient through them rather than a wrong one.
 */
public enum Op {
    // Unary elementwise math (UnaryOps).
    NEG, ABS, SIGN(false), EXP, EXPM1, LOG, LOG1P, SQRT, RSQRT, SQUARE, RECIPROCAL, SIN, COS, TANH,
    SIGMOID, RELU, GELU_TANH, GELU_ERF, ERF, SOFTPLUS, FLOOR(false), CEIL(false), ROUND(false),
    // Binary elementwise math with broadcasting (BinaryOps). RELU_GRAD is relu's backward,
    // g where x > 0 else 0, in one pass instead of a mask and a product.
    ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, RELU_GRAD,
    // Comparisons give a 0/1 mask of the inputs' dtype (BinaryOps).
    EQ(false), NE(false), LT(false), LE(false), GT(false), GE(false),
    // where(mask, a, b) (BinaryOps).
    WHERE,
    // Reductions over a set of axes (Reductions).
    SUM, MAX, MIN, PROD, ARGMAX(false), ARGMIN(false),
    // Views and movement (ShapeOps).
    RESHAPE, PERMUTE, SLICE, UNSLICE, BROADCAST_TO, COPY, CONCAT, PAD, CAST,
    // Indexing (IndexOps).
    GATHER, SCATTER_ADD, ONE_HOT(false),
    // Linear algebra (LinalgOps).
    MATMUL,
    // Convolution and pooling, channels-last (ConvOps). The backward kernels are ops of their own
    // so that gradients can be differentiated again; MAX_POOL2D_BACKWARD is not: its second
    // derivative through the arg-max routing is zero almost everywhere and is not provided.
    // CONV2D_RELU is relu(conv2d(x, w) + b) in one pass over the output.
    CONV2D, CONV2D_RELU, CONV2D_BACKWARD_INPUT, CONV2D_BACKWARD_FILTER,
    MAX_POOL2D, MAX_POOL2D_BACKWARD(false), AVG_POOL2D, AVG_POOL2D_BACKWARD,
    // A recurrence over a whole sequence as one op (RecurrentOps), so the recurrent kernel's
    // gradient is one product over all steps rather than a sum of one per step.
    LSTM_SEQUENCE;

    private final boolean differentiable;
    /** Computed once: ops build error messages from it on every call, before they know of an error. */
    private final String opName;

    Op() {
        this(true);
    }

    Op(boolean differentiable) {
        this.differentiable = differentiable;
        this.opName = name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether a gradient flows through this op to its floating-point inputs. */
    public boolean differentiable() {
        return differentiable;
    }

    /** The lower-case name used in error messages and graph drawings, e.g. {@code gelu_tanh}. */
    public String opName() {
        return opName;
    }
}
