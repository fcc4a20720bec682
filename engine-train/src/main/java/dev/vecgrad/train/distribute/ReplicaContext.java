package dev.vecgrad.train.distribute;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * What a step running on a replica knows about its place: its id, its share of the global batch,
 * and the {@link ReplicaGroup} it combines gradients with. Outside a replica
 * ({@link OneDeviceStrategy}) {@link #current()} is null and steps behave as on one device.
 */
public final class ReplicaContext {
    private static final ThreadLocal<ReplicaContext> CURRENT = new ThreadLocal<>();

    private final ReplicaGroup group;
    private final int replicaId;
    private final int localBatch;

    private ReplicaContext(ReplicaGroup group, int replicaId, int localBatch) {
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
        return group.numReplicas();
    }

    /** Samples this replica works on. */
    public int localBatch() {
        return localBatch;
    }

    /** Samples in the global batch. */
    public int globalBatch() {
        return group.globalBatch();
    }

    /**
     * The factor a per-sample mean loss over this replica's samples is multiplied by so that the
     * replicas' summed gradients equal the global batch's mean gradient: local / global batch.
     */
    public double lossScale() {
        return (double) localBatch / group.globalBatch();
    }

    /** The lock replicas take to update shared state such as metrics one at a time. */
    public Object lock() {
        return group.lock();
    }

    /**
     * Sums {@code values} element by element over all replicas and hands the sums to {@code apply}
     * once for each copy of the variables (see {@link ReplicaGroup#allReduceSum}). Every replica
     * must call it with lists of the same shapes.
     */
    public void allReduceSum(List<Tensor> values, Consumer<List<Tensor>> apply) {
        group.allReduceSum(replicaId, values, apply);
    }

    /** Waits until every replica of this step has updated the shared metrics (see {@link ReplicaGroup#sync}). */
    public void sync() {
        group.sync(replicaId);
    }

    /**
     * Runs {@code body} as replica {@code replicaId} of {@code group} on this thread, with
     * {@code localBatch} samples of the group's global batch. A failure marks the group failed, so
     * that replicas waiting for this one are released.
     */
    public static <T> T runAs(ReplicaGroup group, int replicaId, int localBatch, java.util.function.Supplier<T> body) {
        CURRENT.set(new ReplicaContext(group, replicaId, localBatch));
        try {
            return body.get();
        } catch (RuntimeException | Error e) {
            group.fail(); // release the replicas waiting for this one, now or later
            throw e;
        } finally {
            CURRENT.remove();
        }
    }

    /**
     * The shared state of one step's replicas, and the barrier they meet at. Unlike a
     * {@code CyclicBarrier}, a failure is remembered: a replica that arrives after another one
     * failed is released at once instead of waiting for a partner that will never come.
     */
    static final class Group implements ReplicaGroup {
        final int participants;
        final int globalBatch;
        final List<Tensor>[] contributions;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition released = lock.newCondition();
        private int arrived;
        private long generation;
        private boolean failed;
        private Consumer<List<Tensor>> apply;
        private RuntimeException combineFailure;

        @SuppressWarnings("unchecked")
        Group(int participants, int globalBatch) {
            this.participants = participants;
            this.globalBatch = globalBatch;
            this.contributions = new List[participants];
        }

        @Override
        public int numReplicas() {
            return participants;
        }

        @Override
        public int globalBatch() {
            return globalBatch;
        }

        @Override
        public Object lock() {
            return this;
        }

        /** Hands the sums to {@code apply} once, on the last replica to arrive, while the others wait. */
        @Override
        public void allReduceSum(int replicaId, List<Tensor> values, Consumer<List<Tensor>> apply) {
            contributions[replicaId] = values;
            lock.lock();
            try {
                this.apply = apply;
            } finally {
                lock.unlock();
            }
            await(replicaId);
        }

        @Override
        public void sync(int replicaId) {
            contributions[replicaId] = null;
            await(replicaId);
        }

        /** Waits for every replica; the last to arrive combines the contributions first. */
        void await(int replicaId) {
            lock.lock();
            try {
                checkFailed(replicaId);
                long gen = generation;
                if (++arrived == participants) {
                    combine();
                    arrived = 0;
                    apply = null;
                    generation++;
                    released.signalAll();
                } else {
                    while (gen == generation && !failed) {
                        released.await();
                    }
                }
                checkFailed(replicaId);
                if (combineFailure != null) {
                    throw new IllegalStateException("replica " + replicaId + ": combining the replicas' values failed",
                            combineFailure);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("replica " + replicaId + " was interrupted while waiting for the others", e);
            } finally {
                lock.unlock();
            }
        }

        private void checkFailed(int replicaId) {
            if (failed) {
                throw new IllegalStateException("replica " + replicaId + ": another replica failed during this step");
            }
        }

        @Override
        public void fail() {
            lock.lock();
            try {
                failed = true;
                released.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** Runs on the last replica to arrive, while the others wait. */
        private void combine() {
            Consumer<List<Tensor>> a = apply;
            if (a == null) {
                return;
            }
            try (GradientTape.NoGrad p = GradientTape.noGrad()) {
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
                combineFailure = e;
            }
        }
    }
}
