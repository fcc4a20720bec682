package dev.vecgrad.train.compile;

import dev.vecgrad.core.Tensor;
import java.util.List;
import java.util.function.Function;

/**
 * Marks Java work inside a step that a compiled step must repeat on every replay: the optimizer's
 * update, a batch normalization's moving statistics, the metric updates, a dropout mask.
 *
 * <p>A compiled step replays the ops it recorded while tracing; plain Java code in the step runs
 * at trace time only (see {@link CompiledStep}). Code that must run on every step wraps itself in
 * {@link #hostCall}: eagerly the body simply runs; while a step is being traced the call is
 * recorded too, and each replay runs the body again on the replay's tensors. The body must reach
 * the step's tensors only through its {@code args} (it is handed the replay's tensors in their
 * place), and anything else it captures must be state that lives across steps (a variable, a
 * metric, the optimizer). A {@link Tensor} it returns that later ops read is copied into the plan.
 *
 * <pre>{@code
 * Tensor noise = Tracer.hostCall("noise", List.of(), args -> Tensor.randomUniform(rng, 0, 1, 4));
 * Tracer.hostCall("print", List.of(loss), args -> { System.out.println(args.get(0).item()); return null; });
 * }</pre>
 */
public final class Tracer {
    /** The trace being recorded on this thread, or null. */
    private static final ThreadLocal<StepTrace> ACTIVE = new ThreadLocal<>();

    private Tracer() {
    }

    /**
     * Runs {@code body} on {@code args} (entries may be null) and returns its result; while this
     * thread traces a compiled step, the call is also recorded so that every replay runs it again.
     */
    public static <R> R hostCall(String name, List<Tensor> args, Function<List<Tensor>, R> body) {
        StepTrace trace = ACTIVE.get();
        return trace == null ? body.apply(args) : trace.hostCall(name, args, body);
    }

    /** Whether this thread is tracing a compiled step now. */
    public static boolean isTracing() {
        return ACTIVE.get() != null;
    }

    /** Makes {@code trace} this thread's trace (null ends it); returns the one it replaces. */
    static StepTrace activate(StepTrace trace) {
        StepTrace previous = ACTIVE.get();
        if (trace == null) {
            ACTIVE.remove();
        } else {
            ACTIVE.set(trace);
        }
        return previous;
    }
}
