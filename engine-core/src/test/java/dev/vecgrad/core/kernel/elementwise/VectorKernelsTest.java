package dev.vecgrad.core.kernel.elementwise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.kernel.KernelInputs;
import dev.vecgrad.core.kernel.Tolerance;
import dev.vecgrad.core.ops.Binary;
import dev.vecgrad.core.ops.Primitives;
import dev.vecgrad.core.ops.Reduce;
import dev.vecgrad.core.ops.Unary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every op of {@link VectorKernels} against {@link ScalarKernels}, called directly, at the sizes of
 * {@link KernelInputs#sizes} and one of over a million elements, on contiguous, offset, broadcast
 * (stride 0), stepped (stride 2 and 3) and reversed (stride -1) operands.
 */
class VectorKernelsTest {
    private static final VectorKernels VEC = new VectorKernels();
    private static final ScalarKernels REF = new ScalarKernels();
    private static final int FL = FloatLoops.L;
    private static final int DL = DoubleLoops.L;
    /**
     * A long odd run for the elementwise kernels: it crosses the strided path's 1024-element blocks
     * and the streaming loops' 1024-element look-ahead many times, and ends in a partial tail.
     */
    private static final int LONG = 16 * 1024 + 3;

    /** An operand layout: the first element's offset and the stride, for a run of n elements. */
    record Layout(int offset, int stride) {
        int arrayLength(int n) {
            return n == 0 ? offset + 1 : offset + Math.max(0, (n - 1) * stride) + 3;
        }

        static Layout reversed(int n) {
            return new Layout(Math.max(0, n - 1) + 2, -1);
        }

        @Override
        public String toString() {
            return "offset " + offset + " stride " + stride;
        }
    }

    private static List<Layout> layouts(int n) {
        return List.of(new Layout(0, 1), new Layout(3, 1), new Layout(0, 0), new Layout(5, 0), new Layout(0, 2),
                new Layout(1, 3), Layout.reversed(n));
    }

    /** Spreads n values over an array in {@code layout} (stride 0 takes the first value only). */
    private static double[] place(double[] v, Layout l, int n) {
        double[] a = KernelInputs.uniform(l.arrayLength(n), 99, -3, 3); // filler that must not be read as data
        for (int i = 0; i < n; i++) {
            a[l.offset + i * l.stride] = v[i];
        }
        return a;
    }

    private final List<String> failures = new ArrayList<>();

    private void expectNoFailures() {
        assertThat(failures).as("mismatches against the scalar reference").isEmpty();
    }

    /** Notes a mismatch; callers build {@code what} only when there is one (a message per element would dominate the run time). */
    private void record(String what, String problem) {
        if (failures.size() < 20) {
            failures.add(what + ": " + problem);
        }
    }

    // ---------------------------------------------------------------------------------------

    @Test
    void unaryF32MatchesReferenceOnEveryLayout() {
        for (Unary op : KernelInputs.unaryOps()) {
            Tolerance tol = Tolerance.f32Unary(op);
            for (int n : KernelInputs.sizes(FL)) {
                for (Layout l : layouts(n)) {
                    unaryF32(op, tol, n, l);
                }
            }
            unaryF32(op, tol, LONG, new Layout(0, 1));
            unaryF32(op, tol, LONG, new Layout(1, 2));
        }
        expectNoFailures();
    }

    private void unaryF32(Unary op, Tolerance tol, int n, Layout l) {
        float[] x = KernelInputs.f32(place(KernelInputs.values(n, n * 31L + op.id(), op), l, n));
        float[] got = new float[n + 2];
        VEC.unary(op, x, l.offset, l.stride, got, 1, n);
        for (int i = 0; i < n; i++) {
            float xi = x[l.offset + i * l.stride];
            String problem = tol.checkF32(got[1 + i], op.reference(xi), xi);
            if (problem != null) {
                record(op + " f32 n=" + n + " " + l + " at " + i + " x=" + xi, problem);
            }
        }
        if (got[0] != 0 || got[n + 1] != 0) {
            record(op + " f32 n=" + n + " wrote outside its output", "yes");
        }
    }

    @Test
    void unaryF64MatchesReferenceOnEveryLayout() {
        for (Unary op : KernelInputs.unaryOps()) {
            Tolerance tol = Tolerance.f64Unary(op);
            for (int n : KernelInputs.sizes(DL)) {
                for (Layout l : layouts(n)) {
                    unaryF64(op, tol, n, l);
                }
            }
            unaryF64(op, tol, LONG, new Layout(0, 1));
        }
        expectNoFailures();
    }

    private void unaryF64(Unary op, Tolerance tol, int n, Layout l) {
        double[] x = place(KernelInputs.values(n, n * 17L + op.id(), op), l, n);
        double[] got = new double[n + 2];
        VEC.unary(op, x, l.offset, l.stride, got, 1, n);
        for (int i = 0; i < n; i++) {
            double xi = x[l.offset + i * l.stride];
            String problem = tol.checkF64(got[1 + i], op.reference(xi), xi);
            if (problem != null) {
                record(op + " f64 n=" + n + " " + l + " at " + i + " x=" + xi, problem);
            }
        }
        if (got[0] != 0 || got[n + 1] != 0) {
            record(op + " f64 n=" + n + " wrote outside its output", "yes");
        }
    }

    // ---------------------------------------------------------------------------------------

    private static List<Layout[]> binaryLayouts(int n) {
        Layout c = new Layout(0, 1);
        return List.of(new Layout[] {c, c}, new Layout[] {new Layout(2, 1), new Layout(5, 1)},
                new Layout[] {c, new Layout(3, 0)}, new Layout[] {new Layout(4, 0), c},
                new Layout[] {new Layout(1, 0), new Layout(2, 0)}, new Layout[] {new Layout(0, 2), new Layout(1, 3)},
                new Layout[] {c, Layout.reversed(n)}, new Layout[] {new Layout(0, 0), new Layout(1, 2)});
    }

    /** Inputs for binary op tests: the right operand of POW stays small so results stay finite mostly. */
    private static double[][] binaryInputs(Binary op, int n, long seed) {
        double[] a = KernelInputs.values(n, seed, op);
        double[] b = op == Primitives.POW ? KernelInputs.uniform(n, seed + 1, -6, 6) : KernelInputs.values(n, seed + 1, op);
        if (op == Primitives.POW) {
            for (int i = 0; i < n; i++) {
                a[i] = Double.isNaN(a[i]) || a[i] > 0 ? a[i] : Math.abs(a[i]) % 50; // finite positive bases
            }
        }
        // Equal pairs make the comparisons and max/min ties meaningful.
        for (int i = 0; i < n; i += 5) {
            b[i] = a[i];
        }
        return new double[][] {a, b};
    }

    @Test
    void binaryF32MatchesReferenceOnEveryLayout() {
        for (Binary op : KernelInputs.binaryOps()) {
            Tolerance tol = Tolerance.f32Binary(op);
            for (int n : KernelInputs.sizes(FL)) {
                for (Layout[] ls : binaryLayouts(n)) {
                    binaryF32(op, tol, n, ls[0], ls[1]);
                }
            }
            binaryF32(op, tol, LONG, new Layout(0, 1), new Layout(0, 1));
            binaryF32(op, tol, LONG, new Layout(0, 1), new Layout(7, 0));
        }
        expectNoFailures();
    }

    private void binaryF32(Binary op, Tolerance tol, int n, Layout la, Layout lb) {
        double[][] in = binaryInputs(op, n, n * 13L + op.id());
        float[] a = KernelInputs.f32(place(in[0], la, n));
        float[] b = KernelInputs.f32(place(in[1], lb, n));
        float[] got = new float[n + 2];
        VEC.binary(op, a, la.offset, la.stride, b, lb.offset, lb.stride, got, 1, n);
        for (int i = 0; i < n; i++) {
            float ai = a[la.offset + i * la.stride];
            float bi = b[lb.offset + i * lb.stride];
            String problem = tol.checkF32(got[1 + i], op.reference(ai, bi), 0);
            if (problem != null) {
                record(op + " f32 n=" + n + " a " + la + ", b " + lb + " at " + i + " (" + ai + ", " + bi + ")", problem);
            }
        }
        if (got[0] != 0 || got[n + 1] != 0) {
            record(op + " f32 n=" + n + " wrote outside its output", "yes");
        }
    }

    /**
     * The streaming form of add, sub, mul and relu (256-bit vectors four a step, for ranges beyond
     * the L1 data cache where the preferred species is wider) gives the scalar loop's bits, at sizes
     * from where it starts with every count of vectors and elements in the tail, at offsets, and
     * with the output over an input. Where the form is not taken (256-bit preferred species) these
     * sizes run the main loops.
     */
    @Test
    void theStreamingFormGivesTheScalarBits() {
        int from32 = (int) (FloatLoops.L1_BYTES / (3 * Float.BYTES)) + 1;
        int from64 = (int) (DoubleLoops.L1_BYTES / (3 * Double.BYTES)) + 1;
        assertThat(FloatLoops.streams(from32, 3)).isEqualTo(FloatLoops.WIDE);
        assertThat(FloatLoops.streams(from32 - 1, 3)).isFalse();
        assertThat(DoubleLoops.streams(from64, 3)).isEqualTo(DoubleLoops.WIDE);
        for (int extra : new int[] {0, 1, FloatLoops.HL - 1, 2 * FloatLoops.HL + 5, 3 * FloatLoops.HL,
                4 * FloatLoops.HL + 7, 11 * FloatLoops.HL + 1}) {
            int n = 2 * from32 + extra;
            float[] a = KernelInputs.f32(KernelInputs.values(n + 1, n * 23L, Primitives.NEG));
            float[] b = KernelInputs.f32(KernelInputs.values(n + 3, n * 29L, Primitives.NEG));
            for (String op : List.of("add", "sub", "mul", "relu")) {
                float[] want = new float[n];
                for (int i = 0; i < n; i++) {
                    float x = a[1 + i];
                    float z = b[3 + i];
                    want[i] = switch (op) {
                        case "add" -> x + z;
                        case "sub" -> x - z;
                        case "mul" -> x * z;
                        default -> x <= 0f ? 0f : x;
                    };
                }
                float[] y = new float[n + 2];
                float[] over = a.clone();
                switch (op) {
                    case "add" -> {
                        FloatLoops.add(a, 1, b, 3, y, 2, n);
                        FloatLoops.add(over, 1, b, 3, over, 1, n);
                    }
                    case "sub" -> {
                        FloatLoops.sub(a, 1, b, 3, y, 2, n);
                        FloatLoops.sub(over, 1, b, 3, over, 1, n);
                    }
                    case "mul" -> {
                        FloatLoops.mul(a, 1, b, 3, y, 2, n);
                        FloatLoops.mul(over, 1, b, 3, over, 1, n);
                    }
                    default -> {
                        FloatLoops.relu(a, 1, y, 2, n);
                        FloatLoops.relu(over, 1, over, 1, n);
                    }
                }
                assertThat(Arrays.copyOfRange(y, 2, n + 2)).as("F32 %s n=%d", op, n).isEqualTo(want);
                assertThat(Arrays.copyOfRange(over, 1, n + 1)).as("F32 %s in place n=%d", op, n).isEqualTo(want);
                assertThat(y[0]).isZero();
                assertThat(y[1]).isZero();
            }
        }
        for (int extra : new int[] {0, 1, DoubleLoops.HL - 1, 2 * DoubleLoops.HL + 3, 4 * DoubleLoops.HL + 5}) {
            int n = 2 * from64 + extra;
            double[] a = KernelInputs.values(n + 1, n * 31L, Primitives.NEG);
            double[] b = KernelInputs.values(n + 3, n * 37L, Primitives.NEG);
            double[] sum = new double[n];
            double[] product = new double[n];
            double[] relu = new double[n];
            DoubleLoops.add(a, 1, b, 3, sum, 0, n);
            DoubleLoops.mul(a, 1, b, 3, product, 0, n);
            DoubleLoops.relu(a, 1, relu, 0, n);
            double[] wantSum = new double[n];
            double[] wantProduct = new double[n];
            double[] wantRelu = new double[n];
            for (int i = 0; i < n; i++) {
                wantSum[i] = a[1 + i] + b[3 + i];
                wantProduct[i] = a[1 + i] * b[3 + i];
                wantRelu[i] = a[1 + i] <= 0 ? 0.0 : a[1 + i];
            }
            assertThat(sum).as("F64 add n=%d", n).isEqualTo(wantSum);
            assertThat(product).as("F64 mul n=%d", n).isEqualTo(wantProduct);
            assertThat(relu).as("F64 relu n=%d", n).isEqualTo(wantRelu);
        }
    }

    /**
     * Output written over an input, as an in-place update does: the streaming loops load the next
     * vector before they store the current one, which must not change what they compute. Sizes
     * include whole numbers of vectors (no masked tail) on both sides of the short-range cut.
     */
    @Test
    void f32OpsWrittenOverTheirInputMatchReference() {
        List<Integer> sizes = new ArrayList<>(KernelInputs.sizes(FL));
        sizes.addAll(List.of(2 * FL, 64 * FL, LONG));
        for (int n : sizes) {
            for (Unary op : KernelInputs.unaryOps()) {
                Tolerance tol = Tolerance.f32Unary(op);
                float[] x = KernelInputs.f32(KernelInputs.values(n, n * 17L + op.id(), op));
                float[] y = x.clone();
                VEC.unary(op, y, 0, 1, y, 0, n);
                for (int i = 0; i < n; i++) {
                    String problem = tol.checkF32(y[i], op.reference(x[i]), x[i]);
                    if (problem != null) {
                        record(op + " f32 in place n=" + n + " at " + i + " x=" + x[i], problem);
                    }
                }
            }
            for (Binary op : KernelInputs.binaryOps()) {
                Tolerance tol = Tolerance.f32Binary(op);
                double[][] in = binaryInputs(op, n, n * 19L + op.id());
                float[] a = KernelInputs.f32(in[0]);
                float[] b = KernelInputs.f32(in[1]);
                for (int over = 0; over < 2; over++) {
                    float[] y = (over == 0 ? a : b).clone();
                    float[] left = over == 0 ? y : a;
                    float[] right = over == 0 ? b : y;
                    VEC.binary(op, left, 0, 1, right, 0, 1, y, 0, n);
                    for (int i = 0; i < n; i++) {
                        String problem = tol.checkF32(y[i], op.reference(a[i], b[i]), 0);
                        if (problem != null) {
                            record(op + " f32 over operand " + over + " n=" + n + " at " + i + " (" + a[i] + ", " + b[i]
                                    + ")", problem);
                        }
                    }
                }
            }
        }
        expectNoFailures();
    }

    @Test
    void binaryWithANumberGivesTheBitsOfBinaryWithTheNumberBroadcast() {
        for (Binary op : KernelInputs.binaryOps()) {
            if (op == Primitives.POW) {
                continue; // its SIMD bits depend on whether C2 has compiled it yet, so two calls may differ
            }
            for (int n : KernelInputs.sizes(FL)) {
                double[][] in = binaryInputs(op, n + 1, n * 7L + op.id());
                float[] a = KernelInputs.f32(place(in[0], new Layout(1, 1), n));
                float c = (float) in[1][0];
                float[] want = new float[n + 2];
                float[] got = new float[n + 2];
                VEC.binary(op, a, 1, 1, new float[] {c}, 0, 0, want, 1, n);
                VEC.binaryScalar(op, a, 1, c, got, 1, n);
                if (!Arrays.equals(got, want)) {
                    record(op + " f32 with a number, n=" + n, Arrays.toString(got) + " != " + Arrays.toString(want));
                }
                double[] ad = place(in[0], new Layout(1, 1), n);
                double[] wantD = new double[n + 2];
                double[] gotD = new double[n + 2];
                VEC.binary(op, ad, 1, 1, new double[] {in[1][0]}, 0, 0, wantD, 1, n);
                VEC.binaryScalar(op, ad, 1, in[1][0], gotD, 1, n);
                if (!Arrays.equals(gotD, wantD)) {
                    record(op + " f64 with a number, n=" + n, Arrays.toString(gotD) + " != " + Arrays.toString(wantD));
                }
            }
        }
        expectNoFailures();
        assertThatThrownBy(() -> VEC.binaryScalar(Primitives.ADD, new float[4], 2, 1f, new float[4], 0, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("left operand");
    }

    @Test
    void binaryF64MatchesReferenceOnEveryLayout() {
        for (Binary op : KernelInputs.binaryOps()) {
            Tolerance tol = Tolerance.f64Binary(op);
            for (int n : KernelInputs.sizes(DL)) {
                for (Layout[] ls : binaryLayouts(n)) {
                    binaryF64(op, tol, n, ls[0], ls[1]);
                }
            }
            binaryF64(op, tol, LONG, new Layout(0, 1), new Layout(0, 1));
        }
        expectNoFailures();
    }

    private void binaryF64(Binary op, Tolerance tol, int n, Layout la, Layout lb) {
        double[][] in = binaryInputs(op, n, n * 7L + op.id());
        double[] a = place(in[0], la, n);
        double[] b = place(in[1], lb, n);
        double[] got = new double[n + 2];
        VEC.binary(op, a, la.offset, la.stride, b, lb.offset, lb.stride, got, 1, n);
        for (int i = 0; i < n; i++) {
            double ai = a[la.offset + i * la.stride];
            double bi = b[lb.offset + i * lb.stride];
            String problem = tol.checkF64(got[1 + i], op.reference(ai, bi), 0);
            if (problem != null) {
                record(op + " f64 n=" + n + " a " + la + ", b " + lb + " at " + i + " (" + ai + ", " + bi + ")", problem);
            }
        }
        if (got[0] != 0 || got[n + 1] != 0) {
            record(op + " f64 n=" + n + " wrote outside its output", "yes");
        }
    }

    // ---------------------------------------------------------------------------------------

    private static List<Integer> reductionSizes(int lanes) {
        List<Integer> s = new ArrayList<>(KernelInputs.sizes(lanes));
        s.addAll(List.of(2 * lanes, 2 * lanes - 1, 4 * lanes, 4 * lanes + 1, 8 * lanes - 1, KernelInputs.BIG));
        return s;
    }

    @Test
    void maxAndMinReductionsAreExactIncludingNanAndSignedZero() {
        for (int n : reductionSizes(FL)) {
            for (int variant = 0; variant < 4; variant++) {
                double[] v = KernelInputs.uniform(n + 3, n + variant, -100, 100);
                if (variant == 1 && n > 0) {
                    v[3 + n - 1] = Double.NaN; // NaN in the tail
                } else if (variant == 2 && n > 0) {
                    v[3 + n / 2] = Double.NaN;
                } else if (variant == 3) {
                    java.util.Arrays.fill(v, 3, 3 + n, 0.0);
                    if (n > 0) {
                        v[3 + n / 3] = -0.0;
                    }
                }
                float[] f = KernelInputs.f32(v);
                for (Reduce op : List.of(Primitives.MAX, Primitives.MIN)) {
                    String problem = Tolerance.EXACT.checkF32(VEC.reduce(op, f, 3, n), REF.reduce(op, f, 3, n), 0);
                    if (problem != null) {
                        record(op + " f32 n=" + n + " variant " + variant, problem);
                    }
                    problem = Tolerance.EXACT.checkF64(VEC.reduce(op, v, 3, n), REF.reduce(op, v, 3, n), 0);
                    if (problem != null) {
                        record(op + " f64 n=" + n + " variant " + variant, problem);
                    }
                }
            }
        }
        expectNoFailures();
    }

    @Test
    void sumAndProdReductionsAreWithinTheReassociationBound() {
        for (int n : reductionSizes(FL)) {
            double[] v = KernelInputs.uniform(n + 1, n, -1, 1);
            float[] f = KernelInputs.f32(v);
            double exact = 0;
            double absSum = 0;
            for (int i = 1; i <= n; i++) {
                exact += f[i];
                absSum += Math.abs(f[i]);
            }
            // Any summation order is within n·u·Σ|x| of the exact sum (u the unit roundoff).
            assertThat((double) VEC.reduce(Primitives.SUM, f, 1, n)).as("f32 sum n=%d", n)
                    .isCloseTo(exact, org.assertj.core.data.Offset.offset(n * 0x1p-24 * absSum + 1e-30));
            assertThat(VEC.reduce(Primitives.SUM, v, 1, n)).as("f64 sum n=%d", n)
                    .isCloseTo(REF.reduce(Primitives.SUM, v, 1, n), org.assertj.core.data.Offset.offset(n * 0x1p-53 * absSum * 2 + 1e-300));
            // Products of factors near 1 stay representable; relative error at most n·u.
            double[] p = KernelInputs.uniform(n + 1, n + 5, 0.999, 1.001);
            float[] pf = KernelInputs.f32(p);
            double exactProd = 1;
            for (int i = 1; i <= n; i++) {
                exactProd *= pf[i];
            }
            assertThat((double) VEC.reduce(Primitives.PROD, pf, 1, n)).as("f32 prod n=%d", n)
                    .isCloseTo(exactProd, org.assertj.core.data.Offset.offset((n + 1) * 0x1p-24 * exactProd));
            assertThat(VEC.reduce(Primitives.PROD, p, 1, n)).as("f64 prod n=%d", n)
                    .isCloseTo(REF.reduce(Primitives.PROD, p, 1, n), org.assertj.core.data.Offset.offset((n + 1) * 0x1p-52 * exactProd));
        }
        for (Reduce op : List.of(Primitives.SUM, Primitives.PROD, Primitives.MAX, Primitives.MIN)) {
            assertThat(VEC.reduce(op, new float[3], 2, 0)).as("empty %s", op).isEqualTo((float) op.identity());
            assertThat(VEC.reduce(op, new double[3], 2, 0)).as("empty %s", op).isEqualTo(op.identity());
        }
    }

    @Test
    void sumPropagatesNanAndInfinity() {
        float[] f = KernelInputs.f32(KernelInputs.uniform(1000, 3, -1, 1));
        f[777] = Float.NaN;
        assertThat(VEC.reduce(Primitives.SUM, f, 0, 1000)).isNaN();
        f[777] = Float.POSITIVE_INFINITY;
        assertThat(VEC.reduce(Primitives.SUM, f, 0, 1000)).isEqualTo(Float.POSITIVE_INFINITY);
        float[] ones = new float[1000];
        java.util.Arrays.fill(ones, 1.01f);
        ones[999] = Float.POSITIVE_INFINITY;
        assertThat(VEC.reduce(Primitives.PROD, ones, 0, 1000)).isEqualTo(Float.POSITIVE_INFINITY);
        ones[3] = 0;
        assertThat(VEC.reduce(Primitives.PROD, ones, 0, 1000)).isNaN();
    }

    @Test
    void accumulateMatchesReferenceBitForBit() {
        for (Reduce op : List.of(Primitives.SUM, Primitives.PROD, Primitives.MAX, Primitives.MIN)) {
            for (int n : reductionSizes(FL)) {
                double[] accV = KernelInputs.values(n + 2, n, op);
                double[] xV = KernelInputs.values(n + 4, n + 1, op);
                float[] accGot = KernelInputs.f32(accV);
                float[] accWant = accGot.clone();
                float[] x = KernelInputs.f32(xV);
                VEC.accumulate(op, accGot, 2, x, 4, n);
                REF.accumulate(op, accWant, 2, x, 4, n);
                for (int i = 0; i < n + 2; i++) {
                    String problem = Tolerance.EXACT.checkF32(accGot[i], accWant[i], 0);
                    if (problem != null) {
                        record(op + " accumulate f32 n=" + n + " at " + i, problem);
                    }
                }
                double[] dGot = accV.clone();
                double[] dWant = accV.clone();
                VEC.accumulate(op, dGot, 2, xV, 4, n);
                REF.accumulate(op, dWant, 2, xV, 4, n);
                for (int i = 0; i < n + 2; i++) {
                    String problem = Tolerance.EXACT.checkF64(dGot[i], dWant[i], 0);
                    if (problem != null) {
                        record(op + " accumulate f64 n=" + n + " at " + i, problem);
                    }
                }
            }
        }
        expectNoFailures();
    }

    /**
     * Max pooling's window kernels, bit for bit, on windows of 1 to 9 taps whose values are drawn
     * from a few levels (so ties are common) with some NaNs, at channel counts around the lane
     * count; the taps overlap (stride 1 between pixels of c channels) as overlapping windows do.
     */
    @Test
    void poolingWindowsMatchReferenceBitForBit() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int c : new int[] {1, 2, FL - 1, FL, FL + 1, 2 * FL, 2 * FL + 3, 37, 64}) {
            for (int nTaps = 1; nTaps <= 9; nTaps++) {
                int[] taps = new int[nTaps];
                for (int t = 0; t < nTaps; t++) {
                    taps[t] = (t + r.nextInt(2)) * c; // repeats a pixel now and then, as a tie would
                }
                int pixels = nTaps + 2;
                float[] x = new float[3 + pixels * c];
                for (int i = 0; i < x.length; i++) {
                    int u = r.nextInt(20);
                    x[i] = u == 0 ? Float.NaN : u == 1 ? -0f : (float) (u % 4) - 1.5f;
                }
                float[] dy = new float[1 + c];
                for (int i = 0; i < dy.length; i++) {
                    dy[i] = (float) r.nextDouble(-2, 2);
                }
                float[] yGot = new float[c + 1];
                float[] yWant = new float[c + 1];
                VEC.windowMax(x, 3, taps, nTaps, yGot, 1, c);
                REF.windowMax(x, 3, taps, nTaps, yWant, 1, c);
                float[] dxGot = KernelInputs.f32(KernelInputs.uniform(2 + pixels * c, 3, -1, 1));
                float[] dxWant = dxGot.clone();
                VEC.windowMaxRoute(x, 3, taps, nTaps, dy, 1, dxGot, 2, c, false);
                REF.windowMaxRoute(x, 3, taps, nTaps, dy, 1, dxWant, 2, c, false);
                for (int i = 0; i < yGot.length; i++) {
                    String problem = Tolerance.EXACT.checkF32(yGot[i], yWant[i], 0);
                    if (problem != null) {
                        record("windowMax c=" + c + " taps=" + nTaps + " at " + i, problem);
                    }
                }
                for (int i = 0; i < dxGot.length; i++) {
                    String problem = Tolerance.EXACT.checkF32(dxGot[i], dxWant[i], 0);
                    if (problem != null) {
                        record("windowMaxRoute c=" + c + " taps=" + nTaps + " at " + i, problem);
                    }
                }
                // Disjoint windows: distinct taps over a zeroed dx, which the SIMD kernel overwrites.
                int[] distinct = new int[nTaps];
                for (int t = 0; t < nTaps; t++) {
                    distinct[t] = t * c;
                }
                dy[1 + r.nextInt(c)] = -0f;
                float[] dxStored = new float[2 + pixels * c];
                float[] dxAdded = new float[2 + pixels * c];
                VEC.windowMaxRoute(x, 3, distinct, nTaps, dy, 1, dxStored, 2, c, true);
                REF.windowMaxRoute(x, 3, distinct, nTaps, dy, 1, dxAdded, 2, c, true);
                for (int i = 0; i < dxStored.length; i++) {
                    String problem = Tolerance.EXACT.checkF32(dxStored[i], dxAdded[i], 0);
                    if (problem != null) {
                        record("disjoint windowMaxRoute c=" + c + " taps=" + nTaps + " at " + i, problem);
                    }
                }
            }
        }
        expectNoFailures();
    }

    // ---------------------------------------------------------------------------------------

    @Test
    void softmaxRowsMatchesTheScalarKernel() {
        int[] colsList = {1, 2, FL - 1, FL, FL + 1, 2 * FL + 1, 97, 1000, 1024};
        for (int rows : new int[] {0, 1, 3, 17}) {
            for (int cols : colsList) {
                double[] v = KernelInputs.uniform(rows * cols + 5, rows * 100L + cols, -30, 30);
                if (rows == 17 && cols > 2) {
                    v[5 + cols] = Double.NEGATIVE_INFINITY; // a masked position in row 1
                    java.util.Arrays.fill(v, 5 + 2 * cols, 5 + 3 * cols, Double.NEGATIVE_INFINITY); // row 2 all masked
                    v[5 + 3 * cols + 1] = Double.POSITIVE_INFINITY; // row 3
                    v[5 + 4 * cols + cols - 1] = Double.NaN; // row 4, in the tail
                    v[5 + 5 * cols] = 1e30; // row 5: a huge but finite maximum
                }
                float[] x = KernelInputs.f32(v);
                float[] got = new float[rows * cols + 1];
                float[] want = new float[rows * cols + 1];
                VEC.softmaxRows(x, 5, got, 1, rows, cols);
                REF.softmaxRows(x, 5, want, 1, rows, cols);
                double[] gotD = new double[rows * cols];
                double[] wantD = new double[rows * cols];
                VEC.softmaxRows(v, 5, gotD, 0, rows, cols);
                REF.softmaxRows(v, 5, wantD, 0, rows, cols);
                for (int i = 0; i < rows * cols; i++) {
                    // One exp (<= 1 ulp), a float sum over the row, and a multiply by its reciprocal.
                    String problem = new Tolerance(4, 1e-5, 0).checkF32(got[1 + i], want[1 + i], 0);
                    if (problem != null) {
                        record("softmax f32 [" + rows + ", " + cols + "] at " + i, problem);
                    }
                    problem = new Tolerance(8, 1e-13, 0).checkF64(gotD[i], wantD[i], 0);
                    if (problem != null) {
                        record("softmax f64 [" + rows + ", " + cols + "] at " + i, problem);
                    }
                }
                assertThat(got[0]).isZero();
            }
        }
        expectNoFailures();
    }

    @Test
    void expGivesTheSameBitsWhetherOrNotItsVectorNeedsTheSubnormalPath() {
        // The same inputs in [-86.5, 89] twice: alone (every vector takes the one-factor path)
        // and with lane 0 of each vector at -100 (every vector takes the two-factor path); several
        // passes, so that the compiled loop is checked as well as the interpreted one.
        int n = 1 << 18;
        float[] x = new float[n];
        float[] mixed = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -86.5f + (175.5f * i) / n;
            mixed[i] = i % FL == 0 ? -100f : x[i];
        }
        float[] alone = new float[n];
        float[] withSubnormal = new float[n];
        for (int pass = 0; pass < 3; pass++) {
            VEC.unary(Primitives.EXP, x, 0, 1, alone, 0, n);
            VEC.unary(Primitives.EXP, mixed, 0, 1, withSubnormal, 0, n);
        }
        for (int i = 0; i < n; i++) {
            if (i % FL != 0) {
                assertThat(Float.floatToRawIntBits(withSubnormal[i])).as("exp(%s)", x[i])
                        .isEqualTo(Float.floatToRawIntBits(alone[i]));
            } else {
                String problem = Tolerance.ulps(1).checkF32(withSubnormal[i], Math.exp(-100), -100);
                if (problem != null) {
                    record("exp(-100)", problem);
                }
            }
        }
        expectNoFailures();
    }

    @Test
    void opsBuiltOnExpGiveTheSameBitsWhetherOrNotTheirVectorNeedsTheSubnormalPath() {
        // sigmoid, softplus and GELU (tanh form) take e^-|u| on one path when every lane's result
        // is a normal float and on the general path otherwise. The same inputs twice: alone (|u| ≤
        // 86.5 everywhere: the one-factor path) and with lane 0 of each vector far out (every
        // vector takes the general path); the other lanes must agree bit for bit, compiled too.
        int n = 1 << 16;
        checkSameBitsOnBothExpPaths(Primitives.SIGMOID, 86.5f, -100f, n);
        checkSameBitsOnBothExpPaths(Primitives.SOFTPLUS, 86.5f, -100f, n);
        // u = x·(G0 + G1·x²) reaches -86.5 near x = -9.92; x = -20 gives u ≈ -603.
        checkSameBitsOnBothExpPaths(Primitives.GELU_TANH, 9.9f, -20f, n);
        expectNoFailures();
    }

    private void checkSameBitsOnBothExpPaths(Unary op, float bound, float far, int n) {
        float[] x = new float[n];
        float[] mixed = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -bound + (2 * bound * i) / n;
            mixed[i] = i % FL == 0 ? far : x[i];
        }
        float[] alone = new float[n];
        float[] withFar = new float[n];
        for (int pass = 0; pass < 3; pass++) {
            VEC.unary(op, x, 0, 1, alone, 0, n);
            VEC.unary(op, mixed, 0, 1, withFar, 0, n);
        }
        for (int i = 0; i < n; i++) {
            if (i % FL != 0 && Float.floatToRawIntBits(withFar[i]) != Float.floatToRawIntBits(alone[i])) {
                record(op.name() + "(" + x[i] + ")", "general path " + withFar[i] + ", one-factor path " + alone[i]);
            }
        }
        float want = (float) op.reference(far);
        if (Float.floatToRawIntBits(withFar[0]) != Float.floatToRawIntBits(want)
                && Math.abs(withFar[0] - want) > 1e-6 * Math.max(1, Math.abs(want))) {
            record(op.name() + "(" + far + ")", "got " + withFar[0] + ", reference " + want);
        }
    }

    @Test
    void softmaxRowsFlushesTermsBelowTheNormalRangeAndKeepsTheRest() {
        // Row 0 has entries at x - max from 0 down to -110, across the flush point -87.33; row 1
        // has the same spread reversed and shifted, so its maximum (found while row 0 runs) sits
        // in the partial last vector.
        int cols = 2 * FL + 3;
        float[] x = new float[2 * cols];
        for (int j = 0; j < cols; j++) {
            x[j] = 5 - (110f * j) / (cols - 1);
            x[cols + cols - 1 - j] = -20 - (110f * j) / (cols - 1);
        }
        float[] got = new float[x.length];
        float[] want = new float[x.length];
        VEC.softmaxRows(x, 0, got, 0, 2, cols);
        REF.softmaxRows(x, 0, want, 0, 2, cols);
        for (int row = 0; row < 2; row++) {
            float max = row == 0 ? 5 : -20;
            for (int j = 0; j < cols; j++) {
                int i = row * cols + j;
                if (x[i] - max < FloatMathLoops.SOFTMAX_FLUSH) {
                    assertThat(got[i]).as("flushed at %d (x - max = %s)", i, x[i] - max).isZero();
                    assertThat(want[i]).as("reference at %d", i).isLessThan(Float.MIN_NORMAL);
                } else {
                    String problem = new Tolerance(4, 1e-5, 0).checkF32(got[i], want[i], 0);
                    if (problem != null) {
                        record("softmax at " + i, problem);
                    }
                    assertThat(got[i]).as("kept at %d", i).isGreaterThanOrEqualTo(Float.MIN_NORMAL / 2);
                }
            }
        }
        expectNoFailures();
    }

    @Test
    void softmaxRowsHandlesMaskedAndNonFiniteRowsAsTheCompositeDoes() {
        float[] x = {0, Float.NEGATIVE_INFINITY, 0, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.NEGATIVE_INFINITY, 1, Float.POSITIVE_INFINITY, 2};
        float[] y = new float[9];
        VEC.softmaxRows(x, 0, y, 0, 3, 3);
        // Masked positions get 0; an all -inf row is 0/0; with +inf the shift is 0, so finite entries
        // get e^x/inf = 0 and the +inf entry inf/inf = NaN: exactly what the composite computes.
        assertThat(y).containsExactly(0.5f, 0f, 0.5f, Float.NaN, Float.NaN, Float.NaN, 0f, Float.NaN, 0f);
    }

    // ---------------------------------------------------------------------------------------

    @Test
    void badRangesAreReportedWithTheOpAndNumbers() {
        float[] x = new float[10];
        float[] y = new float[10];
        assertThatThrownBy(() -> VEC.unary(Primitives.EXP, x, 5, 1, y, 0, 6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exp").hasMessageContaining("input of 6 elements at offset 5");
        assertThatThrownBy(() -> VEC.binary(Primitives.ADD, x, 0, 2, y, 0, 1, y, 0, 6))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("add: left operand");
        assertThatThrownBy(() -> VEC.reduce(Primitives.SUM, x, -1, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sum");
        assertThatThrownBy(() -> VEC.softmaxRows(x, 0, y, 2, 3, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("softmax: output block [3, 3] at offset 2");
        assertThatThrownBy(() -> REF.unary(Primitives.EXP, x, 5, 1, y, 0, 6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exp");
    }
}
