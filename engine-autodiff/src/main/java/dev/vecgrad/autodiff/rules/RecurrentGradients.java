package dev.vecgrad.autodiff.rules;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.LinalgOps;
import dev.vecgrad.core.ops.OpCall;
import dev.vecgrad.core.ops.Primitives;
import dev.vecgrad.core.ops.ShapeOps;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Gradient of the recurrences over a sequence ({@code RecurrentOps}): backpropagation through
 * time, one step at a time from the last, written with tensor ops so that it can be differentiated
 * again. The recurrent kernel's gradient is one product over all steps, {@code Hprevᵀ · dZ}, where
 * the per-step form would add a kernel-sized matrix per step.
 */
final class RecurrentGradients {
    private RecurrentGradients() {
    }

    static void register(GradientRegistry.Rules r) {
        // d lstm_sequence(xz, u, h0, c0[, mask]) = backpropagation through time (see lstm)
        r.put(Primitives.LSTM_SEQUENCE, RecurrentGradients::lstm);
    }

    /**
     * With the packed output [h, c, i, f, g, o] of each step and its gradient, going back from the
     * last step with dh and dc carried from the step after (zero after the last):
     * <pre>
     *   dh += g_h      dc += g_c      dc' = dc + dh·o·(1 − tanh²c)
     *   dz_i = (dc'·g + g_i)·i(1 − i)       dz_f = (dc'·c_prev + g_f)·f(1 − f)
     *   dz_g = (dc'·i + g_g)·(1 − g²)        dz_o = (dh·tanh c + g_o)·o(1 − o)
     *   dh_prev = dz·uᵀ                      dc_prev = dc'·f
     * </pre>
     * At a masked step (mask 0) the state came from the step before unchanged: dh and dc pass to it
     * as they are, and the step's gates get only their own output gradients. Then dxz = dZ (all
     * steps' dz), du = Σ_t h_prevᵀ·dz_t as one product, and dh0, dc0 are what reaches the first step.
     */
    private static Tensor[] lstm(OpCall<Void> call, Tensor grad, boolean[] wanted) {
        Tensor xz = call.input(0);
        Tensor u = call.input(1);
        Tensor h0 = call.input(2);
        Tensor c0 = call.input(3);
        Tensor mask = call.inputCount() > 4 ? call.input(4) : null;
        Tensor out = call.output();
        int steps = xz.shape().dim(0);
        int batch = xz.shape().dim(1);
        int units = xz.shape().dim(2) / 4;
        // uᵀ once, contiguous: each step's dz·uᵀ then reads it in place instead of packing it.
        Tensor ut = u.transpose().contiguous();
        Tensor dh = Tensor.zeros(xz.dtype(), batch, units);
        Tensor dc = dh;
        List<Tensor> dz = new ArrayList<>(Collections.nCopies(steps, null));
        for (int t = steps - 1; t >= 0; t--) {
            Tensor o6 = out.slice(0, t, t + 1).reshape(batch, 6 * units);
            Tensor g6 = grad.slice(0, t, t + 1).reshape(batch, 6 * units);
            Tensor c = part(o6, 1, units);
            Tensor i = part(o6, 2, units);
            Tensor f = part(o6, 3, units);
            Tensor g = part(o6, 4, units);
            Tensor o = part(o6, 5, units);
            Tensor cPrev = t == 0 ? c0 : part(out.slice(0, t - 1, t).reshape(batch, 6 * units), 1, units);
            Tensor dhT = dh.add(part(g6, 0, units));
            Tensor dcT = dc.add(part(g6, 1, units));
            Tensor tc = c.tanh();
            Tensor keep = mask == null ? null : mask.slice(0, t, t + 1).reshape(batch, 1);
            // The state path reaches the step's computation only where the step ran.
            Tensor dhGate = keep == null ? dhT : dhT.mul(keep);
            Tensor dcGate = (keep == null ? dcT : dcT.mul(keep)).add(dhGate.mul(o).mul(tc.square().neg().add(1)));
            Tensor di = dcGate.mul(g).add(part(g6, 2, units)).mul(i.mul(i.neg().add(1)));
            Tensor df = dcGate.mul(cPrev).add(part(g6, 3, units)).mul(f.mul(f.neg().add(1)));
            Tensor dg = dcGate.mul(i).add(part(g6, 4, units)).mul(g.square().neg().add(1));
            Tensor dO = dhGate.mul(tc).add(part(g6, 5, units)).mul(o.mul(o.neg().add(1)));
            Tensor dzT = ShapeOps.concat(List.of(di, df, dg, dO), 1);
            dz.set(t, dzT);
            Tensor dhPrev = dzT.matmul(ut);
            Tensor dcPrev = dcGate.mul(f);
            if (keep != null) {
                // Where the step was masked, the state came straight from the step before.
                Tensor skip = keep.neg().add(1);
                dhPrev = dhPrev.add(dhT.mul(skip));
                dcPrev = dcPrev.add(dcT.mul(skip));
            }
            dh = dhPrev;
            dc = dcPrev;
        }
        Tensor dZ = ShapeOps.stack(dz, 0);
        Tensor du = null;
        if (wanted[1]) {
            // h_prev of every step: h0, then the hidden states of all steps but the last.
            Tensor hs = out.slice(2, 0, units);
            Tensor hPrev = steps == 1 ? h0.unsqueeze(0)
                    : ShapeOps.concat(List.of(h0.unsqueeze(0), hs.slice(0, 0, steps - 1)), 0);
            du = LinalgOps.matmul(hPrev.reshape(steps * batch, units), dZ.reshape(steps * batch, 4 * units), true, false);
        }
        return mask == null ? new Tensor[] {wanted[0] ? dZ : null, du, wanted[2] ? dh : null, wanted[3] ? dc : null}
                : new Tensor[] {wanted[0] ? dZ : null, du, wanted[2] ? dh : null, wanted[3] ? dc : null, null};
    }

    /** Block {@code k} of width {@code units} of the packed rows. */
    private static Tensor part(Tensor packed, int k, int units) {
        return packed.slice(1, k * units, (k + 1) * units);
    }
}
