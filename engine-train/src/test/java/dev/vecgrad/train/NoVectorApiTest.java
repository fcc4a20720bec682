package dev.vecgrad.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * engine-train has no SIMD code of its own: its optimizers run on the update kernels of the
 * engine's backend (core), so no source here imports the Vector API.
 */
class NoVectorApiTest {

    @Test
    void noTrainSourceImportsTheVectorApi() throws IOException {
        Path sources = Path.of("src/main/java");
        List<Path> offenders;
        try (Stream<Path> files = Files.walk(sources)) {
            offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return Files.readString(p).contains("import jdk.incubator.vector");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertThat(Files.isDirectory(sources.resolve("dev/vecgrad/train/optimizers"))).isTrue();
        assertThat(offenders).isEmpty();
        assertThat(Files.readString(sources.resolve("module-info.java"))).doesNotContain("jdk.incubator.vector");
    }
}
