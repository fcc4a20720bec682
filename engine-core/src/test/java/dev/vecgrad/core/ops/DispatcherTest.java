package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Engine;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher and what primitives declare for a memory planner: every output comes through the
 * allocation hook, a primitive that says it writes every element gives the same bits into a
 * buffer full of garbage, and one that says it may run in place gives the same bits over its input.
 */
class DispatcherTest {

    /** A call of one primitive: what the dispatcher is asked to run. */
    record Call<A>(ComputePrimitive<A> op, A attrs, Tensor... inputs) {
        Tensor dispatch() {
            return Dispatcher.call(op, attrs, inputs);
        }

        /** Runs the primitive straight into {@code out}, as a plan replaying it would. */
        void runInto(Tensor out) {
            op.run(Engine.get().backend(), inputs, attrs, out);
        }
    }

    private static Tensor normal(long seed, int... dims) {
        return Tensor.randomNormal(new Rng(seed), 0, 1, dims);
    }

    private static Tensor positive(long seed, int... dims) {
        return Tensor.randomUniform(new Rng(seed), 0.5f, 2, dims);
    }

    /** One call of every computing primitive, at small shapes (the F32 path). */
    static List<Call<?>> oneCallOfEach() {
        List<Call<?>> calls = new ArrayList<>();
        for (Primitive<?> p : Primitives.all()) {
            if (p instanceof Unary u) {
                calls.add(new Call<>(u, null, positive(u.id(), 3, 5)));
            } else if (p instanceof Binary b) {
                calls.add(new Call<>(b, null, positive(b.id(), 3, 5), positive(b.id() + 100, 5)));
            } else if (p instanceof Reduce r) {
                calls.add(new Call<>(r, new Attrs.Reduce(new int[] {1}, false), normal(r.id(), 4, 6, 3)));
            }
        }
        Tensor x = normal(1, 2, 5, 6, 3);
        Tensor w = normal(2, 3, 3, 3, 4);
        Attrs.Conv2d conv = new Attrs.Conv2d(1, 1, 1, 1, Padding.SAME);
        Attrs.Pool2d pool = new Attrs.Pool2d(2, 2, 2, 2, Padding.SAME);
        Tensor dy = normal(3, 2, 5, 6, 4);
        Tensor pooled = normal(4, 2, 3, 3, 3);
        Attrs.Slice slice = new Attrs.Slice(new int[] {1, 0}, new int[] {4, 6}, new int[] {2, 1});
        calls.add(new Call<>(Primitives.WHERE, null, normal(5, 4, 6).gt(0), normal(6, 4, 6), normal(7, 6)));
        calls.add(new Call<>(Primitives.ARGMAX, new Attrs.Axis(1), normal(8, 4, 6)));
        calls.add(new Call<>(Primitives.ARGMIN, new Attrs.Axis(0), normal(9, 4, 6)));
        calls.add(new Call<>(Primitives.UNSLICE, new Attrs.Unslice(Shape.of(5, 6), slice), normal(10, 2, 6)));
        calls.add(new Call<>(Primitives.COPY, null, normal(11, 4, 6).transpose()));
        calls.add(new Call<>(Primitives.CONCAT, new Attrs.Axis(1), normal(12, 4, 2), normal(13, 4, 3)));
        calls.add(new Call<>(Primitives.PAD, new Attrs.Pad(new int[] {1, 0}, new int[] {2, 1}, 7), normal(14, 3, 4)));
        calls.add(new Call<>(Primitives.CAST, new Attrs.Cast(DType.F64), normal(15, 3, 4)));
        calls.add(new Call<>(Primitives.GATHER, new Attrs.Axis(0), normal(16, 5, 3), Tensor.of(new int[] {4, 0, 4})));
        calls.add(new Call<>(Primitives.SCATTER_ADD, new Attrs.ScatterAdd(0, Shape.of(5, 3)), normal(17, 3, 3),
                Tensor.of(new int[] {4, 0, 4})));
        calls.add(new Call<>(Primitives.ONE_HOT, new Attrs.OneHot(4), Tensor.of(new int[] {3, 0, 2})));
        calls.add(new Call<>(Primitives.MATMUL, new Attrs.Matmul(false, true), normal(18, 2, 4, 5), normal(19, 3, 5)));
        calls.add(new Call<>(Primitives.SOFTMAX, new Attrs.Axis(1), normal(21, 2, 4, 5)));
        calls.add(new Call<>(Primitives.SOFTMAX, new Attrs.Axis(2), normal(22, 2, 4, 5)));
        // A key mask (2, 1, 5) whose second sample allows nothing: those rows are written as zeros.
        calls.add(new Call<>(Primitives.MASKED_SOFTMAX, new Attrs.Scaled(0.5), normal(25, 2, 4, 5),
                Tensor.of(new float[] {1, 0, 1, 1, 0, 0, 0, 0, 0, 0}, 2, 1, 5)));
        calls.add(new Call<>(Primitives.SOFTMAX_BACKWARD, new Attrs.Scaled(2), normal(26, 3, 7), normal(27, 3, 7)));
        calls.add(new Call<>(Primitives.NORMALIZE, new Attrs.Epsilon(1e-3), normal(28, 4, 9)));
        calls.add(new Call<>(Primitives.NORMALIZE_BACKWARD, new Attrs.Epsilon(1e-3), normal(29, 4, 9), normal(30, 4, 9)));
        calls.add(new Call<>(Primitives.CONV2D, conv, x, w, normal(20, 4)));
        calls.add(new Call<>(Primitives.CONV2D_RELU, conv, x, w));
        calls.add(new Call<>(Primitives.CONV2D_BACKWARD_INPUT, new Attrs.Conv2dBackwardInput(conv, x.shape()), dy, w));
        calls.add(new Call<>(Primitives.CONV2D_BACKWARD_FILTER, new Attrs.Conv2dBackwardFilter(conv, w.shape()), x, dy));
        calls.add(new Call<>(Primitives.MAX_POOL2D, pool, x));
        calls.add(new Call<>(Primitives.MAX_POOL2D_BACKWARD, pool, x, pooled));
        calls.add(new Call<>(Primitives.AVG_POOL2D, pool, x));
        calls.add(new Call<>(Primitives.AVG_POOL2D_BACKWARD, new Attrs.Pool2dBackward(pool, x.shape()), pooled));
        // Three steps of a batch of two with three units, one step masked for the second sample.
        calls.add(new Call<>(Primitives.LSTM_SEQUENCE, null, normal(21, 3, 2, 12), normal(22, 3, 12),
                normal(23, 2, 3), normal(24, 2, 3), Tensor.of(new float[] {1, 1, 1, 0, 1, 1}, 3, 2, 1)));
        return calls;
    }

