package dev.vecgrad.core.ops;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place every primitive op is reported to after it ran. With no recorder active
 * anywhere this costs one read of a counter.
 *
 * <p>Recorders are per thread: a recorder pushed on one thread never sees another thread's ops.
 * While a recorder is itself reacting to an op (or computing a gradient), recording on that
 * thread can be paused with {@link #pause()}.
 */
public final class Recording {
    /**
     * Each thread's active recorders, innermost last. The lists are never modified, only replaced
     * (push, pop, pause), so {@link #record} can walk one without copying it even if a recorder
     * pushes or pops another while it is being told about an op.
     */
    private static final ThreadLocal<List<OpRecorder>> ACTIVE = ThreadLocal.withInitial(List::of);
    /** Recorders active on all threads together; zero lets ops skip the thread-local lookup. */
    private static volatile int activeCount;
    /** Threads that have a recorder active. Guarded by {@code Recording.class}. */
    private static int threadsRecording;
    /**
     * The recorders of the only thread that has any, so that its ops find them without the
     * thread-local lookup; null while no thread or several threads record.
     */
    private static volatile Sole sole;

    /** One thread's active recorders, published together with the thread. */
    private record Sole(Thread owner, List<OpRecorder> recorders) {
    }

    private Recording() {
    }

    /** Makes {@code recorder} active on this thread, innermost. */
    public static void push(OpRecorder recorder) {
        List<OpRecorder> now = ACTIVE.get();
        List<OpRecorder> next = new ArrayList<>(now.size() + 1);
        next.addAll(now);
        next.add(recorder);
        replace(now, List.copyOf(next));
    }

    /** Removes {@code recorder} from this thread's active recorders. */
    public static void pop(OpRecorder recorder) {
        List<OpRecorder> now = ACTIVE.get();
        List<OpRecorder> next = new ArrayList<>(now);
        if (next.remove(recorder)) {
            replace(now, List.copyOf(next));
        }
    }

    /** Makes {@code next} this thread's recorders in place of {@code now}, and updates the counts. */
    private static void replace(List<OpRecorder> now, List<OpRecorder> next) {
        ACTIVE.set(next);
        synchronized (Recording.class) {
            activeCount += next.size() - now.size();
            threadsRecording += (next.isEmpty() ? 0 : 1) - (now.isEmpty() ? 0 : 1);
            // When another thread is the only one left recording, its list is not known here: no sole.
            sole = threadsRecording == 1 && !next.isEmpty() ? new Sole(Thread.currentThread(), next) : null;
        }
    }

    /** This thread's active recorders. */
    private static List<OpRecorder> active() {
        Sole s = sole;
        return s != null && s.owner == Thread.currentThread() ? s.recorders : ACTIVE.get();
    }

    /** Whether any recorder is active on this thread. */
    public static boolean isRecording() {
        return activeCount != 0 && !active().isEmpty();
    }

    /**
     * Reports that {@code op} produced {@code output} from {@code inputs} to this thread's
     * recorders. The {@link Dispatcher} reports every primitive it runs; a block whose forward is
     * user code (a custom gradient) reports itself here. The recorders keep {@code inputs}.
     */
    public static <A> void record(Primitive<A> op, A attrs, Tensor[] inputs, Tensor output) {
        if (activeCount != 0) {
            List<OpRecorder> recorders = active();
            for (int i = 0, n = recorders.size(); i < n; i++) {
                recorders.get(i).recordOp(op, attrs, inputs, output);
            }
        }
    }

    /** {@link #record} of {@code output = op(a, b)}, without an inputs array for recorders that keep none. */
    static void recordBinary(Binary op, Tensor a, Tensor b, Tensor output) {
        if (activeCount != 0) {
            List<OpRecorder> recorders = active();
            for (int i = 0, n = recorders.size(); i < n; i++) {
                recorders.get(i).recordBinary(op, a, b, output);
            }
        }
    }

    /** {@link #record} of {@code output = op(a, c)} for a number {@code c} in {@code a}'s dtype. */
    static void recordBinary(Binary op, Tensor a, double c, Tensor output) {
        if (activeCount != 0) {
            List<OpRecorder> recorders = active();
            for (int i = 0, n = recorders.size(); i < n; i++) {
                recorders.get(i).recordBinary(op, a, c, output);
            }
        }
    }

    /** Reports that a variable was read; called by {@link Variable#value()}. */
    public static void variableRead(Variable variable, Tensor value) {
        if (activeCount != 0) {
            List<OpRecorder> recorders = active();
            for (int i = 0, n = recorders.size(); i < n; i++) {
                recorders.get(i).recordVariableRead(variable, value);
            }
        }
    }

    /**
     * Stops reporting to this thread's recorders until the returned handle is closed; used for
     * work that must not be recorded (a tape's own bookkeeping, {@code stopRecording}). Recorders
     * that {@link OpRecorder#seesPausedOps() see paused ops} stay active.
     */
    public static Paused pause() {
        List<OpRecorder> active = ACTIVE.get();
        if (active.isEmpty()) {
            return new Paused(active);
        }
        List<OpRecorder> kept = new ArrayList<>();
        List<OpRecorder> saved = new ArrayList<>();
        for (OpRecorder r : active) {
            (r.seesPausedOps() ? kept : saved).add(r);
        }
        replace(active, List.copyOf(kept));
        return new Paused(List.copyOf(saved));
    }

    /** A pause of recording on one thread; closing it resumes the recorders that were active. */
    public static final class Paused implements AutoCloseable {
        private final List<OpRecorder> saved;
        private boolean closed;

        private Paused(List<OpRecorder> saved) {
            this.saved = saved;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (saved.isEmpty()) {
                return; // nothing was paused; recorders pushed meanwhile stay as they are
            }
            List<OpRecorder> during = ACTIVE.get();
            List<OpRecorder> resumed = new ArrayList<>(saved.size() + during.size());
            resumed.addAll(saved);
            resumed.addAll(during);
            replace(during, List.copyOf(resumed)); // recorders pushed during the pause are counted already
        }
    }
}
