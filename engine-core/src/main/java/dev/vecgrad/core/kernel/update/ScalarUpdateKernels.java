package dev.vecgrad.core.kernel.update;

/**
 * The reference form of {@link UpdateKernels}: one element at a time, written as the formulas
 * read. It also carries the F64 forms the optimizers use for F64 variables.
 */
public final class ScalarUpdateKernels implements UpdateKernels {
    /** The one instance. */
    public static final ScalarUpdateKernels INSTANCE = new ScalarUpdateKernels();

    private ScalarUpdateKernels() {
    }

    @Override
    public void sgd(float[] w, float[] wOut, float[] g, int gOff, int n, float lr) {
        sgdFrom(0, w, wOut, g, gOff, n, lr);
    }

    /** Elements [from, n) only: the vector kernels hand their last partial vector here. */
    static void sgdFrom(int from, float[] w, float[] wOut, float[] g, int gOff, int n, float lr) {
        for (int i = from; i < n; i++) {
            wOut[i] = w[i] - lr * g[gOff + i];
        }
    }

    @Override
    public void momentum(float[] w, float[] wOut, float[] g, int gOff, float[] m, int n, float lr, float momentum,
            boolean nesterov) {
        momentumFrom(0, w, wOut, g, gOff, m, n, lr, momentum, nesterov);
    }

    /** Elements [from, n) only: the vector kernels hand their last partial vector here. */
    static void momentumFrom(int from, float[] w, float[] wOut, float[] g, int gOff, float[] m, int n, float lr,
            float momentum, boolean nesterov) {
        for (int i = from; i < n; i++) {
            float gi = g[gOff + i];
            float mi = flush(momentum * m[i] - lr * gi);
            m[i] = mi;
            wOut[i] = w[i] + (nesterov ? momentum * mi - lr * gi : mi);
        }
    }

    @Override
    public void rmsprop(float[] w, float[] wOut, float[] g, int gOff, float[] v, float[] mg, float[] mom, int n,
            float lr, float rho, float momentum, float eps) {
        rmspropFrom(0, w, wOut, g, gOff, v, mg, mom, n, lr, rho, momentum, eps);
    }

    /** Elements [from, n) only: the vector kernels hand their last partial vector here. */
    static void rmspropFrom(int from, float[] w, float[] wOut, float[] g, int gOff, float[] v, float[] mg, float[] mom,
            int n, float lr, float rho, float momentum, float eps) {
        for (int i = from; i < n; i++) {
            float gi = g[gOff + i];
            float vi = flush(rho * v[i] + (1 - rho) * gi * gi);
            v[i] = vi;
            float d;
            if (mg != null) {
                float a = flush(rho * mg[i] + (1 - rho) * gi);
                mg[i] = a;
                d = vi - a * a + eps;
            } else {
                d = vi + eps;
            }
            float inc = lr * gi / (float) Math.sqrt(d);
            if (mom != null) {
                float mo = flush(momentum * mom[i] + inc);
                mom[i] = mo;
                wOut[i] = w[i] - mo;
            } else {
                wOut[i] = w[i] - inc;
            }
        }
    }

    @Override
    public void adam(float[] w, float[] wOut, float[] g, int gOff, float[] m, float[] v, float[] vhat, int n,
            float alpha, float beta1, float beta2, float eps, float decay) {
        adamFrom(0, w, wOut, g, gOff, m, v, vhat, n, alpha, beta1, beta2, eps, decay);
    }

    /** Elements [from, n) only: the vector kernels hand their last partial vector here. */
    static void adamFrom(int from, float[] w, float[] wOut, float[] g, int gOff, float[] m, float[] v, float[] vhat,
            int n, float alpha, float beta1, float beta2, float eps, float decay) {
        for (int i = from; i < n; i++) {
            float gi = g[gOff + i];
            float mi = flush(m[i] + (gi - m[i]) * (1 - beta1));
            float vi = flush(v[i] + (gi * gi - v[i]) * (1 - beta2));
            m[i] = mi;
            v[i] = vi;
            if (vhat != null) {
                vi = Math.max(vhat[i], vi);
                vhat[i] = vi;
            }
            wOut[i] = w[i] * decay - alpha * mi / ((float) Math.sqrt(vi) + eps);
        }
    }

