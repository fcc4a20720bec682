package dev.vecgrad.core.kernel.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.Rng;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The SIMD update kernels against the scalar reference at sizes around the vector length. */
class UpdateKernelsTest {
    private static final ScalarUpdateKernels REF = ScalarUpdateKernels.INSTANCE;
    private static final VectorUpdateKernels SIMD = VectorUpdateKernels.INSTANCE;

    private static int[] sizes() {
        int l = VectorUpdateKernels.lanes();
        return new int[] {0, 1, l - 1, l, l + 1, 2 * l + 3, 17, 31, 97, 1009, 4099};
    }

    /** Arrays for one run: w, g (with an offset of 3), and four slots (positive, as accumulators are). */
    private record Data(float[] w, float[] g, float[] a, float[] b, float[] c) {
        static Data random(int n, long seed) {
            Rng r = new Rng(seed);
            float[][] x = new float[5][];
            for (int k = 0; k < 5; k++) {
                x[k] = new float[k == 1 ? n + 3 : n];
                for (int i = 0; i < x[k].length; i++) {
                    double u = r.nextDouble() * 2 - 1;
                    x[k][i] = (float) (k == 2 ? Math.abs(u) + 0.5 : k == 3 ? Math.abs(u) : u);
                }
            }
            for (int i = 0; i < n; i++) {
                // A centered RMSprop average small against its velocity (at least 0.5) keeps the denominator positive.
                x[4][i] = x[4][i] * 0.1f;
            }
            return new Data(x[0], x[1], x[2], x[3], x[4]);
        }

        Data copy() {
            return new Data(w.clone(), g.clone(), a.clone(), b.clone(), c.clone());
        }
    }

    private static void compare(String kernel, Consumer<Data> ref, Consumer<Data> simd) {
        for (int n : sizes()) {
            Data d = Data.random(n, n * 31L + kernel.hashCode());
            Data x = d.copy();
            Data y = d.copy();
            ref.accept(x);
            simd.accept(y);
            float[][] xs = {x.w, x.a, x.b, x.c};
            float[][] ys = {y.w, y.a, y.b, y.c};
            for (int k = 0; k < xs.length; k++) {
                for (int i = 0; i < n; i++) {
                    assertThat(ys[k][i]).as("%s n=%d array %d element %d", kernel, n, k, i)
                            .isCloseTo(xs[k][i], within(2e-6f * Math.max(1, Math.abs(xs[k][i]))));
                }
            }
        }
    }

    @Test
    void sgdAndMomentum() {
        compare("sgd", d -> REF.sgd(d.w, d.w, d.g, 3, d.w.length, 0.1f), d -> SIMD.sgd(d.w, d.w, d.g, 3, d.w.length, 0.1f));
        for (boolean nesterov : new boolean[] {false, true}) {
            compare("momentum" + nesterov, d -> REF.momentum(d.w, d.w, d.g, 3, d.a, d.w.length, 0.1f, 0.9f, nesterov),
                    d -> SIMD.momentum(d.w, d.w, d.g, 3, d.a, d.w.length, 0.1f, 0.9f, nesterov));
        }
    }

    @Test
    void rmsprop() {
        compare("rmsprop", d -> REF.rmsprop(d.w, d.w, d.g, 3, d.a, null, null, d.w.length, 0.01f, 0.9f, 0f, 1e-7f),
                d -> SIMD.rmsprop(d.w, d.w, d.g, 3, d.a, null, null, d.w.length, 0.01f, 0.9f, 0f, 1e-7f));
        compare("rmsprop-centered-momentum",
                d -> REF.rmsprop(d.w, d.w, d.g, 3, d.a, d.c, d.b, d.w.length, 0.01f, 0.9f, 0.5f, 1e-3f),
                d -> SIMD.rmsprop(d.w, d.w, d.g, 3, d.a, d.c, d.b, d.w.length, 0.01f, 0.9f, 0.5f, 1e-3f));
    }

