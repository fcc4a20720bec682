package dev.vecgrad.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.kernel.elementwise.VectorKernels;
import dev.vecgrad.core.kernel.gemm.Gemm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The launcher ({@code ./vecgrad}) scales the JIT's compile thresholds for the kernels' methods
 * (README; docs/benchmarks/jvm-flags.md): its {@code CompileThresholdScaling} command names
 * the package the kernels live in and its subpackages, so that a moved kernel does not silently
 * fall out of it, by a fraction of the default thresholds, quietly, and the JVM it starts gets it.
 */
class LauncherJitFlagsTest {

    @Test
    void launcherScalesTheKernelsCompileThresholds() throws IOException {
        String launcher = Files.readString(Path.of("..", "vecgrad"));
        Matcher command = Pattern.compile("CompileCommand=CompileThresholdScaling,([\\w.]+)\\.\\*::\\*,([\\d.]+)")
                .matcher(launcher);
        assertThat(command.find()).as("the launcher's CompileThresholdScaling command").isTrue();
        String kernels = command.group(1) + ".";
        assertThat(Gemm.class.getName()).startsWith(kernels);
        assertThat(VectorKernels.class.getName()).startsWith(kernels);
        assertThat(Backend.class.getName()).startsWith(kernels);
        assertThat(Double.parseDouble(command.group(2))).isGreaterThan(0).isLessThan(1);
        assertThat(launcher).contains("-XX:CompileCommand=quiet");
        assertThat(launcher).containsPattern("exec \"\\$jdk/bin/java\" [^\\n]*\\$jit ");
    }
}
