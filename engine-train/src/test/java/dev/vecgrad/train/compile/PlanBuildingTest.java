package dev.vecgrad.train.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.Recording;
import dev.vecgrad.train.data.Tensors;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Building a plan costs time linear in the trace: the first call of a compiled step waits for the
 * trace and the plan, so no part of planning may scan the trace or the free arrays once per event.
 * The trace here is built so that each of two quadratic walks would cost billions of steps: forward
 * ops each read once at the far end of the trace (a chain link whose reader is a backward op), and
 * tens of thousands of allocations made while tens of thousands of arrays too small for them are
 * free (a plan's arrays are whole 64-byte vectors: eight doubles for a one-element tensor).
 */
class PlanBuildingTest {

    /** Events in each part of the synthetic trace. */
    private static final int N = 40_000;

    /**
     * Part one: {@code x_i = -x}, then {@code acc = (((x_{N-1} + x_{N-2}) + ...) + x_0)}, so x_i's
     * only reader sits about {@code 2(N - i)} events later. Part two: {@code N} one-element arrays
     * freed at once by a stack, then {@code N} nine-element outputs, none of which fits a free array.
     * Returns {@code [acc, sum(stack(z)), sum(stack(y))]}.
     */
    private static Tensors step(Tensor x) {
        List<Tensor> xs = new ArrayList<>(N);
        for (int i = 0; i < N; i++) {
            xs.add(x.neg());
        }
        Tensor acc = xs.get(N - 1);
        for (int i = N - 2; i >= 0; i--) {
            acc = acc.add(xs.get(i));
        }
        List<Tensor> zs = new ArrayList<>(N);
        for (int i = 0; i < N; i++) {
            zs.add(x.mul(x));
        }
        Tensor z = Tensor.stack(zs, 0).sum();
        Tensor nine = x.broadcastTo(9);
        List<Tensor> ys = new ArrayList<>(N);
        for (int i = 0; i < N; i++) {
            ys.add(nine.add(nine));
        }
        Tensor y = Tensor.stack(ys, 0).sum();
        return Tensors.of(acc, z, y);
    }

    private static StepTrace trace(Function<Tensor, Tensors> step, Tensor slot, Object[] result) {
        StepTrace trace = new StepTrace();
        StepTrace outer = Tracer.activate(trace);
        Recording.push(trace);
        try {
            result[0] = step.apply(slot);
        } finally {
            Recording.pop(trace);
            Tracer.activate(outer);
        }
        return trace;
    }

    @Test
    void aTraceOfHundredsOfThousandsOfEventsIsPlannedInLinearTime() {
        Tensor slot = Tensor.of(new double[] {3}, 1);
        Object[] result = new Object[1];
        StepTrace trace = trace(PlanBuildingTest::step, slot, result);
        assertThat(trace.events().size()).isGreaterThan(5 * N);

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        StepPlan plan = StepPlan.build(trace, List.of(slot), result[0]);
        double seconds = (threads.getCurrentThreadCpuTime() - start) / 1e9;
        // Linear planning takes well under a second here; either quadratic walk takes tens of seconds.
        assertThat(seconds).as("CPU seconds to plan %d events", trace.events().size()).isLessThan(8.0);

        // The plan computes what the step computes, for another input too.
        Buffers.copy(Tensor.of(new double[] {2}, 1), slot);
        Tensors out = (Tensors) plan.replay();
        assertThat(out.get(0).item()).isEqualTo(-2.0 * N);
        assertThat(out.get(1).item()).isEqualTo(4.0 * N);
        assertThat(out.get(2).item()).isEqualTo(36.0 * N);
    }
}
