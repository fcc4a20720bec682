package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.train.initializers.Initializer;
import dev.vecgrad.train.initializers.Initializers;
import java.util.Map;

/**
 * A learned vector per position, as KerasHub's {@code PositionEmbedding}: for an input
 * {@code (batch, steps, features)} with {@code steps ≤ sequenceLength}, the output is the table's
 * first {@code steps} rows {@code (steps, features)} broadcast to the input's shape. It is added to
 * the token embeddings by the caller ({@link TokenAndPositionEmbedding} does both in one layer).
 *
 * <pre>{@code
 * PositionEmbedding pos = new PositionEmbedding(64);
 * Tensor h = tokens.add(pos.call(tokens));   // tokens (batch, steps <= 64, features)
 * }</pre>
 */
public final class PositionEmbedding extends Layer {
    private final int sequenceLength;
    private final Initializer initializer;
    private Variable embeddings;

    /** Up to {@code sequenceLength} positions, Glorot-uniform initialised. */
    public PositionEmbedding(int sequenceLength) {
        this(null, sequenceLength, Initializers.glorotUniform());
    }

    /** Up to {@code sequenceLength} positions; {@code name} null for the default. */
    public PositionEmbedding(String name, int sequenceLength, Initializer initializer) {
        super(name);
        if (sequenceLength <= 0) {
            throw new IllegalArgumentException("PositionEmbedding: sequenceLength must be positive, got "
                    + sequenceLength);
        }
        this.sequenceLength = sequenceLength;
        this.initializer = initializer;
    }

    @Override
    protected void build(Shape inputShape) {
        checkSteps(inputShape);
        embeddings = addWeight("embeddings", new int[] {sequenceLength, inputShape.dim(-1)}, initializer, null, true);
    }

    private void checkSteps(Shape s) {
        if (s.rank() < 2 || s.dim(-2) > sequenceLength) {
            throw new IllegalArgumentException("PositionEmbedding '" + name() + "' takes (batch, steps, features) with"
                    + " at most " + sequenceLength + " steps, got " + s);
        }
    }

    @Override
    protected void checkInputShape(Shape builtFor, Shape given) {
        checkSteps(given);
        if (given.dim(-1) != builtFor.dim(-1)) {
            throw new IllegalArgumentException(incompatible(builtFor, given) + " (features must be "
                    + builtFor.dim(-1) + ")");
        }
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        return embeddings.value().slice(0, 0, x.shape().dim(-2)).broadcastTo(x.shape().toArray());
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return inputShape;
    }

    /** The table {@code (sequenceLength, features)} (null before building). */
    public Variable embeddings() {
        return embeddings;
    }

    /** The number of positions the table holds. */
    public int sequenceLength() {
        return sequenceLength;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("sequence_length", sequenceLength);
        c.put("initializer", Configs.of(initializer));
        return c;
    }

    static PositionEmbedding fromConfig(Map<String, Object> c) {
        return new PositionEmbedding((String) c.get("name"), Configs.integer(c, "sequence_length"),
                Configs.initializer(c.get("initializer"), Initializers.glorotUniform()));
    }
}
