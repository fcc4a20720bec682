package dev.vecgrad.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesEveryKindOfValue() {
        Object v = Json.parse(" {\"a\": [1, -2, 3.5, -0.25e2, 1E3, true, false, null], \"b\": {}, \"c\": [], \"d\": \"x\"} ");
        assertThat(v).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        assertThat(m.keySet()).containsExactly("a", "b", "c", "d");
        assertThat(m.get("a")).isEqualTo(java.util.Arrays.asList(1L, -2L, 3.5, -25.0, 1000.0, true, false, null));
        assertThat(m.get("b")).isEqualTo(Map.of());
        assertThat(m.get("c")).isEqualTo(List.of());
        assertThat(m.get("d")).isEqualTo("x");
    }

    @Test
    void keepsInsertionOrderOfKeys() {
        Map<String, Object> m = Json.parseObject("{\"z\":1,\"a\":2,\"m\":3,\"b\":4}");
        assertThat(m.keySet()).containsExactly("z", "a", "m", "b");
    }

    @Test
    void integersAreLongsAtTheirLimitsAndOtherNumbersDoubles() {
        assertThat(Json.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(Json.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(Json.parse("-0")).isEqualTo(0L);
        assertThat(Json.parse("0.1")).isEqualTo(0.1);
        assertThat(Json.parse("1.7976931348623157e308")).isEqualTo(Double.MAX_VALUE);
        assertThat(Json.parse("4.9e-324")).isEqualTo(Double.MIN_VALUE);
        assertThat(Json.parse("1e-400")).isEqualTo(0.0);
    }

    @Test
    void decodesEscapesAndSurrogatePairs() {
        assertThat(Json.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041\\u00e9\\u2713\"")).isEqualTo("\" \\ / \b \f \n \r \t A\u00e9\u2713");
        assertThat(Json.parse("\"\\ud83d\\ude00\"")).isEqualTo("\uD83D\uDE00"); // U+1F600 as a pair of escapes
        assertThat(Json.parse("\"\\uD83D\\uDE00\"")).isEqualTo(new String(Character.toChars(0x1F600)));
        assertThat(Json.parse("\"caf\u00e9 \uD83D\uDE00\"")).isEqualTo("caf\u00e9 \uD83D\uDE00"); // raw, unescaped
    }

    @Test
    void rejectsBadInputWithTheOffset() {
        assertError("[1, 2] x", 7, "after the end of the value");
        assertError("[1, 2,]", 6, "expected a value");
        assertError("{\"a\": 1,}", 8, "expected a string key");
        assertError("{\"a\": 1, \"a\": 2}", 9, "duplicate key \"a\"");
        assertError("\"a\u0001b\"", 2, "unescaped control character");
        assertError("\"tab\there\"", 4, "unescaped control character");
        assertError("\"\\ud83d\"", 1, "high surrogate");
        assertError("\"\\ud83d\\u0041\"", 1, "high surrogate");
        assertError("\"\\ude00\"", 1, "low surrogate escape without a high");
        assertError("\"\uDE00\"", 1, "unpaired surrogate");
        assertError("\"\\x\"", 1, "invalid escape");
        assertError("\"\\u12g4\"", 5, "hexadecimal digit");
        assertError("\"abc", 4, "end of input in a string");
        assertError("01", 1, "leading zero");
        assertError("1.", 2, "digit after the decimal point");
        assertError(".5", 0, "expected a value");
        assertError("1e", 2, "exponent");
        assertError("-", 1, "digit");
        assertError("+1", 0, "expected a value");
        assertError("NaN", 0, "expected a value");
        assertError("Infinity", 0, "expected a value");
        assertError("1e400", 0, "out of the range of a double");
        assertError("9223372036854775808", 0, "out of the range of a 64-bit long");
        assertError("tru", 0, "expected a value");
        assertError("{'a': 1}", 1, "expected a string key");
        assertError("[1 2]", 3, "expected ',' or ']'");
        assertError("{\"a\" 1}", 5, "expected ':'");
        assertError("", 0, "end of input");
        assertError("   ", 3, "end of input");
        assertError("// c\n1", 0, "expected a value");
        assertError("[1]\u00a0", 3, "after the end"); // a non-breaking space is not JSON whitespace
    }

    @Test
    void limitsNestingDepth() {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        Object v = Json.parse(ok);
        for (int i = 1; i < Json.MAX_DEPTH; i++) {
            v = ((List<?>) v).getFirst();
        }
        assertThat((List<?>) v).isEmpty();
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        assertError(deep, Json.MAX_DEPTH, "nesting deeper than the limit of 64");
        String deepObjects = "{\"a\":".repeat(Json.MAX_DEPTH + 1) + "1" + "}".repeat(Json.MAX_DEPTH + 1);
        assertError(deepObjects, 5 * Json.MAX_DEPTH, "nesting deeper");
        // A very deep document is rejected at the limit, not by a StackOverflowError.
        assertError("[".repeat(1_000_000), Json.MAX_DEPTH, "nesting deeper");
    }

    @Test
    void limitsInputLength() {
        assertThat(Json.parse("[1,2]", 5)).isEqualTo(List.of(1L, 2L));
        assertThatThrownBy(() -> Json.parse("[1, 2]", 5)).isInstanceOf(JsonException.class)
                .hasMessageContaining("input of 6 characters is longer than the limit of 5");
    }

    @Test
    void membersComeOneByOneEachHoldingAtMostTheGivenNumberOfValues() {
        List<String> seen = new ArrayList<>();
        // "a": 1 value; "b": the list, its two elements and the object inside = 4 values.
        Json.parseMembers("{\"a\": 1, \"b\": [2, {\"c\": 3}]}", 100, 4, (k, v) -> seen.add(k + "=" + v));
        assertThat(seen).containsExactly("a=1", "b=[2, {c=3}]");
        // One value more than the limit stops the parse at it, before the member reaches the handler.
        List<String> before = new ArrayList<>();
        assertThatThrownBy(() -> Json.parseMembers("{\"a\": 1, \"b\": [2, {\"c\": 3}, 4]}", 100, 4,
                (k, v) -> before.add(k))).isInstanceOfSatisfying(JsonException.class, e -> {
                    assertThat(e.offset()).isEqualTo(28);
                    assertThat(e.getMessage()).contains("the value of \"b\" holds more than 4 JSON values");
                });
        assertThat(before).containsExactly("a");
        // The limit is per member, and the top-level object itself does not count.
        Json.parseMembers("{\"a\": [1, 2, 3], \"b\": [4, 5, 6]}", 100, 4, (k, v) -> { });
        assertThatThrownBy(() -> Json.parseMembers("{\"a\": 1, \"a\": 2}", 100, 4, (k, v) -> { }))
                .hasMessageContaining("duplicate key \"a\"");
        assertThatThrownBy(() -> Json.parseMembers("{}", 100, 0, (k, v) -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parseObjectRequiresAnObject() {
        assertThatThrownBy(() -> Json.parseObject("[1]")).isInstanceOf(JsonException.class)
                .hasMessageContaining("expected an object at the top level, got array");
    }

    @Test
    void parsedValuesAreUnmodifiable() {
        Map<String, Object> m = Json.parseObject("{\"a\": [1]}");
        assertThatThrownBy(() -> m.put("b", 1)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> a = (List<Object>) m.get("a");
        assertThatThrownBy(() -> a.add(2)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void writesCompactAndPrettyText() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "dense \"1\"\n");
        m.put("units", 128);
        m.put("rate", 0.5);
        m.put("f", 0.1f);
        m.put("flags", List.of(true, false));
        m.put("none", null);
        m.put("empty", Map.of());
        m.put("big", Long.MIN_VALUE);
        assertThat(Json.write(m)).isEqualTo("{\"name\":\"dense \\\"1\\\"\\n\",\"units\":128,\"rate\":0.5,\"f\":0.1,"
                + "\"flags\":[true,false],\"none\":null,\"empty\":{},\"big\":-9223372036854775808}");
        assertThat(Json.writePretty(Map.of("a", List.of(1, 2)))).isEqualTo("{\n  \"a\": [\n    1,\n    2\n  ]\n}");
        assertThat(Json.write("\u0001\u001f\u007f\u00e9\uD83D\uDE00\\")).isEqualTo("\"\\u0001\\u001f\u007f\u00e9\uD83D\uDE00\\\\\"");
    }

    @Test
    void writerRejectsWhatJsonCannotHold() {
        assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> Json.write(Float.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Infinity");
        assertThatThrownBy(() -> Json.write("\uD800")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unpaired surrogate");
        assertThatThrownBy(() -> Json.write(Map.of(1, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keys must be strings");
        assertThatThrownBy(() -> Json.write(new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot write a java.lang.Object");
        List<Object> self = new ArrayList<>();
        self.add(self);
        assertThatThrownBy(() -> Json.write(self)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nesting deeper");
    }

    @Test
    void writeThenParseGivesTheSameValue() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "\u0000\t\"\\/\uD83D\uDE00\u2028");
        m.put("numbers", List.of(0L, -1L, Long.MAX_VALUE, 1.5e-300, -2.0, 3.0e100, Double.MIN_VALUE));
        m.put("nested", Map.of("k", List.of(Map.of(), List.of())));
        assertThat(Json.parse(Json.write(m))).isEqualTo(m);
        assertThat(Json.parse(Json.writePretty(m))).isEqualTo(m);
    }

    private static void assertError(String text, int offset, String problem) {
        assertThatThrownBy(() -> Json.parse(text)).as(text.length() > 40 ? text.substring(0, 40) : text)
                .isInstanceOfSatisfying(JsonException.class, e -> {
                    assertThat(e.offset()).as("offset in " + e.getMessage()).isEqualTo(offset);
                    assertThat(e.getMessage()).contains(problem).contains("at character " + offset);
                });
    }
}
