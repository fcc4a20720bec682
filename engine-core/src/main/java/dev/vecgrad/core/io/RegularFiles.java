package dev.vecgrad.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Opening files that a reader is about to trust with its memory and time: only regular files
 * (a FIFO would block the open forever, and a device such as {@code /dev/zero} reports a size of 0
 * but never ends), and never more bytes than a limit, whatever the file's size says.
 *
 * <pre>{@code
 * byte[] config = RegularFiles.read(dir.resolve("config.json"), 16 << 20);   // refuses a FIFO, a device, a bigger file
 * }</pre>
 */
public final class RegularFiles {
    private RegularFiles() {
    }

    /**
     * Fails unless {@code path} (after following symbolic links) is a regular file.
     *
     * @throws java.nio.file.NoSuchFileException when there is nothing at {@code path}
     * @throws TensorFileException when it is a directory, a FIFO, a device or a socket
     */
    public static void require(Path path) throws IOException {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
        if (!a.isRegularFile()) {
            String kind = a.isDirectory() ? "a directory" : a.isOther() ? "a device, FIFO or socket" : "not a file";
            throw new TensorFileException(path.toString(), null, -1, "is " + kind + ", not a regular file");
        }
    }

    /** Opens the regular file {@code path} for reading, as {@link #require} checks it. */
    public static FileChannel open(Path path) throws IOException {
        require(path);
        return FileChannel.open(path, StandardOpenOption.READ);
    }

    /** Opens the regular file {@code path} as a stream, as {@link #require} checks it. */
    public static InputStream newInputStream(Path path) throws IOException {
        require(path);
        return Files.newInputStream(path);
    }

    /**
     * The whole content of the regular file {@code path}, which may hold at most {@code maxBytes}
     * bytes. The limit is enforced on the bytes actually read, not on the size the file system
     * reports, and no buffer larger than the bytes read so far (plus one chunk) is allocated.
     *
     * @throws TensorFileException when it is not a regular file or holds more than {@code maxBytes}
     */
    public static byte[] read(Path path, int maxBytes) throws IOException {
        try (SeekableByteChannel ch = open(path)) {
            long size = ch.size();
            if (size > maxBytes) {
                throw tooLarge(path, maxBytes);
            }
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(maxBytes + 1L, Math.max(size + 1, 4096)));
            while (true) {
                if (!buf.hasRemaining()) {
                    if (buf.capacity() > maxBytes) {
                        throw tooLarge(path, maxBytes);
                    }
                    ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(maxBytes + 1L, 2L * buf.capacity()));
                    bigger.put(buf.flip());
                    buf = bigger;
                }
                if (ch.read(buf) < 0) {
                    break;
                }
            }
            byte[] out = new byte[buf.position()];
            buf.flip().get(out);
            return out;
        }
    }

    private static TensorFileException tooLarge(Path path, int maxBytes) {
        return new TensorFileException(path.toString(), null, -1, "holds more than the limit of " + maxBytes + " bytes");
    }
}
