package dev.vecgrad.core.draw;

/** Text made safe to put inside SVG and HTML elements and attribute values. */
public final class Markup {
    private Markup() {
    }

    /**
     * {@code s} with the five characters XML and HTML reserve escaped, and control characters
     * other than tab, line feed and carriage return (which XML does not allow) dropped.
     */
    public static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
