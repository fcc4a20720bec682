package dev.vecgrad.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A loop of vector fused multiply-adds on registers only: {@value #CHAINS} independent accumulator
 * chains of the preferred float species, more than the FMA units' latency times their count on
 * current x86 cores, so it runs at their throughput and touches no memory. The benchmarks' probes
 * of the core's arithmetic speed time it ({@code FmaCapacity} on one and two threads, {@code
 * FmaProbe} before every round of the in-process GEMM comparison). With 16 vector registers the 16
 * chains run as fast as 10 (AVX2 on a Zen 3 core: 0.97-1.03 of a 10-chain loop, alternating).
 */
public final class FmaLoop {
    /** Independent accumulator chains in the loop. */
    public static final int CHAINS = 16;
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private FmaLoop() {
    }

    /**
     * The floating-point operations of {@code iterations} rounds (two per lane of each FMA).
     *
     * @param iterations rounds of the loop
     * @return floating-point operations
     */
    public static double work(long iterations) {
        return 2.0 * iterations * CHAINS * SPECIES.length();
    }

    /**
     * {@code iterations} rounds of {@value #CHAINS} independent vector FMAs, {@code c = 0.5·0.25 + c}
     * from zero (exact, and far from overflow for any iteration count a probe uses).
     *
     * @param iterations rounds of the loop
     * @return the sum of the accumulators, so that none is dead
     */
    public static float chains(long iterations) {
        FloatVector a = FloatVector.broadcast(SPECIES, 0.5f);
        FloatVector b = FloatVector.broadcast(SPECIES, 0.25f);
        FloatVector c0 = FloatVector.zero(SPECIES);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        FloatVector c4 = c0;
        FloatVector c5 = c0;
        FloatVector c6 = c0;
        FloatVector c7 = c0;
        FloatVector c8 = c0;
        FloatVector c9 = c0;
        FloatVector c10 = c0;
        FloatVector c11 = c0;
        FloatVector c12 = c0;
        FloatVector c13 = c0;
        FloatVector c14 = c0;
        FloatVector c15 = c0;
        for (long i = 0; i < iterations; i++) {
            c0 = a.fma(b, c0);
            c1 = a.fma(b, c1);
            c2 = a.fma(b, c2);
            c3 = a.fma(b, c3);
            c4 = a.fma(b, c4);
            c5 = a.fma(b, c5);
            c6 = a.fma(b, c6);
            c7 = a.fma(b, c7);
            c8 = a.fma(b, c8);
            c9 = a.fma(b, c9);
            c10 = a.fma(b, c10);
            c11 = a.fma(b, c11);
            c12 = a.fma(b, c12);
            c13 = a.fma(b, c13);
            c14 = a.fma(b, c14);
            c15 = a.fma(b, c15);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .add(c12).add(c13).add(c14).add(c15).reduceLanes(VectorOperators.ADD);
    }
}
