package dev.vecgrad.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.NNOps;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The reductions behind a model's outputs (sum, mean, a dot product, softmax rows, normalised
 * rows) give the same bits interpreted and compiled: every lane reduction adds in a fixed order
 * rather than the implementation's, and the softmax's e^x is vecgrad's own polynomial (F32) or
 * {@link Math#exp} (F64). Two child JVMs run {@link #main} on the SIMD kernels: one interprets
 * everything ({@code -Xint}), the other runs the ops until C2 has compiled them ({@code -Xbatch},
 * no tiers), and both print the bits of each result.
 */
class InterpretedAndCompiledBitsTest {
    /** Warm-up rounds in the compiled child: above C2's invocation threshold (10,000) for every op used. */
    private static final int WARM_UP = 12_000;

    @Test
    void interpretedAndCompiledRunsGiveTheSameBits() throws Exception {
        List<String> interpreted = child("-Xint");
        List<String> compiled = child("-XX:-TieredCompilation", "-Xbatch", "warm");
        assertThat(interpreted).hasSize(2 * (8 * 3 + 3));
        assertThat(compiled).isEqualTo(interpreted);
    }

    private static List<String> child(String... args) throws Exception {
        String classes = Path.of(Tensor.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        String tests = Path.of(InterpretedAndCompiledBitsTest.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI()).toString();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Dvecgrad.kernels=vector", "-cp",
                classes + File.pathSeparator + tests));
        List<String> flags = new ArrayList<>(List.of(args));
        boolean warm = flags.remove("warm");
        command.addAll(flags);
        command.add(InterpretedAndCompiledBitsTest.class.getName());
        if (warm) {
            command.add("warm");
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        // Interpreted, the engine would choose the scalar kernels by itself: both children must run the SIMD ones.
        assertThat(out).contains("kernels=vector");
        return out.lines().filter(l -> l.startsWith("bits ")).toList();
    }

    /** Prints the bits of every result; with {@code warm}, after running them until they are compiled. */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("warm")) {
            for (int i = 0; i < WARM_UP; i++) {
                results();
            }
        }
        results().forEach(System.out::println);
    }

    /** One line per result: its name and the raw bits of every element. */
    static List<String> results() {
        List<String> out = new ArrayList<>();
        for (DType dtype : List.of(DType.F32, DType.F64)) {
            for (int n : new int[] {1, 7, 16, 37, 64, 67, 131, 1000}) {
                Tensor x = spread(n, n).cast(dtype);
                out.add(line(dtype + " sum " + n, x.sum()));
                out.add(line(dtype + " mean " + n, x.mean()));
                out.add(line(dtype + " dot " + n, x.reshape(1, n).matmul(spread(n, n + 1).cast(dtype).reshape(n, 1))));
            }
            Tensor rows = spread(5 * 37, 3).cast(dtype).reshape(5, 37);
            out.add(line(dtype + " softmax", rows.softmax(-1)));
            out.add(line(dtype + " normalize", NNOps.normalize(rows, 1e-5)));
            out.add(line(dtype + " row sums", rows.sum(1)));
        }
        return out;
    }

    /** n values of both signs over many binades, so that a different order of additions shows. */
    private static Tensor spread(int n, long seed) {
        Rng rng = new Rng(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.scalb(rng.nextDouble() * 2 - 1, (int) (rng.nextDouble() * 16) - 8);
        }
        return Tensor.of(x);
    }

    private static String line(String name, Tensor t) {
        StringBuilder s = new StringBuilder("bits ").append(name);
        if (t.dtype() == DType.F32) {
            for (float v : t.toFloatArray()) {
                s.append(' ').append(Integer.toHexString(Float.floatToRawIntBits(v)));
            }
        } else {
            for (double v : t.toDoubleArray()) {
                s.append(' ').append(Long.toHexString(Double.doubleToRawLongBits(v)));
            }
        }
        return s.toString();
    }
}
