package dev.vecgrad.train;

import dev.vecgrad.core.Engine;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs each test of a class on the scalar kernels and one thread, then gives the engine back its
 * SIMD kernels and thread count: for tests that count allocated bytes, which interpreted and
 * C1-compiled Vector API code inflates (it allocates every vector) until C2 has compiled a kernel,
 * at a moment that depends on what else the suite ran.
 *
 * <pre>{@code @ExtendWith(ScalarEngine.class) class MyAllocationTest { ... }}</pre>
 */
public final class ScalarEngine implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ScalarEngine.class);

    /** Switches the engine to the scalar kernels on one thread, remembering its thread count. */
    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("threads", Engine.get().parallel().threads());
        Engine.configure(Engine.KernelChoice.SCALAR, 1);
    }

    /** Gives the engine back the kernels it picks itself and the thread count it had. */
    @Override
    public void afterEach(ExtensionContext context) {
        Engine.configure(Engine.KernelChoice.AUTO, context.getStore(NAMESPACE).get("threads", Integer.class));
    }
}
