package dev.vecgrad.bench.alternating;

import dev.vecgrad.bench.GemmBenchmark;
import dev.vecgrad.core.kernel.Backend;
import dev.vecgrad.core.kernel.gemm.Gemm;
import java.util.SplittableRandom;

/**
 * {@code C = op(A)·op(B)} through {@link Gemm#sgemm} or {@link Gemm#dgemm} on preallocated row-major
 * arrays, on the backend (and so the thread count) it is given. A is filled before B from one
 * {@code SplittableRandom(42)} with {@code nextDouble() * 2 - 1}, each in the layout it is stored in
 * ({@code k×m} when A is transposed, {@code n×k} when B is), as {@code GemmBenchmark} does.
 */
final class GemmWorkload implements Workload {
    private final Backend backend;
    private final boolean f64;
    private final boolean transA;
    private final boolean transB;
    private final int m;
    private final int n;
    private final int k;
    private final float[] a;
    private final float[] b;
    private final float[] c;
    private final double[] ad;
    private final double[] bd;
    private final double[] cd;

    GemmWorkload(Backend backend, boolean f64, int m, int n, int k, boolean transA, boolean transB) {
        this.backend = backend;
        this.f64 = f64;
        this.m = m;
        this.n = n;
        this.k = k;
        this.transA = transA;
        this.transB = transB;
        SplittableRandom rnd = new SplittableRandom(42);
        float[] af = GemmBenchmark.random(Math.multiplyExact(m, k), rnd);
        float[] bf = GemmBenchmark.random(Math.multiplyExact(k, n), rnd);
        int cn = Math.multiplyExact(m, n);
        a = f64 ? null : af;
        b = f64 ? null : bf;
        c = f64 ? null : new float[cn];
        ad = f64 ? GemmBenchmark.toDouble(af) : null;
        bd = f64 ? GemmBenchmark.toDouble(bf) : null;
        cd = f64 ? new double[cn] : null;
    }

    @Override
    public void call() {
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        if (f64) {
            Gemm.dgemm(backend, transA, transB, m, n, k, ad, 0, lda, bd, 0, ldb, cd, 0, n, false);
        } else {
            Gemm.sgemm(backend, transA, transB, m, n, k, a, 0, lda, b, 0, ldb, c, 0, n, false);
        }
    }

    @Override
    public double work() {
        return 2.0 * m * n * k;
    }

    @Override
    public String unit() {
        return "flop";
    }

    @Override
    public double checksum() {
        call();
        double sum = 0;
        for (int i = 0; i < m * n; i++) {
            sum += f64 ? cd[i] : c[i];
        }
        return sum;
    }
}