    @Test
    void adamAndAdagrad() {
        compare("adam", d -> REF.adam(d.w, d.w, d.g, 3, d.c, d.a, null, d.w.length, 0.003f, 0.9f, 0.999f, 1e-7f,
                1f), d -> SIMD.adam(d.w, d.w, d.g, 3, d.c, d.a, null, d.w.length, 0.003f, 0.9f, 0.999f, 1e-7f, 1f));
        compare("adamw", d -> REF.adam(d.w, d.w, d.g, 3, d.c, d.a, null, d.w.length, 0.003f, 0.9f, 0.999f, 1e-7f,
                0.99f), d -> SIMD.adam(d.w, d.w, d.g, 3, d.c, d.a, null, d.w.length, 0.003f, 0.9f, 0.999f, 1e-7f,
                0.99f));
        compare("adagrad", d -> REF.adagrad(d.w, d.w, d.g, 3, d.a, d.w.length, 0.01f, 1e-7f),
                d -> SIMD.adagrad(d.w, d.w, d.g, 3, d.a, d.w.length, 0.01f, 1e-7f));
    }

    @Test
    void amsgradNadamAdamaxAndLion() {
        compare("amsgrad", d -> REF.adam(d.w, d.w, d.g, 3, d.c, d.a, d.b, d.w.length, 0.003f, 0.9f, 0.999f, 1e-7f,
                0.99f), d -> SIMD.adam(d.w, d.w, d.g, 3, d.c, d.a, d.b, d.w.length, 0.003f, 0.9f, 0.999f, 1e-7f, 0.99f));
        compare("nadam", d -> REF.nadam(d.w, d.w, d.g, 3, d.c, d.a, d.w.length, 0.002f, 0.9f, 0.999f, 1e-7f, 4.1f,
                0.53f, 1.7f), d -> SIMD.nadam(d.w, d.w, d.g, 3, d.c, d.a, d.w.length, 0.002f, 0.9f, 0.999f, 1e-7f,
                4.1f, 0.53f, 1.7f));
        compare("adamax", d -> REF.adamax(d.w, d.w, d.g, 3, d.c, d.a, d.w.length, 0.01f, 0.9f, 0.95f, 1e-7f),
                d -> SIMD.adamax(d.w, d.w, d.g, 3, d.c, d.a, d.w.length, 0.01f, 0.9f, 0.95f, 1e-7f));
        compare("lion", d -> REF.lion(d.w, d.w, d.g, 3, d.c, d.w.length, 0.01f, 0.9f, 0.99f),
                d -> SIMD.lion(d.w, d.w, d.g, 3, d.c, d.w.length, 0.01f, 0.9f, 0.99f));
    }

    /** The scalar kernels by hand on one element, so the reference itself is checked, not only the SIMD copy. */
    @Test
    void newKernelsFollowTheirFormulas() {
        float[] w = {1f};
        float[] m = {0.2f};
        float[] v = {0.5f};
        float[] vhat = {0.7f};
        REF.adam(w, w, new float[] {0.4f}, 0, m, v, vhat, 1, 0.1f, 0.9f, 0.99f, 1e-7f, 1f);
        float m1 = 0.2f + (0.4f - 0.2f) * 0.1f;
        float v1 = 0.5f + (0.16f - 0.5f) * 0.01f;
        assertThat(vhat[0]).isEqualTo(0.7f);                     // the maximum kept, not the smaller new v
        assertThat(w[0]).isCloseTo(1 - 0.1f * m1 / (float) Math.sqrt(0.7), within(1e-6f));
        assertThat(v[0]).isCloseTo(v1, within(1e-7f));
        float[] u = {0.3f};
        float[] wx = {1f};
        float[] mx = {0.2f};
        REF.adamax(wx, wx, new float[] {-0.5f}, 0, mx, u, 1, 0.1f, 0.9f, 0.999f, 1e-7f);
        assertThat(u[0]).isEqualTo(0.5f);                        // max(0.999 * 0.3, |-0.5|)
        assertThat(wx[0]).isCloseTo(1 - 0.1f * (0.2f + (-0.5f - 0.2f) * 0.1f) / (0.5f + 1e-7f), within(1e-6f));
        float[] wl = {1f, 1f, 1f};
        float[] ml = {0.2f, -0.2f, 0f};
        REF.lion(wl, wl, new float[] {-1f, 1f, 0f}, 0, ml, 3, 0.1f, 0.9f, 0.99f);
        // 0.9 * 0.2 + 0.1 * -1 > 0, 0.9 * -0.2 + 0.1 * 1 < 0, and 0 stays put.
        assertThat(wl).containsExactly(0.9f, 1.1f, 1f);
        assertThat(ml[0]).isCloseTo(0.99f * 0.2f - 0.01f, within(1e-7f));
        double[] wd = {1};
        double[] md = {0.2};
        double[] vd = {0.5};
        REF.nadam(wd, new double[] {0.4}, 0, md, vd, 1, 0.1, 0.9, 0.99, 1e-7, 2.0, 0.3, 1.5);
        double m2 = 0.2 + 0.2 * 0.1;
        double v2 = 0.5 + (0.16 - 0.5) * 0.01;
        assertThat(wd[0]).isCloseTo(1 - 0.1 * (2.0 * m2 + 0.3 * 0.4) / (Math.sqrt(v2 * 1.5) + 1e-7), within(1e-12));
    }

