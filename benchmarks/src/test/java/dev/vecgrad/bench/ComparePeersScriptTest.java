package dev.vecgrad.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs the Python tests of {@code benchmarks/compare_peers.py} (the alternating driver's side order, the vCPU
 * record's round classification, steal time and calibration helper: {@code benchmarks/test_compare_peers.py}) with
 * {@code python3 -m unittest}, so that the build runs them. They need Python's standard library only.
 */
class ComparePeersScriptTest {

    /** The first {@code python3} on the PATH, if any. */
    private static Optional<Path> python3() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator)).filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "python3")).filter(Files::isExecutable).findFirst();
    }

    @Test
    void thePythonTestsOfComparePeersPass() throws IOException, InterruptedException {
        Optional<Path> python = python3();
        Assumptions.assumeTrue(python.isPresent(), "no python3 on the PATH: the driver's Python tests cannot run");
        Path module = Path.of("").toAbsolutePath();
        assertThat(module.resolve("test_compare_peers.py")).as("run from the benchmarks module's directory").exists();

        ProcessBuilder pb = new ProcessBuilder(python.get().toString(), "-m", "unittest", "discover", "-s", ".",
                "-p", "test_*.py", "-v").directory(module.toFile()).redirectErrorStream(true);
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");   // no __pycache__ in the source tree
        Path log = Files.createTempFile("compare-peers-tests", ".log");
        try {
            Process p = pb.redirectOutput(log.toFile()).start();
            boolean ended = p.waitFor(180, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly().waitFor();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(ended).as("python3 -m unittest ended within 180 s; its output:%n%s", output).isTrue();
            assertThat(p.exitValue()).as("python3 -m unittest's exit code; its output:%n%s", output).isZero();
            Matcher ran = Pattern.compile("Ran (\\d+) tests?").matcher(output);
            assertThat(ran.find()).as("a test count in:%n%s", output).isTrue();
            assertThat(Integer.parseInt(ran.group(1))).as("tests run; output:%n%s", output).isGreaterThanOrEqualTo(11);
            assertThat(output.strip()).endsWith("OK");
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