    @Test
    void everyComputingPrimitiveIsCoveredHere() {
        Set<Primitive<?>> covered = new HashSet<>();
        oneCallOfEach().forEach(c -> covered.add(c.op()));
        for (Primitive<?> p : Primitives.all()) {
            if (p instanceof ComputePrimitive<?>) {
                assertThat(covered).as("a call of %s", p).contains(p);
            }
        }
    }

    @Test
    void everyOutputComesThroughTheInstalledAllocator() {
        List<String> asked = new ArrayList<>();
        List<Tensor> given = new ArrayList<>();
        Dispatcher.OutputAllocator counting = (op, dtype, shape) -> {
            asked.add(op.name());
            Tensor t = Tensor.zeros(dtype, shape);
            given.add(t);
            return t;
        };
        List<Call<?>> calls = oneCallOfEach();
        List<Tensor> outputs = new ArrayList<>();
        try (Dispatcher.AllocatorScope scope = Dispatcher.useAllocator(counting)) {
            for (Call<?> c : calls) {
                outputs.add(c.dispatch());
            }
        }
        assertThat(asked).hasSize(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            assertThat(asked.get(i)).isEqualTo(calls.get(i).op().name());
            assertThat(outputs.get(i)).as(asked.get(i)).isSameAs(given.get(i));
        }
        // Closed: outputs are fresh again.
        Tensor after = Primitives.EXP.apply(normal(1, 3));
        assertThat(given).doesNotContain(after);
    }

    /** A buffer of the right dtype and shape filled with a value no op should leave behind. */
    private static Tensor garbage(DType dtype, Shape shape) {
        return Tensor.full(-123456, dtype, shape.toArray());
    }

