package dev.vecgrad.core.kernel.update;

/**
 * The fused update rules of the optimizers over {@code float[]}: one pass over the
 * weights, the gradient and the slots per step. Two implementations: {@link ScalarUpdateKernels},
 * the plain-Java reference (which also has the F64 forms), and {@link VectorUpdateKernels}
 * (Vector API), tested against it. The engine's {@link dev.vecgrad.core.kernel.Backend} holds the
 * one that matches its kernels ({@code -Dvecgrad.kernels}): {@code Engine.get().backend().updates()}.
 *
 * <p>Conventions: weights and slots run over {@code [0, n)}; the gradient over
 * {@code [gOff, gOff + n)}. The weights are read from {@code w} and written to {@code wOut}, which
 * is {@code w} itself for an update in place, or a fresh array when a gradient tape may still hold
 * the old value (see {@code Variable.updateF32}); the slots are always updated in place.
 * Hyper-parameters are floats, as Keras computes in the variable's dtype.
 */
public interface UpdateKernels {

    /** {@code w -= lr * g}. */
    void sgd(float[] w, float[] wOut, float[] g, int gOff, int n, float lr);

    /**
     * {@code m = momentum * m - lr * g}; then {@code w += m}, or with Nesterov
     * {@code w += momentum * m - lr * g}.
     */
    void momentum(float[] w, float[] wOut, float[] g, int gOff, float[] m, int n, float lr, float momentum,
            boolean nesterov);

    /**
     * RMSprop as Keras 3: {@code v = rho v + (1 - rho) g²}; centered ({@code mg} non-null):
     * {@code mg = rho mg + (1 - rho) g}, {@code d = v - mg² + eps}, else {@code d = v + eps};
     * {@code inc = lr g / sqrt(d)}; with momentum ({@code mom} non-null):
     * {@code mom = momentum mom + inc}, {@code w -= mom}, else {@code w -= inc}.
     */
    void rmsprop(float[] w, float[] wOut, float[] g, int gOff, float[] v, float[] mg, float[] mom, int n, float lr,
            float rho, float momentum, float eps);

    /**
     * Adam as Keras 3 (epsilon outside the square root, bias correction folded into
     * {@code alpha = lr sqrt(1 - beta2^t) / (1 - beta1^t)}), with AdamW's decoupled decay first:
     * {@code w *= decay}; {@code m += (g - m)(1 - beta1)}; {@code v += (g² - v)(1 - beta2)};
     * {@code w -= alpha m / (sqrt(v) + eps)}. Plain Adam passes {@code decay = 1}. With AMSGrad
     * ({@code vhat} non-null) the denominator uses the running maximum {@code vhat = max(vhat, v)}.
     */
    void adam(float[] w, float[] wOut, float[] g, int gOff, float[] m, float[] v, float[] vhat, int n, float alpha,
            float beta1, float beta2, float eps, float decay);

    /** Adagrad as Keras 3: {@code acc += g²}; {@code w -= lr g / sqrt(acc + eps)}. */
    void adagrad(float[] w, float[] wOut, float[] g, int gOff, float[] acc, int n, float lr, float eps);

    /**
     * Nadam as Keras 3 (Dozat's Nesterov momentum in Adam): {@code m += (g - m)(1 - beta1)},
     * {@code v += (g² - v)(1 - beta2)}, {@code w -= lr (cm m + cg g) / (sqrt(v vScale) + eps)}, where
     * the step's momentum schedule gives {@code cm = u_{t+1} / (1 - prod_{s<=t+1} u_s)},
     * {@code cg = (1 - u_t) / (1 - prod_{s<=t} u_s)} and {@code vScale = 1 / (1 - beta2^t)}.
     */
    void nadam(float[] w, float[] wOut, float[] g, int gOff, float[] m, float[] v, int n, float lr, float beta1,
            float beta2, float eps, float cm, float cg, float vScale);

    /**
     * Adamax as Keras 3 (Adam with the infinity norm): {@code m += (g - m)(1 - beta1)},
     * {@code u = max(beta2 u, |g|)}, {@code w -= lrT m / (u + eps)} with the bias-corrected
     * {@code lrT = lr / (1 - beta1^t)}.
     */
    void adamax(float[] w, float[] wOut, float[] g, int gOff, float[] m, float[] u, int n, float lrT, float beta1,
            float beta2, float eps);

    /**
     * Lion as Keras 3 (Chen et al.): {@code w -= lr sign(beta1 m + (1 - beta1) g)}, then
     * {@code m = beta2 m + (1 - beta2) g}.
     */
    void lion(float[] w, float[] wOut, float[] g, int gOff, float[] m, int n, float lr, float beta1, float beta2);
}
