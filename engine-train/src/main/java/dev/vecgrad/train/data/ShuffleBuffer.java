package dev.vecgrad.train.data;

import dev.vecgrad.core.Rng;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * tf.data's shuffle buffer: fill a buffer, then repeatedly emit a random element of it and refill
 * its place from the input. A buffer as large as the input gives a uniform permutation; a smaller
 * one only mixes elements that are near each other.
 */
final class ShuffleBuffer {
    private ShuffleBuffer() {
    }

    /** The values of {@code in}, in the order a buffer of {@code bufferSize} produces. */
    static int[] shuffle(int[] in, int bufferSize, Rng rng) {
        int[] out = new int[in.length];
        int[] buf = new int[Math.min(bufferSize, in.length)];
        int filled = 0;
        int next = 0;
        while (filled < buf.length) {
            buf[filled++] = in[next++];
        }
        for (int o = 0; o < out.length; o++) {
            int k = rng.nextInt(filled);
            out[o] = buf[k];
            if (next < in.length) {
                buf[k] = in[next++];
            } else {
                buf[k] = buf[--filled];
            }
        }
        return out;
    }

    /** The elements of {@code in}, lazily, in the order a buffer of {@code bufferSize} produces. */
    static <T> Iterator<T> shuffle(Iterator<T> in, int bufferSize, Rng rng) {
        return new Iterator<>() {
            private final List<T> buf = new ArrayList<>();

            @Override
            public boolean hasNext() {
                fill();
                return !buf.isEmpty();
            }

            @Override
            public T next() {
                fill();
                if (buf.isEmpty()) {
                    throw new NoSuchElementException("dataset pass exhausted");
                }
                int k = rng.nextInt(buf.size());
                T v = buf.get(k);
                T last = buf.remove(buf.size() - 1);
                if (k < buf.size()) {
                    buf.set(k, last);
                }
                return v;
            }

            private void fill() {
                while (buf.size() < bufferSize && in.hasNext()) {
                    buf.add(in.next());
                }
            }
        };
    }
}
