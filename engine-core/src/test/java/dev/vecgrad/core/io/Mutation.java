package dev.vecgrad.core.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * One edit of a valid file, for the hostile-input properties: a flipped bit, a special byte, a
 * truncation, inserted or deleted bytes, a huge or negative integer written over a length field,
 * a copied chunk, or a token (a huge number, a foreign dtype, deep nesting) put in place of or
 * beside a number or string of a text header. Edits of a text header can keep the format's
 * header-length field consistent ({@link Format}) so that the validation behind it is reached.
 */
record Mutation(Kind kind, int position, int value, int choice) {
    enum Kind { FLIP, SET, TRUNCATE, INSERT, DELETE, INT32, INT64, COPY, REPLACE_TOKEN, INSERT_TOKEN, SEMANTIC }

    /** The kinds, weighted towards edits that keep a file plausible enough to reach the deeper checks. */
    private static final List<Kind> WEIGHTED = List.of(Kind.FLIP, Kind.FLIP, Kind.SET, Kind.TRUNCATE, Kind.INSERT,
            Kind.DELETE, Kind.INT32, Kind.INT64, Kind.COPY, Kind.REPLACE_TOKEN, Kind.REPLACE_TOKEN, Kind.REPLACE_TOKEN,
            Kind.INSERT_TOKEN, Kind.SEMANTIC, Kind.SEMANTIC, Kind.SEMANTIC, Kind.SEMANTIC);

    private static final int[] SPECIAL_BYTES = {0, 0xff, 0x7f, 0x80, '{', '}', '[', ']', '"', '\'', ',', ':', '9', '\\', ' ', '\n'};
    private static final long[] SPECIAL_INTS = {0, 1, -1, 2, 7, 8, 255, 0x7fff, 0xffff, Integer.MAX_VALUE, 0x80000000L,
        0xffffffffL, 1L << 32, Long.MAX_VALUE, Long.MIN_VALUE, 100_000_000, 100_000_001, 1 << 20, (1 << 20) + 1};
    static final List<String> TOKENS = List.of(
            "0", "1", "-1", "2147483647", "2147483648", "4294967296", "9223372036854775807", "9223372036854775808",
            "99999999999999999999999", "1e400", "1.5", "-0", "01", "1e9",
            "\"F16\"", "\"BF16\"", "\"F64\"", "\"I32\"", "\"I64\"", "\"U32\"", "\"U8\"", "\"BOOL\"", "\"C64\"", "\"X\"",
            "\"\"", "\"__metadata__\"", "'<f8'", "'>i4'", "'|O'", "'<c8'", "'|u1'", "'<i8'", "'>f2'", "True", "False",
            "null", "true", "{}", "[]", "[0,0]", "[1,2,3]", "[4294967296,4294967296]", "()", "(1,)", "(0,)",
            "(2147483647, 2147483647)", "[".repeat(70), "{\"a\":".repeat(70), "]".repeat(5), "\"\\ud800\"",
            "\"\\u00\"", "\"\u00e9\"", ",", ",,", ":", "\u0001", "\"data_offsets\"", "\"shape\"", "\"dtype\"",
            "'shape'", "'descr'", "'fortran_order'");

    /** What a mutation may know about a format: where its header length is, and edits that understand its header. */
    interface Format {
        /** Rewrites the header length in {@code b} for an edit at {@code at} that changed the size by {@code delta}. */
        default void adjustLength(byte[] b, int at, int delta) {
        }

        /** An edit of the header's meaning (a shape, a dtype, an offset), or {@code b} unchanged. */
        default byte[] semantic(byte[] b, int value, int choice) {
            return b;
        }
    }

    /** No format knowledge: byte edits only. */
    static final Format RAW = new Format() { };

    static Arbitrary<Mutation> arbitrary() {
        return Combinators.combine(Arbitraries.of(WEIGHTED), Arbitraries.integers().between(0, 1 << 20),
                Arbitraries.integers(), Arbitraries.integers().between(0, 1 << 16)).as(Mutation::new);
    }

