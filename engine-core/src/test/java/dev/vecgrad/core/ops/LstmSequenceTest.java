package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/** {@link RecurrentOps#lstmSequence} against the LSTM equations written out in double loops. */
class LstmSequenceTest {

    private static double[] random(Rng rng, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * (2 * rng.nextDouble() - 1);
        }
        return v;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /**
     * The recurrence step by step: z = xz[t] + h·u; i, f, o = σ; g = tanh; c' = f·c + i·g;
     * h' = o·tanh(c'); a masked-out sample keeps its state. Rows are [h, c, i, f, g, o].
     */
    private static double[] reference(double[] xz, double[] u, double[] h0, double[] c0, double[] mask,
            int steps, int batch, int units) {
        int h4 = 4 * units;
        double[] out = new double[steps * batch * 6 * units];
        double[] h = h0.clone();
        double[] c = c0.clone();
        for (int t = 0; t < steps; t++) {
            double[] hNext = h.clone();
            double[] cNext = c.clone();
            for (int b = 0; b < batch; b++) {
                double[] z = new double[h4];
                for (int j = 0; j < h4; j++) {
                    double s = xz[(t * batch + b) * h4 + j];
                    for (int q = 0; q < units; q++) {
                        s += h[b * units + q] * u[q * h4 + j];
                    }
                    z[j] = s;
                }
                int row = (t * batch + b) * 6 * units;
                boolean keep = mask != null && mask[t * batch + b] == 0;
                for (int q = 0; q < units; q++) {
                    double ig = sigmoid(z[q]);
                    double fg = sigmoid(z[units + q]);
                    double gg = Math.tanh(z[2 * units + q]);
                    double og = sigmoid(z[3 * units + q]);
                    double cq = fg * c[b * units + q] + ig * gg;
                    double hq = og * Math.tanh(cq);
                    if (keep) {
                        cq = c[b * units + q];
                        hq = h[b * units + q];
                    }
                    out[row + q] = hq;
                    out[row + units + q] = cq;
                    out[row + 2 * units + q] = ig;
                    out[row + 3 * units + q] = fg;
                    out[row + 4 * units + q] = gg;
                    out[row + 5 * units + q] = og;
                    hNext[b * units + q] = hq;
                    cNext[b * units + q] = cq;
                }
            }
            h = hNext;
            c = cNext;
        }
        return out;
    }

    @Test
    void matchesTheEquationsWithAndWithoutAMaskInBothPrecisions() {
        int steps = 4;
        int batch = 3;
        int units = 5;
        Rng rng = new Rng(41);
        double[] xz = random(rng, steps * batch * 4 * units, 1.5);
        double[] u = random(rng, units * 4 * units, 0.8);
        double[] h0 = random(rng, batch * units, 0.9);
        double[] c0 = random(rng, batch * units, 2);
        // Sample 1 is masked out at the first step (keeps h0, c0), sample 2 at a later one.
        double[] mask = {1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1};
        for (double[] m : new double[][] {null, mask}) {
            double[] expected = reference(xz, u, h0, c0, m, steps, batch, units);
            for (DType dtype : new DType[] {DType.F64, DType.F32}) {
                Tensor got = RecurrentOps.lstmSequence(
                        Tensor.of(xz, steps, batch, 4 * units).cast(dtype),
                        Tensor.of(u, units, 4 * units).cast(dtype),
                        Tensor.of(h0, batch, units).cast(dtype),
                        Tensor.of(c0, batch, units).cast(dtype),
                        m == null ? null : Tensor.of(m, steps, batch, 1).cast(dtype));
                assertThat(got.shape()).isEqualTo(Shape.of(steps, batch, 6 * units));
                assertThat(got.dtype()).isEqualTo(dtype);
                double[] v = got.toDoubleArray();
                double tol = dtype == DType.F64 ? 1e-12 : 2e-6;
                for (int i = 0; i < v.length; i++) {
                    assertThat(v[i]).as("%s mask %s element %d", dtype, m != null, i).isCloseTo(expected[i], within(tol));
                }
            }
        }
    }

