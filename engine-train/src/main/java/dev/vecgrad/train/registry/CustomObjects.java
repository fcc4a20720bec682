package dev.vecgrad.train.registry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Classes of your own (layers, models, losses, metrics, optimizers, activations, ...) that configs
 * and names may refer to, as Keras's {@code custom_objects}. Each is registered in the
 * {@link Registry} of its kind with the same {@code register} call the built-in classes use;
 * {@code Model.load(dir, custom)} activates them while it rebuilds the model, and
 * {@link #activate()} does so for any code (a {@code compile} by name, for instance).
 *
 * {@snippet class=dev.vecgrad.train.TrainSnippetsTest region=custom-objects}
 *
 * <p>({@code Scale}, a layer, and {@code Mish}, an activation, are the user's classes; the test
 * holding this example defines them.)
 *
 * <p>Scopes belong to the thread that opened them and nest: the innermost active
 * {@code CustomObjects} is asked first, the built-in classes last.
 */
public final class CustomObjects {
    private static final ThreadLocal<Deque<CustomObjects>> ACTIVE = ThreadLocal.withInitial(ArrayDeque::new);

    private final Map<Registry<?>, Registry<?>> byKind = new IdentityHashMap<>();

    /** No custom classes: loading sees the built-in ones only. */
    public CustomObjects() {
    }

    /**
     * Registers {@code className} for the kind of {@code registry} (e.g. {@code Layers.REGISTRY}),
     * built from its config by {@code fromConfig} and known by {@code names}; returns this.
     */
    public synchronized <T> CustomObjects register(Registry<T> registry, String className,
            Function<Map<String, Object>, ? extends T> fromConfig, String... names) {
        Objects.requireNonNull(registry, "registry");
        own(registry).register(className, fromConfig, names);
        return this;
    }

    @SuppressWarnings("unchecked")
    private <T> Registry<T> own(Registry<T> registry) {
        return (Registry<T>) byKind.computeIfAbsent(registry, r -> new Registry<T>(registry.kind()));
    }

    /** The class names registered for the kind of {@code registry}, in registration order. */
    public synchronized List<String> classNames(Registry<?> registry) {
        Registry<?> r = byKind.get(registry);
        return r == null ? List.of() : List.copyOf(r.ownClasses());
    }

    /**
     * Makes these classes visible to every registry look-up on this thread until the returned
     * scope is closed.
     */
    public Scope activate() {
        ACTIVE.get().push(this);
        return new Scope(this);
    }

    /** The custom registries of the active scopes for {@code registry}'s kind, innermost first. */
    @SuppressWarnings("unchecked")
    static <T> List<Registry<? extends T>> activeFor(Registry<T> registry) {
        Deque<CustomObjects> active = ACTIVE.get();
        if (active.isEmpty()) {
            return List.of();
        }
        List<Registry<? extends T>> out = new ArrayList<>();
        for (CustomObjects c : active) {
            Registry<?> r;
            synchronized (c) {
                r = c.byKind.get(registry);
            }
            if (r != null) {
                out.add((Registry<? extends T>) r);
            }
        }
        return out;
    }

    /** An activation of a {@link CustomObjects} on one thread; closing it ends the activation. */
    public static final class Scope implements AutoCloseable {
        private final CustomObjects objects;
        private final Thread owner = Thread.currentThread();
        private boolean closed;

        private Scope(CustomObjects objects) {
            this.objects = objects;
        }

        /** Ends the activation; scopes close innermost first, on the thread that opened them. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("a CustomObjects scope must be closed by the thread that opened it");
            }
            Deque<CustomObjects> active = ACTIVE.get();
            if (active.peek() != objects) {
                throw new IllegalStateException("CustomObjects scopes must be closed innermost first");
            }
            active.pop();
            closed = true;
        }
    }
}
