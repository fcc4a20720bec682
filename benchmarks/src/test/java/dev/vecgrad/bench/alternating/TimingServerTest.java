package dev.vecgrad.bench.alternating;

import dev.vecgrad.bench.FmaLoop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.bench.ForkFlags;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The timing server's line protocol: replies, results against independent sums, errors, end of input. */
class TimingServerTest {

    /** Feeds {@code commands} to a fresh server, one a line, and returns its reply lines (the server ends at EOF). */
    private static List<String> session(String... commands) throws IOException {
        StringWriter out = new StringWriter();
        try (TimingServer server = new TimingServer()) {
            server.serve(new BufferedReader(new StringReader(String.join("\n", commands) + "\n")), new PrintWriter(out));
        }
        return out.toString().lines().toList();
    }

    /** A number field of a one-line JSON reply. */
    private static double field(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": (-?[0-9.eE+-]+)").matcher(json);
        assertThat(m.find()).as(key + " in " + json).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static void assertSaneBlock(String reply, long blockMillis) {
        assertThat(reply).doesNotContain("error");
        double calls = field(reply, "calls");
        double wall = field(reply, "wall_ns");
        double cpu = field(reply, "cpu_ns");
        assertThat(calls).isGreaterThanOrEqualTo(1);
        assertThat(wall).isGreaterThanOrEqualTo(blockMillis * 1e6).isLessThan(60e9);
        assertThat(cpu).isPositive().isLessThanOrEqualTo(wall * 1.05 + 20e6);
        assertThat(field(reply, "jit_ms")).isGreaterThanOrEqualTo(0);
    }