    @Test
    void viewsAreReadAsTheirElements() {
        int steps = 2;
        int batch = 2;
        int units = 3;
        Rng rng = new Rng(5);
        double[] xz = random(rng, steps * batch * 4 * units, 1);
        double[] u = random(rng, units * 4 * units, 1);
        double[] h0 = random(rng, batch * units, 1);
        double[] c0 = random(rng, batch * units, 1);
        double[] expected = reference(xz, u, h0, c0, null, steps, batch, units);
        // u as the transpose of its transpose, h0 as a slice of a wider block: neither is contiguous.
        Tensor uView = Tensor.of(u, units, 4 * units).transpose(0, 1).contiguous().transpose(0, 1);
        double[] wide = new double[batch * 2 * units];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(h0, b * units, wide, b * 2 * units + units, units);
        }
        Tensor h0View = Tensor.of(wide, batch, 2 * units).slice(1, units, 2 * units, 1);
        assertThat(uView.isContiguous()).isFalse();
        assertThat(h0View.isContiguous()).isFalse();
        double[] got = RecurrentOps.lstmSequence(Tensor.of(xz, steps, batch, 4 * units), uView, h0View,
                Tensor.of(c0, batch, units), null).toDoubleArray();
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as("element %d", i).isCloseTo(expected[i], within(1e-12));
        }
    }

    @Test
    void inputsThatDoNotFitAreRefusedWithTheirShapes() {
        Tensor xz = Tensor.zeros(2, 3, 8).cast(DType.F64);
        Tensor u = Tensor.zeros(2, 8).cast(DType.F64);
        Tensor s = Tensor.zeros(3, 2).cast(DType.F64);
        Tensor mask = Tensor.ones(2, 3, 1).cast(DType.F64);
        assertThat(RecurrentOps.lstmSequence(xz, u, s, s, mask).shape()).isEqualTo(Shape.of(2, 3, 12));
        assertThatThrownBy(() -> Dispatcher.call(Primitives.LSTM_SEQUENCE, null, xz, u, s))
                .hasMessageContaining("got 3 inputs");
        assertThatThrownBy(() -> Dispatcher.call(Primitives.LSTM_SEQUENCE, null, xz, u, s, s, mask, mask))
                .hasMessageContaining("got 6 inputs");
        assertThatThrownBy(() -> RecurrentOps.lstmSequence(xz.reshape(6, 8), u, s, s, null))
                .hasMessageContaining("(6, 8)");
        assertThatThrownBy(() -> RecurrentOps.lstmSequence(xz, u.reshape(16), s, s, null))
                .hasMessageContaining("recurrent kernel");
        assertThatThrownBy(() -> RecurrentOps.lstmSequence(Tensor.zeros(2, 3, 6).cast(DType.F64), u, s, s, null))
                .hasMessageContaining("(2, 3, 6)");
        assertThatThrownBy(() -> RecurrentOps.lstmSequence(Tensor.zeros(0, 3, 8).cast(DType.F64), u, s, s, null))
                .hasMessageContaining("T ≥ 1");
        assertThatThrownBy(() -> RecurrentOps.lstmSequence(xz, Tensor.zeros(2, 4).cast(DType.F64), s, s, null))
                .hasMessageContaining("must be (2, 8)");
        assertThatThrownBy(() -> RecurrentOps.lstmSequence(xz, u, Tensor.zeros(2, 3).cast(DType.F64), s, null))
                .hasMessageContaining("h0 and c0 (3, 2)");
        assertThatThrownBy(() -> RecurrentOps.lstmSequence(xz, u, s, Tensor.zeros(3, 3).cast(DType.F64), null))
                .hasMessageContaining("(3, 3)");
        assertThatThrownBy(() -> RecurrentOps.lstmSequence(xz, u, s, s, Tensor.ones(3, 2, 1).cast(DType.F64)))
                .hasMessageContaining("mask (if any) (2, 3, 1)");
        assertThatThrownBy(() -> RecurrentOps.lstmSequence(xz, u.cast(DType.F32), s, s, null))
                .hasMessageContaining("F32").hasMessageContaining("dtypes differ");
        assertThatThrownBy(() -> RecurrentOps.lstmSequence(xz, u, s, s, mask.cast(DType.F32)))
                .hasMessageContaining("F32").hasMessageContaining("dtypes differ");
        assertThatThrownBy(() -> RecurrentOps.lstmSequence(Tensor.zeros(2, 3, 8).cast(DType.I32), u, s, s, null))
                .hasMessageContaining("lstm_sequence").hasMessageContaining("floating dtype");
    }
}
