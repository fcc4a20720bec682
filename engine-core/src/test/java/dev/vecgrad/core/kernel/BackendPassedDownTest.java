package dev.vecgrad.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Kernels receive the backend the engine chose and never look the engine up: no source under
 * {@code core/kernel} names {@code Engine}, so a kernel cannot run on a different backend than the
 * primitive that called it.
 */
class BackendPassedDownTest {

    @Test
    void noKernelSourceLooksUpTheEngine() throws IOException {
        Path kernels = Path.of("src/main/java/dev/vecgrad/core/kernel");
        List<Path> offenders;
        try (Stream<Path> files = Files.walk(kernels)) {
            offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    String code = Files.readString(p).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
                    return code.contains("Engine.get()") || code.contains("import dev.vecgrad.core.Engine;");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertThat(Files.isDirectory(kernels.resolve("gemm"))).as("the kernel sources are where this test looks").isTrue();
        assertThat(offenders).isEmpty();
    }
}
