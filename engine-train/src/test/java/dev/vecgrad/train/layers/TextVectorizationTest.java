package dev.vecgrad.train.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.io.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextVectorizationTest {

    @Test
    void wordVocabularyIsOrderedByCountThenTokenAndCappedAtMaxTokens() {
        TextVectorization words = TextVectorization.words(5)
                .adapt(List.of("The cat, the DOG!", "a dog and the cat", "zebra"));
        // the ×3, cat ×2, dog ×2 (cat before dog), then a/and/zebra ×1: only "a" fits in 5.
        assertThat(words.getVocabulary()).containsExactly("", "[UNK]", "the", "cat", "dog");
        assertThat(words.encode("The zebra's dog").toIntArray()).containsExactly(2, 1, 4);
        Tensor batch = words.encode(List.of("the cat", "dog", ""));
        assertThat(batch.shape().toArray()).containsExactly(3, 2);
        assertThat(batch.toIntArray()).containsExactly(2, 3, 4, 0, 0, 0);
        assertThat(words.decode(batch.slice(0, 0, 1))).isEqualTo("the cat");
    }

    @Test
    void charactersKeepCaseWhitespaceAndPunctuation() {
        TextVectorization chars = TextVectorization.characters().adapt("aab\tB!");
        assertThat(chars.getVocabulary()).containsExactly("", "[UNK]", "a", "\t", "!", "B", "b");
        Tensor ids = chars.encode("Bad!\t");
        assertThat(ids.toIntArray()).containsExactly(5, 2, 1, 4, 3);
        assertThat(chars.decode(ids)).isEqualTo("Ba[UNK]!\t");
        assertThat(chars.tokens("é😀")).containsExactly("é", "😀");
    }

    @Test
    void fixedLengthBatchesArePaddedOrCut() {
        TextVectorization t = new TextVectorization(null, 0, TextVectorization.Standardize.LOWER,
                TextVectorization.Split.WHITESPACE, 3).adapt("x y z w");
        assertThat(t.encode(List.of("X", "x y z w")).toIntArray()).containsExactly(3, 0, 0, 3, 4, 5);   // w=2, x=3, y=4, z=5
    }

    @Test
    void theVocabularyTravelsInTheConfigThroughJson() {
        TextVectorization chars = TextVectorization.characters().adapt("line one\nline \"two\"\t\u00e9");
        Map<String, Object> config = chars.getConfig();
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) Json.parse(Json.write(config));
        TextVectorization copy = TextVectorization.fromConfig(back);
        assertThat(copy.getVocabulary()).isEqualTo(chars.getVocabulary());
        assertThat(copy.getConfig()).isEqualTo(config);
        assertThat(copy.encode("one\n").toIntArray()).containsExactly(chars.encode("one\n").toIntArray());
    }

    @Test
    void asALayerItChecksIdsAndPassesThemThrough() {
        TextVectorization chars = TextVectorization.characters().adapt("abc");
        Tensor ids = chars.encode("cab");
        assertThat(chars.call(ids)).isSameAs(ids);
        assertThatThrownBy(() -> chars.call(Tensor.of(new int[] {9}, 1))).hasMessageContaining("id 9 is outside");
        assertThatThrownBy(() -> chars.call(Tensor.zeros(2))).hasMessageContaining("takes the I32 ids");
        assertThatThrownBy(() -> TextVectorization.characters().encode("a")).hasMessageContaining("no vocabulary yet");
        assertThatThrownBy(() -> chars.setVocabulary(List.of("a", "b"))).hasMessageContaining("starts with");
        assertThatThrownBy(() -> chars.setVocabulary(List.of("", "[UNK]", "a", "a")))
                .hasMessageContaining("holds 'a' twice");
    }
}
