package dev.vecgrad.train.compile;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.ComputePrimitive;
import dev.vecgrad.core.ops.OpRecorder;
import dev.vecgrad.core.ops.Primitive;
import dev.vecgrad.core.ops.Recording;
import dev.vecgrad.core.ops.ViewPrimitive;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * What one eager run of a step did, in order: every op the dispatcher ran on this thread and every
 * {@link Tracer#hostCall host call}. A {@link StepPlan} is built from it.
 */
final class StepTrace implements OpRecorder {
    /** One recorded event. */
    sealed interface Event permits Compute, View, Host, Fused {
        /** The tensors the event reads (entries may be null). */
        Tensor[] reads();

        /** What the event is, for comparing two traces: op, dtypes and shapes. */
        String describe();
    }

    /** A computing primitive: {@code output = op(inputs)}. */
    record Compute(ComputePrimitive<Object> op, Object attrs, Tensor[] inputs, Tensor output) implements Event {
        @Override
        public Tensor[] reads() {
            return inputs;
        }

        @Override
        public String describe() {
            return op.name() + shapes(inputs) + "->" + output.dtype() + output.shape();
        }
    }

    /** A view primitive: {@code output} is a view of {@code input}. */
    record View(ViewPrimitive<Object> op, Object attrs, Tensor input, Tensor output) implements Event {
        @Override
        public Tensor[] reads() {
            return new Tensor[] {input};
        }

        @Override
        public String describe() {
            return op.name() + shapes(new Tensor[] {input}) + "->" + output.shape();
        }
    }

    /**
     * Ops run as one pass (made by {@link Fusion}, never recorded): {@code op(inputs)} finished by
     * the elementwise {@code stages} block by block, giving {@code output}.
     */
    record Fused(ComputePrimitive<Object> op, Object attrs, Tensor[] inputs, Fusion.Stage[] stages, Tensor output)
            implements Event {
        @Override
        public Tensor[] reads() {
            List<Tensor> r = new ArrayList<>(Arrays.asList(inputs));
            for (Fusion.Stage s : stages) {
                if (s.operand() != null) {
                    r.add(s.operand());
                }
            }
            return r.toArray(new Tensor[0]);
        }

        @Override
        public String describe() {
            StringBuilder b = new StringBuilder(op.name());
            for (Fusion.Stage s : stages) {
                b.append('+').append(s.op().name());
            }
            return b + shapes(reads()) + "->" + output.dtype() + output.shape();
        }
    }

    /** A host call and what it returned. */
    record Host(String name, Tensor[] args, Function<List<Tensor>, ?> body, Object result) implements Event {
        @Override
        public Tensor[] reads() {
            return args;
        }

        @Override
        public String describe() {
            return "host:" + name + shapes(args);
        }
    }

    private final List<Event> events = new ArrayList<>();

    List<Event> events() {
        return events;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A> void recordOp(Primitive<A> op, A attrs, Tensor[] inputs, Tensor output) {
        if (op instanceof ComputePrimitive<?> c) {
            events.add(new Compute((ComputePrimitive<Object>) c, attrs, inputs, output));
        } else if (op instanceof ViewPrimitive<?> v) {
            events.add(new View((ViewPrimitive<Object>) v, attrs, inputs[0], output));
        }
        // Other primitives (a custom-gradient block) wrap ops that ran, and were recorded, inside them.
    }

    /** A plan must replay every op, including those run while gradient tapes are paused. */
    @Override
    public boolean seesPausedOps() {
        return true;
    }

    /** Runs a host call unrecorded (its own ops are its business) and records it as one event. */
    <R> R hostCall(String name, List<Tensor> args, Function<List<Tensor>, R> body) {
        Recording.pop(this);
        StepTrace outer = Tracer.activate(null);
        R result;
        try {
            result = body.apply(args);
        } finally {
            Tracer.activate(outer);
            Recording.push(this);
        }
        events.add(new Host(name, args.toArray(new Tensor[0]), body, result));
        return result;
    }

    /** The events' descriptions, to compare two traces of one signature. */
    List<String> describe() {
        List<String> out = new ArrayList<>(events.size());
        for (Event e : events) {
            out.add(e.describe());
        }
        return out;
    }

    private static String shapes(Tensor[] ts) {
        String[] s = new String[ts.length];
        for (int i = 0; i < ts.length; i++) {
            s[i] = ts[i] == null ? "null" : ts[i].dtype() + "" + ts[i].shape();
        }
        return Arrays.toString(s);
    }
}
