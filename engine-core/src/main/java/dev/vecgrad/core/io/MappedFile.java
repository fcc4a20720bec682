package dev.vecgrad.core.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A whole file mapped read-only into memory, so that readers copy only the tensors they decode
 * onto the heap. Closing unmaps it. The file must not be truncated while it is mapped (the
 * operating system would fault on the missing pages).
 */
final class MappedFile implements AutoCloseable {
    private final Arena arena;
    private final MemorySegment segment;

    private MappedFile(Arena arena, MemorySegment segment) {
        this.arena = arena;
        this.segment = segment;
    }

    /**
     * Maps the regular file {@code path} (a FIFO or a device is refused, see {@link RegularFiles});
     * {@code shared} when the mapping is used from several threads.
     */
    static MappedFile open(Path path, boolean shared) throws IOException {
        Arena arena = shared ? Arena.ofShared() : Arena.ofConfined();
        try (FileChannel ch = RegularFiles.open(path)) {
            long size = ch.size();
            MemorySegment seg = size == 0 ? MemorySegment.ofArray(new byte[0])
                    : ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            return new MappedFile(arena, seg);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The mapped bytes. */
    MemorySegment segment() {
        return segment;
    }

    @Override
    public void close() {
        arena.close();
    }
}
