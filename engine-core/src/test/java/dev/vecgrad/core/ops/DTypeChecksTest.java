package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ops given operands of mixed or integer dtypes refuse them by their own check, naming the dtypes. */
class DTypeChecksTest {

    @Test
    void mixedDTypesAreRefusedAsDiffering() {
        Tensor cond = Tensor.of(new float[] {1, 0}).gt(0.5);
        Tensor f32 = Tensor.of(new float[] {1, 2});
        Tensor f64 = Tensor.of(new double[] {3, 4});
        assertThatThrownBy(() -> Tensor.where(cond, f32, f64)).hasMessageContaining("where")
                .hasMessageContaining("dtypes differ").hasMessageContaining("F64");
        assertThatThrownBy(() -> Tensor.concat(List.of(f32, f64), 0)).hasMessageContaining("concat")
                .hasMessageContaining("dtypes differ").hasMessageContaining("F64");
    }

    @Test
    void theMeanOfIntegersIsRefusedForTheirDType() {
        assertThatThrownBy(() -> Tensor.of(new int[] {1, 2, 4}).mean()).hasMessageContaining("mean")
                .hasMessageContaining("floating dtype").hasMessageContaining("I32");
        assertThatThrownBy(() -> Tensor.zeros(DType.I32, 2, 3).mean(new int[] {1}, false))
                .hasMessageContaining("floating dtype");
    }
}
