package dev.vecgrad.core.kernel;

import dev.vecgrad.core.kernel.elementwise.ScalarKernels;
import dev.vecgrad.core.kernel.parallel.Parallel;


/**
 * What primitives run on: the kernels chosen once by the engine (the scalar reference or the SIMD
 * ones) and the thread pool big kernels split their work over. The engine holds one backend and
 * hands it to every primitive it runs; kernels receive what they need from it and never look the
 * engine up themselves.
 */
public final class Backend {
    private final Kernels kernels;
    private final Parallel parallel;

    /** A backend of {@code kernels} on {@code parallel}'s threads. */
    public Backend(Kernels kernels, Parallel parallel) {
        this.kernels = kernels;
        this.parallel = parallel;
    }

    /** The elementwise and reduction kernels. */
    public Kernels kernels() {
        return kernels;
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
