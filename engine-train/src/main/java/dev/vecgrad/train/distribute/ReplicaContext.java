package dev.vecgrad.train.distribute;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.Recording;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.function.Consumer;

/**
 * What a step running on a replica of a {@link MirroredStrategy} knows about its place: its id,
 * its share of the global batch, and how to combine gradients with the other replicas. Outside a
 * replica ({@link OneDeviceStrategy}) {@link #current()} is null and steps behave as on one device.
 */
public final class ReplicaContext {
    private static final ThreadLocal<ReplicaContext> CURRENT = new ThreadLocal<>();

    private final Group group;
    private final int replicaId;
    private final int localBatch;

    private ReplicaContext(Group group, int replicaId, int localBatch) {
        this.group = group;
        this.replicaId = replicaId;
        this.localBatch = localBatch;
    }

    /** The context of the replica running on this thread, or null when not inside a replica. */
    public static ReplicaContext current() {
        return CURRENT.get();
    }

    /** This replica's number, from 0. */
    public int replicaId() {
        return replicaId;
    }

    /** The number of replicas taking part in this step. */
    public int numReplicas() {
        return group.participants;
    }

    /** Samples this replica works on. */
    public int localBatch() {
        return localBatch;
    }

    /** Samples in the global batch. */
    public int globalBatch() {
        return group.globalBatch;
    }

    /**
     * The factor a per-sample mean loss over this replica's samples is multiplied by so that the
     * replicas' summed gradients equal the global batch's mean gradient: local / global batch.
     */
    public double lossScale() {
        return (double) localBatch / group.globalBatch;
    }

    /** The lock replicas take to update shared state such as metrics one at a time. */
    public Object lock() {
        return group;
    }

    /**
     * Sums {@code values} element by element over all replicas, hands the sums to {@code apply}
     * once (on one of the replicas' threads, while the others wait), and returns when every replica
     * has got that far. Every replica must call it with lists of the same shapes.
     */
    public void allReduceSum(List<Tensor> values, Consumer<List<Tensor>> apply) {
        group.contributions[replicaId] = values;
        group.apply = apply;
        await();
    }

    /** Waits until every replica of this step has reached the same point. */
    public void sync() {
        group.contributions[replicaId] = null;
        group.apply = null;
        await();
    }

    private void await() {
        try {
            group.barrier.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("replica " + replicaId + " was interrupted while waiting for the others", e);
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException("replica " + replicaId + ": another replica failed during this step", e);
        }
        if (group.failure != null) {
            throw new IllegalStateException("replica " + replicaId + ": combining the replicas' values failed",
                    group.failure);
        }
    }

    /** Runs {@code body} as replica {@code replicaId} of {@code group} on this thread. */
    static <T> T runAs(Group group, int replicaId, int localBatch, java.util.function.Supplier<T> body) {
        CURRENT.set(new ReplicaContext(group, replicaId, localBatch));
        try {
            return body.get();
        } catch (RuntimeException | Error e) {
            group.barrier.reset(); // release the replicas waiting for this one
            throw e;
        } finally {
            CURRENT.remove();
        }
    }

    /** The shared state of one step's replicas. */
    static final class Group {
        final int participants;
        final int globalBatch;
        final List<Tensor>[] contributions;
        final CyclicBarrier barrier;
        volatile Consumer<List<Tensor>> apply;
        volatile RuntimeException failure;

        @SuppressWarnings("unchecked")
        Group(int participants, int globalBatch) {
            this.participants = participants;
            this.globalBatch = globalBatch;
            this.contributions = new List[participants];
            this.barrier = new CyclicBarrier(participants, this::combine);
        }

        /** Runs on the last replica to arrive, while the others wait. */
        private void combine() {
            Consumer<List<Tensor>> a = apply;
            if (a == null) {
                return;
            }
            try (Recording.Paused p = Recording.pause()) {
                List<Tensor> sum = new ArrayList<>(contributions[0]);
                for (int r = 1; r < participants; r++) {
                    List<Tensor> c = contributions[r];
                    if (c == null || c.size() != sum.size()) {
                        throw new IllegalStateException("replica " + r + " gave " + (c == null ? "no" : c.size())
                                + " values to all-reduce, replica 0 gave " + sum.size());
                    }
                    for (int i = 0; i < sum.size(); i++) {
                        Tensor s = sum.get(i);
                        Tensor v = c.get(i);
                        sum.set(i, s == null ? v : v == null ? s : s.add(v));
                    }
                }
                a.accept(sum);
            } catch (RuntimeException e) {
                failure = e;
            }
        }
    }
}