    @Override
    public void adagrad(float[] w, float[] wOut, float[] g, int gOff, float[] acc, int n, float lr, float eps) {
        adagradFrom(0, w, wOut, g, gOff, acc, n, lr, eps);
    }

    /** Elements [from, n) only: the vector kernels hand their last partial vector here. */
    static void adagradFrom(int from, float[] w, float[] wOut, float[] g, int gOff, float[] acc, int n, float lr,
            float eps) {
        for (int i = from; i < n; i++) {
            float gi = g[gOff + i];
            float a = acc[i] + gi * gi;
            acc[i] = a;
            wOut[i] = w[i] - lr * gi / (float) Math.sqrt(a + eps);
        }
    }

    @Override
    public void nadam(float[] w, float[] wOut, float[] g, int gOff, float[] m, float[] v, int n, float lr, float beta1,
            float beta2, float eps, float cm, float cg, float vScale) {
        nadamFrom(0, w, wOut, g, gOff, m, v, n, lr, beta1, beta2, eps, cm, cg, vScale);
    }

    /** Elements [from, n) only: the vector kernels hand their last partial vector here. */
    static void nadamFrom(int from, float[] w, float[] wOut, float[] g, int gOff, float[] m, float[] v, int n, float lr,
            float beta1, float beta2, float eps, float cm, float cg, float vScale) {
        for (int i = from; i < n; i++) {
            float gi = g[gOff + i];
            float mi = flush(m[i] + (gi - m[i]) * (1 - beta1));
            float vi = flush(v[i] + (gi * gi - v[i]) * (1 - beta2));
            m[i] = mi;
            v[i] = vi;
            wOut[i] = w[i] - lr * (cm * mi + cg * gi) / ((float) Math.sqrt(vi * vScale) + eps);
        }
    }

    @Override
    public void adamax(float[] w, float[] wOut, float[] g, int gOff, float[] m, float[] u, int n, float lrT,
            float beta1, float beta2, float eps) {
        adamaxFrom(0, w, wOut, g, gOff, m, u, n, lrT, beta1, beta2, eps);
    }

    /** Elements [from, n) only: the vector kernels hand their last partial vector here. */
    static void adamaxFrom(int from, float[] w, float[] wOut, float[] g, int gOff, float[] m, float[] u, int n,
            float lrT, float beta1, float beta2, float eps) {
        for (int i = from; i < n; i++) {
            float gi = g[gOff + i];
            float mi = flush(m[i] + (gi - m[i]) * (1 - beta1));
            float ui = flush(Math.max(beta2 * u[i], Math.abs(gi)));
            m[i] = mi;
            u[i] = ui;
            wOut[i] = w[i] - lrT * mi / (ui + eps);
        }
    }

    @Override
    public void lion(float[] w, float[] wOut, float[] g, int gOff, float[] m, int n, float lr, float beta1,
            float beta2) {
        lionFrom(0, w, wOut, g, gOff, m, n, lr, beta1, beta2);
    }

    /** Elements [from, n) only: the vector kernels hand their last partial vector here. */
    static void lionFrom(int from, float[] w, float[] wOut, float[] g, int gOff, float[] m, int n, float lr,
            float beta1, float beta2) {
        for (int i = from; i < n; i++) {
            float gi = g[gOff + i];
            wOut[i] = w[i] - lr * Math.signum(beta1 * m[i] + (1 - beta1) * gi);
            m[i] = flush(beta2 * m[i] + (1 - beta2) * gi);
        }
    }

    // F64 forms, same formulas.

    /** F64 {@link #sgd}. */
    public void sgd(double[] w, double[] g, int gOff, int n, double lr) {
        for (int i = 0; i < n; i++) {
            w[i] -= lr * g[gOff + i];
        }
    }

    /** F64 {@link #momentum}. */
    public void momentum(double[] w, double[] g, int gOff, double[] m, int n, double lr, double momentum,
            boolean nesterov) {
        for (int i = 0; i < n; i++) {
            double gi = g[gOff + i];
            double mi = flush(momentum * m[i] - lr * gi);
            m[i] = mi;
            w[i] += nesterov ? momentum * mi - lr * gi : mi;
        }
    }

