package dev.vecgrad.core.ops;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.kernel.Backend;
import dev.vecgrad.core.kernel.Epilogue;

/**
 * A computing primitive that can finish its output with an {@link Epilogue} block by block while
 * each block is in cache, instead of leaving the elementwise ops that follow it to passes of their
 * own: matmul applies it to each finished block of the product, conv2d to each block of output
 * rows. The output is seen as rows of its last dimension ({@code size / n} rows of {@code n}).
 * A compiled step's plan folds a bias, an activation or relu's gradient mask into the op that
 * produces their input this way.
 *
 * @param <A> the attribute type
 */
public interface Fusable<A> {
    /** Whether {@link #run(Backend, Tensor[], Object, Tensor, Epilogue)} takes an epilogue for these inputs. */
    boolean takesEpilogue(Tensor[] inputs, A attrs);

    /**
     * Computes the op into {@code output}, as {@link ComputePrimitive#run} does, then applies
     * {@code epilogue} to it, block by block as each block is finished.
     */
    void run(Backend backend, Tensor[] inputs, A attrs, Tensor output, Epilogue epilogue);
}
