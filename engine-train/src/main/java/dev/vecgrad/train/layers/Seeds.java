package dev.vecgrad.train.layers;

import dev.vecgrad.core.Rng;
import java.nio.charset.StandardCharsets;

/**
 * Derives independent, reproducible random streams from a seed and a name, so that a weight's
 * initial value depends only on the seed and the variable's name, never on the order in which
 * layers were built or on any global state.
 *
 * <pre>{@code
 * Rng rng = Seeds.rng(42, "dense/kernel");   // the same numbers every run
 * }</pre>
 */
public final class Seeds {
    /** The seed layers use when nobody gave them one. */
    public static final long DEFAULT_SEED = 1337L;

    private Seeds() {
    }

    /** A 64-bit seed mixed from {@code seed} and {@code key} (FNV-1a of the UTF-8 key, then a SplitMix64 finaliser). */
    public static long derive(long seed, String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(seed ^ mix(h));
    }

    /** A generator for {@code key} under {@code seed}. */
    public static Rng rng(long seed, String key) {
        return new Rng(derive(seed, key));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
