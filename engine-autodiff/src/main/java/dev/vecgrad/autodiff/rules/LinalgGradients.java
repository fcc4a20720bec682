package dev.vecgrad.autodiff.rules;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.Attrs;
import dev.vecgrad.core.ops.LinalgOps;
import dev.vecgrad.core.ops.Primitives;

/**
 * Gradient of matrix multiplication ({@code LinalgOps}). Each of the four transpose forms has its
 * own pair of products, all passed to GEMM as transpose flags so no transpose is ever copied.
 * Broadcast batch axes come back summed by the tape.
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
            if (!m.transposeA() && !m.transposeB()) {
                da = w[0] ? LinalgOps.matmul(g, b, false, true) : null;
                db = w[1] ? LinalgOps.matmul(a, g, true, false) : null;
            } else if (!m.transposeA()) {
                da = w[0] ? LinalgOps.matmul(g, b, false, false) : null;
                db = w[1] ? LinalgOps.matmul(g, a, true, false) : null;
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
}
