package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.core.internal.VariableInternals;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RecordingTest {
    /** Collects what it is told, holding every variable value it was told about. */
    static final class Log implements OpRecorder {
        final List<OpCall<?>> ops = new ArrayList<>();
        final List<Variable> reads = new ArrayList<>();
        final List<Variable.Hold> holds = new ArrayList<>();

        @Override
        public <A> void recordOp(Primitive<A> op, A attrs, Tensor[] inputs, Tensor output) {
            ops.add(new OpCall<>(op, attrs, inputs, output));
        }

        @Override
        public void recordVariableRead(Variable variable, Tensor value) {
            reads.add(variable);
            holds.add(variable.hold());
        }
    }

    @Test
    void recordersSeePrimitivesWithInputsAttrsAndOutputs() {
        Log log = new Log();
        Tensor x = Tensor.of(new float[] {1, 2, 3});
        Recording.push(log);
        Tensor y;
        try {
            y = x.mul(2f).sum(new int[] {-1}, true);
        } finally {
            Recording.pop(log);
        }
        x.exp(); // after pop: not seen
        assertThat(log.ops).<Object>extracting(OpCall::op).containsExactly(Primitives.MUL, Primitives.SUM);
        assertThat(log.ops.get(0).input(0)).isSameAs(x);
        assertThat(log.ops.get(1).output()).isSameAs(y);
        assertThat(((Attrs.Reduce) log.ops.get(1).attrs()).axes()).containsExactly(0);
        assertThat(((Attrs.Reduce) log.ops.get(1).attrs()).keepDims()).isTrue();
    }

    /** Keeps binary ops as they are reported: tensor operands and number operands told apart. */
    static final class BinaryLog implements OpRecorder {
        final List<OpCall<?>> ops = new ArrayList<>();
        int arrays;

        @Override
        public <A> void recordOp(Primitive<A> op, A attrs, Tensor[] inputs, Tensor output) {
            arrays++;
            ops.add(new OpCall<>(op, attrs, inputs, output));
        }

        @Override
        public void recordBinary(Binary op, Tensor a, Tensor b, Tensor output) {
            ops.add(new OpCall<Void>(op, null, a, b, output));
        }

        @Override
        public void recordBinary(Binary op, Tensor a, double c, Tensor output) {
            ops.add(new OpCall<Void>(op, null, a, c, output));
        }
    }

    @Test
    void aBinaryOpOnASmallTensorIsReportedWithoutAnArrayAndANumberAsANumber() {
        BinaryLog log = new BinaryLog();
        Tensor x = Tensor.of(new float[] {1, 2, 3});
        Tensor two = Tensor.scalar(2, x.dtype());
        Recording.push(log);
        Tensor y;
        Tensor z;
        try {
            y = x.mul(2.5);
            z = y.sub(two);
        } finally {
            Recording.pop(log);
        }
        assertThat(log.arrays).isZero();
        OpCall<?> mul = log.ops.get(0);
        assertThat(mul.op()).isEqualTo(Primitives.MUL);
        assertThat(mul.isConstant(1)).isTrue();
        assertThat(mul.isConstant(0)).isFalse();
        assertThat(mul.constant(1)).isEqualTo(2.5);
        assertThat(mul.input(0)).isSameAs(x);
        assertThat(mul.output()).isSameAs(y);
        assertThat(mul.inputCount()).isEqualTo(2);
        // The number as a tensor, made once, of the first input's dtype.
        Tensor c = mul.input(1);
        assertThat(c.dtype()).isEqualTo(x.dtype());
        assertThat(c.toDoubleArray()).containsExactly(2.5);
        assertThat(mul.input(1)).isSameAs(c);
        assertThat(mul.inputs()).containsExactly(x, c);
        OpCall<?> sub = log.ops.get(1);
        assertThat(sub.isConstant(1)).isFalse();
        assertThat(sub.inputs()).containsExactly(y, two);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sub.constant(1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sub").hasMessageContaining("tensor");
    }

    @Test
    void aRecorderThatKeepsOnlyArraysSeesANumberOperandAsAScalarTensor() {
        Log log = new Log();
        Tensor x = Tensor.of(new double[] {1, 2});
        Recording.push(log);
        try {
            x.div(4);
        } finally {
            Recording.pop(log);
        }
        OpCall<?> div = log.ops.get(0);
        assertThat(div.isConstant(1)).isFalse();
        assertThat(div.input(0)).isSameAs(x);
        assertThat(div.input(1).dtype()).isEqualTo(x.dtype());
        assertThat(div.input(1).rank()).isZero();
        assertThat(div.input(1).toDoubleArray()).containsExactly(4);
        assertThat(div.output().toDoubleArray()).containsExactly(0.25, 0.5);
    }

    @Test
    void compositesRecordOnlyPrimitivesAndPauseHidesWork() {
        Log log = new Log();
        Recording.push(log);
        try {
            Tensor.of(new float[] {1, 2}).logSoftmax(0);
            try (Recording.Paused p = Recording.pause()) {
                assertThat(Recording.isRecording()).isFalse();
                Tensor.of(new float[] {1}).exp();
            }
            assertThat(Recording.isRecording()).isTrue();
        } finally {
            Recording.pop(log);
        }
        // logSoftmax = z - log(Σ e^z), z = x - max: the shift by the maximum is helper work, not recorded
        assertThat(log.ops).<Object>extracting(OpCall::op).containsExactly(Primitives.SUB, Primitives.EXP,
                Primitives.SUM, Primitives.LOG, Primitives.SUB);
    }

    @Test
    void recordersArePerThread() throws Exception {
        Log log = new Log();
        Recording.push(log);
        try {
            CompletableFuture.runAsync(() -> Tensor.of(new float[] {1}).exp()).get();
        } finally {
            Recording.pop(log);
        }
        assertThat(log.ops).isEmpty();
        assertThat(Recording.isRecording()).isFalse();
    }

    @Test
    void variableReadsAreReportedAndCopiedOnWrite() {
        Variable v = new Variable("w", Tensor.of(new float[] {1, 2}), true);
        Log log = new Log();
        Recording.push(log);
        Tensor seen;
        try {
            seen = VariableInternals.read(v);
        } finally {
            Recording.pop(log);
        }
        assertThat(log.reads).containsExactly(v);
        VariableInternals.F32Update u = VariableInternals.updateF32(v);
        assertThat(u.inPlace()).as("a recorder holds the value: the update goes to a fresh array").isFalse();
        assertThat(u.source()).isSameAs(TensorInternals.data(seen));
        u.target()[0] = 100;
        u.target()[1] = u.source()[1];
        assertThat(seen.toFloatArray()).containsExactly(1, 2);
        assertThat(VariableInternals.current(v).toFloatArray()).containsExactly(100, 2);
        assertThat(VariableInternals.updateF32(v).inPlace()).as("nobody has read the new value").isTrue();
    }

    @Test
    void releasedHoldsLetUpdatesWriteInPlaceAgain() {
        Variable v = new Variable("w", Tensor.of(new float[] {1, 2}), true);
        Log outer = new Log();
        Log inner = new Log();
        Recording.push(outer);
        Recording.push(inner);
        try {
            VariableInternals.read(v);
        } finally {
            Recording.pop(inner);
            Recording.pop(outer);
        }
        inner.holds.forEach(Variable.Hold::release);
        inner.holds.forEach(Variable.Hold::release); // a second release of a hold changes nothing
        assertThat(VariableInternals.updateF32(v).inPlace()).as("the outer recorder still holds the value").isFalse();

        Tensor fresh = VariableInternals.current(v);
        Variable.Hold onFresh = v.hold();
        outer.holds.forEach(Variable.Hold::release); // holds on the old value do not count against the new one
        assertThat(VariableInternals.updateF32(v).inPlace()).isFalse();
        assertThat(TensorInternals.data(fresh)).as("the held value kept its array").isNotSameAs(TensorInternals.data(VariableInternals.current(v)));
        onFresh.release();
        assertThat(VariableInternals.updateF32(v).inPlace()).isTrue();

        OpRecorder keepsNothing = new OpRecorder() {
            @Override
            public <A> void recordOp(Primitive<A> op, A attrs, Tensor[] inputs, Tensor output) {
            }
        };
        Recording.push(keepsNothing);
        try {
            VariableInternals.read(v);
        } finally {
            Recording.pop(keepsNothing);
        }
        assertThat(VariableInternals.updateF32(v).inPlace()).as("a recorder that keeps nothing holds nothing").isTrue();
    }
}
