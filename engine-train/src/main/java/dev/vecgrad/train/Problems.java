package dev.vecgrad.train;

import java.util.ArrayList;
import java.util.List;

/**
 * The problems found in a file, for one error message: all are counted, the first
 * {@value #SHOWN} are kept and shown, so a file with a million bad entries still makes a short
 * message.
 */
final class Problems {
    /** How many problems a message lists. */
    static final int SHOWN = 10;

    private final List<String> shown = new ArrayList<>();
    private int count;

    /** Records one problem (already quoted where it holds text from the file). */
    void add(String problem) {
        if (shown.size() < SHOWN) {
            shown.add(problem);
        }
        count++;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** {@code "3 problems: a; b; c"}, with {@code "; and 7 more"} when some are not shown. */
    @Override
    public String toString() {
        String more = count > shown.size() ? "; and " + (count - shown.size()) + " more" : "";
        return count + (count == 1 ? " problem: " : " problems: ") + String.join("; ", shown) + more;
    }
}
