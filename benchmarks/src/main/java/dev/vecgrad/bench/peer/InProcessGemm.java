package dev.vecgrad.bench.peer;

import dev.vecgrad.bench.GemmBenchmark;
import dev.vecgrad.bench.GemmShape;
import dev.vecgrad.core.Engine;
import dev.vecgrad.core.kernel.Backend;
import dev.vecgrad.core.kernel.gemm.Gemm;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * vecgrad's one-thread GEMM against OpenBLAS's, both called from the same thread of the same JVM,
 * alternating batches of a few milliseconds: the two sides of every ratio see the machine in the
 * same state (the same vCPU, the same moment of a host whose speed drifts), which separate
 * processes timed a tenth of a second apart do not.
 *
 * <p>For each dtype and {@link GemmShape} it makes fixed-seed operands as {@link GemmBenchmark}
 * does (A then B from {@code SplittableRandom(42)}, each in its stored layout), shared by both
 * sides, each side writing its own C. It warms both sides up, batch about batch, for at least
 * {@code --warm} seconds and on while vecgrad's batch rate still rises or the JIT still compiles
 * (C2 compiles the Vector API loops late, and they run far slower before), at most
 * {@code --warm-max}; checks once that the two sides' C agree (within {@code k·u} of C's norm,
 * u the unit roundoff: a wrong transpose or stride is off by the order of C itself); then runs
 * {@code --rounds} rounds of one batch of each side, the order reversed every other round, each
 * batch as many calls as take about {@code --batch-ms} of CPU. Every batch is timed by the thread's
 * CPU time, which waiting for a core does not inflate. It prints, per row, each side's best and
 * median batch in GFLOP/s, the median of the per-round ratios (first side over second) with their
 * range and quartiles, the check's relative error, and the share of a core the JVM's other threads
 * used during the rounds (the JIT's compiler threads, the collector, OpenBLAS's idle workers) and the
 * milliseconds the JIT spent compiling then (above 0: a row's code was still being compiled).
 *
 * <p>{@code --sides vecgrad,vecgrad} or {@code openblas,openblas} times a side against a copy of
 * itself (an A/A control): its ratios show how far two identical sides spread on the machine as
 * it is.
 *
 * <pre>
 * env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE ./vecgrad gemm-vs-openblas [options]
 * </pre>
 * (the launcher runs it on JDK 25 with {@code GemmBenchmark}'s fork flags and
 * {@code --enable-native-access=ALL-UNNAMED}), with {@code OPENBLAS_CORETYPE} and
 * {@code OPENBLAS_L2_SIZE} unset: it refuses
 * to run otherwise, since OpenBLAS reads them when it loads and would run the kernel or blocking
 * they name instead of its own choice for this CPU.
 */
public final class InProcessGemm {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final List<String> SIDES = List.of("vecgrad", "openblas");

    /** The command line: which rows, how long, which two sides. */
    record Options(List<String> dtypes, List<GemmShape> shapes, int rounds, double batchMillis, double warmSeconds,
            double warmMaxSeconds, List<String> sides, Path openblas, boolean keepEnvironment, Path csv) {

        static final String USAGE = """
                usage: InProcessGemm [--dtype f32,f64] [--shapes sq64,...,mlp_dx] [--rounds 30] [--batch-ms 5]
                                     [--warm 2] [--warm-max 10] [--sides vecgrad,openblas] [--openblas PATH]
                                     [--keep-openblas-env] [--csv FILE]
                  --dtype      f32, f64 or both (default both)
                  --shapes     rows to run, of: %s (default all)
                  --rounds     rounds of one batch of each side (default 30)
                  --batch-ms   CPU milliseconds a batch lasts, about (at least one call; default 5)
                  --warm       seconds of warm-up a row at least (default 2); it goes on while vecgrad's batch
                               rate still rises or the JIT still compiles, up to --warm-max (default 10)
                  --sides      the two sides, each vecgrad or openblas (default vecgrad,openblas; the same twice
                               is an A/A control); ratios are the first over the second
                  --openblas   the OpenBLAS library (default: the first of %s that exists)
                  --keep-openblas-env  run even with OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE set (printed)
                  --csv        also write every timed batch to FILE: dtype, shape, round, slot (0 first in its
                               round), side (0 or 1), calls, CPU ns, GFLOP/s, the FMA readings before and
                               after the round, and the CPU the thread was on as the batch started
                """;

        static Options parse(String[] args) {
            List<String> dtypes = List.of("f32", "f64");
            List<GemmShape> shapes = GemmShape.ALL;
            int rounds = 30;
            double batch = 5;
            double warm = 2;
            double warmMax = 10;
            List<String> sides = SIDES;
            Path lib = null;
            boolean keepEnv = false;
            Path csv = null;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--keep-openblas-env")) {
                    keepEnv = true;
                    continue;
                }
                if (a.equals("-h") || a.equals("--help")) {
                    throw new IllegalArgumentException("");
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--dtype" -> {
                        dtypes = List.of(v.split(","));
                        for (String d : dtypes) {
                            if (!d.equals("f32") && !d.equals("f64")) {
                                throw new IllegalArgumentException("--dtype: f32 or f64, got '" + d + "'");
                            }
                        }
                    }
                    case "--shapes" -> shapes = Stream.of(v.split(",")).map(GemmShape::named).toList();
                    case "--rounds" -> rounds = Integer.parseInt(v);
                    case "--batch-ms" -> batch = Double.parseDouble(v);
                    case "--warm" -> warm = Double.parseDouble(v);
                    case "--warm-max" -> warmMax = Double.parseDouble(v);
                    case "--sides" -> {
                        sides = List.of(v.split(","));
                        if (sides.size() != 2 || !SIDES.containsAll(sides)) {
                            throw new IllegalArgumentException("--sides: two of vecgrad, openblas, got '" + v + "'");
                        }
                    }
                    case "--openblas" -> lib = Path.of(v);
                    case "--csv" -> csv = Path.of(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (rounds < 1 || !(batch > 0) || warm < 0 || warmMax < warm) {
                throw new IllegalArgumentException("need --rounds >= 1, --batch-ms > 0 and 0 <= --warm <= --warm-max");
            }
            return new Options(dtypes, shapes, rounds, batch, warm, warmMax, sides, lib, keepEnv, csv);
        }
    }

    /**
     * One side's product on the row's operands, into its own C.
     *
     * @param product one product
     * @param result C as doubles (after at least one product)
     */
    record Side(Runnable product, Supplier<double[]> result) {
        /** One product. */
        void call() {
            product.run();
        }
    }

    /** One row's figures: each side's rate per round (GFLOP/s of CPU time) and what the check found. */
    record Row(String dtype, GemmShape shape, double[] first, double[] second, double relativeError,
            double tolerance, double othersShare, int callsFirst, int callsSecond, double warmSeconds, long jitMillis,
            double[] fma) {

        Spread ratio() {
            return Spread.of(Spread.ratios(first, second));
        }

        /**
         * The ratio over the rounds whose FMA readings, just before and just after the round ({@code fma[i]} and
         * {@code fma[i + 1]}), are both at least {@code share} of {@code best}; null when no round's are.
         */
        Spread ratioWhereFma(double best, double share) {
            double[] r = Spread.ratios(first, second);
            double[] kept = IntStream.range(0, r.length)
                    .filter(i -> Math.min(fma[i], fma[i + 1]) >= share * best).mapToDouble(i -> r[i]).toArray();
            return kept.length == 0 ? null : Spread.of(kept);
        }
    }

    private final Options options;
    private final Backend backend;
    private final OpenBlas blas;
    /** Every timed batch, one CSV line each ({@code --csv}). */
    private final List<String> csv = new ArrayList<>();

    InProcessGemm(Options options, Backend backend, OpenBlas blas) {
        this.options = options;
        this.backend = backend;
        this.blas = blas;
    }

    /**
     * Runs the rows the options name and prints the table.
     *
     * @param args see {@code --help}
     * @throws IOException when {@code /proc} cannot be read
     */
    public static void main(String[] args) throws IOException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("InProcessGemm: " + e.getMessage());
            }
            System.err.printf(Options.USAGE, String.join(", ", GemmShape.ALL.stream().map(GemmShape::name).toList()),
                    OpenBlas.candidates());
            System.exit(2);
            return;
        }
        List<String> env = OpenBlas.environmentOverrides();
        if (!env.isEmpty() && !options.keepEnvironment()) {
            fail("OpenBLAS reads " + String.join(", ", env) + " when it loads and would run that kernel or blocking "
                    + "instead of its own choice for this CPU; unset them for this command (env -u OPENBLAS_CORETYPE "
                    + "-u OPENBLAS_L2_SIZE ./vecgrad gemm-vs-openblas ...), or pass --keep-openblas-env to time them "
                    + "anyway");
        }
        if (!InProcessGemm.class.getModule().isNativeAccessEnabled()) {
            fail("native access is not enabled for this code: start the JVM with --enable-native-access=ALL-UNNAMED");
        }
        Engine engine = Engine.configure(Engine.KernelChoice.AUTO, 1);
        if (!engine.isVectorized()) {
            fail("vecgrad runs its scalar kernels (" + engine.describe() + "): start the JVM with "
                    + "--add-modules=jdk.incubator.vector");
        }
        Path lib = options.openblas() != null ? options.openblas() : OpenBlas.find().orElse(null);
        if (lib == null) {
            fail("no OpenBLAS found (looked at " + OpenBlas.candidates() + "); install libopenblas0-pthread or pass "
                    + "--openblas PATH");
        }
        Set<Long> before = tasks();
        OpenBlas blas;
        try {
            blas = OpenBlas.load(lib);
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        }
        blas.setThreads(1);
        Set<Long> workers = tasks();
        workers.removeAll(before);

        PrintStream out = System.out;
        out.println("java " + Runtime.version() + ", " + ManagementFactory.getRuntimeMXBean().getInputArguments());
        out.println(engine.describe());
        out.println("OpenBLAS " + blas.describe() + ", threads " + blas.threads()
                + (env.isEmpty() ? "" : ", with " + String.join(" ", env) + " SET"));
        out.printf(Locale.ROOT, "one thread; %d rounds of one batch a side (about %.1f ms of CPU each), order "
                + "reversed every other round; rates in GFLOP/s of the thread's CPU time; ratio %s / %s%n",
                options.rounds(), options.batchMillis(), options.sides().get(0), options.sides().get(1));
        long workersCpu0 = ticks(workers);
        long wall0 = System.nanoTime();
        // The FMA probe read before every round must run compiled from the first round on.
        FmaProbe.warmUp(0.5);
        List<Row> rows = new ArrayList<>();
        InProcessGemm run = new InProcessGemm(options, engine.backend(), blas);
        for (String dtype : options.dtypes()) {
            for (GemmShape shape : options.shapes()) {
                Row row = run.row(dtype, shape);
                rows.add(row);
                out.println(line(row, options.sides()));
                out.flush();
                System.gc();
            }
        }
        double wall = (System.nanoTime() - wall0) / 1e9;
        if (options.csv() != null) {
            List<String> lines = new ArrayList<>();
            lines.add("dtype,shape,round,slot,side,calls,cpu_ns,gflops,fma_before,fma_after,cpu");
            lines.addAll(run.csv);
            Files.write(options.csv(), lines);
        }
        out.println();
        out.print(table(rows, options.sides()));
        out.printf(Locale.ROOT, "%nOpenBLAS's %d worker thread(s) used %.2f s of CPU over the %.0f s of the rows%n",
                workers.size(), (ticks(workers) - workersCpu0) / 100.0, wall);
    }

    private static void fail(String why) {
        System.err.println("InProcessGemm: " + why);
        System.exit(2);
    }

    /** Measures one row: warm-up, the check, the rounds. */
    Row row(String dtype, GemmShape s) {
        boolean f64 = dtype.equals("f64");
        SplittableRandom rnd = new SplittableRandom(42);
        float[] a = GemmBenchmark.random(s.m() * s.k(), rnd);
        float[] b = GemmBenchmark.random(s.k() * s.n(), rnd);
        // Both sides read the same operands (each writes its own C), so neither finds in cache what the other does not.
        double[] ad = f64 ? GemmBenchmark.toDouble(a) : null;
        double[] bd = f64 ? GemmBenchmark.toDouble(b) : null;
        Side first = f64 ? side(options.sides().get(0), s, ad, bd) : side(options.sides().get(0), s, a, b);
        Side second = f64 ? side(options.sides().get(1), s, ad, bd) : side(options.sides().get(1), s, a, b);
        Side[] sides = {first, second};
        int[] calls = {1, 1};
        double batchNs = options.batchMillis() * 1e6;

        // The side whose rate decides when the warm-up ends: vecgrad's, whose loops C2 compiles late.
        int watched = Math.max(0, options.sides().indexOf("vecgrad"));
        long warmStart = System.nanoTime();
        List<Double> rates = new ArrayList<>();
        List<Long> jit = new ArrayList<>();
        while (true) {
            for (int i = 0; i < 2; i++) {
                long ns = batch(sides[i], calls[i]);
                if (i == watched) {
                    rates.add(s.flops() * calls[i] / ns);
                }
                calls[i] = (int) Math.max(1, Math.min(1 << 20, Math.round(calls[i] * batchNs / ns)));
            }
            jit.add(JIT.getTotalCompilationTime());
            double spent = (System.nanoTime() - warmStart) / 1e9;
            if (spent >= options.warmMaxSeconds() || spent >= options.warmSeconds() && settled(rates, jit)) {
                break;
            }
        }
        double warmed = (System.nanoTime() - warmStart) / 1e9;

        double[] x = first.result().get();
        double[] y = second.result().get();
        double err = relativeError(x, y);
        double tolerance = s.k() * (f64 ? Math.ulp(1.0) : Math.ulp(1.0f)) / 2;
        if (!(err <= tolerance)) {
            throw new IllegalStateException(String.format(Locale.ROOT, "%s %s: %s and %s differ by %.3g of C's norm "
                    + "(tolerance %.3g): the binding or the operands' layout is wrong", dtype, s.name(),
                    options.sides().get(0), options.sides().get(1), err, tolerance));
        }

        int rounds = options.rounds();
        double[][] rate = new double[2][rounds];
        // A reading before every round and one after the last: fma[r] and fma[r + 1] bracket round r.
        double[] fma = new double[rounds + 1];
        List<String[]> batches = new ArrayList<>();
        long jit0 = JIT.getTotalCompilationTime();
        long cpu0 = OS.getProcessCpuTime();
        long self0 = THREADS.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            fma[r] = FmaProbe.read();
            for (int j = 0; j < 2; j++) {
                int i = r % 2 == 0 ? j : 1 - j;
                int cpu = options.csv() == null ? -1 : cpu();
                long ns = batch(sides[i], calls[i]);
                rate[i][r] = s.flops() * calls[i] / ns;
                batches.add(new String[] {String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%d,%.3f,%.3f", dtype, s.name(),
                        r, j, i, calls[i], ns, rate[i][r], fma[r]), Integer.toString(cpu)});
            }
        }
        fma[rounds] = FmaProbe.read();
        for (int t = 0; t < batches.size(); t++) {
            String[] line = batches.get(t);
            csv.add(String.format(Locale.ROOT, "%s,%.3f,%s", line[0], fma[t / 2 + 1], line[1]));
        }
        long wall = System.nanoTime() - wall0;
        long others = (OS.getProcessCpuTime() - cpu0) - (THREADS.getCurrentThreadCpuTime() - self0);
        return new Row(dtype, s, rate[0], rate[1], err, tolerance, (double) others / wall, calls[0], calls[1], warmed,
                JIT.getTotalCompilationTime() - jit0, fma);
    }

    /** The CPU nanoseconds of {@code calls} calls of {@code side} on this thread (at least 1). */
    private static long batch(Side side, int calls) {
        long t0 = THREADS.getCurrentThreadCpuTime();
        for (int c = 0; c < calls; c++) {
            side.call();
        }
        return Math.max(1, THREADS.getCurrentThreadCpuTime() - t0);
    }

    /**
     * Whether the warm-up may end: at least four rounds, none of the last three more than 2 % above the
     * best before them, and the JIT's compilation time the same over the last three rounds.
     */
    static boolean settled(List<Double> rates, List<Long> jit) {
        int n = rates.size();
        if (n < 4 || jit.size() < 4) {
            return false;
        }
        double before = rates.subList(0, n - 3).stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double last = rates.subList(n - 3, n).stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return last <= 1.02 * before && jit.get(jit.size() - 1).equals(jit.get(jit.size() - 4));
    }

    /** {@code ‖x − y‖ / ‖y‖} in the Frobenius norm (0 when both are zero). */
    static double relativeError(double[] x, double[] y) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < x.length; i++) {
            diff += (x[i] - y[i]) * (x[i] - y[i]);
            norm += y[i] * y[i];
        }
        return diff == 0 ? 0 : Math.sqrt(diff / norm);
    }

    /** {@code who}'s F32 product on the row's operands, into a C of its own. */
    private Side side(String who, GemmShape s, float[] a, float[] b) {
        int m = s.m();
        int n = s.n();
        int k = s.k();
        boolean ta = s.transA();
        boolean tb = s.transB();
        int lda = s.lda();
        int ldb = s.ldb();
        float[] c = new float[m * n];
        Runnable call = who.equals("vecgrad")
                ? () -> Gemm.sgemm(backend, ta, tb, m, n, k, a, 0, lda, b, 0, ldb, c, 0, n, false)
                : () -> blas.sgemm(ta, tb, m, n, k, a, lda, b, ldb, c, n);
        return new Side(call, () -> GemmBenchmark.toDouble(c));
    }

    /** {@code who}'s F64 product on the row's operands, into a C of its own. */
    private Side side(String who, GemmShape s, double[] a, double[] b) {
        int m = s.m();
        int n = s.n();
        int k = s.k();
        boolean ta = s.transA();
        boolean tb = s.transB();
        int lda = s.lda();
        int ldb = s.ldb();
        double[] c = new double[m * n];
        Runnable call = who.equals("vecgrad")
                ? () -> Gemm.dgemm(backend, ta, tb, m, n, k, a, 0, lda, b, 0, ldb, c, 0, n, false)
                : () -> blas.dgemm(ta, tb, m, n, k, a, lda, b, ldb, c, n);
        return new Side(call, c::clone);
    }

    /** One progress line for a row. */
    static String line(Row r, List<String> sides) {
        Spread x = Spread.of(r.first());
        Spread y = Spread.of(r.second());
        Spread q = r.ratio();
        return String.format(Locale.ROOT, "%s %-8s %s best %.1f med %.1f, %s best %.1f med %.1f: ratio %s "
                + "(quartiles %.2f–%.2f), %d+%d calls a batch, warm %.1f s, check %.1e (tol %.1e), others %.2f core, "
                + "JIT %d ms in the rounds, FMA %.0f–%.0f",
                r.dtype(), r.shape().name(), sides.get(0), max(r.first()), x.median(), sides.get(1), max(r.second()),
                y.median(), q.ratioText(), q.q1(), q.q3(), r.callsFirst(), r.callsSecond(), r.warmSeconds(),
                r.relativeError(), r.tolerance(), r.othersShare(), r.jitMillis(), min(r.fma()), max(r.fma()));
    }

    /** The share of the run's best FMA reading ({@link #top}) a round's must reach to count in the table's last column. */
    // Implementation note: on a 2-vCPU Zen 3 guest, three runs of every row (f32 twice, f64 once, 810 rounds), rounds whose
    // two readings were 0.90-0.97 of the fast level gave vecgrad ÷ OpenBLAS 0.70-0.75 in medians, those at 0.97 or more
    // 0.84-0.90: in that state the FMA loop loses under a tenth of its speed but the products a third (vecgrad) or a fifth
    // (OpenBLAS), so a looser share mixes two machines into one figure.
    static final double FAST_FMA = 0.97;

    /**
     * The rows as a Markdown table; the last column is the ratio over the rounds whose FMA readings
     * before and after were at least {@link #FAST_FMA} of the run's best, with how many of them.
     */
    static String table(List<Row> rows, List<String> sides) {
        double fmaBest = top(rows.stream().flatMapToDouble(r -> Arrays.stream(r.fma())).toArray());
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "| dtype | shape (m, n, k) | %s best | %s median | %s best | %s median "
                + "| ratio [min–max] | quartiles | ratio, fast rounds (count) |%n", sides.get(0), sides.get(0),
                sides.get(1), sides.get(1)));
        t.append("|---|---|---:|---:|---:|---:|---|---|---|\n");
        for (Row r : rows) {
            Spread q = r.ratio();
            Spread fast = r.ratioWhereFma(fmaBest, FAST_FMA);
            GemmShape s = r.shape();
            t.append(String.format(Locale.ROOT, "| %s | %s (%d, %d, %d) | %.1f | %.1f | %.1f | %.1f | **%.2f** [%.2f–%.2f] "
                    + "| %.2f–%.2f | %s |%n", r.dtype(), s.name(), s.m(), s.n(), s.k(), max(r.first()),
                    Spread.of(r.first()).median(), max(r.second()), Spread.of(r.second()).median(), q.median(), q.min(),
                    q.max(), q.q1(), q.q3(), fast == null ? "– (0)" : fast.ratioText() + " (" + fast.count() + ")"));
        }
        t.append(String.format(Locale.ROOT, "%nFast rounds: FMA readings before and after at least %.2f of %.1f GFLOP/s, the "
                + "readings' fast level (the highest with two more within 2 %% below it)%n", FAST_FMA, fmaBest));
        return t.toString();
    }

    /**
     * The highest of {@code readings} that at least two others lie within 2 % below (or the highest, when
     * none does): the machine's fast level, not one reading the clock inflated.
     */
    static double top(double[] readings) {
        double[] v = readings.clone();
        Arrays.sort(v);
        for (int i = v.length - 1; i >= 2; i--) {
            if (v[i - 2] >= 0.98 * v[i]) {
                return v[i];
            }
        }
        return v.length == 0 ? 0 : v[v.length - 1];
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : v) {
            m = Math.min(m, x);
        }
        return m;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    /** The CPU this thread last ran on ({@code /proc/thread-self/stat}'s processor field), or -1 where unknown. */
    private static int cpu() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[36]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The ids of this process's threads ({@code /proc/self/task}). */
    private static Set<Long> tasks() throws IOException {
        Set<Long> ids = new HashSet<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/task"))) {
            s.forEach(p -> ids.add(Long.parseLong(p.getFileName().toString())));
        }
        return ids;
    }

    /** The user and system CPU time of those threads, in clock ticks (1/100 s), from {@code /proc/self/task/ID/stat}. */
    private static long ticks(Set<Long> ids) {
        long sum = 0;
        for (long id : ids) {
            try {
                String stat = Files.readString(Path.of("/proc/self/task/" + id + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (IOException | RuntimeException e) {
                // The thread has ended: its time is no longer listed.
            }
        }
        return sum;
    }
}
