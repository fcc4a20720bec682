package dev.vecgrad.bench.alternating;

import dev.vecgrad.core.Engine;
import dev.vecgrad.core.kernel.Backend;
import dev.vecgrad.core.kernel.parallel.Parallel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * A long-lived process that times vecgrad's kernels block by block on command, so that a driver
 * ({@code benchmarks/compare_peers.py --method alternating}) can alternate short blocks of
 * vecgrad with blocks of a peer, or of another thread count, and compare each pair of neighbouring
 * blocks: both run in the same phase of a machine whose speed drifts, which separate JMH forks do
 * not. The JVM stays up, so the JIT's work (C2 compiling a rarely used tile) happens once, in the
 * driver's warm-up.
 *
 * <p>It reads one command a line on standard input and answers each with one JSON line on
 * standard output; a command it cannot run gets {@code {"error": "..."}} and the server goes on.
 * End of input ends it.
 * <pre>
 * setup NAME gemm f32|f64 M N K nn|tn|nt|tt [threads=T]   C = op(A)·op(B) on T threads (default 1)
 * setup NAME gemm f32|f64 M N K nn|tn|nt|tt pair     two independent one-thread products at once
 *                                                    ({@link PairWorkload}: the two-thread ceiling)
 * setup NAME elementwise OP SIZE kernel|op|pool           an F32 op ({@link ElementwiseWorkload})
 *   → {"name": NAME, "work": work a call, "unit": "flop"|"element"}
 * run NAME 100ms        calls NAME until the block has lasted at least that long (at least once)
 *   → {"name": NAME, "calls": N, "cpu_ns": this thread's CPU time, "wall_ns": elapsed time,
 *      "jit_ms": the JIT's compilation time so far (it grows while C2 still compiles what the calls run)}
 * check NAME            → {"name": NAME, "sum": the sum of one call's output}
 * drop NAME             → {"name": NAME, "dropped": true}   (frees its operands and collects the whole heap)
 * capacity              → {"fma1": GFLOP/s, "fma2": GFLOP/s, "each": [GFLOP/s, GFLOP/s], "ratio": fma2 / fma1}
 *                         how much of two cores the machine gives now ({@link FmaCapacity}: a register-only
 *                         FMA loop on one thread, then on two at once; about 2 on two idle cores)
 * info                  → {"engine": the engine's description, "java": the JVM's version}
 * </pre>
 * GEMM's thread count is the workload's own: each count gets a {@link Backend} with its own
 * {@link Parallel} pool, made once and shared by the workloads of that count, so one JVM times one
 * and two threads side by side. The Tensor ops run on the engine, configured once at start-up for
 * one thread.
 *
 * <p>The driver starts it with the JVM flags of the JMH benchmark its workloads belong to (the
 * {@code @Fork} flags, which {@code --jvm-flags dev.vecgrad.bench.GemmBenchmark.sgemm ...} prints as
 * JSON), so a GEMM, a bare elementwise kernel and an allocating Tensor op each run on the heap and
 * collector their JMH benchmark uses.
 */
public final class TimingServer implements AutoCloseable {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
    /** The longest block one {@code run} may ask for. */
    static final long MAX_BLOCK_MILLIS = 60_000;

    private final Map<String, Workload> workloads = new HashMap<>();
    private final Map<Integer, Backend> backends = new LinkedHashMap<>();
    /** Made on the first {@code capacity} command (it starts a thread of its own). */
    private FmaCapacity capacity;
    /** The pair workloads' partner thread, made on the first {@code pair} set-up. */
    private TwoAtOnce pair;

    /** A server with no workloads; the Tensor ops run on the engine as configured. */
    public TimingServer() {
    }

    /**
     * Serves standard input, or with {@code --jvm-flags BENCHMARK...} prints those JMH benchmarks' fork
     * flags as one JSON object (each name to its list of flags).
     *
     * @param args nothing, or {@code --jvm-flags} and benchmarks' full names
     * @throws IOException when standard input cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length >= 2 && args[0].equals("--jvm-flags")) {
            StringBuilder json = new StringBuilder("{");
            for (int i = 1; i < args.length; i++) {
                json.append(i > 1 ? ", " : "").append(quote(args[i])).append(": [");
                List<String> flags = jvmFlags(args[i]);
                for (int f = 0; f < flags.size(); f++) {
                    json.append(f > 0 ? ", " : "").append(quote(flags.get(f)));
                }
                json.append(']');
            }
            System.out.println(json.append('}'));
            return;
        }
        if (args.length != 0) {
            System.err.println("usage: TimingServer [--jvm-flags BENCHMARK...]");
            System.exit(2);
        }
        Engine.configure(Engine.KernelChoice.AUTO, 1);
        try (TimingServer server = new TimingServer()) {
            server.serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                    new PrintWriter(System.out, false, StandardCharsets.UTF_8));
        }
    }

    /**
     * The JVM flags JMH forks {@code benchmark} with (its {@code @Fork} arguments, in order).
     *
     * @param benchmark the benchmark method's full name, {@code dev.vecgrad.bench.GemmBenchmark.sgemm}
     * @return the flags
     * @throws IllegalArgumentException when the jar has no such benchmark
     */
    public static List<String> jvmFlags(String benchmark) {
        PrintStream silent = new PrintStream(OutputStream.nullOutputStream());
        for (BenchmarkListEntry e : BenchmarkList.defaultList()
                .getAll(OutputFormatFactory.createFormatInstance(silent, VerboseMode.SILENT), List.of())) {
            if (e.getUsername().equals(benchmark)) {
                List<String> flags = new ArrayList<>();
                for (var part : List.of(e.getJvmArgsPrepend(), e.getJvmArgs(), e.getJvmArgsAppend())) {
                    flags.addAll(part.orElse(List.<String>of()));
                }
                return flags;
            }
        }
        throw new IllegalArgumentException("no JMH benchmark named " + benchmark);
    }

    /**
     * Answers each line of {@code in} with one line on {@code out} until {@code in} ends.
     *
     * @param in the commands
     * @param out the replies, flushed after each
     * @throws IOException when {@code in} cannot be read
     */
    public void serve(BufferedReader in, PrintWriter out) throws IOException {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            out.println(reply(line));
            out.flush();
        }
    }

    /**
     * The JSON reply to one command line; a command that cannot run gets {@code {"error": ...}}.
     *
     * @param line one command
     * @return one line of JSON
     */
    public String reply(String line) {
        String[] w = line.trim().split("\\s+");
        try {
            return switch (w[0]) {
                case "setup" -> setup(w);
                case "run" -> run(w);
                case "check" -> {
                    arity(w, 2, "check NAME");
                    yield "{\"name\": " + quote(w[1]) + ", \"sum\": " + number(workload(w[1]).checksum()) + "}";
                }
                case "drop" -> {
                    arity(w, 2, "drop NAME");
                    workload(w[1]);
                    workloads.remove(w[1]);
                    // The next workload starts on an empty old generation, as in a fresh JMH fork, rather than
                    // on what an earlier row's large outputs left there.
                    System.gc();
                    yield "{\"name\": " + quote(w[1]) + ", \"dropped\": true}";
                }
                case "capacity" -> {
                    arity(w, 1, "capacity");
                    if (capacity == null) {
                        capacity = new FmaCapacity();
                    }
                    yield capacity.read().json();
                }
                case "info" -> "{\"engine\": " + quote(Engine.get().describe()) + ", \"java\": "
                        + quote(Runtime.version().toString()) + "}";
                default -> throw new IllegalArgumentException("unknown command '" + w[0]
                        + "' (known: setup, run, check, drop, capacity, info)");
            };
        } catch (RuntimeException | OutOfMemoryError e) {
            String why = e instanceof IllegalArgumentException ? e.getMessage() : e.toString();
            return "{\"error\": " + quote(why + " (in: " + line.trim() + ")") + "}";
        }
    }

    private String setup(String[] w) {
        if (w.length < 3) {
            throw new IllegalArgumentException("usage: setup NAME gemm|elementwise ...");
        }
        Workload made = switch (w[2]) {
            case "gemm" -> gemm(w);
            case "elementwise" -> {
                arity(w, 6, "setup NAME elementwise OP SIZE kernel|op|pool");
                yield new ElementwiseWorkload(Engine.get().kernels(), w[3], positive(w[4], "SIZE"), w[5]);
            }
            default -> throw new IllegalArgumentException("unknown workload '" + w[2] + "' (known: gemm, elementwise)");
        };
        workloads.put(w[1], made);
        return "{\"name\": " + quote(w[1]) + ", \"work\": " + number(made.work()) + ", \"unit\": " + quote(made.unit())
                + "}";
    }

    private Workload gemm(String[] w) {
        String usage = "setup NAME gemm f32|f64 M N K nn|tn|nt|tt [threads=T|pair]";
        if (w.length != 8 && w.length != 9) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        boolean f64 = switch (w[3]) {
            case "f32" -> false;
            case "f64" -> true;
            default -> throw new IllegalArgumentException("GEMM dtype must be f32 or f64, got '" + w[3] + "'");
        };
        String trans = w[7];
        if (!trans.matches("[nt][nt]")) {
            throw new IllegalArgumentException("GEMM transposes must be nn, tn, nt or tt, got '" + trans + "'");
        }
        int m = positive(w[4], "M");
        int n = positive(w[5], "N");
        int k = positive(w[6], "K");
        boolean ta = trans.charAt(0) == 't';
        boolean tb = trans.charAt(1) == 't';
        if (w.length == 9 && w[8].equals("pair")) {
            if (pair == null) {
                pair = new TwoAtOnce();
            }
            Backend one = backend(1);
            return new PairWorkload(new GemmWorkload(one, f64, m, n, k, ta, tb),
                    new GemmWorkload(one, f64, m, n, k, ta, tb), pair);
        }
        int threads = 1;
        if (w.length == 9) {
            if (!w[8].startsWith("threads=")) {
                throw new IllegalArgumentException("expected threads=T or pair, got '" + w[8] + "'");
            }
            threads = positive(w[8].substring("threads=".length()), "threads");
        }
        return new GemmWorkload(backend(threads), f64, m, n, k, ta, tb);
    }

    /** The backend of {@code threads} threads, made on first use. */
    private Backend backend(int threads) {
        return backends.computeIfAbsent(threads, t -> new Backend(Engine.get().kernels(), new Parallel(t)));
    }

    private String run(String[] w) {
        arity(w, 3, "run NAME 100ms");
        Workload load = workload(w[1]);
        if (!w[2].endsWith("ms")) {
            throw new IllegalArgumentException("the block length needs a unit, as in 100ms; got '" + w[2] + "'");
        }
        long millis = positive(w[2].substring(0, w[2].length() - 2), "the block length");
        if (millis > MAX_BLOCK_MILLIS) {
            throw new IllegalArgumentException("a block lasts at most " + MAX_BLOCK_MILLIS + "ms, got " + w[2]);
        }
        load.beginBlock();
        long calls = 0;
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        long end = t0 + millis * 1_000_000L;
        long now;
        do {
            load.call();
            calls++;
            now = System.nanoTime();
        } while (now < end);
        long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        load.endBlock();
        long jit = JIT.isCompilationTimeMonitoringSupported() ? JIT.getTotalCompilationTime() : 0;
        return "{\"name\": " + quote(w[1]) + ", \"calls\": " + calls + ", \"cpu_ns\": " + cpu + ", \"wall_ns\": "
                + (now - t0) + ", \"jit_ms\": " + jit + "}";
    }

    private Workload workload(String name) {
        Workload w = workloads.get(name);
        if (w == null) {
            throw new IllegalArgumentException("no workload named '" + name + "' (set it up first)");
        }
        return w;
    }

    private static void arity(String[] w, int n, String usage) {
        if (w.length != n) {
            throw new IllegalArgumentException("usage: " + usage);
        }
    }

    private static int positive(String s, String what) {
        try {
            int v = Integer.parseInt(s);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(what + " must be a whole number of at least 1, got '" + s + "'");
    }

    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.17g", v) : quote(Double.toString(v));
    }

    /** {@code s} as a JSON string. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Closes the GEMM workloads' thread pools and the capacity reading's and pair workloads' threads. */
    @Override
    public void close() {
        if (pair != null) {
            pair.close();
            pair = null;
        }
        if (capacity != null) {
            capacity.close();
            capacity = null;
        }
        backends.values().forEach(b -> b.parallel().close());
        backends.clear();
        workloads.clear();
    }
}
