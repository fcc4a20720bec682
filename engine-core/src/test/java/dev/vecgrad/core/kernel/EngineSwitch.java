package dev.vecgrad.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Engine;
import java.util.function.Supplier;

/** Runs code on an engine configured for a test and puts the previous configuration back. */
final class EngineSwitch implements AutoCloseable {
    private final boolean wasVector;
    private final int threads;

    private EngineSwitch() {
        Engine e = Engine.get();
        this.wasVector = e.isVectorized();
        this.threads = e.parallel().threads();
    }

    /** Remembers the current engine so {@link #close()} can restore it. */
    static EngineSwitch save() {
        return new EngineSwitch();
    }

    /** Runs {@code f} with the given kernels and thread count. */
    <T> T with(Engine.KernelChoice choice, int threadCount, Supplier<T> f) {
        Engine e = Engine.configure(choice, threadCount);
        if (choice == Engine.KernelChoice.VECTOR) {
            assertThat(e.isVectorized()).as("vector kernels available: %s", e.describe()).isTrue();
        }
        return f.get();
    }

    @Override
    public void close() {
        Engine.configure(wasVector ? Engine.KernelChoice.VECTOR : Engine.KernelChoice.SCALAR, threads);
    }
}
