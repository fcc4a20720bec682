package dev.vecgrad.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Secondary JMH results for one-thread kernels on a shared machine: the benchmark thread's CPU
 * time over each iteration ({@code cpuNanos}) and the calls made in it ({@code calls}); their ratio
 * is the CPU time a call. Unlike {@link CpuTimeCounter}, the clock is read twice an iteration, not
 * twice a call, so it adds nothing to calls of a few microseconds. Wall-clock time measures the
 * other tenants of a busy machine as much as the kernel; thread CPU time leaves out the time the
 * thread waited for a core. Work on other threads (GC, a kernel's worker threads) is not counted,
 * so quote it for one-thread runs only. {@code benchmarks/compare_peers.py --clock cpu} reads it.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class IterationCpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Thread CPU time of the iteration (read by JMH). */
    public long cpuNanos;
    /** Calls made in the iteration (read by JMH); the benchmark method counts them. */
    public long calls;
    private long started;

    /** Starts the iteration's clock. */
    @Setup(Level.Iteration)
    public void start() {
        calls = 0;
        started = THREADS.getCurrentThreadCpuTime();
    }

    /** Stops it. */
    @TearDown(Level.Iteration)
    public void stop() {
        cpuNanos = THREADS.getCurrentThreadCpuTime() - started;
    }
}
