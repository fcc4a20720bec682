package dev.vecgrad.bench.alternating;

/**
 * Two independent copies of a one-thread workload, each on operands and an output of its own, started
 * together on two threads ({@link TwoAtOnce}): a call lasts as long as the slower copy. Its rate over
 * the one-thread workload's is what two threads can reach on the machine at that moment with no
 * split at all (no shared operands, no waiting for each other inside a call), the bound against
 * which a two-thread product's own ratio is read.
 */
final class PairWorkload implements Workload {
    private final Workload first;
    private final Workload second;
    private final TwoAtOnce pair;
    /** The two copies' calls, made once so that a timed call allocates no method references. */
    private final Runnable firstCall;
    private final Runnable secondCall;

    /**
     * @param first the copy the calling thread runs
     * @param second the copy the partner thread runs (the same operation on operands of its own)
     * @param pair the two-thread runner
     */
    PairWorkload(Workload first, Workload second, TwoAtOnce pair) {
        this.first = first;
        this.second = second;
        this.pair = pair;
        this.firstCall = first::call;
        this.secondCall = second::call;
    }

    @Override
    public void call() {
        pair.run(firstCall, secondCall);
    }

    /** Both copies' work. */
    @Override
    public double work() {
        return first.work() + second.work();
    }

    @Override
    public String unit() {
        return first.unit();
    }

    /** The sum of both copies' outputs. */
    @Override
    public double checksum() {
        call();
        return first.checksum() + second.checksum();
    }
}
