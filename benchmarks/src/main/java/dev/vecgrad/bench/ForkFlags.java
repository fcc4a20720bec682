package dev.vecgrad.bench;

/**
 * The JVM flags the benchmarks fork with, one constant a flag so that every {@code @Fork} names
 * the same strings (annotation values must be compile-time constants, so a shared list cannot be
 * one constant). Every benchmark forks with {@link #VECTOR_API} and {@link #HUGE_PAGES}, as
 * vecgrad's launcher runs the JVM; a benchmark adds its own heap and collector settings after
 * them ({@link ReductionBenchmark} its heap size). The template {@link YourKernelBenchmark}, which
 * users copy on its own, spells the two flags out.
 */
public final class ForkFlags {
    /** The Vector API's incubator module; without it vecgrad runs its scalar reference kernels. */
    public static final String VECTOR_API = "--add-modules=jdk.incubator.vector";
    /** Transparent huge pages for the heap, where Linux offers them (the JVM warns and goes on where not). */
    public static final String HUGE_PAGES = "-XX:+UseTransparentHugePages";
    /** The serial collector, vecgrad's launcher's. */
    public static final String SERIAL_GC = "-XX:+UseSerialGC";
    /** The G1 collector, the JVM's default. */
    public static final String G1_GC = "-XX:+UseG1GC";
    /** Maps and touches the whole heap at start-up, so no measurement pays the first touch of a page. */
    public static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";

    private ForkFlags() {
    }
}
