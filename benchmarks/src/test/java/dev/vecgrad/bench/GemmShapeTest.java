package dev.vecgrad.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

/** One table of GEMM shapes for the JMH benchmark, the peer driver and the in-process comparison. */
class GemmShapeTest {

    @Test
    void theBenchmarksShapeParameterListsTheTableInOrder() throws NoSuchFieldException {
        String[] params = GemmBenchmark.class.getField("shape").getAnnotation(Param.class).value();
        assertThat(params).containsExactlyElementsOf(GemmShape.ALL.stream().map(GemmShape::name).toList());
    }

    @Test
    void theMlpProductsAreTheLayersForwardAndBothGradients() {
        // x 128×784, W 784×256, dy 128×256.
        assertThat(GemmShape.named("mlp_fwd")).isEqualTo(new GemmShape("mlp_fwd", 128, 256, 784, false, false));
        assertThat(GemmShape.named("mlp_dW")).isEqualTo(new GemmShape("mlp_dW", 784, 256, 128, true, false));
        assertThat(GemmShape.named("mlp_dx")).isEqualTo(new GemmShape("mlp_dx", 128, 784, 256, false, true));
        assertThat(GemmShape.named("mlp_dW").lda()).isEqualTo(784);
        assertThat(GemmShape.named("mlp_dx").ldb()).isEqualTo(256);
        assertThat(GemmShape.named("sq512")).isEqualTo(new GemmShape("sq512", 512, 512, 512, false, false));
        assertThat(GemmShape.named("sq2048").flops()).isEqualTo(2.0 * 2048 * 2048 * 2048);
    }

    @Test
    void comparePeersRunsTheSameProductsUnderTheSameNames() throws IOException {
        Path script = Path.of("compare_peers.py");
        assertThat(script).as("run from the benchmarks module's directory").exists();
        String py = Files.readString(script);
        List<GemmShape> mlp = new ArrayList<>();
        Matcher m = Pattern.compile("\\(\"(mlp_\\w+)\", (\\d+), (\\d+), (\\d+), (True|False), (True|False)\\)").matcher(py);
        while (m.find()) {
            mlp.add(new GemmShape(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)), m.group(5).equals("True"), m.group(6).equals("True")));
        }
        assertThat(mlp).containsExactlyElementsOf(GemmShape.ALL.stream().filter(s -> s.name().startsWith("mlp")).toList());
        assertThat(py).contains("SQUARE = [64, 128, 256, 512, 1024, 2048]");
        assertThat(GemmShape.ALL.stream().filter(s -> s.name().startsWith("sq")).map(GemmShape::m))
            .containsExactly(64, 128, 256, 512, 1024, 2048);
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> GemmShape.named("sq96")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("sq64").hasMessageContaining("mlp_dx");
    }
}
