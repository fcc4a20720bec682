package dev.vecgrad.autodiff.rules;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.Attrs;
import dev.vecgrad.core.ops.LinalgOps;
import dev.vecgrad.core.ops.Primitives;

/**
 * Gradient of matrix multiplication ({@code LinalgOps}). Each of the four transpose forms has its
 * own pair of products, all passed to GEMM as transpose flags so no transpose is ever copied.
 * Broadcast batch axes come back summed by the tape, except B's when B is one matrix broadcast
 * over A's batch (a dense layer over a sequence): then dB is one product over every row of A and
 * g, as the forward product is one over every row of A.
 */
final class LinalgGradients {
    private LinalgGradients() {
    }

    static void register(GradientRegistry.Rules r) {
        // C = AB: dA = g·Bᵀ, dB = Aᵀ·g;  C = ABᵀ: dA = g·B, dB = gᵀ·A;
        // C = AᵀB: dA = B·gᵀ, dB = A·g;  C = AᵀBᵀ: dA = Bᵀ·gᵀ, dB = gᵀ·Aᵀ
        r.put(Primitives.MATMUL, (c, g, w) -> {
            Attrs.Matmul m = c.attrs();
            Tensor a = c.input(0);
            Tensor b = c.input(1);
            Tensor da = null;
            Tensor db = null;
            boolean fold = a.rank() > 2 && matrixSize(b) > 0 && b.shape().size() == matrixSize(b);
            if (!m.transposeA() && !m.transposeB()) {
                da = w[0] ? LinalgOps.matmul(g, b, false, true) : null;
                db = !w[1] ? null : fold ? LinalgOps.matmul(rows(a), rows(g), true, false).reshape(b.shape().toArray())
                        : LinalgOps.matmul(a, g, true, false);
            } else if (!m.transposeA()) {
                da = w[0] ? LinalgOps.matmul(g, b, false, false) : null;
                db = !w[1] ? null : fold ? LinalgOps.matmul(rows(g), rows(a), true, false).reshape(b.shape().toArray())
                        : LinalgOps.matmul(g, a, true, false);
            } else if (!m.transposeB()) {
                da = w[0] ? LinalgOps.matmul(b, g, false, true) : null;
                db = w[1] ? LinalgOps.matmul(a, g, false, false) : null;
            } else {
                da = w[0] ? LinalgOps.matmul(b, g, true, true) : null;
                db = w[1] ? LinalgOps.matmul(g, a, true, true) : null;
            }
            return new Tensor[] {da, db};
        });
    }

    /** The elements of t's last two axes: t's size when it is one matrix, whatever its leading 1s. */
    private static int matrixSize(Tensor t) {
        return t.shape().dim(-1) * t.shape().dim(-2);
    }

    /** t's leading axes folded into the rows of one matrix. */
    private static Tensor rows(Tensor t) {
        return t.reshape(-1, t.shape().dim(-1));
    }
}
