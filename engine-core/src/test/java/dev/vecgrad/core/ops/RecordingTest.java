package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
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
            seen = v.value();
        } finally {
            Recording.pop(log);
        }
        assertThat(log.reads).containsExactly(v);
        Variable.F32Update u = v.updateF32();
        assertThat(u.inPlace()).as("a recorder holds the value: the update goes to a fresh array").isFalse();
        assertThat(u.source()).isSameAs(seen.array());
        u.target()[0] = 100;
        u.target()[1] = u.source()[1];
        assertThat(seen.toFloatArray()).containsExactly(1, 2);
        assertThat(v.peek().toFloatArray()).containsExactly(100, 2);
        assertThat(v.updateF32().inPlace()).as("nobody has read the new value").isTrue();
    }

    @Test
    void releasedHoldsLetUpdatesWriteInPlaceAgain() {
        Variable v = new Variable("w", Tensor.of(new float[] {1, 2}), true);
        Log outer = new Log();
        Log inner = new Log();
        Recording.push(outer);
        Recording.push(inner);
        try {
            v.value();
        } finally {
            Recording.pop(inner);
            Recording.pop(outer);
        }
        inner.holds.forEach(Variable.Hold::release);
        inner.holds.forEach(Variable.Hold::release); // a second release of a hold changes nothing
        assertThat(v.updateF32().inPlace()).as("the outer recorder still holds the value").isFalse();

        Tensor fresh = v.peek();
        Variable.Hold onFresh = v.hold();
        outer.holds.forEach(Variable.Hold::release); // holds on the old value do not count against the new one
        assertThat(v.updateF32().inPlace()).isFalse();
        assertThat(fresh.array()).as("the held value kept its array").isNotSameAs(v.peek().array());
        onFresh.release();
        assertThat(v.updateF32().inPlace()).isTrue();

        OpRecorder keepsNothing = new OpRecorder() {
            @Override
            public <A> void recordOp(Primitive<A> op, A attrs, Tensor[] inputs, Tensor output) {
            }
        };
        Recording.push(keepsNothing);
        try {
            v.value();
        } finally {
            Recording.pop(keepsNothing);
        }
        assertThat(v.updateF32().inPlace()).as("a recorder that keeps nothing holds nothing").isTrue();
    }
}
