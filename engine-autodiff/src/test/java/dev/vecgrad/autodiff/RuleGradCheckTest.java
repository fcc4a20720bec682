package dev.vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
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
        check(c);
    }

    /**
     * Every case with several floating inputs again with one of them a constant the tape does not
     * watch (a frozen weight, a fixed filter): a rule then computes only the gradients that are
     * wanted, and each of those must still be right.
     */
    static List<GradCheckCases.Case> casesWithOneInputConstant() {
        List<GradCheckCases.Case> out = new ArrayList<>();
        for (GradCheckCases.Case c : GradCheckCases.list()) {
            List<Integer> floating = new ArrayList<>();
            for (int i = 0; i < c.inputs().size(); i++) {
                if (c.inputs().get(i).dtype().isFloating()) {
                    floating.add(i);
                }
            }
            if (floating.size() < 2) {
                continue;
            }
            for (int k : floating) {
                Tensor constant = c.inputs().get(k);
                List<Tensor> rest = new ArrayList<>(c.inputs());
                rest.remove(k);
                Function<List<Tensor>, Tensor> f = in -> {
                    List<Tensor> all = new ArrayList<>(in);
                    all.add(k, constant);
                    return c.f().apply(all);
                };
                out.add(new GradCheckCases.Case(c.op(), c.name() + ", input " + k + " constant", f, c.eps(), rest));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("casesWithOneInputConstant")
    void tapeGradientMatchesFiniteDifferencesWithOneInputConstant(GradCheckCases.Case c) {
        check(c);
    }

    private static void check(GradCheckCases.Case c) {
        GradCheck.Result r = GradCheck.with(c.eps(), GradCheck.DEFAULT_ATOL, GradCheck.DEFAULT_RTOL)
                .run(c.f(), c.inputs().toArray(new Tensor[0]));
        assertThat(r.recordedOps()).as("the case must run the op it is filed under").contains(c.op());
        assertThat(r.elementsChecked()).isPositive();
        r.assertPassed();
    }
}
