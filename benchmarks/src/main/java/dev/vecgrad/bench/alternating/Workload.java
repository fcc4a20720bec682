package dev.vecgrad.bench.alternating;

/**
 * One operation the {@link TimingServer} times: a GEMM or an elementwise op on operands made once,
 * at set-up, from a fixed seed.
 */
interface Workload {
    /** Prepares a block of calls (an elementwise pool form opens its {@code OutputPool} here). */
    default void beginBlock() {
    }

    /** Runs the operation once. */
    void call();

    /** Ends a block of calls begun with {@link #beginBlock}. */
    default void endBlock() {
    }

    /** The work one call does: floating-point operations for a GEMM, elements for an elementwise op. */
    double work();

    /** The unit of {@link #work}: {@code "flop"} or {@code "element"}. */
    String unit();

    /** Runs the operation once more and returns the sum of its output, in double, in index order. */
    double checksum();
}
