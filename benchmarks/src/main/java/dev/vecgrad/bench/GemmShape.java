package dev.vecgrad.bench;

import java.util.List;

/**
 * One product of the GEMM benchmarks, {@code C (m×n) = op(A)·op(B)} on row-major arrays, with A
 * stored {@code k×m} when {@code transA} and B stored {@code n×k} when {@code transB}: the table
 * {@link GemmBenchmark}'s {@code shape} parameter names, which {@code benchmarks/compare_peers.py}
 * and {@link dev.vecgrad.bench.peer.InProcessGemm} run under the same names.
 *
 * @param name the benchmark's name for it
 * @param m rows of C
 * @param n columns of C
 * @param k the depth
 * @param transA whether A is stored transposed ({@code k×m})
 * @param transB whether B is stored transposed ({@code n×k})
 */
public record GemmShape(String name, int m, int n, int k, boolean transA, boolean transB) {
    /**
     * Squares 64 to 2048, then the three products of a 784-256 dense layer on a batch of 128: x·W,
     * xᵀ·dy (A stored as x, 128×784) and dy·Wᵀ (B stored as W, 784×256).
     */
    public static final List<GemmShape> ALL = List.of(square(64), square(128), square(256), square(512), square(1024),
            square(2048),
            new GemmShape("mlp_fwd", 128, 256, 784, false, false),
            new GemmShape("mlp_dW", 784, 256, 128, true, false),
            new GemmShape("mlp_dx", 128, 784, 256, false, true));

    private static GemmShape square(int s) {
        return new GemmShape("sq" + s, s, s, s, false, false);
    }

    /**
     * The shape of that name.
     *
     * @param name one of {@link #ALL}'s names
     * @return its shape
     * @throws IllegalArgumentException naming the known shapes when there is none of that name
     */
    public static GemmShape named(String name) {
        for (GemmShape s : ALL) {
            if (s.name.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no GEMM shape '" + name + "' (known: "
                + String.join(", ", ALL.stream().map(GemmShape::name).toList()) + ")");
    }

    /** A's leading dimension as stored: {@code m} when transposed, else {@code k}. */
    public int lda() {
        return transA ? m : k;
    }

    /** B's leading dimension as stored: {@code k} when transposed, else {@code n}. */
    public int ldb() {
        return transB ? k : n;
    }

    /** Floating-point operations of one product, {@code 2·m·n·k}. */
    public double flops() {
        return 2.0 * m * n * k;
    }
}
