package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.activations.ActivationFunction;
import dev.vecgrad.train.activations.Activations;
import java.util.Map;

/**
 * One block of a decoder-only transformer (GPT's block), as KerasHub's {@code TransformerDecoder}
 * called without an encoder sequence: causal multi-head self-attention and a two-layer
 * feed-forward network, each wrapped in a residual connection and a layer normalization.
 * <pre>
 *   normalizeFirst (pre-LN):  x = x + drop(attn(ln1(x)));   x = x + drop(ff(ln2(x)))
 *   otherwise (post-LN):      x = ln1(x + drop(attn(x)));   x = ln2(x + drop(ff(x)))
 *   ff(x) = dense2(activation(dense1(x)))    dense1: features -> intermediateDim, dense2: back
 * </pre>
 * The attention has {@code numHeads} heads of {@code features / numHeads} each and a causal mask
 * (position i sees positions up to i); an incoming padding mask is applied to queries and keys
 * and passes on. The parts are layers of their own, named after the block
 * ({@code <name>_self_attention}, {@code <name>_self_attention_layer_norm},
 * {@code <name>_feedforward_intermediate_dense}, {@code <name>_feedforward_output_dense},
 * {@code <name>_feedforward_layer_norm}).
 *
 * <pre>{@code
 * import dev.vecgrad.train.Sequential;
 *
 * Sequential gpt = new Sequential(new TokenAndPositionEmbedding(vocab, 64, 128),
 *         TransformerDecoder.builder(512, 4).normalizeFirst(true).activation("gelu").build(),
 *         TransformerDecoder.builder(512, 4).normalizeFirst(true).activation("gelu").build(),
 *         new Dense(vocab));
 * }</pre>
 */
public final class TransformerDecoder extends Layer {
    private final int intermediateDim;
    private final int numHeads;
    private final double dropout;
    private final ActivationFunction activation;
    private final double layerNormEpsilon;
    private final boolean normalizeFirst;
    private MultiHeadAttention attention;
    private LayerNormalization attentionNorm;
    private Dense intermediate;
    private Dense output;
    private LayerNormalization feedforwardNorm;
    private Dropout attentionDropout;
    private Dropout feedforwardDropout;

    private TransformerDecoder(Builder b) {
        super(b.name);
        if (b.intermediateDim <= 0 || b.numHeads <= 0) {
            throw new IllegalArgumentException("TransformerDecoder: intermediateDim and numHeads must be positive, got "
                    + b.intermediateDim + " and " + b.numHeads);
        }
        if (!(b.dropout >= 0 && b.dropout < 1)) {
            throw new IllegalArgumentException("TransformerDecoder: dropout must be in [0, 1), got " + b.dropout);
        }
        this.intermediateDim = b.intermediateDim;
        this.numHeads = b.numHeads;
        this.dropout = b.dropout;
        this.activation = b.activation;
        this.layerNormEpsilon = b.layerNormEpsilon;
        this.normalizeFirst = b.normalizeFirst;
    }

    /** A builder starting from KerasHub's defaults (relu, no dropout, epsilon 1e-5, post-LN). */
    public static Builder builder(int intermediateDim, int numHeads) {
        return new Builder(intermediateDim, numHeads);
    }

    /** Optional arguments of {@link TransformerDecoder}. */
    public static final class Builder {
        private final int intermediateDim;
        private final int numHeads;
        private String name;
        private double dropout;
        private ActivationFunction activation = Activations.relu();
        private double layerNormEpsilon = 1e-5;
        private boolean normalizeFirst;

        private Builder(int intermediateDim, int numHeads) {
            this.intermediateDim = intermediateDim;
            this.numHeads = numHeads;
        }

        /** The layer's name (default {@code transformer_decoder}, ...). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Dropout rate on the attention probabilities and after each sub-block, in training (default 0). */
        public Builder dropout(double dropout) {
            this.dropout = dropout;
            return this;
        }

        /** The feed-forward network's activation (default relu). */
        public Builder activation(ActivationFunction activation) {
            this.activation = activation == null ? Activations.linear() : activation;
            return this;
        }

        /** The activation by Keras name. */
        public Builder activation(String activation) {
            return activation(Activations.get(activation));
        }

