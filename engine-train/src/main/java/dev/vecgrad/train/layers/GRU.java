package dev.vecgrad.train.layers;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.VariableInternals;
import java.util.Map;

/**
 * A gated recurrent unit, as Keras's {@code GRU}, with the update, reset and candidate blocks in
 * Keras's order (z, r, h). With {@code x_* = x·kernel_* + b_in} and {@code h_* = h·recurrent_* + b_rec}:
 * <pre>
 *   z = σ(x_z + h_z)   r = σ(x_r + h_r)
 *   ĥ = tanh(x_h + r·h_h)          (resetAfter, the default: the reset gate after the product)
 *   ĥ = tanh(x_h + (r·h)·recurrent_h + b_h)   (resetAfter false: before it, one bias)
 *   h' = z·h + (1 − z)·ĥ
 * </pre>
 * With {@code resetAfter} the bias is {@code (2, 3·units)}: row 0 for the input projection, row 1
 * for the recurrent one, as Keras stores it. Sequences, direction, masking and states are
 * described in {@link RecurrentLayer}.
 *
 * <pre>{@code
 * GRU gru = GRU.builder(32).goBackwards(true).build();
 * }</pre>
 */
public final class GRU extends GatedRecurrentLayer {
    private final boolean resetAfter;

    /** {@code units} hidden units with Keras's defaults, returning the last step's output. */
    public GRU(int units) {
        this(builder(units));
    }

    private GRU(Builder b) {
        super(b);
        this.resetAfter = b.resetAfter;
    }

    /** A builder starting from Keras's defaults. */
    public static Builder builder(int units) {
        return new Builder(units);
    }

    /** Optional arguments of {@link GRU}. */
    public static final class Builder extends GatedRecurrentLayer.Builder<Builder> {
        private boolean resetAfter = true;

        private Builder(int units) {
            super(units);
        }

        @Override
        Builder self() {
            return this;
        }

        /** Whether the reset gate applies after the recurrent product (default true, as Keras 2+). */
        public Builder resetAfter(boolean resetAfter) {
            this.resetAfter = resetAfter;
            return this;
        }

        /** The layer. */
        public GRU build() {
            return new GRU(this);
        }
    }

    @Override
    protected int gates() {
        return 3;
    }

    @Override
    protected int[] biasShape() {
        return resetAfter ? new int[] {2, 3 * units()} : super.biasShape();
    }

    @Override
    protected Tensor inputBias() {
        Tensor b = VariableInternals.read(bias());
        return resetAfter ? b.slice(0, 0, 1).reshape(3 * units()) : b;
    }

    @Override
    protected Scan scan(Tensor xz, Tensor mask, Tensor[] states, boolean sequence) {
        return scanSteps(xz, mask, states, sequence, this::step);
    }

    /** One step; see the class comment for the formulas. */
    private Tensor[] step(Tensor xz, Tensor[] states) {
        Tensor h = states[0];
        Tensor z;
        Tensor r;
        Tensor candidate;
        if (resetAfter) {
            Tensor hz = recurrent(h);
            if (useBias()) {
                hz = hz.add(VariableInternals.read(bias()).slice(0, 1, 2).reshape(3 * units()));
            }
            z = recurrentActivation().apply(gate(xz, 0).add(gate(hz, 0)));
            r = recurrentActivation().apply(gate(xz, 1).add(gate(hz, 1)));
            candidate = activation().apply(gate(xz, 2).add(r.mul(gate(hz, 2))));
        } else {
            Tensor u = VariableInternals.read(recurrentKernel());
            Tensor hzr = h.matmul(u.slice(1, 0, 2 * units()));
            z = recurrentActivation().apply(gate(xz, 0).add(gate(hzr, 0)));
            r = recurrentActivation().apply(gate(xz, 1).add(gate(hzr, 1)));
            candidate = activation().apply(gate(xz, 2).add(r.mul(h).matmul(u.slice(1, 2 * units(), 3 * units()))));
        }
        // h' = z·h + (1 − z)·ĥ = ĥ + z·(h − ĥ)
        return new Tensor[] {candidate.add(z.mul(h.sub(candidate)))};
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("reset_after", resetAfter);
        return c;
    }

    static GRU fromConfig(Map<String, Object> c) {
        return builder(Configs.integer(c, "units")).fromConfig(c)
                .resetAfter(Configs.bool(c, "reset_after", true))
                .build();
    }
}
