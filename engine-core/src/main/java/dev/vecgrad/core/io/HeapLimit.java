package dev.vecgrad.core.io;

import java.util.Locale;

/**
 * The check a reader makes before allocating what a file holds: a file whose tensors need more
 * memory than the Java heap can ever give is an error that names the file and the flag to raise,
 * not an {@link OutOfMemoryError} that a caller could blame on something else.
 *
 * <pre>{@code
 * HeapLimit.require(path.toString(), "the images", 4.0 * elements);
 * }</pre>
 */
public final class HeapLimit {
    private HeapLimit() {
    }

    /**
     * Fails when {@code bytes} (what {@code what} of {@code source} needs once loaded) is more
     * than the heap's limit, {@link Runtime#maxMemory()}.
     */
    public static void require(String source, String what, double bytes) throws TensorFileException {
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap) {
            throw new TensorFileException(source, null, -1, String.format(Locale.ROOT, "%s need %.0f bytes of memory,"
                    + " more than the Java heap's limit of %d bytes; raise it with -Xmx", what, bytes, heap));
        }
    }
}
