package dev.vecgrad.bench;

import dev.vecgrad.core.Engine;
import dev.vecgrad.core.kernel.Backend;
import dev.vecgrad.core.kernel.gemm.Gemm;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;

/**
 * One-thread GEMM speed per CPU-second of the calling thread, for machines whose cores are
 * shared: wall-clock figures (JMH's) there measure the other tenants as much as the kernel,
 * while thread CPU time leaves out the time the thread waited for a core. Same shapes as
 * {@link GemmBenchmark}. For vecgrad beside NumPy and PyTorch, run
 * {@code benchmarks/compare_peers.py --suite gemm --threads 1 --clock cpu}: it reads the same
 * thread CPU time from {@link GemmBenchmark}'s JMH run and times the peers by process CPU time.
 * A complement to JMH, not a replacement.
 *
 * <pre>{@code
 * ./vecgrad run dev.vecgrad.bench.GemmCpuTime [f32|f64]
 * }</pre>
 */
public final class GemmCpuTime {
    private static final String[] SHAPES = {"sq64", "sq128", "sq256", "sq512", "sq1024", "sq2048", "mlp_fwd",
        "mlp_dW", "mlp_dx"};

    private GemmCpuTime() {
    }

    /** Prints {@code shape GFLOP/s} lines: best of 20 repeats of at least 0.1 CPU-seconds each. */
    public static void main(String[] args) {
        boolean f64 = args.length > 0 && args[0].equals("f64");
        Backend backend = Engine.configure(Engine.KernelChoice.AUTO, 1).backend();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        System.out.println("# " + Engine.get().describe() + ", " + (f64 ? "f64" : "f32") + ", GFLOP/s per CPU-second");
        for (String shape : SHAPES) {
            int[] d = dims(shape);
            int m = d[0];
            int n = d[1];
            int k = d[2];
            boolean ta = d[3] == 1;
            boolean tb = d[4] == 1;
            SplittableRandom rnd = new SplittableRandom(42);
            double[] ad = rnd.doubles((long) m * k, -1, 1).toArray();
            double[] bd = rnd.doubles((long) k * n, -1, 1).toArray();
            float[] a = toFloat(ad);
            float[] b = toFloat(bd);
            float[] c = new float[m * n];
            double[] cd = new double[m * n];
            Runnable op = f64
                    ? () -> Gemm.dgemm(backend, ta, tb, m, n, k, ad, 0, ta ? m : k, bd, 0, tb ? k : n, cd, 0, n, false)
                    : () -> Gemm.sgemm(backend, ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, c, 0, n, false);
            double flops = 2.0 * m * n * k;
            long reps = 1;
            long warmEnd = mx.getCurrentThreadCpuTime() + 2_000_000_000L;
            while (mx.getCurrentThreadCpuTime() < warmEnd) {
                op.run();
            }
            while (true) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (long r = 0; r < reps; r++) {
                    op.run();
                }
                if (mx.getCurrentThreadCpuTime() - t0 >= 100_000_000L) {
                    break;
                }
                reps *= 2;
            }
            double best = 0;
            for (int i = 0; i < 20; i++) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (long r = 0; r < reps; r++) {
                    op.run();
                }
                best = Math.max(best, flops * reps / (mx.getCurrentThreadCpuTime() - t0));
            }
            System.out.printf("%s %.1f%n", shape, best);
        }
    }

    private static int[] dims(String shape) {
        return switch (shape) {
            case "mlp_fwd" -> new int[] {128, 256, 784, 0, 0};
            case "mlp_dW" -> new int[] {784, 256, 128, 1, 0};
            case "mlp_dx" -> new int[] {128, 784, 256, 0, 1};
            default -> {
                int s = Integer.parseInt(shape.substring(2));
                yield new int[] {s, s, s, 0, 0};
            }
        };
    }

    private static float[] toFloat(double[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) x[i];
        }
        return y;
    }
}