    @Test
    void gemmRepliesWithSaneTimesAndTheProductsSum() throws IOException {
        int m = 5;
        int n = 7;
        int k = 3;
        List<String> replies = session("setup g gemm f32 5 7 3 nt threads=2", "run g 5ms", "check g",
                "setup d gemm f64 5 7 3 tn", "check d", "setup p gemm f32 5 7 3 nt pair", "run p 5ms", "check p");
        assertThat(replies).hasSize(8);
        assertThat(field(replies.get(0), "work")).isEqualTo(2.0 * m * n * k);
        assertThat(replies.get(0)).contains("\"unit\": \"flop\"");
        assertSaneBlock(replies.get(1), 5);
        // Operands as the workload documents them: A then B from SplittableRandom(42), in their stored layouts.
        SplittableRandom rnd = new SplittableRandom(42);
        double[] a = fill(m * k, rnd);
        double[] b = fill(k * n, rnd);
        double nt = 0;
        double tn = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    nt += a[i * k + p] * b[j * k + p];   // A m×k, B stored n×k
                    tn += a[p * m + i] * b[p * n + j];   // A stored k×m, B k×n
                }
            }
        }
        assertThat(field(replies.get(2), "sum")).isCloseTo(nt, within(1e-4));
        assertThat(field(replies.get(4), "sum")).isCloseTo(tn, within(1e-12));
        // The pair: two copies of the one-thread product, each on the same seeded operands; work and sum are twice.
        assertThat(field(replies.get(5), "work")).isEqualTo(2 * 2.0 * m * n * k);
        assertSaneBlock(replies.get(6), 5);
        assertThat(field(replies.get(7), "sum")).isCloseTo(2 * nt, within(2e-4));
    }

    private static double[] fill(int len, SplittableRandom rnd) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    @Test
    void elementwiseFormsTimeTheirOpAndSumItsOutput() throws IOException {
        int size = 1003;
        List<String> replies = session("setup k elementwise add " + size + " kernel", "run k 5ms", "check k",
                "setup p elementwise relu " + size + " pool", "run p 5ms", "run p 5ms", "check p",
                "setup o elementwise mul " + size + " op", "check o", "drop o", "check o");
        assertThat(field(replies.get(0), "work")).isEqualTo(size);
        assertSaneBlock(replies.get(1), 5);
        assertSaneBlock(replies.get(4), 5);
        assertSaneBlock(replies.get(5), 5);
        float[] a = TensorInternals.f32(Tensor.randomUniform(new Rng(1), -4, 4, size));
        float[] b = TensorInternals.f32(Tensor.randomUniform(new Rng(2), -4, 4, size));
        double add = 0;
        double relu = 0;
        double mul = 0;
        for (int i = 0; i < size; i++) {
            add += a[i] + b[i];
            relu += Math.max(a[i], 0f);
            mul += a[i] * b[i];
        }
        assertThat(field(replies.get(2), "sum")).isCloseTo(add, within(1e-9));
        assertThat(field(replies.get(6), "sum")).isCloseTo(relu, within(1e-9));
        assertThat(field(replies.get(8), "sum")).isCloseTo(mul, within(1e-9));
        assertThat(replies.get(9)).contains("\"dropped\": true");
        assertThat(replies.get(10)).contains("\"error\"").contains("no workload named 'o'");
    }

    @Test
    void bothCopiesWriteTheFirstInputAndHaveTheKernelFormOnly() throws IOException {
        int size = 1003;
        List<String> replies = session("setup c elementwise copy " + size + " kernel", "run c 5ms", "check c",
                "setup l elementwise loop_copy " + size + " kernel", "run l 5ms", "check l",
                "setup x elementwise loop_copy " + size + " pool");
        assertSaneBlock(replies.get(1), 5);
        assertSaneBlock(replies.get(4), 5);
        double sum = 0;
        for (float v : TensorInternals.f32(Tensor.randomUniform(new Rng(1), -4, 4, size))) {
            sum += v;
        }
        assertThat(field(replies.get(2), "sum")).isCloseTo(sum, within(1e-9));
        assertThat(field(replies.get(5), "sum")).isCloseTo(sum, within(1e-9));
        assertThat(replies.get(6)).contains("\"error\"").contains("loop_copy has the kernel form only");
    }

    @Test
    void badCommandsGetAnErrorLineAndTheServerGoesOn() throws IOException {
        List<String> replies = session("frobnicate", "setup x gemm f16 4 4 4 nn", "setup x gemm f32 4 4 4 xn",
                "setup x gemm f32 4 0 4 nn", "setup x gemm f32 4 4 4 nn threads=0", "setup x elementwise softplus 8 op",
                "setup x elementwise copy 8 op", "run nothing 5ms", "setup x gemm f32 4 4 4 nn", "run x 5", "run x 0ms",
                "run x 100000ms", "setup x gemm f32 100000 100000 4 nn", "run x 1ms", "setup y gemm f32 4 4 4 nn pairs");
        assertThat(replies).hasSize(15);
        assertThat(replies.get(0)).contains("\"error\"").contains("unknown command 'frobnicate'");
        assertThat(replies.get(1)).contains("\"error\"").contains("f32 or f64");
        assertThat(replies.get(2)).contains("\"error\"").contains("nn, tn, nt or tt");
        assertThat(replies.get(3)).contains("\"error\"").contains("N must be");
        assertThat(replies.get(4)).contains("\"error\"").contains("threads must be");
        assertThat(replies.get(5)).contains("\"error\"").contains("unknown elementwise op 'softplus'");
        assertThat(replies.get(6)).contains("\"error\"").contains("kernel form only");
        assertThat(replies.get(7)).contains("\"error\"").contains("no workload named 'nothing'");
        assertThat(replies.get(8)).doesNotContain("error");
        assertThat(replies.get(9)).contains("\"error\"").contains("needs a unit");
        assertThat(replies.get(10)).contains("\"error\"").contains("at least 1");
        assertThat(replies.get(11)).contains("\"error\"").contains("at most");
        assertThat(replies.get(12)).contains("\"error\"");
        assertSaneBlock(replies.get(13), 1);
        assertThat(replies.get(14)).contains("\"error\"").contains("threads=T or pair");
    }

    @Test
    void capacityReadsTheFmaLoopOnOneAndOnTwoThreads() throws IOException {
        List<String> replies = session("capacity", "capacity", "capacity now");
        assertThat(replies).hasSize(3);
        for (String reply : replies.subList(0, 2)) {
            assertThat(reply).doesNotContain("error");
            double fma1 = field(reply, "fma1");
            double fma2 = field(reply, "fma2");
            assertThat(fma1).isPositive();
            assertThat(fma2).isPositive();
            assertThat(field(reply, "ratio")).isCloseTo(fma2 / fma1, within(1e-3 * fma2 / fma1 + 1e-4));
            // The pair's figure is both loops' work over the slower one's time: at most twice the slower thread's.
            Matcher each = Pattern.compile("\"each\": \\[([0-9.]+), ([0-9.]+)]").matcher(reply);
            assertThat(each.find()).as("each in " + reply).isTrue();
            double slower = Math.min(Double.parseDouble(each.group(1)), Double.parseDouble(each.group(2)));
            assertThat(fma2).isCloseTo(2 * slower, within(2e-3 * slower + 2e-3));
        }
        assertThat(replies.get(2)).contains("\"error\"").contains("usage: capacity");
    }

    @Test
    void theFmaLoopSumsEveryChainsProducts() {
        // Each of the 16 chains adds 0.5 * 0.25 a lane an iteration, exactly in float at these counts.
        int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        assertThat(FmaLoop.chains(1000)).isEqualTo(16 * lanes * 0.125f * 1000);
        assertThat(FmaLoop.chains(0)).isZero();
        assertThat(FmaCapacity.work()).isEqualTo(2.0 * FmaCapacity.ITERATIONS * FmaLoop.CHAINS * lanes);
    }

    @Test
    void endOfInputEndsTheSession() throws IOException {
        assertThat(session("info")).singleElement().asString().contains("\"engine\": \"vecgrad engine");
        assertThat(session()).isEmpty();
    }

    @Test
    void jvmFlagsAreTheJmhForksFlags() {
        assertThat(TimingServer.jvmFlags("dev.vecgrad.bench.GemmBenchmark.sgemm"))
                .startsWith(ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES).doesNotContain(ForkFlags.PRE_TOUCH);
        assertThat(TimingServer.jvmFlags("dev.vecgrad.bench.ElementwiseBenchmark.add"))
                .contains(ForkFlags.SERIAL_GC, ForkFlags.PRE_TOUCH);
        assertThat(TimingServer.jvmFlags("dev.vecgrad.bench.ElementwiseBenchmark.addKernel"))
                .contains(ForkFlags.G1_GC).doesNotContain(ForkFlags.PRE_TOUCH);
        assertThatThrownBy(() -> TimingServer.jvmFlags("dev.vecgrad.bench.NoSuch.thing"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NoSuch");
    }
}
