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

    private Recording() {
    }

    /** Makes {@code recorder} active on this thread, innermost. */
    public static void push(OpRecorder recorder) {
        List<OpRecorder> now = ACTIVE.get();
        List<OpRecorder> next = new ArrayList<>(now.size() + 1);
        next.addAll(now);
        next.add(recorder);
        ACTIVE.set(List.copyOf(next));
        synchronized (Recording.class) {
            activeCount++;
        }
    }

    /** Removes {@code recorder} from this thread's active recorders. */
    public static void pop(OpRecorder recorder) {
        List<OpRecorder> next = new ArrayList<>(ACTIVE.get());
        if (next.remove(recorder)) {
            ACTIVE.set(List.copyOf(next));
            synchronized (Recording.class) {
                activeCount--;
            }
        }
    }

    /** Whether a recorder is active on some thread: false lets an op skip preparing what {@link #record} takes. */
    static boolean mayRecord() {
        return activeCount != 0;
    }

    /** Whether any recorder is active on this thread. */
    public static boolean isRecording() {
        return activeCount != 0 && !ACTIVE.get().isEmpty();
    }

    /**
     * Reports that {@code op} produced {@code output} from {@code inputs} to this thread's
     * recorders. The {@link Dispatcher} reports every primitive it runs; a block whose forward is
     * user code (a custom gradient) reports itself here. The recorders keep {@code inputs}.
     */
    public static <A> void record(Primitive<A> op, A attrs, Tensor[] inputs, Tensor output) {
        if (activeCount != 0) {
            List<OpRecorder> recorders = ACTIVE.get();
            for (int i = 0, n = recorders.size(); i < n; i++) {
                recorders.get(i).recordOp(op, attrs, inputs, output);
            }
        }
    }

    /** Reports that a variable was read; called by {@link Variable#value()}. */
    public static void variableRead(Variable variable, Tensor value) {
        if (activeCount != 0) {
            List<OpRecorder> recorders = ACTIVE.get();
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
        ACTIVE.set(List.copyOf(kept));
        synchronized (Recording.class) {
            activeCount -= saved.size();
        }
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
            ACTIVE.set(List.copyOf(resumed));
            synchronized (Recording.class) {
                activeCount += saved.size(); // recorders pushed during the pause counted themselves
            }
        }
    }
}
