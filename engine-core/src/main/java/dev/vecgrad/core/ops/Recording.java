package dev.vecgrad.core.ops;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place every primitive op reports to after its kernel ran. With no recorder active
 * anywhere this costs one read of a counter.
 *
 * <p>Recorders are per thread: a recorder pushed on one thread never sees another thread's ops.
 * While a recorder is itself reacting to an op (or computing a gradient), recording on that
 * thread can be paused with {@link #pause()}.
 */
public final class Recording {
    private static final ThreadLocal<List<OpRecorder>> ACTIVE = ThreadLocal.withInitial(ArrayList::new);
    /** Recorders active on all threads together; zero lets ops skip the thread-local lookup. */
    private static volatile int activeCount;

    private Recording() {
    }

    /** Makes {@code recorder} active on this thread, innermost. */
    public static void push(OpRecorder recorder) {
        ACTIVE.get().add(recorder);
        synchronized (Recording.class) {
            activeCount++;
        }
    }

    /** Removes {@code recorder} from this thread's active recorders. */
    public static void pop(OpRecorder recorder) {
        if (ACTIVE.get().remove(recorder)) {
            synchronized (Recording.class) {
                activeCount--;
            }
        }
    }

    /** Whether any recorder is active on this thread. */
    public static boolean isRecording() {
        return activeCount != 0 && !ACTIVE.get().isEmpty();
    }

    /**
     * Reports an op that produced {@code output} from {@code inputs} and returns {@code output},
     * so an op can end with {@code return Recording.record(...)}.
     */
    public static Tensor record(Op op, Object attrs, Tensor output, Tensor... inputs) {
        if (activeCount != 0) {
            List<OpRecorder> recorders = ACTIVE.get();
            if (!recorders.isEmpty()) {
                OpCall call = new OpCall(op, List.of(inputs), attrs, output);
                for (OpRecorder r : List.copyOf(recorders)) {
                    r.recordOp(call);
                }
            }
        }
        return output;
    }

    /** Reports that a variable was read; called by {@link Variable#value()}. */
    public static void variableRead(Variable variable, Tensor value) {
        if (activeCount != 0) {
            for (OpRecorder r : List.copyOf(ACTIVE.get())) {
                r.recordVariableRead(variable, value);
            }
        }
    }

    /**
     * Stops reporting to this thread's recorders until the returned handle is closed; used for
     * work that must not be recorded (a tape's own bookkeeping, {@code stopRecording}).
     */
    public static Paused pause() {
        List<OpRecorder> saved = ACTIVE.get();
        ACTIVE.set(new ArrayList<>());
        synchronized (Recording.class) {
            activeCount -= saved.size();
        }
        return new Paused(saved);
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
            List<OpRecorder> during = ACTIVE.get();
            saved.addAll(during);
            ACTIVE.set(saved);
            synchronized (Recording.class) {
                activeCount += saved.size(); // recorders pushed during the pause counted themselves
            }
        }
    }
}
