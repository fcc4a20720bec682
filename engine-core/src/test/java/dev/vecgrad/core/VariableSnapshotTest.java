package dev.vecgrad.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.core.internal.VariableInternals;
import org.junit.jupiter.api.Test;

/** A value read from a variable is a snapshot; engine reads that hand nothing out keep updates in place. */
class VariableSnapshotTest {

    @Test
    void aValueReadBeforeAnUpdateKeepsItsValues() {
        Variable w = new Variable("w", Tensor.of(new float[] {1, 2, 3}), true);
        Tensor before = w.value();
        w.assignAdd(Tensor.scalar(10f));
        assertThat(before.toFloatArray()).containsExactly(1, 2, 3);
        assertThat(w.value().toFloatArray()).containsExactly(11, 12, 13);

        Tensor peeked = w.peek();
        w.assign(Tensor.of(new float[] {7, 8, 9}));
        w.assignSub(Tensor.of(new float[] {1, 1, 1}));
        assertThat(peeked.toFloatArray()).containsExactly(11, 12, 13);
        assertThat(w.peek().toFloatArray()).containsExactly(6, 7, 8);
    }

    @Test
    void viewsOfAHandedOutValueKeepTheirValuesToo() {
        Variable w = new Variable("w", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), true);
        Tensor column = w.value().transpose().slice(0, 1, 2);
        w.assignAdd(Tensor.scalar(100f));
        assertThat(column.toFloatArray()).containsExactly(2, 4);
    }

    @Test
    void anUpdateAfterAHandOutGoesToAFreshArrayOnceThenInPlaceAgain() {
        Variable w = new Variable("w", Tensor.of(new float[] {1, 2}), true);
        Tensor before = w.value();
        VariableInternals.F32Update u = VariableInternals.updateF32(w);
        assertThat(u.inPlace()).as("the value was handed out").isFalse();
        assertThat(u.source()).isSameAs(TensorInternals.data(before));
        u.target()[0] = u.source()[0] * 2;
        u.target()[1] = u.source()[1] * 2;
        assertThat(before.toFloatArray()).containsExactly(1, 2);
        assertThat(VariableInternals.current(w).toFloatArray()).containsExactly(2, 4);

        VariableInternals.F32Update next = VariableInternals.updateF32(w);
        assertThat(next.inPlace()).as("nobody has seen the new value").isTrue();
        assertThat(next.target()).isSameAs(u.target());
    }

    @Test
    void anF64UpdateWritesInPlaceUnlessTheValueWasHandedOut() {
        Variable w = new Variable("w", Tensor.of(new double[] {1, 2}), true);
        double[] storage = VariableInternals.updateF64(w);
        assertThat(storage).as("nobody has seen the value").isSameAs(TensorInternals.data(VariableInternals.current(w)));
        storage[0] = 3;
        assertThat(VariableInternals.current(w).toDoubleArray()).containsExactly(3, 2);

        Tensor before = w.value();
        double[] copy = VariableInternals.updateF64(w);
        assertThat(copy).as("the value was handed out").isNotSameAs(storage).containsExactly(3, 2);
        copy[1] = 5;
        assertThat(before.toDoubleArray()).containsExactly(3, 2);
        assertThat(VariableInternals.current(w).toDoubleArray()).containsExactly(3, 5);
        assertThat(VariableInternals.updateF64(w)).as("nobody has seen the new value").isSameAs(copy);

        Variable f32 = new Variable("f", Tensor.of(new float[] {1}), true);
        assertThatThrownBy(() -> VariableInternals.updateF64(f32)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("variable f holds F32, not F64");
        assertThatThrownBy(() -> VariableInternals.updateF32(w)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("variable w holds F64, not F32");
    }

    @Test
    void engineReadsHandNothingOut() {
        Variable w = new Variable("w", Tensor.of(new float[] {1, 2}), true);
        Object storage = TensorInternals.data(VariableInternals.current(w));
        VariableInternals.read(w);
        VariableInternals.current(w);
        w.assignAdd(Tensor.scalar(1f));
        assertThat(TensorInternals.data(VariableInternals.current(w))).as("updated in place").isSameAs(storage);
        assertThat(VariableInternals.updateF32(w).inPlace()).isTrue();
        assertThat(VariableInternals.current(w).toFloatArray()).containsExactly(2, 3);
    }

    @Test
    void copiesOutOfATensorAreFresh() {
        Tensor t = Tensor.of(new float[] {1, 2, 3});
        t.toFloatArray()[0] = 99;
        t.toDoubleArray()[0] = 99;
        t.toIntArray()[0] = 99;
        t.strides()[0] = 99;
        assertThat(t.toFloatArray()).containsExactly(1, 2, 3);
        assertThat(t.strides()).containsExactly(1);

        float[] source = {4, 5};
        Tensor copied = Tensor.of(source);
        source[0] = 99;
        assertThat(copied.toFloatArray()).containsExactly(4, 5);
    }
}
