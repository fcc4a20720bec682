package dev.vecgrad.core.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A small, strict JSON (RFC 8259) reader and writer, for safetensors headers and model configs.
 *
 * <p>Values are plain Java objects: an object is a {@code Map<String, Object>} that keeps the
 * order of its keys, an array a {@code List<Object>} (both unmodifiable when parsed), a string a
 * {@code String}, a number a {@code Long} when written without fraction or exponent and a
 * {@code Double} otherwise, {@code true}/{@code false} a {@code Boolean}, and {@code null} Java's
 * null.
 *
 * <p>The reader is strict and bounded; each of these is a {@link JsonException} with the offset:
 * anything but whitespace after the value, trailing commas, comments, single quotes, unescaped
 * control characters in strings, unpaired surrogates in <code>&#92;u</code> escapes, duplicate keys,
 * leading zeros, {@code NaN}/{@code Infinity}, integers beyond a {@code long}, numbers beyond a
 * {@code double}'s range, nesting deeper than {@value #MAX_DEPTH} arrays and objects, and input
 * longer than {@value #MAX_LENGTH} characters (or the limit given). Nothing in the input decides
 * how much is allocated beyond the input's own length.
 *
 * <pre>{@code
 * Map<String, Object> cfg = Json.parseObject("{\"units\": 128, \"rate\": 0.5, \"name\": \"dense\"}");
 * long units = (Long) cfg.get("units");
 * String text = Json.write(Map.of("units", 128));          // {"units":128}
 * }</pre>
 */
public final class Json {
    /** The deepest nesting of arrays and objects the reader and writer accept. */
    public static final int MAX_DEPTH = 64;
    /** The longest input, in characters, {@link #parse(String)} accepts. */
    public static final int MAX_LENGTH = 100_000_000;

    private Json() {
    }

    /** Parses one JSON value from {@code text} (at most {@value #MAX_LENGTH} characters). */
    public static Object parse(String text) {
        return parse(text, MAX_LENGTH);
    }

    /** Parses one JSON value from {@code text}, which may be at most {@code maxLength} characters long. */
    public static Object parse(String text, int maxLength) {
        requireLength(text, maxLength);
        return new Reader(text).document();
    }

    /** Receives the members of an object one at a time. */
    @FunctionalInterface
    public interface MemberHandler<X extends Exception> {
        /** One member, its value parsed as {@link #parse} would. */
        void member(String key, Object value) throws X;
    }

    /**
     * Parses {@code text} (at most {@code maxLength} characters), which must hold one JSON object,
     * handing its members to {@code handler} one at a time instead of building the object: only
     * one member's value is in memory at once, so a reader that keeps a compact form of each (a
     * safetensors header's tensor entries) holds no tree of the whole text, and a member the
     * handler rejects stops the parse there. A member's value may hold at most
     * {@code maxValuesPerMember} JSON values (itself, and every element and member value nested in
     * it): the parse stops at the first one beyond, so what one member's tree costs is bounded
     * however long the text is. Duplicate keys are an error as in {@link #parse}.
     */
    public static <X extends Exception> void parseMembers(String text, int maxLength, int maxValuesPerMember,
            MemberHandler<X> handler) throws X {
        requireLength(text, maxLength);
        if (maxValuesPerMember < 1) {
            throw new IllegalArgumentException("maxValuesPerMember must be positive, got " + maxValuesPerMember);
        }
        new Reader(text).memberDocument(maxValuesPerMember, handler);
    }

    private static void requireLength(String text, int maxLength) {
        if (text.length() > maxLength) {
            throw new JsonException(maxLength, "input of " + text.length() + " characters is longer than the limit of "
                    + maxLength);
        }
    }

    /** Parses {@code text}, which must hold a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new JsonException(0, "expected an object at the top level, got " + typeName(v));
        }
        return (Map<String, Object>) v;
    }

    /** The JSON type name of a parsed value ({@code object}, {@code array}, {@code string}, ...), for messages. */
    public static String typeName(Object v) {
        return switch (v) {
            case null -> "null";
            case Map<?, ?> m -> "object";
            case List<?> l -> "array";
            case String s -> "string";
            case Boolean b -> "boolean";
            case Long l -> "integer";
            case Number n -> "number";
            default -> v.getClass().getSimpleName();
        };
    }

    /**
     * Compact JSON text for {@code value}: a {@code Map} with {@code String} keys, a {@code List},
     * a {@code String}, a {@code Boolean}, null, or a number ({@code Integer}, {@code Long},
     * {@code Short}, {@code Byte}, or a finite {@code Float} or {@code Double}). Anything else, a
     * non-finite number, a string with an unpaired surrogate, or nesting deeper than
     * {@value #MAX_DEPTH} (a map that contains itself, say) is an {@link IllegalArgumentException}.
     * A {@code Float} is written with its shortest decimal form ({@code 0.1f} as {@code 0.1}).
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        new Writer(sb, null).value(value, 0);
        return sb.toString();
    }

    /** As {@link #write}, indented by two spaces a level, one member or element a line. */
    public static String writePretty(Object value) {
        StringBuilder sb = new StringBuilder();
        new Writer(sb, "  ").value(value, 0);
        return sb.toString();
    }

    /** A recursive-descent reader over one text; recursion is bounded by {@link #MAX_DEPTH}. */
    private static final class Reader {
        private final String s;
        private int pos;
        /** How many more values the member being read may hold ({@link #memberDocument}); unbounded otherwise. */
        private long valuesLeft = Long.MAX_VALUE;
        private int valueLimit;
        private String memberKey;

        Reader(String s) {
            this.s = s;
        }

        Object document() {
            skipWhitespace();
            Object v = value(0);
            skipWhitespace();
            if (pos < s.length()) {
                throw error("unexpected " + describeChar(pos) + " after the end of the value");
            }
            return v;
        }

        private Object value(int depth) {
            if (pos >= s.length()) {
                throw error("unexpected end of input, expected a value");
            }
            if (--valuesLeft < 0) {
                throw error("the value of \"" + Messages.quote(memberKey) + "\" holds more than " + valueLimit
                        + " JSON values, the limit for one member");
            }
            char c = s.charAt(pos);
            return switch (c) {
                case '{' -> object(depth + 1);
                case '[' -> array(depth + 1);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw error("unexpected " + describeChar(pos) + ", expected a value");
                }
            };
        }

        private Map<String, Object> object(int depth) {
            LinkedHashMap<String, Object> map = new LinkedHashMap<>();
            members(depth, key -> !map.containsKey(key), map::put, 0);
            return Collections.unmodifiableMap(map);
        }

        /**
         * Reads an object's members, handing each to {@code handler} as it is read; a key for
         * which {@code isNew} is false is a duplicate.
         */
        <X extends Exception> void members(int depth, Predicate<String> isNew, MemberHandler<X> handler,
                int valuesPerMember) throws X {
            checkDepth(depth);
            pos++;
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return;
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw error(pos >= s.length() ? "unexpected end of input, expected a key"
                            : "expected a string key, got " + describeChar(pos));
                }
                int keyStart = pos;
                String key = string();
                if (!isNew.test(key)) {
                    pos = keyStart;
                    throw error("duplicate key \"" + Messages.quote(key) + "\"");
                }
                skipWhitespace();
                expect(':');
                skipWhitespace();
                if (valuesPerMember > 0) {
                    valuesLeft = valuesPerMember;
                    memberKey = key;
                }
                handler.member(key, value(depth));
                skipWhitespace();
                char c = peek();
                pos++;
                if (c == '}') {
                    return;
                }
                if (c != ',') {
                    pos--;
                    throw error(pos >= s.length() ? "unexpected end of input in an object"
                            : "expected ',' or '}' in an object, got " + describeChar(pos));
                }
            }
        }

        /**
         * The whole text as one object whose members go to {@code handler} one by one, each value
         * holding at most {@code valuesPerMember} values.
         */
        <X extends Exception> void memberDocument(int valuesPerMember, MemberHandler<X> handler) throws X {
            valueLimit = valuesPerMember;
            skipWhitespace();
            if (peek() != '{') {
                throw error("expected an object at the top level, got " + describeChar(pos));
            }
            Set<String> seen = new HashSet<>();
            members(1, seen::add, handler, valuesPerMember);
            skipWhitespace();
            if (pos < s.length()) {
                throw error("unexpected " + describeChar(pos) + " after the end of the value");
            }
        }

        private List<Object> array(int depth) {
            checkDepth(depth);
            pos++;
            ArrayList<Object> list = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return Collections.unmodifiableList(list);
            }
            while (true) {
                skipWhitespace();
                list.add(value(depth));
                skipWhitespace();
                char c = peek();
                pos++;
                if (c == ']') {
                    return Collections.unmodifiableList(list);
                }
                if (c != ',') {
                    pos--;
                    throw error(pos >= s.length() ? "unexpected end of input in an array"
                            : "expected ',' or ']' in an array, got " + describeChar(pos));
                }
            }
        }

        private void checkDepth(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nesting deeper than the limit of " + MAX_DEPTH);
            }
        }

        private String string() {
            pos++; // opening quote
            StringBuilder sb = null;
            int runStart = pos;
            while (true) {
                if (pos >= s.length()) {
                    throw error("unexpected end of input in a string");
                }
                char c = s.charAt(pos);
                if (c == '"') {
                    String result = sb == null ? s.substring(runStart, pos) : sb.append(s, runStart, pos).toString();
                    pos++;
                    return result;
                }
                if (c < 0x20) {
                    throw error("unescaped control character " + describeChar(pos) + " in a string");
                }
                if (Character.isSurrogate(c)) {
                    checkRawSurrogate();
                    pos += 2;
                    continue;
                }
                if (c != '\\') {
                    pos++;
                    continue;
                }
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(s, runStart, pos);
                escape(sb);
                runStart = pos;
            }
        }

        /** A raw surrogate in the text must be a high one followed by a low one. */
        private void checkRawSurrogate() {
            char c = s.charAt(pos);
            if (!Character.isHighSurrogate(c) || pos + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(pos + 1))) {
                throw error("unpaired surrogate " + describeChar(pos) + " in a string");
            }
        }

        private void escape(StringBuilder sb) {
            int start = pos;
            pos++; // backslash
            if (pos >= s.length()) {
                throw error("unexpected end of input in an escape");
            }
            char e = s.charAt(pos++);
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    char u = hex4();
                    if (Character.isHighSurrogate(u)) {
                        if (pos + 1 < s.length() && s.charAt(pos) == '\\' && s.charAt(pos + 1) == 'u') {
                            pos += 2;
                            char low = hex4();
                            if (!Character.isLowSurrogate(low)) {
                                pos = start;
                                throw error("high surrogate escape not followed by a low surrogate escape");
                            }
                            sb.append(u).append(low);
                        } else {
                            pos = start;
                            throw error("high surrogate escape not followed by a low surrogate escape");
                        }
                    } else if (Character.isLowSurrogate(u)) {
                        pos = start;
                        throw error("low surrogate escape without a high surrogate before it");
                    } else {
                        sb.append(u);
                    }
                }
                default -> {
                    pos = start;
                    throw error("invalid escape \\" + (e < 0x20 || e > 0x7e ? String.format("\\u%04x", (int) e) : e));
                }
            }
        }

        private char hex4() {
            if (pos + 4 > s.length()) {
                throw error("unexpected end of input in a \\u escape");
            }
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = Character.digit(s.charAt(pos), 16);
                if (d < 0 || s.charAt(pos) > 'f') {
                    throw error("expected a hexadecimal digit in a \\u escape, got " + describeChar(pos));
                }
                v = v * 16 + d;
                pos++;
            }
            return (char) v;
        }

        private Object number() {
            int start = pos;
            boolean integral = true;
            if (s.charAt(pos) == '-') {
                pos++;
            }
            if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                throw error("expected a digit in a number");
            }
            if (s.charAt(pos) == '0') {
                pos++;
                if (pos < s.length() && isDigit(s.charAt(pos))) {
                    throw error("leading zero in a number");
                }
            } else {
                digits();
            }
            if (pos < s.length() && s.charAt(pos) == '.') {
                integral = false;
                pos++;
                if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                    throw error("expected a digit after the decimal point");
                }
                digits();
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                integral = false;
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                    pos++;
                }
                if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                    throw error("expected a digit in the exponent");
                }
                digits();
            }
            String text = s.substring(start, pos);
            if (integral) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException e) {
                    pos = start;
                    throw error("integer " + abbreviate(text) + " is out of the range of a 64-bit long");
                }
            }
            double d = Double.parseDouble(text);
            if (Double.isInfinite(d)) {
                pos = start;
                throw error("number " + abbreviate(text) + " is out of the range of a double");
            }
            return d;
        }

        private void digits() {
            while (pos < s.length() && isDigit(s.charAt(pos))) {
                pos++;
            }
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, pos)) {
                throw error("unexpected " + describeChar(pos) + ", expected a value");
            }
            pos += word.length();
            return value;
        }

        private void expect(char c) {
            if (pos >= s.length()) {
                throw error("unexpected end of input, expected '" + c + "'");
            }
            if (s.charAt(pos) != c) {
                throw error("expected '" + c + "', got " + describeChar(pos));
            }
            pos++;
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private void skipWhitespace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        private String describeChar(int at) {
            if (at >= s.length()) {
                return "end of input";
            }
            char c = s.charAt(at);
            return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
        }

        private static String abbreviate(String text) {
            return text.length() <= 40 ? text : text.substring(0, 37) + "...";
        }

        private JsonException error(String problem) {
            return new JsonException(pos, problem);
        }
    }

    /** Writes values compactly ({@code indent == null}) or pretty-printed. */
    private static final class Writer {
        private final StringBuilder out;
        private final String indent;

        Writer(StringBuilder out, String indent) {
            this.out = out;
            this.indent = indent;
        }

        void value(Object v, int depth) {
            switch (v) {
                case null -> out.append("null");
                case String str -> string(str);
                case Boolean b -> out.append(b.booleanValue());
                case Long l -> out.append(l.longValue());
                case Integer i -> out.append(i.intValue());
                case Short sh -> out.append(sh.shortValue());
                case Byte by -> out.append(by.byteValue());
                case Double d -> out.append(requireFinite(d, Double.isFinite(d)));
                case Float f -> out.append(requireFinite(f, Float.isFinite(f)));
                case Map<?, ?> m -> object(m, depth + 1);
                case List<?> l -> array(l, depth + 1);
                default -> throw new IllegalArgumentException(
                        "Json.write: cannot write a " + v.getClass().getName() + " (" + v + ")");
            }
        }

        /** The number's shortest decimal text ({@code Double.toString} form, valid JSON), if it is finite. */
        private static String requireFinite(Number n, boolean isFinite) {
            if (!isFinite) {
                throw new IllegalArgumentException("Json.write: JSON has no " + n);
            }
            return n.toString();
        }

        private void checkDepth(int depth) {
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException("Json.write: nesting deeper than the limit of " + MAX_DEPTH
                        + " (does a map or list contain itself?)");
            }
        }

        private void object(Map<?, ?> m, int depth) {
            checkDepth(depth);
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("Json.write: object keys must be strings, got " + e.getKey());
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                newline(depth);
                string(key);
                out.append(indent == null ? ":" : ": ");
                value(e.getValue(), depth);
            }
            if (!first) {
                newline(depth - 1);
            }
            out.append('}');
        }

        private void array(List<?> l, int depth) {
            checkDepth(depth);
            out.append('[');
            boolean first = true;
            for (Object o : l) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                newline(depth);
                value(o, depth);
            }
            if (!first) {
                newline(depth - 1);
            }
            out.append(']');
        }

        private void newline(int depth) {
            if (indent != null) {
                out.append('\n').append(indent.repeat(depth));
            }
        }

        private void string(String str) {
            out.append('"');
            for (int i = 0; i < str.length(); i++) {
                char c = str.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else if (Character.isHighSurrogate(c) && i + 1 < str.length()
                                && Character.isLowSurrogate(str.charAt(i + 1))) {
                            out.append(c).append(str.charAt(++i));
                        } else if (Character.isSurrogate(c)) {
                            throw new IllegalArgumentException("Json.write: unpaired surrogate "
                                    + String.format("U+%04X", (int) c) + " at index " + i + " of a string");
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
    }
}
