package dev.vecgrad.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.bench.GemmShape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-process comparison's command line, warm-up rule, result check and table. */
class InProcessGemmTest {

    @Test
    void defaultsRunEveryShapeInBothDtypesVecgradOverOpenBlas() {
        InProcessGemm.Options o = InProcessGemm.Options.parse(new String[0]);
        assertThat(o.dtypes()).containsExactly("f32", "f64");
        assertThat(o.shapes()).isEqualTo(GemmShape.ALL);
        assertThat(o.sides()).containsExactly("vecgrad", "openblas");
        assertThat(o.openblas()).isNull();
    }

    @Test
    void parsesRowsSidesAndTimes() {
        InProcessGemm.Options o = InProcessGemm.Options.parse(new String[] {"--dtype", "f64", "--shapes", "sq64,mlp_dW",
            "--rounds", "12", "--batch-ms", "3", "--warm", "1", "--warm-max", "4", "--sides", "openblas,openblas",
            "--openblas", "/tmp/libopenblas.so.0", "--keep-openblas-env", "--csv", "/tmp/batches.csv"});
        assertThat(o.dtypes()).containsExactly("f64");
        assertThat(o.shapes()).extracting(GemmShape::name).containsExactly("sq64", "mlp_dW");
        assertThat(o.rounds()).isEqualTo(12);
        assertThat(o.batchMillis()).isEqualTo(3);
        assertThat(o.sides()).containsExactly("openblas", "openblas");
        assertThat(o.openblas()).hasToString("/tmp/libopenblas.so.0");
        assertThat(o.keepEnvironment()).isTrue();
        assertThat(o.csv()).hasToString("/tmp/batches.csv");
    }

    @Test
    void refusesUnknownSidesShapesAndDtypes() {
        assertThatThrownBy(() -> InProcessGemm.Options.parse(new String[] {"--sides", "vecgrad,numpy"}))
            .hasMessageContaining("--sides");
        assertThatThrownBy(() -> InProcessGemm.Options.parse(new String[] {"--shapes", "sq100"})).hasMessageContaining("sq100");
        assertThatThrownBy(() -> InProcessGemm.Options.parse(new String[] {"--dtype", "f16"})).hasMessageContaining("f16");
        assertThatThrownBy(() -> InProcessGemm.Options.parse(new String[] {"--warm", "5", "--warm-max", "2"}))
            .hasMessageContaining("--warm-max");
        assertThatThrownBy(() -> InProcessGemm.Options.parse(new String[] {"--rounds"})).hasMessageContaining("needs a value");
    }

    @Test
    void warmUpEndsOnceTheRateStopsRisingAndTheJitIsQuiet() {
        // Rising: the last three beat the best before them by more than 2 %.
        assertThat(InProcessGemm.settled(List.of(10.0, 20.0, 40.0, 60.0), List.of(1L, 1L, 1L, 1L))).isFalse();
        // Flat within 2 %, JIT unchanged over the last three rounds.
        assertThat(InProcessGemm.settled(List.of(10.0, 60.0, 61.0, 60.5, 59.0), List.of(1L, 5L, 5L, 5L, 5L))).isTrue();
        // Flat, but C2 finished a compilation during the last three rounds.
        assertThat(InProcessGemm.settled(List.of(10.0, 60.0, 61.0, 60.5, 59.0), List.of(1L, 5L, 5L, 6L, 6L))).isFalse();
        // Too few rounds to judge.
        assertThat(InProcessGemm.settled(List.of(60.0, 60.0, 60.0), List.of(1L, 1L, 1L))).isFalse();
    }

    @Test
    void theFastLevelIgnoresALoneHighReading() {
        assertThat(InProcessGemm.top(new double[] {66, 89.5, 67, 99.1, 89.2, 89.6, 65})).isEqualTo(89.6);
        assertThat(InProcessGemm.top(new double[] {60, 90})).isEqualTo(90);
        assertThat(InProcessGemm.top(new double[] {70, 71, 70.5})).isEqualTo(71);
    }

    @Test
    void relativeErrorIsInTheFrobeniusNorm() {
        assertThat(InProcessGemm.relativeError(new double[] {3, 4}, new double[] {3, 4})).isZero();
        assertThat(InProcessGemm.relativeError(new double[] {0, 0}, new double[] {0, 0})).isZero();
        // ‖(0, 1)‖ / ‖(3, 4)‖ = 1 / 5.
        assertThat(InProcessGemm.relativeError(new double[] {3, 5}, new double[] {3, 4})).isCloseTo(0.2, within(1e-15));
    }

    @Test
    void tableGivesEachSidesBestAndMedianAndTheRatiosSpread() {
        InProcessGemm.Row row = new InProcessGemm.Row("f32", GemmShape.named("mlp_dx"), new double[] {80, 90, 70},
            new double[] {100, 90, 100}, 1e-7, 1e-5, 0.01, 10, 12, 2.5, 0, new double[] {97, 96.5, 94, 99});
        String table = InProcessGemm.table(List.of(row), List.of("vecgrad", "openblas"));
        assertThat(table.lines().toList()).hasSize(5);
        // Only round 0 read the FMA loop at 0.97 of its best or more both before (97) and after (96.5): its ratio is 0.8.
        // Round 1 ends at 94, 0.95 of the best, which is not enough.
        assertThat(table).contains("| f32 | mlp_dx (128, 784, 256) | 90.0 | 80.0 | 100.0 | 100.0 | **0.80** [0.70–1.00] "
            + "| 0.75–0.90 | 0.80 [0.80–0.80] (1) |");
        assertThat(table).contains("at least 0.97 of 99.0 GFLOP/s");
        assertThat(InProcessGemm.line(row, List.of("vecgrad", "openblas"))).contains("ratio 0.80 [0.70–1.00]");
    }
}