    static Arbitrary<List<Mutation>> lists() {
        return arbitrary().list().ofMinSize(1).ofMaxSize(3);
    }

    /** Applies the edits in order to a copy of {@code base}. */
    static byte[] apply(byte[] base, List<Mutation> edits, Format field) {
        byte[] b = base.clone();
        for (Mutation m : edits) {
            b = m.apply(b, field);
        }
        return b;
    }

    byte[] apply(byte[] b, Format field) {
        int n = b.length;
        int at = n == 0 ? 0 : position % n;
        switch (kind) {
            case FLIP -> {
                if (n > 0) {
                    b[at] ^= (byte) (1 << (value & 7));
                }
                return b;
            }
            case SET -> {
                if (n > 0) {
                    b[at] = (byte) ((choice & 1) == 0 ? SPECIAL_BYTES[Math.floorMod(value, SPECIAL_BYTES.length)] : value);
                }
                return b;
            }
            case TRUNCATE -> {
                return Arrays.copyOf(b, n == 0 ? 0 : position % (n + 1));
            }
            case INSERT -> {
                byte[] extra = new byte[1 + (choice & 15)];
                Arrays.fill(extra, (byte) value);
                byte[] out = splice(b, at, 0, extra);
                if ((choice & 16) == 0) {
                    field.adjustLength(out, at, extra.length);
                }
                return out;
            }
            case DELETE -> {
                int len = Math.min(n - at, 1 + (choice & 15));
                byte[] out = splice(b, at, len, new byte[0]);
                if ((choice & 16) == 0) {
                    field.adjustLength(out, at, -len);
                }
                return out;
            }
            case SEMANTIC -> {
                return field.semantic(b, value, choice);
            }
            case INT32, INT64 -> {
                int width = kind == Kind.INT32 ? 4 : 8;
                if (n < width) {
                    return b;
                }
                int p = Math.min(at, n - width);
                long v = (choice & 1) == 0 ? SPECIAL_INTS[Math.floorMod(value, SPECIAL_INTS.length)] : (long) value * (choice >> 1);
                ByteBuffer bb = ByteBuffer.wrap(b).order((choice & 2) == 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
                if (width == 4) {
                    bb.putInt(p, (int) v);
                } else {
                    bb.putLong(p, v);
                }
                return b;
            }
            case COPY -> {
                if (n > 1) {
                    int from = Math.floorMod(value, n);
                    int len = Math.min(1 + (choice & 63), Math.min(n - from, n - at));
                    System.arraycopy(b, from, b, at, len);
                }
                return b;
            }
            case REPLACE_TOKEN, INSERT_TOKEN -> {
                byte[] token = TOKENS.get(Math.floorMod(value, TOKENS.size())).getBytes(StandardCharsets.UTF_8);
                int start = at;
                int len = 0;
                if (kind == Kind.REPLACE_TOKEN) {
                    int[] span = nextToken(b, at);
                    if (span == null) {
                        return b;
                    }
                    start = span[0];
                    len = span[1];
                }
                byte[] out = splice(b, start, len, token);
                if ((choice & 1) == 0) {
                    field.adjustLength(out, start, token.length - len);
                }
                return out;
            }
        }
        throw new AssertionError(kind);
    }

    /** The next run of digits or quoted string at or after {@code from}: {start, length}, or null. */
    private static int[] nextToken(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] >= '0' && b[i] <= '9') {
                int j = i;
                while (j < b.length && b[j] >= '0' && b[j] <= '9') {
                    j++;
                }
                return new int[] {i, j - i};
            }
            if (b[i] == '"' || b[i] == '\'') {
                int j = i + 1;
                while (j < b.length && b[j] != b[i]) {
                    j++;
                }
                if (j < b.length) {
                    return new int[] {i, j - i + 1};
                }
            }
        }
        return null;
    }

    static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }
}
