package dev.vecgrad.train.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/** Running the command line in tests (in this JVM, or in a fresh one), and the small data sets they train on. */
final class CliRuns {
    private CliRuns() {
    }

    /** What a run printed and returned. */
    record Run(int status, String out, String err) {
    }

    /** Runs {@link Main#run} in this JVM. */
    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Runs {@link Main#main} in a fresh JVM with {@code jvmFlags} (as the launcher would, with the
     * Vector API module), for what only a process shows: logging set up by {@code main}, system
     * properties read at start-up, the exit status.
     */
    static Run runInJvm(List<String> jvmFlags, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(List.of("--add-modules", "jdk.incubator.vector", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path")));
        command.addAll(jvmFlags);
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stderr = new String(err, StandardCharsets.UTF_8).lines()
                .filter(l -> !l.equals("WARNING: Using incubator modules: jdk.incubator.vector"))
                .map(l -> l + "\n").reduce("", String::concat);
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), stderr);
    }

    /** A failure reported as one {@code error: ...} line on standard error, no stack trace, non-zero status. */
    static void assertOneLineError(Run r) {
        assertThat(r.status()).isNotZero();
        List<String> lines = r.err().lines().toList();
        assertThat(lines).as(r.err()).hasSize(1);
        assertThat(lines.get(0)).startsWith("error: ");
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    /**
     * Writes an IDX pair of {@code n} images of side {@code side} into {@code dir}: the image of
     * class k has a bright horizontal band in the k-th tenth of its rows (so a small model can
     * learn it), gzip-compressed. Returns the prefix.
     */
    static Path writeSet(Path dir, String name, int n, int side, long seed) throws IOException {
        Path prefix = dir.resolve(name);
        java.util.Random r = new java.util.Random(seed);
        byte[] pixels = new byte[n * side * side];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(10);
            labels[i] = (byte) k;
            for (int row = 0; row < side; row++) {
                boolean band = row * 10 / side == k;
                for (int col = 0; col < side; col++) {
                    int v = band ? 200 + r.nextInt(56) : r.nextInt(40);
                    pixels[(i * side + row) * side + col] = (byte) v;
                }
            }
        }
        writeIdx(Path.of(prefix + "-images-idx3-ubyte.gz"), new int[] {n, side, side}, pixels);
        writeIdx(Path.of(prefix + "-labels-idx1-ubyte.gz"), new int[] {n}, labels);
        return prefix;
    }

    static void writeIdx(Path file, int[] dims, byte[] data) throws IOException {
        try (OutputStream f = Files.newOutputStream(file);
                DataOutputStream out = new DataOutputStream(new GZIPOutputStream(f))) {
            out.write(new byte[] {0, 0, 8, (byte) dims.length});
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
    }
}
