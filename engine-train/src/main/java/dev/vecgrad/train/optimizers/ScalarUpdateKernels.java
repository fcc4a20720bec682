package dev.vecgrad.train.optimizers;

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
    public void sgd(float[] w, float[] g, int gOff, int n, float lr) {
        for (int i = 0; i < n; i++) {
            w[i] -= lr * g[gOff + i];
        }
    }

    @Override
    public void momentum(float[] w, float[] g, int gOff, float[] m, int n, float lr, float momentum, boolean nesterov) {
        for (int i = 0; i < n; i++) {
            float gi = g[gOff + i];
            float mi = momentum * m[i] - lr * gi;
            m[i] = mi;
            w[i] += nesterov ? momentum * mi - lr * gi : mi;
        }
    }

    @Override
    public void rmsprop(float[] w, float[] g, int gOff, float[] v, float[] mg, float[] mom, int n, float lr, float rho,
            float momentum, float eps) {
        for (int i = 0; i < n; i++) {
            float gi = g[gOff + i];
            float vi = rho * v[i] + (1 - rho) * gi * gi;
            v[i] = vi;
            float d;
            if (mg != null) {
                float a = rho * mg[i] + (1 - rho) * gi;
                mg[i] = a;
                d = vi - a * a + eps;
            } else {
                d = vi + eps;
            }
            float inc = lr * gi / (float) Math.sqrt(d);
            if (mom != null) {
                float mo = momentum * mom[i] + inc;
                mom[i] = mo;
                w[i] -= mo;
            } else {
                w[i] -= inc;
            }
        }
    }

    @Override
    public void adam(float[] w, float[] g, int gOff, float[] m, float[] v, int n, float alpha, float beta1, float beta2,
            float eps, float decay) {
        for (int i = 0; i < n; i++) {
            float gi = g[gOff + i];
            float mi = m[i] + (gi - m[i]) * (1 - beta1);
            float vi = v[i] + (gi * gi - v[i]) * (1 - beta2);
            m[i] = mi;
            v[i] = vi;
            w[i] = w[i] * decay - alpha * mi / ((float) Math.sqrt(vi) + eps);
        }
    }

    @Override
    public void adagrad(float[] w, float[] g, int gOff, float[] acc, int n, float lr, float eps) {
        for (int i = 0; i < n; i++) {
            float gi = g[gOff + i];
            float a = acc[i] + gi * gi;
            acc[i] = a;
            w[i] -= lr * gi / (float) Math.sqrt(a + eps);
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
            double mi = momentum * m[i] - lr * gi;
            m[i] = mi;
            w[i] += nesterov ? momentum * mi - lr * gi : mi;
        }
    }

    /** F64 {@link #rmsprop}. */
    public void rmsprop(double[] w, double[] g, int gOff, double[] v, double[] mg, double[] mom, int n, double lr,
            double rho, double momentum, double eps) {
        for (int i = 0; i < n; i++) {
            double gi = g[gOff + i];
            double vi = rho * v[i] + (1 - rho) * gi * gi;
            v[i] = vi;
            double d;
            if (mg != null) {
                double a = rho * mg[i] + (1 - rho) * gi;
                mg[i] = a;
                d = vi - a * a + eps;
            } else {
                d = vi + eps;
            }
            double inc = lr * gi / Math.sqrt(d);
            if (mom != null) {
                double mo = momentum * mom[i] + inc;
                mom[i] = mo;
                w[i] -= mo;
            } else {
                w[i] -= inc;
            }
        }
    }

    /** F64 {@link #adam}. */
    public void adam(double[] w, double[] g, int gOff, double[] m, double[] v, int n, double alpha, double beta1,
            double beta2, double eps, double decay) {
        for (int i = 0; i < n; i++) {
            double gi = g[gOff + i];
            double mi = m[i] + (gi - m[i]) * (1 - beta1);
            double vi = v[i] + (gi * gi - v[i]) * (1 - beta2);
            m[i] = mi;
            v[i] = vi;
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
}
