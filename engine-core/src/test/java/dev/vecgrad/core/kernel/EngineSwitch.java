package dev.vecgrad.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Engine;
import java.util.function.Supplier;

/** Runs code on an engine configured for a test and puts the previous configuration back. */
public final class EngineSwitch implements AutoCloseable {
    private final boolean wasVector;
    private final int threads;

    private EngineSwitch() {
        Engine e = Engine.get();
        this.wasVector = e.isVectorized();
        this.threads = e.parallel().threads();
    }

    /** Remembers the current engine so {@link #close()} can restore it. */
    public static EngineSwitch save() {
        return new EngineSwitch();
    }

    /**
     * Configures the engine with the given kernels and thread count; asking for vector kernels
     * fails the test where the Vector API is absent rather than testing the scalar ones twice.
     */
    public Engine use(Engine.KernelChoice choice, int threadCount) {
        Engine e = Engine.configure(choice, threadCount);
        if (choice == Engine.KernelChoice.VECTOR) {
            assertThat(e.isVectorized()).as("vector kernels available: %s", e.describe()).isTrue();
        }
        return e;
    }

    /** Runs {@code f} with the given kernels and thread count. */
    public <T> T with(Engine.KernelChoice choice, int threadCount, Supplier<T> f) {
        use(choice, threadCount);
        return f.get();
    }

    @Override
    public void close() {
        Engine.configure(wasVector ? Engine.KernelChoice.VECTOR : Engine.KernelChoice.SCALAR, threads);
    }
}