    @Test
    void primitivesThatSayTheyWriteEveryElementGiveTheSameBitsIntoGarbage() {
        int checked = 0;
        for (Call<?> c : oneCallOfEach()) {
            Tensor fresh = c.dispatch();
            Tensor dirty = garbage(fresh.dtype(), fresh.shape());
            Tensor zeroed = Tensor.zeros(fresh.dtype(), fresh.shape());
            c.runInto(zeroed);
            assertThat(zeroed.toDoubleArray()).as("%s into zeros", c.op()).isEqualTo(fresh.toDoubleArray());
            if (c.op().writesEveryElement()) {
                c.runInto(dirty);
                assertThat(dirty.toDoubleArray()).as("%s into garbage", c.op()).isEqualTo(fresh.toDoubleArray());
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(40);
    }

    @Test
    void primitivesThatMayRunInPlaceGiveTheSameBitsOverTheirInput() {
        int checked = 0;
        for (Call<?> c : oneCallOfEach()) {
            int j = c.op().inPlaceInput();
            if (j < 0) {
                continue;
            }
            Tensor fresh = c.dispatch();
            Tensor[] in = c.inputs().clone();
            in[j] = in[j].contiguousCopy();
            assertThat(in[j].shape()).isEqualTo(fresh.shape());
            @SuppressWarnings({"rawtypes", "unchecked"})
            Call<?> over = new Call(c.op(), c.attrs(), in);
            over.runInto(in[j]);
            assertThat(in[j].toDoubleArray()).as("%s in place", c.op()).isEqualTo(fresh.toDoubleArray());
            checked++;
        }
        assertThat(checked).isGreaterThan(30);
    }

    @Test
    void allocatorScopesNestAndRestore() {
        List<String> outer = new ArrayList<>();
        List<String> inner = new ArrayList<>();
        Supplier<Tensor> op = () -> Primitives.NEG.apply(normal(2, 4));
        try (Dispatcher.AllocatorScope a = Dispatcher.useAllocator((p, d, s) -> {
            outer.add(p.name());
            return Tensor.zeros(d, s);
        })) {
            op.get();
            try (Dispatcher.AllocatorScope b = Dispatcher.useAllocator((p, d, s) -> {
                inner.add(p.name());
                return Tensor.zeros(d, s);
            })) {
                op.get();
            }
            op.get();
        }
        op.get();
        assertThat(outer).containsExactly("neg", "neg");
        assertThat(inner).containsExactly("neg");
    }

    @Test
    void anAllocatorThatGivesTheWrongTensorIsNamed() {
        try (Dispatcher.AllocatorScope a = Dispatcher.useAllocator((p, d, s) -> Tensor.zeros(d, 1, 1))) {
            assertThatThrownBy(() -> Primitives.EXP.apply(normal(3, 2, 3)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("gave exp a F32 (1, 1) tensor for a F32 (2, 3) output");
        }
    }

    @Test
    void viewsAreReportedButNeverAllocated() {
        List<String> asked = new ArrayList<>();
        RecordingTest.Log log = new RecordingTest.Log();
        Tensor x = normal(4, 2, 3);
        Recording.push(log);
        try (Dispatcher.AllocatorScope a = Dispatcher.useAllocator((p, d, s) -> {
            asked.add(p.name());
            return Tensor.zeros(d, s);
        })) {
            Tensor t = x.transpose().reshape(6).slice(0, 1, 4).broadcastTo(2, 3);
            assertThat(t.shape()).isEqualTo(Shape.of(2, 3));
            assertThat(x.reshape(2, 3)).isSameAs(x); // an identical view is x itself, not an op
        } finally {
            Recording.pop(log);
        }
        // reshape of the transposed (non-contiguous) view copies inside the primitive: not an allocation of its own
        assertThat(asked).isEmpty();
        assertThat(log.ops).<Object>extracting(OpCall::op).containsExactly(Primitives.PERMUTE, Primitives.RESHAPE,
                Primitives.SLICE, Primitives.BROADCAST_TO);
    }

    /**
     * A number operand, and a one-element tensor operand, take a shortcut past broadcasting
     * inference; they must give the bits of the general path on the scalar tensor on every layout
     * they take or decline (small, strided, big enough to split, a one-element operand of higher
     * rank, whose output gains its dimensions), take their output from an installed allocator, and
     * be recorded with the scalar tensor (the caller's own, for a tensor operand).
     */
    @Test
    void aNumberOperandGivesTheBitsOfItsScalarTensorAndIsRecordedWithIt() {
        List<Tensor> layouts = new ArrayList<>();
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            layouts.add(normal(5, 37).cast(dtype));
            layouts.add(normal(6, 8, 9).cast(dtype).transpose());
            layouts.add(normal(7, 300_001).cast(dtype));
        }
        layouts.add(Tensor.arange(-4, 5, 1, DType.I32));
        for (Tensor x : layouts) {
            for (Binary op : List.of(Primitives.ADD, Primitives.SUB, Primitives.MUL, Primitives.DIV, Primitives.POW,
                    Primitives.MAXIMUM, Primitives.GE)) {
                if (op == Primitives.POW && x.dtype().isFloating()) {
                    // Floating pow is the Vector API's, whose last bit depends on whether C2 has
                    // compiled the kernel yet: two calls in one JVM may differ whatever the path.
                    continue;
                }
                double c = op == Primitives.POW ? 2 : -1.7;
                Tensor general = Dispatcher.call(op, null, x, x.scalarLike(c));
                assertThat(op.apply(x, c).toDoubleArray()).as("%s %s %s", op.name(), x.dtype(), x.shape())
                        .isEqualTo(general.toDoubleArray());
                for (int[] dims : new int[][] {{}, {1}, {1, 1}, {1, 1, 1, 1}}) {
                    Tensor b = x.scalarLike(c).reshape(dims);
                    Tensor y = op.apply(x, b);
                    Tensor expected = Dispatcher.call(op, null, x, b);
                    assertThat(y.shape()).as("%s %s by %s", op.name(), x.shape(), b.shape()).isEqualTo(expected.shape());
                    assertThat(y.toDoubleArray()).as("%s %s %s by %s", op.name(), x.dtype(), x.shape(), b.shape())
                            .isEqualTo(general.toDoubleArray());
                }
            }
        }
        Tensor x = normal(8, 5);
        List<String> asked = new ArrayList<>();
        RecordingTest.Log log = new RecordingTest.Log();
        Tensor y;
        Recording.push(log);
        try (Dispatcher.AllocatorScope a = Dispatcher.useAllocator((p, d, s) -> {
            asked.add(p.name());
            return Tensor.zeros(d, s);
        })) {
            y = x.mul(3);
        } finally {
            Recording.pop(log);
        }
        assertThat(asked).containsExactly("mul");
        assertThat(log.ops).hasSize(1);
        OpCall<?> call = log.ops.get(0);
        assertThat(call.op()).isEqualTo(Primitives.MUL);
        assertThat(call.input(0)).isSameAs(x);
        assertThat(call.input(1).shape()).isEqualTo(Shape.SCALAR);
        assertThat(call.input(1).toDoubleArray()).containsExactly(3);
        assertThat(call.output()).isSameAs(y);
        float[] xs = x.toFloatArray();
        float[] ys = y.toFloatArray();
        for (int i = 0; i < xs.length; i++) {
            assertThat(ys[i]).isEqualTo(xs[i] * 3f);
        }
        Tensor three = Tensor.of(new float[] {3});
        asked.clear();
        Recording.push(log);
        try (Dispatcher.AllocatorScope a = Dispatcher.useAllocator((p, d, s) -> {
            asked.add(p.name());
            return Tensor.zeros(d, s);
        })) {
            y = x.mul(three);
        } finally {
            Recording.pop(log);
        }
        assertThat(asked).containsExactly("mul");
        call = log.ops.get(1);
        assertThat(call.input(0)).isSameAs(x);
        assertThat(call.input(1)).isSameAs(three);
        assertThat(call.output()).isSameAs(y);
        assertThat(y.toFloatArray()).isEqualTo(ys);
    }

    @Test
    void everyPrimitiveHasOneLowerCaseNameAndItsOwnId() {
        Set<String> names = new HashSet<>();
        Set<Integer> ids = new HashSet<>();
        for (Primitive<?> p : Primitives.all()) {
            assertThat(p.name()).matches("[a-z][a-z0-9_]*");
            assertThat(names.add(p.name())).as("name %s once", p.name()).isTrue();
            assertThat(ids.add(p.id())).as("id of %s once", p.name()).isTrue();
            assertThat(p.id()).isLessThan(Primitive.count());
        }
    }
}
