package dev.vecgrad.bench.alternating;

import dev.vecgrad.core.Engine;
import dev.vecgrad.core.OutputPool;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.core.kernel.Kernels;
import dev.vecgrad.core.ops.Primitives;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An F32 elementwise op on {@code size} elements, in one of three forms, as {@code ElementwiseBenchmark}
 * runs it: {@code kernel} (the bare {@link Kernels} call into a preallocated output), {@code op} (the
 * allocating {@link Tensor} op) and {@code pool} (the same op inside an {@link OutputPool} that gets
 * each output back, opened for a block of calls). The {@code copy} row is {@code System.arraycopy}
 * of the first input into the output (kernel form only), the memory-bandwidth baseline, and
 * {@code loop_copy} the same copy as a plain loop, whose stores read each output line before
 * writing it as every kernel's do, where {@code arraycopy} streams copies of 2.5 MB or more past
 * the cache. Inputs are
 * {@code Tensor.randomUniform(new Rng(1), -4, 4, size)} and the same with {@code Rng(2)}; the
 * Tensor forms run on the engine's configured thread count.
 */
final class ElementwiseWorkload implements Workload {
    /** The ops, in the order tables list them. */
    static final List<String> OPS = List.of("add", "mul", "relu", "sigmoid", "tanh", "exp", "gelu", "gelu_tanh", "copy",
            "loop_copy");
    /** The forms. */
    static final List<String> FORMS = List.of("kernel", "op", "pool");

    private final String op;
    private final String form;
    private final int size;
    private final Kernels kernels;
    private final Tensor ta;
    private final Tensor tb;
    private final float[] a;
    private final float[] b;
    private final float[] out;
    private final UnaryOperator<Tensor> tensorOp;
    private OutputPool pool;
    /** Each output's first element, summed, so no call's result is dead; the output itself is not kept. */
    private float sink;

    ElementwiseWorkload(Kernels kernels, String op, int size, String form) {
        if (!OPS.contains(op)) {
            throw new IllegalArgumentException("unknown elementwise op '" + op + "' (known: " + String.join(", ", OPS) + ")");
        }
        if (!FORMS.contains(form)) {
            throw new IllegalArgumentException("unknown form '" + form + "' (known: " + String.join(", ", FORMS) + ")");
        }
        if (op.endsWith("copy") && !form.equals("kernel")) {
            throw new IllegalArgumentException(op + " has the kernel form only");
        }
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1, got " + size);
        }
        this.kernels = kernels;
        this.op = op;
        this.form = form;
        this.size = size;
        ta = Tensor.randomUniform(new Rng(1), -4, 4, size);
        tb = Tensor.randomUniform(new Rng(2), -4, 4, size);
        a = TensorInternals.f32(ta);
        b = TensorInternals.f32(tb);
        out = form.equals("kernel") ? new float[size] : null;
        tensorOp = tensorOp(op, tb);
    }

    private static UnaryOperator<Tensor> tensorOp(String op, Tensor other) {
        return switch (op) {
            case "add" -> x -> x.add(other);
            case "mul" -> x -> x.mul(other);
            case "relu" -> Tensor::relu;
            case "sigmoid" -> Tensor::sigmoid;
            case "tanh" -> Tensor::tanh;
            case "exp" -> Tensor::exp;
            case "gelu" -> x -> x.gelu(false);
            case "gelu_tanh" -> x -> x.gelu(true);
            default -> null;
        };
    }

    @Override
    public void beginBlock() {
        if (form.equals("pool")) {
            pool = OutputPool.open();
        }
    }

    @Override
    public void call() {
        switch (form) {
            case "kernel" -> kernel();
            case "op" -> sink += TensorInternals.f32(tensorOp.apply(ta))[0];
            default -> {
                Tensor y = tensorOp.apply(ta);
                sink += TensorInternals.f32(y)[0];
                pool.release(y);
            }
        }
    }

    private void kernel() {
        switch (op) {
            case "add" -> kernels.binary(Primitives.ADD, a, 0, 1, b, 0, 1, out, 0, size);
            case "mul" -> kernels.binary(Primitives.MUL, a, 0, 1, b, 0, 1, out, 0, size);
            case "relu" -> kernels.unary(Primitives.RELU, a, 0, 1, out, 0, size);
            case "sigmoid" -> kernels.unary(Primitives.SIGMOID, a, 0, 1, out, 0, size);
            case "tanh" -> kernels.unary(Primitives.TANH, a, 0, 1, out, 0, size);
            case "exp" -> kernels.unary(Primitives.EXP, a, 0, 1, out, 0, size);
            case "gelu" -> kernels.unary(Primitives.GELU_ERF, a, 0, 1, out, 0, size);
            case "gelu_tanh" -> kernels.unary(Primitives.GELU_TANH, a, 0, 1, out, 0, size);
            case "loop_copy" -> loopCopy();
            default -> System.arraycopy(a, 0, out, 0, size);
        }
    }

    private void loopCopy() {
        float[] src = a;
        float[] dst = out;
        for (int i = 0; i < size; i++) {
            dst[i] = src[i];
        }
    }

    @Override
    public void endBlock() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }

    @Override
    public double work() {
        return size;
    }

    @Override
    public String unit() {
        return "element";
    }

    /** The pool form's outputs are released, so its checksum is the plain op's (the same values). */
    @Override
    public double checksum() {
        float[] y;
        if (form.equals("kernel")) {
            kernel();
            y = out;
        } else {
            y = TensorInternals.f32(tensorOp.apply(ta));
        }
        double sum = 0;
        for (float v : y) {
            sum += v;
        }
        return sum;
    }
}
