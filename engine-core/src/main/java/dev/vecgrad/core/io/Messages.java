package dev.vecgrad.core.io;

/**
 * Safe quoting of text taken from a file (a tensor name, a key, a class name) into an error
 * message: control characters, ANSI escapes, line and paragraph separators and bidirectional
 * controls become visible escapes ({@code \n}, {@code \u001b}), so a name cannot print a fake
 * line or recolour a terminal, and long text is cut, so a hostile file cannot make a message of
 * megabytes.
 *
 * <pre>{@code
 * Messages.quote("a\ntest_accuracy=0.99")   // a\ntest_accuracy=0.99 (a backslash and an n, one line)
 * }</pre>
 */
public final class Messages {
    /** The most characters of one quoted string kept in a message. */
    public static final int MAX_QUOTED = 120;
    /** The most characters of a whole message line {@link #line} keeps. */
    public static final int MAX_LINE = 2_000;

    private Messages() {
    }

    /** {@code text} escaped and cut to at most {@value #MAX_QUOTED} characters (plus a note of how many more there were). */
    public static String quote(String text) {
        return escape(text, MAX_QUOTED);
    }

    /**
     * A whole message made safe to print as one line: escaped as {@link #quote} does, and cut to
     * {@value #MAX_LINE} characters.
     */
    public static String line(String message) {
        return escape(message, MAX_LINE);
    }

    private static String escape(String text, int max) {
        if (text == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(Math.min(text.length(), max) + 16);
        int i = 0;
        for (; i < text.length() && sb.length() < max; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (unsafe(c)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        if (i < text.length()) {
            sb.append("...(").append(text.length() - i).append(" more characters)");
        }
        return sb.toString();
    }

    /** Control characters (C0, DEL, C1), line and paragraph separators, bidirectional and direction marks, BOM. */
    private static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e)
                || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0xfeff;
    }
}
