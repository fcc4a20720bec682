package dev.vecgrad.train.regularizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class RegularizersTest {
    private static final Tensor W = Tensor.of(new double[] {1, -2, 0.5, -0.25});

    @Test
    void penaltiesAsKerasDefinesThem() {
        double l1 = 1 + 2 + 0.5 + 0.25;
        double l2 = 1 + 4 + 0.25 + 0.0625;
        assertThat(Regularizers.l1(0.1).apply(W).item()).isCloseTo(0.1 * l1, within(1e-12));
        assertThat(Regularizers.l2(0.1).apply(W).item()).isCloseTo(0.1 * l2, within(1e-12));
        assertThat(Regularizers.l1l2(0.1, 0.3).apply(W).item()).isCloseTo(0.1 * l1 + 0.3 * l2, within(1e-12));
        assertThat(Regularizers.get("l2").apply(W).item()).isCloseTo(0.01 * l2, within(1e-12));
        assertThat(Regularizers.l2(0.1).apply(W).rank()).isZero();
    }

    @Test
    void configRoundTripAndErrors() {
        Regularizer r = Regularizers.l1l2(0.2, 0.4);
        Regularizer back = Regularizers.fromConfig(r.className(), r.getConfig());
        assertThat(back.apply(W).item()).isEqualTo(r.apply(W).item());
        assertThat(Regularizers.l1(0.2).getConfig()).containsOnlyKeys("l1");
        assertThatThrownBy(() -> Regularizers.l2(-1)).hasMessageContaining("-1");
        assertThatThrownBy(() -> Regularizers.get("l3")).hasMessageContaining("l3");
    }
}
