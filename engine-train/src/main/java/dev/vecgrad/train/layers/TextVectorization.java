package dev.vecgrad.train.layers;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Text to integer ids with a vocabulary learned from data, as Keras's {@code TextVectorization}
 * with {@code output_mode="int"}: text is standardized, split into tokens (words or characters),
 * and each token replaced by its index in the vocabulary.
 *
 * <p><b>Vocabulary.</b> {@link #adapt} counts the tokens of the given texts; the vocabulary is
 * {@code ""} (index 0, padding), {@code "[UNK]"} (index 1, any token not in the vocabulary), then
 * the tokens by decreasing count (equal counts in lexicographic order), at most {@code maxTokens}
 * entries in all when a limit is set. It is part of {@link #getConfig()}, so it is saved and
 * loaded with the model that holds the layer.
 *
 * <p><b>Standardization</b> (Keras's {@code standardize}): {@code LOWER_AND_STRIP_PUNCTUATION}
 * (the default for words), {@code LOWER}, {@code STRIP_PUNCTUATION} or {@code NONE} (the default
 * for characters: a character model keeps case and punctuation). <b>Split</b>: on whitespace, or
 * into characters (Unicode code points; whitespace characters are tokens too).
 *
 * <p><b>Text in, ids out</b> is {@link #encode}: one text to a 1-D I32 tensor, or several to a
 * batch {@code (texts, outputSequenceLength)} padded with 0 (truncated when longer), as Keras
 * pads. {@link #decode} maps ids back to text. As a layer in a model it takes ids that
 * {@code encode} made and passes them through, checking they are in the vocabulary; that is what
 * lets a model carry its vocabulary through {@code save} and {@code load}.
 *
 * <pre>{@code
 * TextVectorization chars = TextVectorization.characters().adapt(text);
 * Tensor ids = chars.encode("Hello");            // I32 (5,)
 * String back = chars.decode(ids);               // "Hello" (or [UNK] for unseen characters)
 * }</pre>
 */
public final class TextVectorization extends Layer {
    /** The padding token, index 0. */
    public static final String PADDING = "";
    /** The out-of-vocabulary token, index 1. */
    public static final String OOV = "[UNK]";
    private static final Pattern PUNCTUATION = Pattern.compile("[!\"#$%&()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~']");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /** Keras's {@code standardize} options. */
    public enum Standardize {
        /** Lower case, then ASCII punctuation removed. */
        LOWER_AND_STRIP_PUNCTUATION,
        /** Lower case. */
        LOWER,
        /** ASCII punctuation removed. */
        STRIP_PUNCTUATION,
        /** The text as given. */
        NONE
    }

    /** Keras's {@code split} options. */
    public enum Split {
        /** Tokens are the runs of non-whitespace. */
        WHITESPACE,
        /** Tokens are the characters (code points). */
        CHARACTER
    }

    private final int maxTokens;
    private final Standardize standardize;
    private final Split split;
    private final int outputSequenceLength;
    private volatile List<String> vocabulary = List.of();
    private volatile Map<String, Integer> index = Map.of();

    /**
     * A layer with every argument.
     *
     * @param name null for the default
     * @param maxTokens the vocabulary's largest size including padding and OOV, or 0 for no limit
     * @param outputSequenceLength the length batches of texts are padded or cut to, or 0 for the
     *     longest text of each batch
     */
    public TextVectorization(String name, int maxTokens, Standardize standardize, Split split,
            int outputSequenceLength) {
        super(name);
        if (maxTokens < 0 || (maxTokens > 0 && maxTokens < 3) || outputSequenceLength < 0) {
            throw new IllegalArgumentException("TextVectorization: maxTokens must be 0 (no limit) or at least 3, and"
                    + " outputSequenceLength non-negative; got " + maxTokens + " and " + outputSequenceLength);
        }
        this.maxTokens = maxTokens;
        this.standardize = Objects.requireNonNull(standardize, "standardize");
        this.split = Objects.requireNonNull(split, "split");
        this.outputSequenceLength = outputSequenceLength;
    }

    /** Characters as tokens, text kept as given, no size limit. */
    public static TextVectorization characters() {
        return new TextVectorization(null, 0, Standardize.NONE, Split.CHARACTER, 0);
    }

    /** Words as tokens, lower-cased without punctuation (Keras's defaults), at most {@code maxTokens}. */
    public static TextVectorization words(int maxTokens) {
        return new TextVectorization(null, maxTokens, Standardize.LOWER_AND_STRIP_PUNCTUATION, Split.WHITESPACE, 0);
    }

    // ---------------------------------------------------------------------------------------
    // Vocabulary.

    /** Learns the vocabulary from {@code text}; returns this layer. */
    public TextVectorization adapt(String text) {
        return adapt(List.of(text));
    }

    /** Learns the vocabulary from {@code texts}, replacing any earlier one; returns this layer. */
    public TextVectorization adapt(List<String> texts) {
        Map<String, Integer> counts = new HashMap<>();
        for (String t : texts) {
            for (String token : tokens(t)) {
                counts.merge(token, 1, Integer::sum);
            }
        }
        counts.remove(PADDING);
        counts.remove(OOV);
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        List<String> vocab = new ArrayList<>();
        vocab.add(PADDING);
        vocab.add(OOV);
        for (Map.Entry<String, Integer> e : sorted) {
            if (maxTokens > 0 && vocab.size() == maxTokens) {
                break;
            }
            vocab.add(e.getKey());
        }
        setVocabulary(vocab);
        return this;
    }

    /**
     * Sets the vocabulary: {@code ""} and {@code "[UNK]"} first, then distinct tokens (as
     * {@link #getVocabulary()} gives it); returns this layer.
     */
    public TextVectorization setVocabulary(List<String> vocab) {
        if (vocab.size() < 2 || !PADDING.equals(vocab.get(0)) || !OOV.equals(vocab.get(1))) {
            throw new IllegalArgumentException("TextVectorization: a vocabulary starts with \"\" and \"[UNK]\", got "
                    + (vocab.size() < 2 ? vocab : vocab.subList(0, 2)));
        }
        Map<String, Integer> idx = new HashMap<>();
        for (int i = 0; i < vocab.size(); i++) {
            if (idx.put(vocab.get(i), i) != null) {
                throw new IllegalArgumentException("TextVectorization: the vocabulary holds '" + vocab.get(i)
                        + "' twice");
            }
        }
        synchronized (this) {
            if (isBuilt() && vocab.size() != vocabulary.size()) {
                throw new IllegalStateException("TextVectorization '" + name() + "' is in use with a vocabulary of "
                        + vocabulary.size() + "; a new one must have the same size, got " + vocab.size());
            }
            this.vocabulary = List.copyOf(vocab);
            this.index = idx;
        }
        return this;
    }

    /** The vocabulary, padding and OOV first. */
    public List<String> getVocabulary() {
        return Collections.unmodifiableList(vocabulary);
    }

    /** The number of ids, padding and OOV included: the input size of the embedding that follows. */
    public int vocabularySize() {
        return vocabulary.size();
    }

    // ---------------------------------------------------------------------------------------
    // Text and ids.

    /** The tokens of {@code text} after standardization and splitting. */
    public List<String> tokens(String text) {
        String s = switch (standardize) {
            case LOWER_AND_STRIP_PUNCTUATION -> PUNCTUATION.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("");
            case LOWER -> text.toLowerCase(Locale.ROOT);
            case STRIP_PUNCTUATION -> PUNCTUATION.matcher(text).replaceAll("");
            case NONE -> text;
        };
        List<String> out = new ArrayList<>();
        if (split == Split.CHARACTER) {
            s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
        } else {
            for (String w : WHITESPACE.split(s.strip())) {
                if (!w.isEmpty()) {
                    out.add(w);
                }
            }
        }
        return out;
    }

    /** The ids of {@code text}'s tokens, a 1-D I32 tensor (1 for tokens not in the vocabulary). */
    public Tensor encode(String text) {
        requireVocabulary();
        List<String> t = tokens(text);
        int[] ids = new int[t.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = index.getOrDefault(t.get(i), 1);
        }
        return Tensor.of(ids, ids.length);
    }

    /**
     * The ids of several texts, {@code (texts, length)} I32, where length is
     * {@code outputSequenceLength} or else the longest text's; shorter texts are padded with 0,
     * longer ones cut.
     */
    public Tensor encode(List<String> texts) {
        List<int[]> rows = new ArrayList<>();
        int longest = 0;
        for (String text : texts) {
            int[] ids = encode(text).toIntArray();
            rows.add(ids);
            longest = Math.max(longest, ids.length);
        }
        int length = outputSequenceLength > 0 ? outputSequenceLength : longest;
        int[] out = new int[texts.size() * length];
        for (int r = 0; r < rows.size(); r++) {
            int[] ids = rows.get(r);
            System.arraycopy(ids, 0, out, r * length, Math.min(length, ids.length));
        }
        return Tensor.of(out, texts.size(), length);
    }

    /**
     * The text of {@code ids} (any shape, read in order): tokens joined (with a space between
     * words), padding skipped, out-of-vocabulary ids shown as {@code [UNK]}.
     */
    public String decode(Tensor ids) {
        requireVocabulary();
        List<String> vocab = vocabulary;
        StringBuilder sb = new StringBuilder();
        for (int id : (ids.dtype() == DType.I32 ? ids : ids.cast(DType.I32)).toIntArray()) {
            if (id < 0 || id >= vocab.size()) {
                throw new IllegalArgumentException("TextVectorization: id " + id + " is outside the vocabulary of "
                        + vocab.size());
            }
            if (id == 0) {
                continue;
            }
            if (split == Split.WHITESPACE && !sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(vocab.get(id));
        }
        return sb.toString();
    }

    private void requireVocabulary() {
        if (vocabulary.isEmpty()) {
            throw new IllegalStateException("TextVectorization '" + name()
                    + "' has no vocabulary yet: call adapt(texts) or setVocabulary(list) first");
        }
    }

    // ---------------------------------------------------------------------------------------
    // As a layer.

    @Override
    protected DType weightDType(DType inputDType) {
        return DType.F32;
    }

    @Override
    protected void build(Shape inputShape) {
        requireVocabulary();
    }

    @Override
    protected void checkInputShape(Shape builtFor, Shape given) {
        // Ids of any shape pass through.
    }

    /** Passes ids made by {@link #encode} through, checking they are in the vocabulary. */
    @Override
    protected Tensor forward(Tensor x, boolean training) {
        if (x.dtype() != DType.I32) {
            throw new IllegalArgumentException("TextVectorization '" + name() + "' takes the I32 ids encode() makes, got "
                    + x.dtype() + " " + x.shape());
        }
        int size = vocabulary.size();
        for (int id : x.toIntArray()) {
            if (id < 0 || id >= size) {
                throw new IllegalArgumentException("TextVectorization '" + name() + "': id " + id
                        + " is outside the vocabulary of " + size);
            }
        }
        return x;
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return inputShape;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("max_tokens", maxTokens == 0 ? null : maxTokens);
        c.put("standardize", standardize == Standardize.NONE ? null : standardize.name().toLowerCase(Locale.ROOT));
        c.put("split", split.name().toLowerCase(Locale.ROOT));
        c.put("output_mode", "int");
        c.put("output_sequence_length", outputSequenceLength == 0 ? null : outputSequenceLength);
        c.put("vocabulary", new ArrayList<Object>(vocabulary));
        return c;
    }

    static TextVectorization fromConfig(Map<String, Object> c) {
        Object std = c.get("standardize");
        Object mode = c.get("output_mode");
        if (mode != null && !"int".equals(mode)) {
            throw new IllegalArgumentException("TextVectorization: only output_mode \"int\" is supported, got " + mode);
        }
        TextVectorization t = new TextVectorization((String) c.get("name"),
                c.get("max_tokens") == null ? 0 : Configs.integer(c, "max_tokens"),
                !c.containsKey("standardize") ? Standardize.LOWER_AND_STRIP_PUNCTUATION
                        : std == null ? Standardize.NONE : Standardize.valueOf(((String) std).toUpperCase(Locale.ROOT)),
                Split.valueOf(((String) c.getOrDefault("split", "whitespace")).toUpperCase(Locale.ROOT)),
                c.get("output_sequence_length") == null ? 0 : Configs.integer(c, "output_sequence_length"));
        if (c.get("vocabulary") instanceof List<?> v && !v.isEmpty()) {
            List<String> vocab = new ArrayList<>();
            for (Object o : v) {
                vocab.add((String) o);
            }
            t.setVocabulary(vocab);
        }
        return t;
    }
}
