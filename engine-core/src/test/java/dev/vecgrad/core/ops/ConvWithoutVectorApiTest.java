package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.ConvReference.Conv;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Without {@code --add-modules jdk.incubator.vector} the convolution falls back to the reference
 * GEMM instead of failing to load its SIMD classes: a child JVM started without the module runs
 * {@link #main} and must agree with the direct loops.
 */
class ConvWithoutVectorApiTest {

    @Test
    void convolutionRunsWithoutTheVectorModule() throws Exception {
        String classes = Path.of(ConvOps.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        String tests = Path.of(ConvWithoutVectorApiTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", classes + File.pathSeparator + tests,
                ConvWithoutVectorApiTest.class.getName())).redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).contains("SIMD unavailable").contains("conv ok");
        assertThat(p.exitValue()).as(out).isZero();
    }

    /** Runs a 64-filter convolution (the shape that takes the SIMD paths when they exist) in the child JVM. */
    public static void main(String[] args) {
        Conv p = new Conv(2, 6, 5, 4, 3, 3, 64, 1, 1, 1, 1, false);
        double[] x = ConvOpsTest.roundedToFloat(ConvOpsTest.random(1, p.inputDims()));
        double[] w = ConvOpsTest.roundedToFloat(ConvOpsTest.random(2, p.filterDims()));
        double[] dy = ConvOpsTest.roundedToFloat(ConvOpsTest.random(3, p.outputDims()));
        Tensor xt = Tensor.of(x, p.inputDims()).cast(DType.F32);
        Tensor wt = Tensor.of(w, p.filterDims()).cast(DType.F32);
        Tensor dyt = Tensor.of(dy, p.outputDims()).cast(DType.F32);
        check(ConvOps.conv2d(xt, wt, p.attrs()), ConvReference.conv(p, x, w), p.outputDims(), 1e-5);
        check(ConvOps.conv2dBackwardFilter(xt, dyt,
                new Attrs.Conv2dBackwardFilter(p.attrs(), Shape.of(p.filterDims()))),
                ConvReference.convBackwardFilter(p, x, dy), p.filterDims(), 1e-5);
        check(ConvOps.conv2dBackwardInput(dyt, wt,
                new Attrs.Conv2dBackwardInput(p.attrs(), Shape.of(p.inputDims()))),
                ConvReference.convBackwardInput(p, dy, w), p.inputDims(), 1e-5);
        System.out.println("conv ok");
    }

    /** Like {@link ConvOpsTest#assertClose} but free of AssertJ, which the child JVM does not have. */
    private static void check(Tensor actual, double[] expected, int[] dims, double tol) {
        double scale = 1;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        String mismatch = Tensor.describeMismatch(actual.cast(DType.F64), Tensor.of(expected, dims), 0, tol * scale);
        if (mismatch != null) {
            System.out.println(mismatch);
            System.exit(1);
        }
    }
}
