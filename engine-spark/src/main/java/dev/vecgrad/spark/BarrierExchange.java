package dev.vecgrad.spark;

import java.util.Base64;
import org.apache.spark.BarrierTaskContext;

/**
 * The all-gather of one barrier task: every task of the stage hands in bytes and gets everyone's
 * back, in partition order, through {@link BarrierTaskContext#allGather} (the driver's barrier
 * coordinator relays the messages).
 *
 * <p>Implementation note: {@code allGather} sends its request and then polls for the reply with
 * {@code Thread.sleep(1000)}, treating an interrupt that is not a kill as a reason to look again.
 * Left alone, every exchange costs about a second; a watcher thread interrupts the waiting task
 * thread every {@value #WAKE_MICROS} µs while it is inside the call, so an exchange costs the
 * round trip instead. The watcher stops, and the interrupt flag is cleared, before the call's
 * caller goes on.
 */
final class BarrierExchange {
    static final int WAKE_MICROS = 200;

    private final BarrierTaskContext context;
    private long bytesSent;
    private long nanos;

    BarrierExchange(BarrierTaskContext context) {
        this.context = context;
    }

    /** This task's partition: its rank among the workers. */
    int rank() {
        return context.partitionId();
    }

    /** The number of tasks in the stage. */
    int size() {
        return context.numPartitions();
    }

    /** Everyone's bytes, in partition order. */
    byte[][] allGather(byte[] mine) {
        String[] all = allGather(Base64.getEncoder().encodeToString(mine));
        byte[][] out = new byte[all.length][];
        for (int i = 0; i < all.length; i++) {
            out[i] = Base64.getDecoder().decode(all[i]);
        }
        return out;
    }

    /** Everyone's message, in partition order. */
    String[] allGather(String mine) {
        long start = System.nanoTime();
        bytesSent += mine.length();
        Thread task = Thread.currentThread();
        Object guard = new Object();
        boolean[] waiting = {true};
        Thread watcher = Thread.ofPlatform().daemon().name("vecgrad-barrier-wake").start(() -> {
            while (true) {
                synchronized (guard) {
                    if (!waiting[0]) {
                        return;
                    }
                    task.interrupt();
                }
                try {
                    Thread.sleep(0, WAKE_MICROS * 1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            return context.allGather(mine);
        } finally {
            synchronized (guard) {
                waiting[0] = false;
            }
            watcher.interrupt();
            Thread.interrupted(); // a wake-up that arrived after the reply
            nanos += System.nanoTime() - start;
        }
    }

    /** Characters this task has sent through the exchange (Base64 for bytes). */
    long bytesSent() {
        return bytesSent;
    }

    /** Time this task has spent in exchanges. */
    long nanos() {
        return nanos;
    }
}
