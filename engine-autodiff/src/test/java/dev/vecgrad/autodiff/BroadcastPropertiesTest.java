package dev.vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.Primitive;
import dev.vecgrad.core.ops.Primitives;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Gradients through broadcasting and reductions on random shapes, axes and keepdims. */
class BroadcastPropertiesTest {

    /** Two shapes that broadcast together: each dimension of the result is kept, set to 1, or dropped on the left. */
    record Pair(int[] a, int[] b, long seed) {
    }

    @Provide
    Arbitrary<Pair> broadcastPairs() {
        Arbitrary<int[]> full = Arbitraries.integers().between(1, 3).array(int[].class).ofMinSize(0).ofMaxSize(3);
        Arbitrary<Integer> maskA = Arbitraries.integers().between(0, 7);
        Arbitrary<Integer> maskB = Arbitraries.integers().between(0, 7);
        Arbitrary<Integer> dropA = Arbitraries.integers().between(0, 3);
        Arbitrary<Long> seeds = Arbitraries.longs();
        return Combinators.combine(full, maskA, maskB, dropA, seeds).as((dims, ma, mb, da, seed) -> {
            int[] a = dims.clone();
            int[] b = dims.clone();
            for (int i = 0; i < dims.length; i++) {
                if ((ma >> i & 1) == 1) {
                    a[i] = 1;
                }
                if ((mb >> i & 1) == 1) {
                    b[i] = 1;
                }
            }
            int drop = Math.min(da, a.length);
            return new Pair(java.util.Arrays.copyOfRange(a, drop, a.length), b, seed);
        });
    }

    @Property(tries = 40)
    void binaryOpsSumGradientsBackToEachOperandsShape(@ForAll("broadcastPairs") Pair p,
            @ForAll("binaryOps") Primitive<?> op) {
        Tensor a = GradCheckCases.normal(p.seed(), p.a());
        Tensor b = op == Primitives.DIV ? GradCheckCases.positive(p.seed() + 1, p.b()) : GradCheckCases.normal(p.seed() + 1, p.b());
        GradCheck.Result r = GradCheck.check(in -> GradCheckCases.BINARY.get(op).apply(in.get(0), in.get(1)), a, b);
        r.assertPassed();
    }

    @Provide
    Arbitrary<Primitive<?>> binaryOps() {
        return Arbitraries.of(Primitives.ADD, Primitives.SUB, Primitives.MUL, Primitives.DIV, Primitives.MAXIMUM);
    }

    @Property(tries = 40)
    void reductionsOverAnyAxesWithOrWithoutKeepDims(@ForAll("shapes") int[] dims, @ForAll long seed,
            @ForAll boolean keepDims, @ForAll("reductions") Primitive<?> op) {
        // Axes: a seeded subset of the dimensions, half of them given as negative numbers.
        java.util.Random random = new java.util.Random(seed);
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < dims.length; i++) {
            if (random.nextBoolean()) {
                axes.add(random.nextBoolean() ? i : i - dims.length);
            }
        }
        int[] ax = axes.stream().mapToInt(Integer::intValue).toArray();
        Tensor x = GradCheckCases.normal(seed, dims);
        GradCheck.Result r = GradCheck.check(in -> op == Primitives.SUM ? in.get(0).sum(ax, keepDims)
                : op == Primitives.MAX ? in.get(0).max(ax, keepDims)
                : op == Primitives.MIN ? in.get(0).min(ax, keepDims)
                : in.get(0).prod(ax, keepDims), x);
        assertThat(r.recordedOps()).contains(op);
        r.assertPassed();
    }

    @Provide
    Arbitrary<int[]> shapes() {
        return Arbitraries.integers().between(1, 3).array(int[].class).ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<Primitive<?>> reductions() {
        return Arbitraries.of(Primitives.SUM, Primitives.MAX, Primitives.MIN, Primitives.PROD);
    }
}