        /** The layer normalizations' epsilon (default 1e-5). */
        public Builder layerNormEpsilon(double epsilon) {
            this.layerNormEpsilon = epsilon;
            return this;
        }

        /** Whether to normalize before each sub-block (pre-LN, as GPT-2) rather than after (default false). */
        public Builder normalizeFirst(boolean normalizeFirst) {
            this.normalizeFirst = normalizeFirst;
            return this;
        }

        /** The layer. */
        public TransformerDecoder build() {
            return new TransformerDecoder(this);
        }
    }

    @Override
    protected void build(Shape inputShape) {
        if (inputShape.rank() != 3) {
            throw new IllegalArgumentException("TransformerDecoder '" + name()
                    + "' takes (batch, steps, features), got " + inputShape);
        }
        int features = inputShape.dim(2);
        if (features % numHeads != 0) {
            throw new IllegalArgumentException("TransformerDecoder '" + name() + "': " + features
                    + " features do not split into " + numHeads + " heads");
        }
        String n = name();
        attention = part(MultiHeadAttention.builder(numHeads, features / numHeads).dropout(dropout)
                .useCausalMask(true).name(n + "_self_attention").build(), inputShape);
        attentionNorm = part(new LayerNormalization(n + "_self_attention_layer_norm", -1, layerNormEpsilon, true, true),
                inputShape);
        intermediate = part(Dense.builder(intermediateDim).activation(activation)
                .name(n + "_feedforward_intermediate_dense").build(), inputShape);
        output = part(Dense.builder(features).name(n + "_feedforward_output_dense").build(),
                Shape.of(inputShape.dim(0), inputShape.dim(1), intermediateDim));
        feedforwardNorm = part(new LayerNormalization(n + "_feedforward_layer_norm", -1, layerNormEpsilon, true, true),
                inputShape);
        if (dropout > 0) {
            attentionDropout = part(new Dropout(dropout, n + "_self_attention_dropout"), inputShape);
            feedforwardDropout = part(new Dropout(dropout, n + "_feedforward_dropout"), inputShape);
        }
    }

    /** Any batch and number of steps; the features must be the ones built for. */
    @Override
    protected void checkInputShape(Shape builtFor, Shape given) {
        requireSequence(builtFor, given);
    }

    /** Tracks {@code layer}, gives it this block's seed and builds it for {@code shape}. */
    private <T extends Layer> T part(T layer, Shape shape) {
        track(layer);
        layer.setSeed(seed());
        layer.maybeBuild(shape, dtype());
        return layer;
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        return forward(x, null, training);
    }

    @Override
    protected Tensor forward(Tensor x, Tensor mask, boolean training) {
        Tensor h = normalizeFirst ? attentionNorm.call(x, training) : x;
        h = drop(attentionDropout, attention.call(h, mask, training), training);
        h = x.add(h);
        if (!normalizeFirst) {
            h = attentionNorm.call(h, training);
        }
        Tensor f = normalizeFirst ? feedforwardNorm.call(h, training) : h;
        f = drop(feedforwardDropout, output.call(intermediate.call(f, training), training), training);
        f = h.add(f);
        return normalizeFirst ? f : feedforwardNorm.call(f, training);
    }

    private static Tensor drop(Dropout d, Tensor x, boolean training) {
        return d == null ? x : d.call(x, training);
    }

    /** Works position by position apart from the attention, which honours the mask; the mask passes on. */
    @Override
    public boolean supportsMasking() {
        return true;
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return inputShape;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("intermediate_dim", intermediateDim);
        c.put("num_heads", numHeads);
        c.put("dropout", dropout);
        c.put("activation", Activations.serialize(activation));
        c.put("layer_norm_epsilon", layerNormEpsilon);
        c.put("normalize_first", normalizeFirst);
        c.put("seed", seed());
        return c;
    }

    static TransformerDecoder fromConfig(Map<String, Object> c) {
        return builder(Configs.integer(c, "intermediate_dim"), Configs.integer(c, "num_heads"))
                .name((String) c.get("name"))
                .dropout(Configs.number(c, "dropout", 0))
                .activation(Activations.deserialize(c.get("activation")))
                .layerNormEpsilon(Configs.number(c, "layer_norm_epsilon", 1e-5))
                .normalizeFirst(Configs.bool(c, "normalize_first", false))
                .build();
    }
}
