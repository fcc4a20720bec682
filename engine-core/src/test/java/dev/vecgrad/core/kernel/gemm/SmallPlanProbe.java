package dev.vecgrad.core.kernel.gemm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Timing probe, not a test (run it under the machine's quiet lock): one product shape, A and B
 * untransposed, through several variants in alternating blocks in one JVM; each variant's GFLOP/s
 * and the median over the rounds of its block over the first variant's block of the same round.
 * Arguments: {@code f32|f64 m n k [rounds] [blockMillis] [variants,...]}. Variants: {@code packed}
 * (this machine's packed kernel; a second copy, e.g. {@code packedAA}, is the A/A control),
 * {@code packedT} (the same with A transposed, f32), {@code five} and {@code wide} (the small path on
 * that plan; {@code fiveT}, {@code wideT} with A transposed, f32), {@code fma} (a register-only loop
 * of 10 FMA chains doing as many vector FMAs as the product: the peak a 10-accumulator tile can
 * reach), {@code t0} and {@code t1} (one 5 × 2 tile over the whole K with m = 5 and n = two vectors,
 * in L1: A's step an argument, or 1; their GFLOP/s are right only for those m and n).
 */
public final class SmallPlanProbe {
    private SmallPlanProbe() {
    }

    interface Call {
        void run();
    }

    public static void main(String[] args) {
        boolean f64 = args[0].equals("f64");
        int m = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        int k = Integer.parseInt(args[3]);
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        double blockMs = args.length > 5 ? Double.parseDouble(args[5]) : 50;
        String[] names = (args.length > 6 ? args[6] : "packed,packedAA,five,square").split(",");
        Random rnd = new Random(1);
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        float[] c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextFloat() - 0.5f;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = rnd.nextFloat() - 0.5f;
        }
        double[] ad = toDouble(a);
        double[] bd = toDouble(b);
        double[] cd = new double[m * n];
        List<Call> calls = new ArrayList<>();
        for (String name : names) {
            calls.add(call(name, f64, m, n, k, a, b, c, ad, bd, cd));
        }
        double flops = 2.0 * m * n * k;
        double[][] gf = new double[names.length][rounds];
        for (int w = 0; w < 3; w++) {
            for (Call call : calls) {
                block(call, 200);
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (int v = 0; v < names.length; v++) {
                gf[v][r] = flops / block(calls.get(v), blockMs);
            }
        }
        System.out.printf("%s %dx%dx%d rounds=%d block=%.0fms%n", f64 ? "f64" : "f32", m, n, k, rounds, blockMs);
        for (int v = 0; v < names.length; v++) {
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratio[r] = gf[v][r] / gf[0][r];
            }
            double[] g = gf[v].clone();
            Arrays.sort(g);
            Arrays.sort(ratio);
            System.out.printf("  %-10s median %6.1f GF/s best %6.1f  ratio/%s median %.3f [%.3f..%.3f]%n", names[v],
                    g[rounds / 2], g[rounds - 1], names[0], ratio[rounds / 2], ratio[0], ratio[rounds - 1]);
        }
    }

    /** Nanoseconds a call, over calls run for about {@code ms} milliseconds. */
    private static double block(Call call, double ms) {
        long end = System.nanoTime() + (long) (ms * 1e6);
        long start = System.nanoTime();
        int calls = 0;
        long now;
        do {
            call.run();
            calls++;
            now = System.nanoTime();
        } while (now < end);
        return (double) (now - start) / calls;
    }

    private static Call call(String name, boolean f64, int m, int n, int k, float[] a, float[] b, float[] c, double[] ad,
            double[] bd, double[] cd) {
        if (name.equals("packedT")) {
            VectorSgemm.Buffers buf = VectorSgemm.buffers();
            return () -> VectorSgemm.MACHINE.gemm(true, false, m, n, k, a, 0, m, b, 0, n, c, 0, n, false, buf, null, 0,
                    0, false, VectorSgemm.TILE);
        }
        if (name.startsWith("packed")) {
            if (f64) {
                VectorDgemm.Buffers buf = VectorDgemm.buffers();
                return () -> VectorDgemm.MACHINE.gemm(false, false, m, n, k, ad, 0, k, bd, 0, n, cd, 0, n, false, buf,
                        null, 0, 0, false, VectorDgemm.TILE);
            }
            VectorSgemm.Buffers buf = VectorSgemm.buffers();
            return () -> VectorSgemm.MACHINE.gemm(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, false, buf, null, 0,
                    0, false, VectorSgemm.TILE);
        }
        if (name.startsWith("fma")) {
            // Register-only FMA chains as many as the 5 × 2 tile's, k·m·n/(10·LANES) steps of 10 FMAs.
            int steps = (int) ((long) m * n * k / (10L * (f64 ? VectorDgemm.LANES : VectorSgemm.LANES)));
            return f64 ? () -> sinkD += fmaD(steps) : () -> sink += fma(steps);
        }
        if (name.matches("t[01]")) {
            // One 5 × 2 tile over the whole K, operands in L1 (m = 5, n = two vectors, B contiguous):
            // t0 with A's step an argument, t1 with it 1.
            int t = name.charAt(1) - '0';
            if (f64) {
                double[] cc = new double[5 * n];
                return switch (t) {
                    case 0 -> () -> t0D(k, ad, 0, k, 1, bd, 0, n, cc, 0, n);
                    default -> () -> t1D(k, ad, 0, k, 1, bd, 0, n, cc, 0, n);
                };
            }
            float[] cc = new float[5 * n];
            return switch (t) {
                case 0 -> () -> t0F(k, a, 0, k, 1, b, 0, n, cc, 0, n);
                default -> () -> t1F(k, a, 0, k, 1, b, 0, n, cc, 0, n);
            };
        }
        String plan = switch (name.replaceAll("[0-9T]+$", "")) {
            case "five" -> "FIVE_ROWS";
            case "wide" -> "WIDE";
            default -> throw new IllegalArgumentException(name);
        };
        if (f64) {
            SmallDgemm.Plan p = SmallDgemm.Plan.valueOf(plan);
            SmallDgemm.Buffers buf = SmallDgemm.buffers();
            return () -> SmallDgemm.gemm(false, false, m, n, k, ad, 0, k, bd, 0, n, cd, 0, n, false, buf, false, p);
        }
        boolean ta = name.endsWith("T");
        SmallSgemm.Plan p = SmallSgemm.Plan.valueOf(plan);
        SmallSgemm.Buffers buf = SmallSgemm.buffers();
        return () -> SmallSgemm.gemm(ta, false, m, n, k, a, 0, ta ? m : k, b, 0, n, c, 0, n, false, buf, false, p);
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    static float sink;
    static double sinkD;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED;

    private static float fma(int steps) {
        FloatVector x = FloatVector.broadcast(S, 1.0000001f);
        FloatVector y = FloatVector.broadcast(S, 0.9999999f);
        FloatVector a0 = FloatVector.broadcast(S, 0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0,
                a8 = a0, a9 = a0;
        for (int i = 0; i < steps; i++) {
            a0 = x.fma(y, a0); a1 = x.fma(x, a1); a2 = y.fma(y, a2); a3 = x.fma(y, a3); a4 = y.fma(x, a4);
            a5 = x.fma(y, a5); a6 = x.fma(x, a6); a7 = y.fma(y, a7); a8 = x.fma(y, a8); a9 = y.fma(x, a9);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).reduceLanes(
                jdk.incubator.vector.VectorOperators.ADD);
    }

    private static double fmaD(int steps) {
        jdk.incubator.vector.DoubleVector x = jdk.incubator.vector.DoubleVector.broadcast(D, 1.0000001);
        jdk.incubator.vector.DoubleVector y = jdk.incubator.vector.DoubleVector.broadcast(D, 0.9999999);
        jdk.incubator.vector.DoubleVector a0 = jdk.incubator.vector.DoubleVector.broadcast(D, 0), a1 = a0, a2 = a0,
                a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0;
        for (int i = 0; i < steps; i++) {
            a0 = x.fma(y, a0); a1 = x.fma(x, a1); a2 = y.fma(y, a2); a3 = x.fma(y, a3); a4 = y.fma(x, a4);
            a5 = x.fma(y, a5); a6 = x.fma(x, a6); a7 = y.fma(y, a7); a8 = x.fma(y, a8); a9 = y.fma(x, a9);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).reduceLanes(
                jdk.incubator.vector.VectorOperators.ADD);
    }

    /** One 5 × 2 tile, A's step an argument, B's rows {@code bs} apart. */
    static void t0F(int k, float[] a, int ai, int rs, int ps, float[] b, int bi, int bs, float[] c, int ci, int ldc) {
        final int W = 2 * S.length();
        int a0 = ai + 0 * rs;
        int a1 = ai + 1 * rs;
        int a2 = ai + 2 * rs;
        int a3 = ai + 3 * rs;
        int a4 = ai + 4 * rs;
        FloatVector acc0_0 = FloatVector.fromArray(S, c, ci + 0 * ldc + 0 * S.length());
        FloatVector acc0_1 = FloatVector.fromArray(S, c, ci + 0 * ldc + 1 * S.length());
        FloatVector acc1_0 = FloatVector.fromArray(S, c, ci + 1 * ldc + 0 * S.length());
        FloatVector acc1_1 = FloatVector.fromArray(S, c, ci + 1 * ldc + 1 * S.length());
        FloatVector acc2_0 = FloatVector.fromArray(S, c, ci + 2 * ldc + 0 * S.length());
        FloatVector acc2_1 = FloatVector.fromArray(S, c, ci + 2 * ldc + 1 * S.length());
        FloatVector acc3_0 = FloatVector.fromArray(S, c, ci + 3 * ldc + 0 * S.length());
        FloatVector acc3_1 = FloatVector.fromArray(S, c, ci + 3 * ldc + 1 * S.length());
        FloatVector acc4_0 = FloatVector.fromArray(S, c, ci + 4 * ldc + 0 * S.length());
        FloatVector acc4_1 = FloatVector.fromArray(S, c, ci + 4 * ldc + 1 * S.length());
        for (int p = 0; p < k; p++) {
            int bp = bi + p * bs;
            FloatVector b0 = FloatVector.fromArray(S, b, bp + 0 * S.length());
            FloatVector b1 = FloatVector.fromArray(S, b, bp + 1 * S.length());
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + p * ps]);
            acc0_0 = x0.fma(b0, acc0_0);
            acc0_1 = x0.fma(b1, acc0_1);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + p * ps]);
            acc1_0 = x1.fma(b0, acc1_0);
            acc1_1 = x1.fma(b1, acc1_1);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + p * ps]);
            acc2_0 = x2.fma(b0, acc2_0);
            acc2_1 = x2.fma(b1, acc2_1);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + p * ps]);
            acc3_0 = x3.fma(b0, acc3_0);
            acc3_1 = x3.fma(b1, acc3_1);
            FloatVector x4 = FloatVector.broadcast(S, a[a4 + p * ps]);
            acc4_0 = x4.fma(b0, acc4_0);
            acc4_1 = x4.fma(b1, acc4_1);
        }
        acc0_0.intoArray(c, ci + 0 * ldc + 0 * S.length());
        acc0_1.intoArray(c, ci + 0 * ldc + 1 * S.length());
        acc1_0.intoArray(c, ci + 1 * ldc + 0 * S.length());
        acc1_1.intoArray(c, ci + 1 * ldc + 1 * S.length());
        acc2_0.intoArray(c, ci + 2 * ldc + 0 * S.length());
        acc2_1.intoArray(c, ci + 2 * ldc + 1 * S.length());
        acc3_0.intoArray(c, ci + 3 * ldc + 0 * S.length());
        acc3_1.intoArray(c, ci + 3 * ldc + 1 * S.length());
        acc4_0.intoArray(c, ci + 4 * ldc + 0 * S.length());
        acc4_1.intoArray(c, ci + 4 * ldc + 1 * S.length());
    }

    /** One 5 × 2 tile, A's step 1, B's rows {@code bs} apart. */
    static void t1F(int k, float[] a, int ai, int rs, int ps, float[] b, int bi, int bs, float[] c, int ci, int ldc) {
        final int W = 2 * S.length();
        int a0 = ai + 0 * rs;
        int a1 = ai + 1 * rs;
        int a2 = ai + 2 * rs;
        int a3 = ai + 3 * rs;
        int a4 = ai + 4 * rs;
        FloatVector acc0_0 = FloatVector.fromArray(S, c, ci + 0 * ldc + 0 * S.length());
        FloatVector acc0_1 = FloatVector.fromArray(S, c, ci + 0 * ldc + 1 * S.length());
        FloatVector acc1_0 = FloatVector.fromArray(S, c, ci + 1 * ldc + 0 * S.length());
        FloatVector acc1_1 = FloatVector.fromArray(S, c, ci + 1 * ldc + 1 * S.length());
        FloatVector acc2_0 = FloatVector.fromArray(S, c, ci + 2 * ldc + 0 * S.length());
        FloatVector acc2_1 = FloatVector.fromArray(S, c, ci + 2 * ldc + 1 * S.length());
        FloatVector acc3_0 = FloatVector.fromArray(S, c, ci + 3 * ldc + 0 * S.length());
        FloatVector acc3_1 = FloatVector.fromArray(S, c, ci + 3 * ldc + 1 * S.length());
        FloatVector acc4_0 = FloatVector.fromArray(S, c, ci + 4 * ldc + 0 * S.length());
        FloatVector acc4_1 = FloatVector.fromArray(S, c, ci + 4 * ldc + 1 * S.length());
        for (int p = 0; p < k; p++) {
            int bp = bi + p * bs;
            FloatVector b0 = FloatVector.fromArray(S, b, bp + 0 * S.length());
            FloatVector b1 = FloatVector.fromArray(S, b, bp + 1 * S.length());
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + p]);
            acc0_0 = x0.fma(b0, acc0_0);
            acc0_1 = x0.fma(b1, acc0_1);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + p]);
            acc1_0 = x1.fma(b0, acc1_0);
            acc1_1 = x1.fma(b1, acc1_1);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + p]);
            acc2_0 = x2.fma(b0, acc2_0);
            acc2_1 = x2.fma(b1, acc2_1);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + p]);
            acc3_0 = x3.fma(b0, acc3_0);
            acc3_1 = x3.fma(b1, acc3_1);
            FloatVector x4 = FloatVector.broadcast(S, a[a4 + p]);
            acc4_0 = x4.fma(b0, acc4_0);
            acc4_1 = x4.fma(b1, acc4_1);
        }
        acc0_0.intoArray(c, ci + 0 * ldc + 0 * S.length());
        acc0_1.intoArray(c, ci + 0 * ldc + 1 * S.length());
        acc1_0.intoArray(c, ci + 1 * ldc + 0 * S.length());
        acc1_1.intoArray(c, ci + 1 * ldc + 1 * S.length());
        acc2_0.intoArray(c, ci + 2 * ldc + 0 * S.length());
        acc2_1.intoArray(c, ci + 2 * ldc + 1 * S.length());
        acc3_0.intoArray(c, ci + 3 * ldc + 0 * S.length());
        acc3_1.intoArray(c, ci + 3 * ldc + 1 * S.length());
        acc4_0.intoArray(c, ci + 4 * ldc + 0 * S.length());
        acc4_1.intoArray(c, ci + 4 * ldc + 1 * S.length());
    }

    /** One 5 × 2 tile, A's step an argument, B's rows {@code bs} apart. */
    static void t0D(int k, double[] a, int ai, int rs, int ps, double[] b, int bi, int bs, double[] c, int ci, int ldc) {
        final int W = 2 * D.length();
        int a0 = ai + 0 * rs;
        int a1 = ai + 1 * rs;
        int a2 = ai + 2 * rs;
        int a3 = ai + 3 * rs;
        int a4 = ai + 4 * rs;
        DoubleVector acc0_0 = DoubleVector.fromArray(D, c, ci + 0 * ldc + 0 * D.length());
        DoubleVector acc0_1 = DoubleVector.fromArray(D, c, ci + 0 * ldc + 1 * D.length());
        DoubleVector acc1_0 = DoubleVector.fromArray(D, c, ci + 1 * ldc + 0 * D.length());
        DoubleVector acc1_1 = DoubleVector.fromArray(D, c, ci + 1 * ldc + 1 * D.length());
        DoubleVector acc2_0 = DoubleVector.fromArray(D, c, ci + 2 * ldc + 0 * D.length());
        DoubleVector acc2_1 = DoubleVector.fromArray(D, c, ci + 2 * ldc + 1 * D.length());
        DoubleVector acc3_0 = DoubleVector.fromArray(D, c, ci + 3 * ldc + 0 * D.length());
        DoubleVector acc3_1 = DoubleVector.fromArray(D, c, ci + 3 * ldc + 1 * D.length());
        DoubleVector acc4_0 = DoubleVector.fromArray(D, c, ci + 4 * ldc + 0 * D.length());
        DoubleVector acc4_1 = DoubleVector.fromArray(D, c, ci + 4 * ldc + 1 * D.length());
        for (int p = 0; p < k; p++) {
            int bp = bi + p * bs;
            DoubleVector b0 = DoubleVector.fromArray(D, b, bp + 0 * D.length());
            DoubleVector b1 = DoubleVector.fromArray(D, b, bp + 1 * D.length());
            DoubleVector x0 = DoubleVector.broadcast(D, a[a0 + p * ps]);
            acc0_0 = x0.fma(b0, acc0_0);
            acc0_1 = x0.fma(b1, acc0_1);
            DoubleVector x1 = DoubleVector.broadcast(D, a[a1 + p * ps]);
            acc1_0 = x1.fma(b0, acc1_0);
            acc1_1 = x1.fma(b1, acc1_1);
            DoubleVector x2 = DoubleVector.broadcast(D, a[a2 + p * ps]);
            acc2_0 = x2.fma(b0, acc2_0);
            acc2_1 = x2.fma(b1, acc2_1);
            DoubleVector x3 = DoubleVector.broadcast(D, a[a3 + p * ps]);
            acc3_0 = x3.fma(b0, acc3_0);
            acc3_1 = x3.fma(b1, acc3_1);
            DoubleVector x4 = DoubleVector.broadcast(D, a[a4 + p * ps]);
            acc4_0 = x4.fma(b0, acc4_0);
            acc4_1 = x4.fma(b1, acc4_1);
        }
        acc0_0.intoArray(c, ci + 0 * ldc + 0 * D.length());
        acc0_1.intoArray(c, ci + 0 * ldc + 1 * D.length());
        acc1_0.intoArray(c, ci + 1 * ldc + 0 * D.length());
        acc1_1.intoArray(c, ci + 1 * ldc + 1 * D.length());
        acc2_0.intoArray(c, ci + 2 * ldc + 0 * D.length());
        acc2_1.intoArray(c, ci + 2 * ldc + 1 * D.length());
        acc3_0.intoArray(c, ci + 3 * ldc + 0 * D.length());
        acc3_1.intoArray(c, ci + 3 * ldc + 1 * D.length());
        acc4_0.intoArray(c, ci + 4 * ldc + 0 * D.length());
        acc4_1.intoArray(c, ci + 4 * ldc + 1 * D.length());
    }

    /** One 5 × 2 tile, A's step 1, B's rows {@code bs} apart. */
    static void t1D(int k, double[] a, int ai, int rs, int ps, double[] b, int bi, int bs, double[] c, int ci, int ldc) {
        final int W = 2 * D.length();
        int a0 = ai + 0 * rs;
        int a1 = ai + 1 * rs;
        int a2 = ai + 2 * rs;
        int a3 = ai + 3 * rs;
        int a4 = ai + 4 * rs;
        DoubleVector acc0_0 = DoubleVector.fromArray(D, c, ci + 0 * ldc + 0 * D.length());
        DoubleVector acc0_1 = DoubleVector.fromArray(D, c, ci + 0 * ldc + 1 * D.length());
        DoubleVector acc1_0 = DoubleVector.fromArray(D, c, ci + 1 * ldc + 0 * D.length());
        DoubleVector acc1_1 = DoubleVector.fromArray(D, c, ci + 1 * ldc + 1 * D.length());
        DoubleVector acc2_0 = DoubleVector.fromArray(D, c, ci + 2 * ldc + 0 * D.length());
        DoubleVector acc2_1 = DoubleVector.fromArray(D, c, ci + 2 * ldc + 1 * D.length());
        DoubleVector acc3_0 = DoubleVector.fromArray(D, c, ci + 3 * ldc + 0 * D.length());
        DoubleVector acc3_1 = DoubleVector.fromArray(D, c, ci + 3 * ldc + 1 * D.length());
        DoubleVector acc4_0 = DoubleVector.fromArray(D, c, ci + 4 * ldc + 0 * D.length());
        DoubleVector acc4_1 = DoubleVector.fromArray(D, c, ci + 4 * ldc + 1 * D.length());
        for (int p = 0; p < k; p++) {
            int bp = bi + p * bs;
            DoubleVector b0 = DoubleVector.fromArray(D, b, bp + 0 * D.length());
            DoubleVector b1 = DoubleVector.fromArray(D, b, bp + 1 * D.length());
            DoubleVector x0 = DoubleVector.broadcast(D, a[a0 + p]);
            acc0_0 = x0.fma(b0, acc0_0);
            acc0_1 = x0.fma(b1, acc0_1);
            DoubleVector x1 = DoubleVector.broadcast(D, a[a1 + p]);
            acc1_0 = x1.fma(b0, acc1_0);
            acc1_1 = x1.fma(b1, acc1_1);
            DoubleVector x2 = DoubleVector.broadcast(D, a[a2 + p]);
            acc2_0 = x2.fma(b0, acc2_0);
            acc2_1 = x2.fma(b1, acc2_1);
            DoubleVector x3 = DoubleVector.broadcast(D, a[a3 + p]);
            acc3_0 = x3.fma(b0, acc3_0);
            acc3_1 = x3.fma(b1, acc3_1);
            DoubleVector x4 = DoubleVector.broadcast(D, a[a4 + p]);
            acc4_0 = x4.fma(b0, acc4_0);
            acc4_1 = x4.fma(b1, acc4_1);
        }
        acc0_0.intoArray(c, ci + 0 * ldc + 0 * D.length());
        acc0_1.intoArray(c, ci + 0 * ldc + 1 * D.length());
        acc1_0.intoArray(c, ci + 1 * ldc + 0 * D.length());
        acc1_1.intoArray(c, ci + 1 * ldc + 1 * D.length());
        acc2_0.intoArray(c, ci + 2 * ldc + 0 * D.length());
        acc2_1.intoArray(c, ci + 2 * ldc + 1 * D.length());
        acc3_0.intoArray(c, ci + 3 * ldc + 0 * D.length());
        acc3_1.intoArray(c, ci + 3 * ldc + 1 * D.length());
        acc4_0.intoArray(c, ci + 4 * ldc + 0 * D.length());
        acc4_1.intoArray(c, ci + 4 * ldc + 1 * D.length());
    }

}
