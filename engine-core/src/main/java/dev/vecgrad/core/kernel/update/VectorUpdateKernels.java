package dev.vecgrad.core.kernel.update;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link UpdateKernels} on the Vector API ({@code FloatVector.SPECIES_PREFERRED}). Each rule runs
 * unmasked over whole vectors and hands the last, partial vector to the scalar reference. A lane
 * mask that is sometimes all-true and sometimes not would be a value C2 cannot keep in a register:
 * it boxes it and every masked load and store falls back to Java code, about thirty times slower.
 * Results match {@link ScalarUpdateKernels} to rounding.
 */
public final class VectorUpdateKernels implements UpdateKernels {
    /** The one instance. */
    public static final VectorUpdateKernels INSTANCE = new VectorUpdateKernels();

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorUpdateKernels() {
    }

    /** Lanes per vector. */
    public static int lanes() {
        return S.length();
    }

    /** {@link ScalarUpdateKernels#flush(float)} on every lane. */
    private static FloatVector flush(FloatVector x) {
        return x.blend(0f, x.abs().lt(Float.MIN_NORMAL));
    }

    @Override
    public void sgd(float[] w, float[] wOut, float[] g, int gOff, int n, float lr) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector gv = FloatVector.fromArray(S, g, gOff + i);
            FloatVector.fromArray(S, w, i).sub(gv.mul(lr)).intoArray(wOut, i);
        }
        ScalarUpdateKernels.sgdFrom(i, w, wOut, g, gOff, n, lr);
    }

    @Override
    public void momentum(float[] w, float[] wOut, float[] g, int gOff, float[] m, int n, float lr, float momentum,
            boolean nesterov) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector lrg = FloatVector.fromArray(S, g, gOff + i).mul(lr);
            FloatVector mv = flush(FloatVector.fromArray(S, m, i).mul(momentum).sub(lrg));
            mv.intoArray(m, i);
            FloatVector step = nesterov ? mv.mul(momentum).sub(lrg) : mv;
            FloatVector.fromArray(S, w, i).add(step).intoArray(wOut, i);
        }
        ScalarUpdateKernels.momentumFrom(i, w, wOut, g, gOff, m, n, lr, momentum, nesterov);
    }

    @Override
    public void rmsprop(float[] w, float[] wOut, float[] g, int gOff, float[] v, float[] mg, float[] mom, int n,
            float lr, float rho, float momentum, float eps) {
        float oneMinusRho = 1 - rho;
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector gv = FloatVector.fromArray(S, g, gOff + i);
            FloatVector vv = flush(FloatVector.fromArray(S, v, i).mul(rho).add(gv.mul(gv).mul(oneMinusRho)));
            vv.intoArray(v, i);
            FloatVector d;
            if (mg != null) {
                FloatVector a = flush(FloatVector.fromArray(S, mg, i).mul(rho).add(gv.mul(oneMinusRho)));
                a.intoArray(mg, i);
                d = vv.sub(a.mul(a)).add(eps);
            } else {
                d = vv.add(eps);
            }
            FloatVector inc = gv.mul(lr).div(d.lanewise(VectorOperators.SQRT));
            FloatVector wv = FloatVector.fromArray(S, w, i);
            if (mom != null) {
                FloatVector mo = flush(FloatVector.fromArray(S, mom, i).mul(momentum).add(inc));
                mo.intoArray(mom, i);
                wv.sub(mo).intoArray(wOut, i);
            } else {
                wv.sub(inc).intoArray(wOut, i);
            }
        }
        ScalarUpdateKernels.rmspropFrom(i, w, wOut, g, gOff, v, mg, mom, n, lr, rho, momentum, eps);
    }

    @Override
    public void adam(float[] w, float[] wOut, float[] g, int gOff, float[] m, float[] v, float[] vhat, int n,
            float alpha, float beta1, float beta2, float eps, float decay) {
        float c1 = 1 - beta1;
        float c2 = 1 - beta2;
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector gv = FloatVector.fromArray(S, g, gOff + i);
            FloatVector mv = FloatVector.fromArray(S, m, i);
            FloatVector vv = FloatVector.fromArray(S, v, i);
            mv = flush(mv.add(gv.sub(mv).mul(c1)));
            vv = flush(vv.add(gv.mul(gv).sub(vv).mul(c2)));
            mv.intoArray(m, i);
            vv.intoArray(v, i);
            if (vhat != null) {
                vv = FloatVector.fromArray(S, vhat, i).max(vv);
                vv.intoArray(vhat, i);
            }
            FloatVector step = mv.mul(alpha).div(vv.lanewise(VectorOperators.SQRT).add(eps));
            FloatVector.fromArray(S, w, i).mul(decay).sub(step).intoArray(wOut, i);
        }
        ScalarUpdateKernels.adamFrom(i, w, wOut, g, gOff, m, v, vhat, n, alpha, beta1, beta2, eps, decay);
    }

    @Override
    public void adagrad(float[] w, float[] wOut, float[] g, int gOff, float[] acc, int n, float lr, float eps) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector gv = FloatVector.fromArray(S, g, gOff + i);
            FloatVector a = FloatVector.fromArray(S, acc, i).add(gv.mul(gv));
            a.intoArray(acc, i);
            FloatVector step = gv.mul(lr).div(a.add(eps).lanewise(VectorOperators.SQRT));
            FloatVector.fromArray(S, w, i).sub(step).intoArray(wOut, i);
        }
        ScalarUpdateKernels.adagradFrom(i, w, wOut, g, gOff, acc, n, lr, eps);
    }

    @Override
    public void nadam(float[] w, float[] wOut, float[] g, int gOff, float[] m, float[] v, int n, float lr, float beta1,
            float beta2, float eps, float cm, float cg, float vScale) {
        float c1 = 1 - beta1;
        float c2 = 1 - beta2;
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector gv = FloatVector.fromArray(S, g, gOff + i);
            FloatVector mv = FloatVector.fromArray(S, m, i);
            FloatVector vv = FloatVector.fromArray(S, v, i);
            mv = flush(mv.add(gv.sub(mv).mul(c1)));
            vv = flush(vv.add(gv.mul(gv).sub(vv).mul(c2)));
            mv.intoArray(m, i);
            vv.intoArray(v, i);
            FloatVector num = mv.mul(cm).add(gv.mul(cg)).mul(lr);
            FloatVector step = num.div(vv.mul(vScale).lanewise(VectorOperators.SQRT).add(eps));
            FloatVector.fromArray(S, w, i).sub(step).intoArray(wOut, i);
        }
        ScalarUpdateKernels.nadamFrom(i, w, wOut, g, gOff, m, v, n, lr, beta1, beta2, eps, cm, cg, vScale);
    }

    @Override
    public void adamax(float[] w, float[] wOut, float[] g, int gOff, float[] m, float[] u, int n, float lrT,
            float beta1, float beta2, float eps) {
        float c1 = 1 - beta1;
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector gv = FloatVector.fromArray(S, g, gOff + i);
            FloatVector mv = FloatVector.fromArray(S, m, i);
            mv = flush(mv.add(gv.sub(mv).mul(c1)));
            FloatVector uv = flush(FloatVector.fromArray(S, u, i).mul(beta2).max(gv.abs()));
            mv.intoArray(m, i);
            uv.intoArray(u, i);
            FloatVector.fromArray(S, w, i).sub(mv.mul(lrT).div(uv.add(eps))).intoArray(wOut, i);
        }
        ScalarUpdateKernels.adamaxFrom(i, w, wOut, g, gOff, m, u, n, lrT, beta1, beta2, eps);
    }

    @Override
    public void lion(float[] w, float[] wOut, float[] g, int gOff, float[] m, int n, float lr, float beta1,
            float beta2) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector gv = FloatVector.fromArray(S, g, gOff + i);
            FloatVector mv = FloatVector.fromArray(S, m, i);
            FloatVector c = mv.mul(beta1).add(gv.mul(1 - beta1));
            // sign(c) with sign(0) = 0, as Math.signum.
            FloatVector sign = c.blend(1f, c.compare(VectorOperators.GT, 0f)).blend(-1f, c.lt(0f));
            FloatVector.fromArray(S, w, i).sub(sign.mul(lr)).intoArray(wOut, i);
            flush(mv.mul(beta2).add(gv.mul(1 - beta2))).intoArray(m, i);
        }
        ScalarUpdateKernels.lionFrom(i, w, wOut, g, gOff, m, n, lr, beta1, beta2);
    }
}
