package dev.vecgrad.train.optimizers;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link UpdateKernels} on the Vector API ({@code FloatVector.SPECIES_PREFERRED}). Each rule is
 * written once per vector of lanes; the last, partial vector runs the same code under a lane mask,
 * so there is no separate scalar tail. Results match {@link ScalarUpdateKernels} to rounding.
 */
public final class VectorUpdateKernels implements UpdateKernels {
    /** The one instance. */
    public static final VectorUpdateKernels INSTANCE = new VectorUpdateKernels();

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorMask<Float> ALL = S.maskAll(true);

    private VectorUpdateKernels() {
    }

    /** Lanes per vector. */
    public static int lanes() {
        return S.length();
    }

    private static VectorMask<Float> mask(int i, int n) {
        return i + S.length() <= n ? ALL : S.indexInRange(i, n);
    }

    @Override
    public void sgd(float[] w, float[] g, int gOff, int n, float lr) {
        for (int i = 0; i < n; i += S.length()) {
            VectorMask<Float> k = mask(i, n);
            FloatVector gv = FloatVector.fromArray(S, g, gOff + i, k);
            FloatVector.fromArray(S, w, i, k).sub(gv.mul(lr)).intoArray(w, i, k);
        }
    }

    @Override
    public void momentum(float[] w, float[] g, int gOff, float[] m, int n, float lr, float momentum, boolean nesterov) {
        for (int i = 0; i < n; i += S.length()) {
            VectorMask<Float> k = mask(i, n);
            FloatVector lrg = FloatVector.fromArray(S, g, gOff + i, k).mul(lr);
            FloatVector mv = FloatVector.fromArray(S, m, i, k).mul(momentum).sub(lrg);
            mv.intoArray(m, i, k);
            FloatVector step = nesterov ? mv.mul(momentum).sub(lrg) : mv;
            FloatVector.fromArray(S, w, i, k).add(step).intoArray(w, i, k);
        }
    }

    @Override
    public void rmsprop(float[] w, float[] g, int gOff, float[] v, float[] mg, float[] mom, int n, float lr, float rho,
            float momentum, float eps) {
        float oneMinusRho = 1 - rho;
        for (int i = 0; i < n; i += S.length()) {
            VectorMask<Float> k = mask(i, n);
            FloatVector gv = FloatVector.fromArray(S, g, gOff + i, k);
            FloatVector vv = FloatVector.fromArray(S, v, i, k).mul(rho).add(gv.mul(gv).mul(oneMinusRho));
            vv.intoArray(v, i, k);
            FloatVector d;
            if (mg != null) {
                FloatVector a = FloatVector.fromArray(S, mg, i, k).mul(rho).add(gv.mul(oneMinusRho));
                a.intoArray(mg, i, k);
                d = vv.sub(a.mul(a)).add(eps);
            } else {
                d = vv.add(eps);
            }
            FloatVector inc = gv.mul(lr).div(d.lanewise(VectorOperators.SQRT));
            FloatVector wv = FloatVector.fromArray(S, w, i, k);
            if (mom != null) {
                FloatVector mo = FloatVector.fromArray(S, mom, i, k).mul(momentum).add(inc);
                mo.intoArray(mom, i, k);
                wv.sub(mo).intoArray(w, i, k);
            } else {
                wv.sub(inc).intoArray(w, i, k);
            }
        }
    }

    @Override
    public void adam(float[] w, float[] g, int gOff, float[] m, float[] v, int n, float alpha, float beta1, float beta2,
            float eps, float decay) {
        float c1 = 1 - beta1;
        float c2 = 1 - beta2;
        for (int i = 0; i < n; i += S.length()) {
            VectorMask<Float> k = mask(i, n);
            FloatVector gv = FloatVector.fromArray(S, g, gOff + i, k);
            FloatVector mv = FloatVector.fromArray(S, m, i, k);
            FloatVector vv = FloatVector.fromArray(S, v, i, k);
            mv = mv.add(gv.sub(mv).mul(c1));
            vv = vv.add(gv.mul(gv).sub(vv).mul(c2));
            mv.intoArray(m, i, k);
            vv.intoArray(v, i, k);
            FloatVector step = mv.mul(alpha).div(vv.lanewise(VectorOperators.SQRT).add(eps));
            FloatVector.fromArray(S, w, i, k).mul(decay).sub(step).intoArray(w, i, k);
        }
    }

    @Override
    public void adagrad(float[] w, float[] g, int gOff, float[] acc, int n, float lr, float eps) {
        for (int i = 0; i < n; i += S.length()) {
            VectorMask<Float> k = mask(i, n);
            FloatVector gv = FloatVector.fromArray(S, g, gOff + i, k);
            FloatVector a = FloatVector.fromArray(S, acc, i, k).add(gv.mul(gv));
            a.intoArray(acc, i, k);
            FloatVector step = gv.mul(lr).div(a.add(eps).lanewise(VectorOperators.SQRT));
            FloatVector.fromArray(S, w, i, k).sub(step).intoArray(w, i, k);
        }
    }
}