    @Test
    void kernelsOnlyTouchTheirRange() {
        float[] w = {1, 1, 1, 1, 1};
        float[] g = {9, 9, 1, 1, 9, 9, 9};
        SIMD.sgd(w, w, g, 2, 2, 1f);
        assertThat(w).containsExactly(0, 0, 1, 1, 1);
    }

    /**
     * A zero gradient makes every decaying slot shrink geometrically. Left alone it would reach
     * the subnormal range (and every later step would run on microcode assists); both kernel sets
     * must store zero instead, and keep normal values as they are.
     */
    @Test
    void decayingSlotsAreFlushedToZeroNotLeftSubnormal() {
        for (UpdateKernels k : new UpdateKernels[] {REF, SIMD}) {
            int n = 2 * VectorUpdateKernels.lanes() + 5;
            float tiny = Float.MIN_NORMAL * 1.05f;
            float[] g = new float[n];
            float[][] slots = new float[5][n];
            for (float[] s : slots) {
                java.util.Arrays.fill(s, tiny);
            }
            slots[4][0] = 1f;
            k.momentum(new float[n], new float[n], g, 0, slots[0], n, 0.1f, 0.9f, false);
            k.rmsprop(new float[n], new float[n], g, 0, slots[1], slots[2], slots[3], n, 0.1f, 0.9f, 0.9f, 1f);
            k.adam(new float[n], new float[n], g, 0, slots[4], new float[n], null, n, 0.1f, 0.9f, 0.999f, 1e-7f, 1f);
            for (int s = 0; s < slots.length; s++) {
                for (int i = s == 4 ? 1 : 0; i < n; i++) {
                    assertThat(slots[s][i]).as("%s slot %d element %d", k.getClass().getSimpleName(), s, i)
                            .isEqualTo(0f);
                }
            }
            assertThat(slots[4][0]).as("a normal moment decays as usual").isEqualTo(0.9f);
        }
    }

    /** Writing the new weights to another array gives the in-place result and leaves the source alone. */
    @Test
    void outOfPlaceUpdatesMatchInPlaceOnes() {
        for (UpdateKernels k : new UpdateKernels[] {REF, SIMD}) {
            int n = 3 * VectorUpdateKernels.lanes() + 7;
            Data in = Data.random(n, 11);
            Data out = in.copy();
            float[] source = in.w.clone();
            float[] target = new float[n];
            k.adam(in.w, in.w, in.g, 3, in.c, in.a, null, n, 0.003f, 0.9f, 0.999f, 1e-7f, 0.99f);
            k.adam(out.w, target, out.g, 3, out.c, out.a, null, n, 0.003f, 0.9f, 0.999f, 1e-7f, 0.99f);
            assertThat(target).as(k.getClass().getSimpleName()).isEqualTo(in.w);
            assertThat(out.w).as("the source is read, not written").isEqualTo(source);
            assertThat(out.c).isEqualTo(in.c);
        }
    }
}
