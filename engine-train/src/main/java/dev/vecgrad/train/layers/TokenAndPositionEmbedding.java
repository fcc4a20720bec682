package dev.vecgrad.train.layers;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.initializers.Initializers;
import dev.vecgrad.train.initializers.RandomUniform;
import java.util.Map;

/**
 * Token ids {@code (batch, steps)} to the sum of a token embedding and a learned position
 * embedding {@code (batch, steps, embeddingDim)}, as KerasHub's {@code TokenAndPositionEmbedding}:
 * the first layer of a transformer over token ids. It holds an {@link Embedding} (named
 * {@code <name>_token_embedding}) and a {@link PositionEmbedding} ({@code <name>_position_embedding}).
 * With {@code maskZero}, id 0 is padding and its mask passes on.
 *
 * <pre>{@code
 * import dev.vecgrad.train.Sequential;
 *
 * Sequential gpt = new Sequential(new TokenAndPositionEmbedding(vocab, 64, 128),
 *         TransformerDecoder.builder(512, 4).build(), new Dense(vocab));
 * }</pre>
 */
public final class TokenAndPositionEmbedding extends Layer {
    private final int vocabularySize;
    private final int sequenceLength;
    private final int embeddingDim;
    private final boolean maskZero;
    private Embedding tokens;
    private PositionEmbedding positions;

    /** Ids in {@code [0, vocabularySize)}, up to {@code sequenceLength} steps, vectors of {@code embeddingDim}. */
    public TokenAndPositionEmbedding(int vocabularySize, int sequenceLength, int embeddingDim) {
        this(null, vocabularySize, sequenceLength, embeddingDim, false);
    }

    /** Every argument; {@code name} null for the default, {@code maskZero} for id 0 as padding. */
    public TokenAndPositionEmbedding(String name, int vocabularySize, int sequenceLength, int embeddingDim,
            boolean maskZero) {
        super(name);
        if (vocabularySize <= 0 || sequenceLength <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("TokenAndPositionEmbedding: vocabularySize, sequenceLength and"
                    + " embeddingDim must be positive, got " + vocabularySize + ", " + sequenceLength + ", "
                    + embeddingDim);
        }
        this.vocabularySize = vocabularySize;
        this.sequenceLength = sequenceLength;
        this.embeddingDim = embeddingDim;
        this.maskZero = maskZero;
    }

    @Override
    protected void build(Shape inputShape) {
        if (inputShape.rank() != 2) {
            throw new IllegalArgumentException("TokenAndPositionEmbedding '" + name() + "' takes ids (batch, steps), got "
                    + inputShape);
        }
        tokens = track(new Embedding(name() + "_token_embedding", vocabularySize, embeddingDim,
                new RandomUniform(-0.05, 0.05), null, dtype(), maskZero));
        positions = track(new PositionEmbedding(name() + "_position_embedding", sequenceLength,
                Initializers.glorotUniform()));
        tokens.setSeed(seed());
        positions.setSeed(seed());
        tokens.maybeBuild(inputShape, DType.I32);
        positions.maybeBuild(Shape.of(inputShape.dim(0), inputShape.dim(1), embeddingDim), dtype());
    }

    @Override
    protected void checkInputShape(Shape builtFor, Shape given) {
        if (given.rank() != 2 || given.dim(1) > sequenceLength) {
            throw new IllegalArgumentException(incompatible(builtFor, given) + " (ids are (batch, steps <= "
                    + sequenceLength + "))");
        }
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        Tensor t = tokens.call(x, training);
        return t.add(positions.call(t, training));
    }

    /** The token embedding's mask: with {@code maskZero}, 1 where the id is not 0. */
    @Override
    public Tensor computeMask(Tensor x, Tensor mask) {
        return tokens.computeMask(x, mask);
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return Shape.of(inputShape.dim(0), inputShape.dim(1), embeddingDim);
    }

    /** The token embedding (null before building). */
    public Embedding tokenEmbedding() {
        return tokens;
    }

    /** The position embedding (null before building). */
    public PositionEmbedding positionEmbedding() {
        return positions;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("vocabulary_size", vocabularySize);
        c.put("sequence_length", sequenceLength);
        c.put("embedding_dim", embeddingDim);
        c.put("mask_zero", maskZero);
        c.put("seed", seed());
        return c;
    }

    static TokenAndPositionEmbedding fromConfig(Map<String, Object> c) {
        return new TokenAndPositionEmbedding((String) c.get("name"), Configs.integer(c, "vocabulary_size"),
                Configs.integer(c, "sequence_length"), Configs.integer(c, "embedding_dim"),
                Configs.bool(c, "mask_zero", false));
    }
}
