package dev.vecgrad.core.kernel;

import dev.vecgrad.core.kernel.elementwise.ScalarKernels;
import dev.vecgrad.core.kernel.parallel.Parallel;
import dev.vecgrad.core.kernel.update.ScalarUpdateKernels;
import dev.vecgrad.core.kernel.update.UpdateKernels;
import dev.vecgrad.core.kernel.update.VectorUpdateKernels;

/**
 * What primitives and optimizers run on: the kernels chosen once by the engine (the scalar
 * reference or the SIMD ones), the optimizers' update kernels of the same kind, and the thread pool
 * big kernels split their work over. The engine holds one backend and hands it to every primitive
 * it runs; kernels receive what they need from it and never look the engine up themselves.
 */
public final class Backend {
    private final Kernels kernels;
    private final UpdateKernels updates;
    private final Parallel parallel;

    /**
     * A backend of {@code kernels} on {@code parallel}'s threads, with the update kernels of the
     * same kind: SIMD ones with SIMD kernels, else the scalar reference.
     */
    public Backend(Kernels kernels, Parallel parallel) {
        this.kernels = kernels;
        this.parallel = parallel;
        // The SIMD update kernels are only linked when the SIMD kernels loaded, i.e. the Vector API is present.
        this.updates = isVectorized() ? VectorUpdateKernels.INSTANCE : ScalarUpdateKernels.INSTANCE;
    }

    /** The elementwise and reduction kernels. */
    public Kernels kernels() {
        return kernels;
    }

    /** The optimizers' fused update kernels. */
    public UpdateKernels updates() {
        return updates;
    }

    /** The thread pool. */
    public Parallel parallel() {
        return parallel;
    }

    /** Whether the kernels are the SIMD ones. */
    public boolean isVectorized() {
        return !(kernels instanceof ScalarKernels);
    }
}
