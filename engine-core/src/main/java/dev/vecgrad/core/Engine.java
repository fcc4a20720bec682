package dev.vecgrad.core;

import dev.vecgrad.core.kernel.Backend;
import dev.vecgrad.core.kernel.Kernels;
import dev.vecgrad.core.kernel.elementwise.ScalarKernels;
import dev.vecgrad.core.kernel.parallel.Parallel;
import java.lang.System.Logger.Level;

/**
 * The engine's configuration: which kernels run (scalar reference or SIMD) and how many threads
 * big kernels may use. Chosen once, from system properties unless {@link #configure} is called
 * first, and reported once through {@link System.Logger}.
 *
 * <ul>
 *   <li>{@code -Dvecgrad.kernels=auto|vector|scalar} (default {@code auto}: SIMD when the
 *       {@code jdk.incubator.vector} module is present and the JIT is HotSpot's C2, else scalar).</li>
 *   <li>{@code -Dvecgrad.threads=N}, 1 to {@value Parallel#MAX_THREADS} (default: one a core).</li>
 * </ul>
 *
 * <pre>{@code
 * Engine.configure(Engine.KernelChoice.SCALAR, 1);   // before the first op
 * System.out.println(Engine.get().describe());
 * }</pre>
 */
public final class Engine {
    /** Which kernel implementation to use. */
    public enum KernelChoice {
        /** SIMD when it is available and compiled well, else scalar. */
        AUTO,
        /** The Vector API kernels; falls back to scalar (and says so) when the module is absent. */
        VECTOR,
        /** The scalar reference kernels. */
        SCALAR
    }

    private static final System.Logger LOG = System.getLogger("dev.vecgrad.core.Engine");
    private static volatile Engine current;

    private final Backend backend;
    private final String fallbackReason;

    private Engine(Backend backend, String fallbackReason) {
        this.backend = backend;
        this.fallbackReason = fallbackReason;
    }

    /** The engine in use, configured from system properties on first use. */
    public static Engine get() {
        Engine e = current;
        if (e == null) {
            synchronized (Engine.class) {
                e = current;
                if (e == null) {
                    e = create(parseChoice(System.getProperty("vecgrad.kernels", "auto")), threadsProperty());
                    current = e;
                }
            }
        }
        return e;
    }

    /**
     * Replaces the engine: kernels as {@code choice} says, big kernels on {@code threads} threads.
     * Ops running on other threads at the time finish on the old engine.
     */
    public static synchronized Engine configure(KernelChoice choice, int threads) {
        Engine old = current;
        current = create(choice, threads);
        if (old != null) {
            old.backend.parallel().close();
        }
        return current;
    }

    /** Keeps the kernel choice and changes the thread count. */
    public static synchronized Engine setThreads(int threads) {
        Engine e = get();
        KernelChoice choice = !e.isVectorized() && e.fallbackReason == null ? KernelChoice.SCALAR : KernelChoice.AUTO;
        return configure(choice, threads);
    }

    /** The backend every primitive runs on: the chosen kernels and the thread pool. */
    public Backend backend() {
        return backend;
    }

    /** The kernels ops run on. */
    public Kernels kernels() {
        return backend.kernels();
    }

    /** The thread pool big kernels split work over. */
    public Parallel parallel() {
        return backend.parallel();
    }

    /** Whether the SIMD kernels are in use. */
    public boolean isVectorized() {
        return backend.isVectorized();
    }

    /** One line: kernels, threads, and why SIMD is off if it was wanted but is not available. */
    public String describe() {
        return "vecgrad engine: kernels=" + backend.kernels().description() + ", threads=" + backend.parallel().threads()
                + (fallbackReason == null ? "" : " (SIMD unavailable: " + fallbackReason + ")");
    }

    /** {@code -Dvecgrad.threads}, or one a core; an error that names the property when it is no usable count. */
    private static int threadsProperty() {
        String v = System.getProperty("vecgrad.threads");
        if (v == null) {
            return Math.min(Runtime.getRuntime().availableProcessors(), Parallel.MAX_THREADS);
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1 && n <= Parallel.MAX_THREADS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the range
        }
        throw new IllegalArgumentException("-Dvecgrad.threads must be a whole number from 1 to " + Parallel.MAX_THREADS
                + ", got '" + v + "'");
    }

    private static KernelChoice parseChoice(String s) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "auto", "" -> KernelChoice.AUTO;
            case "vector", "simd" -> KernelChoice.VECTOR;
            case "scalar" -> KernelChoice.SCALAR;
            default -> throw new IllegalArgumentException(
                    "-Dvecgrad.kernels must be auto, vector or scalar, got '" + s + "'");
        };
    }

    private static Engine create(KernelChoice choice, int threads) {
        Kernels kernels = null;
        String reason = null;
        if (choice != KernelChoice.SCALAR) {
            reason = vectorUnavailableReason(choice);
            if (reason == null) {
                try {
                    kernels = (Kernels) Class.forName("dev.vecgrad.core.kernel.elementwise.VectorKernels")
                            .getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException | LinkageError e) {
                    reason = "cannot load the Vector API kernels: " + e;
                }
            }
        }
        if (kernels == null) {
            kernels = new ScalarKernels();
        }
        Engine e = new Engine(new Backend(kernels, new Parallel(threads)), reason);
        LOG.log(reason == null ? Level.INFO : Level.WARNING, e.describe());
        return e;
    }

    /** Null when the SIMD kernels can run well here, else why not. */
    private static String vectorUnavailableReason(KernelChoice choice) {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return "the module jdk.incubator.vector is not present (start the JVM with --add-modules jdk.incubator.vector)";
        }
        String vm = System.getProperty("java.vm.name", "");
        String info = System.getProperty("java.vm.info", "");
        if (choice == KernelChoice.AUTO && (!vm.contains("Server VM") || info.contains("interpreted"))) {
            return "the JVM (" + vm + ", " + info + ") has no C2 compiler to compile the Vector API well";
        }
        return null;
    }
}
