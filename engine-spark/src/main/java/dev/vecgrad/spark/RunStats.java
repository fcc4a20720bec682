package dev.vecgrad.spark;

/**
 * Where the time of a Spark run went, summed over its jobs: what the per-step cost of
 * distribution is made of.
 *
 * @param jobs Spark jobs run
 * @param steps global steps run
 * @param wallSeconds time the driver waited for the jobs
 * @param computeSeconds time the slowest worker of each job spent in its steps, exchanges excluded
 * @param exchangeSeconds time the slowest worker of each job spent in all-gathers
 * @param exchangedBytes bytes all workers handed to all-gathers
 */
public record RunStats(long jobs, long steps, double wallSeconds, double computeSeconds, double exchangeSeconds,
        long exchangedBytes) {
    /** Nothing run yet. */
    static final RunStats NONE = new RunStats(0, 0, 0, 0, 0, 0);

    /** These stats plus one job of {@code jobSteps} steps. */
    RunStats plus(int jobSteps, long wallNanos, long computeNanos, long exchangeNanos, long bytes) {
        return new RunStats(jobs + 1, steps + jobSteps, wallSeconds + wallNanos / 1e9, computeSeconds + computeNanos / 1e9,
                exchangeSeconds + exchangeNanos / 1e9, exchangedBytes + bytes);
    }

    /**
     * What Spark adds to each step beyond the workers' own computation, in milliseconds: job
     * scheduling, task launch, result collection and the exchanges.
     */
    public double overheadMillisPerStep() {
        return steps == 0 ? 0 : (wallSeconds - computeSeconds) * 1e3 / steps;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "%d steps in %d jobs: %.3f s wall, %.3f s computing, %.3f s exchanging (%.1f MB), %.2f ms a step over the"
                        + " computation", steps, jobs, wallSeconds, computeSeconds, exchangeSeconds, exchangedBytes / 1e6,
                overheadMillisPerStep());
    }
}