    /** F64 {@link #rmsprop}. */
    public void rmsprop(double[] w, double[] g, int gOff, double[] v, double[] mg, double[] mom, int n, double lr,
            double rho, double momentum, double eps) {
        for (int i = 0; i < n; i++) {
            double gi = g[gOff + i];
            double vi = flush(rho * v[i] + (1 - rho) * gi * gi);
            v[i] = vi;
            double d;
            if (mg != null) {
                double a = flush(rho * mg[i] + (1 - rho) * gi);
                mg[i] = a;
                d = vi - a * a + eps;
            } else {
                d = vi + eps;
            }
            double inc = lr * gi / Math.sqrt(d);
            if (mom != null) {
                double mo = flush(momentum * mom[i] + inc);
                mom[i] = mo;
                w[i] -= mo;
            } else {
                w[i] -= inc;
            }
        }
    }

    /** F64 {@link #adam}. */
    public void adam(double[] w, double[] g, int gOff, double[] m, double[] v, double[] vhat, int n, double alpha,
            double beta1, double beta2, double eps, double decay) {
        for (int i = 0; i < n; i++) {
            double gi = g[gOff + i];
            double mi = flush(m[i] + (gi - m[i]) * (1 - beta1));
            double vi = flush(v[i] + (gi * gi - v[i]) * (1 - beta2));
            m[i] = mi;
            v[i] = vi;
            if (vhat != null) {
                vi = Math.max(vhat[i], vi);
                vhat[i] = vi;
            }
            w[i] = w[i] * decay - alpha * mi / (Math.sqrt(vi) + eps);
        }
    }

    /** F64 {@link #adagrad}. */
    public void adagrad(double[] w, double[] g, int gOff, double[] acc, int n, double lr, double eps) {
        for (int i = 0; i < n; i++) {
            double gi = g[gOff + i];
            double a = acc[i] + gi * gi;
            acc[i] = a;
            w[i] -= lr * gi / Math.sqrt(a + eps);
        }
    }

    /** F64 {@link #nadam}. */
    public void nadam(double[] w, double[] g, int gOff, double[] m, double[] v, int n, double lr, double beta1,
            double beta2, double eps, double cm, double cg, double vScale) {
        for (int i = 0; i < n; i++) {
            double gi = g[gOff + i];
            double mi = flush(m[i] + (gi - m[i]) * (1 - beta1));
            double vi = flush(v[i] + (gi * gi - v[i]) * (1 - beta2));
            m[i] = mi;
            v[i] = vi;
            w[i] -= lr * (cm * mi + cg * gi) / (Math.sqrt(vi * vScale) + eps);
        }
    }

    /** F64 {@link #adamax}. */
    public void adamax(double[] w, double[] g, int gOff, double[] m, double[] u, int n, double lrT, double beta1,
            double beta2, double eps) {
        for (int i = 0; i < n; i++) {
            double gi = g[gOff + i];
            double mi = flush(m[i] + (gi - m[i]) * (1 - beta1));
            double ui = flush(Math.max(beta2 * u[i], Math.abs(gi)));
            m[i] = mi;
            u[i] = ui;
            w[i] -= lrT * mi / (ui + eps);
        }
    }

    /** F64 {@link #lion}. */
    public void lion(double[] w, double[] g, int gOff, double[] m, int n, double lr, double beta1, double beta2) {
        for (int i = 0; i < n; i++) {
            double gi = g[gOff + i];
            w[i] -= lr * Math.signum(beta1 * m[i] + (1 - beta1) * gi);
            m[i] = flush(beta2 * m[i] + (1 - beta2) * gi);
        }
    }

    /**
     * Zero for a subnormal value. Slots such as Adam's moments decay geometrically wherever the
     * gradient is exactly zero (a dead ReLU unit), until they reach the subnormal range, where
     * every multiply takes a microcode assist (measured: an Adam step eight times slower). The JVM
     * cannot set the CPU's flush-to-zero mode, so the kernels flush the slots they store, as
     * TensorFlow's flush-to-zero mode would; no slot ever holds a subnormal.
     */
    static float flush(float x) {
        return Math.abs(x) < Float.MIN_NORMAL ? 0f : x;
    }

    /** Zero for a subnormal value: {@link #flush(float)} in F64. */
    static double flush(double x) {
        return Math.abs(x) < Double.MIN_NORMAL ? 0.0 : x;
    }
}
