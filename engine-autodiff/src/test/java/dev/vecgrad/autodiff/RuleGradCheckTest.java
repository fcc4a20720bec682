package dev.vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Tensor;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every gradient rule against central finite differences, through the public {@link GradCheck}. */
class RuleGradCheckTest {

    static List<GradCheckCases.Case> cases() {
        return GradCheckCases.list();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void tapeGradientMatchesFiniteDifferences(GradCheckCases.Case c) {
        GradCheck.Result r = GradCheck.with(c.eps(), GradCheck.DEFAULT_ATOL, GradCheck.DEFAULT_RTOL)
                .run(c.f(), c.inputs().toArray(new Tensor[0]));
        assertThat(r.recordedOps()).as("the case must run the op it is filed under").contains(c.op());
        assertThat(r.elementsChecked()).isPositive();
        r.assertPassed();
    }
}
