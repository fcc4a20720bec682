package dev.vecgrad.core.io;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An element type as stored in a file, with the {@link DType} it is loaded as and the one
 * conversion loop that turns stored bytes into a tensor, shared by every reader in this package.
 * Half precision and bfloat16 widen to F32; small integers widen to I32; 64-bit integers narrow to
 * I32 only when every value fits.
 */
enum Element {
    F32(4, DType.F32),
    F64(8, DType.F64),
    I32(4, DType.I32),
    F16(2, DType.F32),
    BF16(2, DType.F32),
    I64(8, DType.I32),
    I16(2, DType.I32),
    U16(2, DType.I32),
    I8(1, DType.I32),
    U8(1, DType.I32),
    BOOL(1, DType.I32);

    private static final int CHUNK_BYTES = 1 << 16;

    private final int byteSize;
    private final DType target;

    Element(int byteSize, DType target) {
        this.byteSize = byteSize;
        this.target = target;
    }

    /** Bytes one stored element takes. */
    int byteSize() {
        return byteSize;
    }

    /** The dtype a loaded tensor has. */
    DType target() {
        return target;
    }

    /** The stored element type a tensor of {@code dtype} is written as. */
    static Element of(DType dtype) {
        return switch (dtype) {
            case F32 -> F32;
            case F64 -> F64;
            case I32 -> I32;
        };
    }

    /**
     * Decodes {@code shape.size()} elements stored from {@code offset} of {@code seg} (a range
     * the caller has checked lies inside it) into a new contiguous tensor.
     *
     * @throws TensorFileException when a 64-bit integer does not fit in an I32
     */
    Tensor decode(MemorySegment seg, long offset, ByteOrder order, Shape shape, String source, String tensor)
            throws TensorFileException {
        Object data = Tensor.allocate(target, shape.size());
        decodeInto(seg, offset, order, data, 0, shape.size(), offset, source, tensor);
        return TensorInternals.wrap(target, shape, data);
    }

    /**
     * Decodes {@code n} elements stored from {@code offset} of {@code seg} into {@code data} (an
     * array of the {@link #target()} dtype) from index {@code at}. {@code fileOffset} is where
     * {@code offset} lies in the file, for messages (-1 when unknown, as inside a gzip stream).
     *
     * @throws TensorFileException when a 64-bit integer does not fit in an I32
     */
    void decodeInto(MemorySegment seg, long offset, ByteOrder order, Object data, int at, int n, long fileOffset,
            String source, String tensor) throws TensorFileException {
        switch (this) {
            case F32 -> MemorySegment.copy(seg, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(order), offset, (float[]) data, at, n);
            case F64 -> MemorySegment.copy(seg, ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(order), offset, (double[]) data, at, n);
            case I32 -> MemorySegment.copy(seg, ValueLayout.JAVA_INT_UNALIGNED.withOrder(order), offset, (int[]) data, at, n);
            case F16 -> {
                float[] out = (float[]) data;
                ValueLayout.OfShort layout = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
                for (int i = 0; i < n; i++) {
                    out[at + i] = Float.float16ToFloat(seg.get(layout, offset + 2L * i));
                }
            }
            case BF16 -> {
                // bfloat16 is the high half of an IEEE float32, so widening is a shift.
                float[] out = (float[]) data;
                ValueLayout.OfShort layout = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
                for (int i = 0; i < n; i++) {
                    out[at + i] = Float.intBitsToFloat((seg.get(layout, offset + 2L * i) & 0xffff) << 16);
                }
            }
            case I64 -> {
                int[] out = (int[]) data;
                ValueLayout.OfLong layout = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order);
                for (int i = 0; i < n; i++) {
                    long v = seg.get(layout, offset + 8L * i);
                    if (v != (int) v) {
                        throw new TensorFileException(source, tensor, fileOffset < 0 ? -1 : fileOffset + 8L * i,
                                "64-bit integer " + v + " at element " + (at + i)
                                + " does not fit in int32 (I32 is the only integer dtype)");
                    }
                    out[at + i] = (int) v;
                }
            }
            case I16, U16 -> {
                int[] out = (int[]) data;
                ValueLayout.OfShort layout = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
                int mask = this == U16 ? 0xffff : -1;
                for (int i = 0; i < n; i++) {
                    out[at + i] = seg.get(layout, offset + 2L * i) & mask;
                }
            }
            case I8, U8, BOOL -> {
                int[] out = (int[]) data;
                for (int i = 0; i < n; i++) {
                    byte b = seg.get(ValueLayout.JAVA_BYTE, offset + i);
                    out[at + i] = switch (this) {
                        case I8 -> b;
                        case U8 -> b & 0xff;
                        default -> b != 0 ? 1 : 0;
                    };
                }
            }
        }
    }

    /**
     * Writes the elements of {@code t} (any layout) in row-major order, little-endian, as
     * {@code Element.of(t.dtype())} stores them, in bounded chunks.
     */
    static void writeLittleEndian(Tensor t, OutputStream out) throws IOException {
        Tensor c = t.contiguous();
        int n = c.size();
        int off = c.offset();
        int width = c.dtype().byteSize();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(width, (long) n * width))).order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = buf.capacity() / width;
        for (int done = 0; done < n; done += perChunk) {
            int len = Math.min(perChunk, n - done);
            buf.clear();
            switch (c.dtype()) {
                case F32 -> buf.asFloatBuffer().put(TensorInternals.f32(c), off + done, len);
                case F64 -> buf.asDoubleBuffer().put(TensorInternals.f64(c), off + done, len);
                case I32 -> buf.asIntBuffer().put(TensorInternals.i32(c), off + done, len);
            }
            out.write(buf.array(), 0, len * width);
        }
    }
}
