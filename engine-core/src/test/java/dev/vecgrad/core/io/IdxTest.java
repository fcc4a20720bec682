package dev.vecgrad.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    /** The project's copy of the MNIST subset in data/mnist at the repository root, found from the working directory. */
    private static final Path MNIST = findMnist();

    private static Path findMnist() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("data/mnist"))) {
                return p.resolve("data/mnist");
            }
        }
        throw new IllegalStateException("data/mnist not found above " + Path.of("").toAbsolutePath());
    }

    @TempDir
    Path dir;

    /**
     * The expected figures were computed once, independently of this code, with Python's gzip and
     * struct modules over the same files:
     * <pre>
     * im = gzip.open(f).read(); px = im[16:]; sum(px), sum(1 for p in px if p), px.count(255)
     * lb = gzip.open(g).read()[8:]; [lb.count(i) for i in range(10)], list(lb[:10])
     * </pre>
     */
    @Test
    void readsTheRealTrainingSet() throws IOException {
        Tensor images = Idx.readImages(MNIST.resolve("mnist10k-train-images-idx3-ubyte.gz"));
        assertThat(images.dtype()).isEqualTo(DType.I32);
        assertThat(images.shape()).isEqualTo(Shape.of(8000, 28, 28));
        PixelStats s = PixelStats.of(TensorInternals.i32(images));
        assertThat(s.sum).isEqualTo(209_634_951L);
        assertThat(s.nonZero).isEqualTo(1_200_414);
        assertThat(s.count255).isEqualTo(40_637);
        assertThat(s.max).isEqualTo(255);
        assertThat(s.min).isEqualTo(0);
        assertThat(Arrays.stream(TensorInternals.i32(images), 0, 784).sum()).isEqualTo(22_235);
        assertThat(Arrays.copyOfRange(TensorInternals.i32(images), 14 * 28 + 11, 14 * 28 + 18)).containsExactly(24, 228, 253, 170, 67, 211, 182);
        assertThat(Arrays.stream(TensorInternals.i32(images), 7999 * 784, 8000 * 784).sum()).isEqualTo(32_404);

        Tensor labels = Idx.readLabels(MNIST.resolve("mnist10k-train-labels-idx1-ubyte.gz"));
        assertThat(labels.shape()).isEqualTo(Shape.of(8000));
        assertThat(histogram(TensorInternals.i32(labels))).containsExactly(799, 908, 795, 819, 793, 684, 829, 844, 745, 784);
        assertThat(Arrays.copyOf(TensorInternals.i32(labels), 10)).containsExactly(8, 1, 7, 4, 3, 4, 3, 3, 0, 0);
    }

    @Test
    void readsTheRealTestSetScaled() throws IOException {
        Tensor images = Idx.readImagesScaled(MNIST.resolve("mnist10k-test-images-idx3-ubyte.gz"));
        assertThat(images.dtype()).isEqualTo(DType.F32);
        assertThat(images.shape()).isEqualTo(Shape.of(2000, 28, 28));
        double sum = 0;
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : TensorInternals.f32(images)) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(min).isEqualTo(0f);
        assertThat(max).isEqualTo(1f);
        assertThat(sum).isCloseTo(52_511_649 / 255.0, org.assertj.core.data.Offset.offset(1e-2));
        Tensor labels = Idx.readLabels(MNIST.resolve("mnist10k-test-labels-idx1-ubyte.gz"));
        assertThat(labels.shape()).isEqualTo(Shape.of(2000));
        assertThat(histogram(TensorInternals.i32(labels))).containsExactly(202, 219, 196, 213, 187, 179, 185, 226, 199, 194);
        assertThat(Arrays.copyOf(TensorInternals.i32(labels), 10)).containsExactly(1, 4, 0, 6, 0, 1, 8, 6, 2, 6);
    }

    @Test
    void readsPlainAndGzippedFilesAlike() throws IOException {
        byte[] plain = idx(0x08, new int[] {2, 2, 3}, new byte[] {0, 1, 2, 3, 4, 5, (byte) 250, 7, 8, 9, 10, (byte) 255});
        Path p = dir.resolve("plain.idx");
        Files.write(p, plain);
        Path g = dir.resolve("compressed.bin"); // detected by its magic bytes, not its name
        Files.write(g, gzip(plain));
        for (Path f : new Path[] {p, g}) {
            Tensor t = Idx.readImages(f);
            assertThat(t.shape()).isEqualTo(Shape.of(2, 2, 3));
            assertThat(TensorInternals.i32(t)).containsExactly(0, 1, 2, 3, 4, 5, 250, 7, 8, 9, 10, 255);
        }
        assertThat(TensorInternals.i32(Idx.read(gzip(plain)))).containsExactly(TensorInternals.i32(Idx.read(plain)));
    }

    @Test
    void readsOtherElementTypesBigEndian() throws TensorFileException {
        ByteBuffer b = ByteBuffer.allocate(8);
        b.putFloat(1.5f).putFloat(-2f);
        assertThat(Idx.read(idx(0x0D, new int[] {2}, b.array())).toFloatArray()).containsExactly(1.5f, -2f);
        assertThat(TensorInternals.f64(Idx.read(idx(0x0E, new int[] {1}, ByteBuffer.allocate(8).putDouble(0.1).array()))))
                .containsExactly(0.1);
        assertThat(TensorInternals.i32(Idx.read(idx(0x0C, new int[] {1}, new byte[] {(byte) 0x80, 0, 0, 1}))))
                .containsExactly(Integer.MIN_VALUE + 1);
        assertThat(TensorInternals.i32(Idx.read(idx(0x0B, new int[] {2}, new byte[] {(byte) 0xff, (byte) 0xfe, 0x01, 0x00}))))
                .containsExactly(-2, 256);
        assertThat(TensorInternals.i32(Idx.read(idx(0x09, new int[] {2}, new byte[] {(byte) 0xff, 0x7f})))).containsExactly(-1, 127);
    }

    @Test
    void scaleDividesBy255() {
        Tensor t = Idx.scale(Tensor.of(new int[] {0, 51, 255}));
        assertThat(t.toFloatArray()).containsExactly(0f, 0.2f, 1f);
    }

    @Test
    void rejectsTruncatedAndLyingFilesNamingTheFile() throws IOException {
        byte[] good = idx(0x08, new int[] {3, 2}, new byte[] {1, 2, 3, 4, 5, 6});
        assertRejected(Arrays.copyOf(good, 3), "too short for an IDX magic number");
        assertRejected(withByte(good, 0, 1), "wrong magic number 0x01000802");
        assertRejected(withByte(good, 2, 0x0A), "unsupported IDX type code 0x0a");
        assertRejected(withByte(good, 3, 0), "number of dimensions 0 is not between 1 and 8");
        assertRejected(withByte(good, 3, 9), "number of dimensions 9 is not between 1 and 8");
        assertRejected(Arrays.copyOf(good, 9), "truncated header: 2 dimensions need 12 header bytes");
        assertRejected(Arrays.copyOf(good, good.length - 1), "truncated: the header says (3, 2) elements");
        assertRejected(Arrays.copyOf(good, good.length + 2), "(2 trailing)");
        assertRejected(idx(0x08, new int[] {-1}, new byte[0]), "dimension 0 is 4294967295");
        assertRejected(idx(0x08, new int[] {65536, 65536}, new byte[0]), "make more than 2147483647 elements");
        // A count that lies by a lot: nothing that large may be allocated before the data runs out.
        assertRejected(idx(0x08, new int[] {2_000_000_000}, new byte[10]), "but only 10 follow");
        assertRejected(gzip(idx(0x08, new int[] {2_000_000_000}, new byte[10])),
                "more than a gzip stream of 29 bytes can hold (at most 1032 bytes a compressed byte)");
        assertRejected(gzip(idx(0x08, new int[] {20_000}, new byte[10])), "but only 10 follow");
        assertRejected(gzip(Arrays.copyOf(good, good.length + 1)), "continues after the 6 bytes");
        byte[] z = gzip(good);
        assertRejected(Arrays.copyOf(z, z.length - 5), "corrupt gzip stream");
        assertRejected(withByte(z, z.length - 6, z[z.length - 6] ^ 1), "corrupt gzip stream"); // CRC
    }

    @Test
    void conveniencesRequireTheirShapeAndType() throws IOException {
        Path labels = dir.resolve("labels");
        Files.write(labels, idx(0x08, new int[] {3}, new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> Idx.readImages(labels)).isInstanceOf(TensorFileException.class)
                .hasMessageContaining(labels.toString()).hasMessageContaining("expected idx3 images");
        Path ints = dir.resolve("ints");
        Files.write(ints, idx(0x0C, new int[] {1}, new byte[4]));
        assertThatThrownBy(() -> Idx.readLabels(ints)).isInstanceOf(TensorFileException.class)
                .hasMessageContaining("expected idx1 labels (1 dimension(s) of unsigned bytes), got I32 (1,)");
        Path bad = dir.resolve("bad.gz");
        Files.write(bad, Arrays.copyOf(gzip(idx(0x08, new int[] {3}, new byte[] {1, 2, 3})), 20));
        assertThatThrownBy(() -> Idx.read(bad)).isInstanceOf(TensorFileException.class)
                .hasMessageStartingWith(bad.toString());
    }

    /**
     * Memory follows the data, not the header: a gzip file of incompressible bytes (so the claim
     * is one it could hold) announcing far more than it has allocates a small multiple of what
     * it really holds before it is found out; a true large file costs its output and little more.
     */
    @Test
    void gzipMemoryFollowsTheDataNotTheHeader() throws IOException {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int held = 1 << 20;
        byte[] random = new byte[held];
        new java.util.Random(5).nextBytes(random);
        int claimed = (int) Math.min(1_000_000_000L, Runtime.getRuntime().maxMemory() / 8);
        byte[] lying = gzip(idx(0x08, new int[] {claimed}, random));
        assertThat((long) claimed).isLessThan((long) lying.length * Idx.MAX_INFLATION);
        long before = threads.getCurrentThreadAllocatedBytes();
        assertRejected(lying, "but only " + held + " follow");
        assertThat(threads.getCurrentThreadAllocatedBytes() - before).as("bytes allocated")
                .isLessThan(24L * held + (8 << 20));

        int side = 1000;
        int images = 8;
        Path big = dir.resolve("big-images-idx3-ubyte.gz");
        Files.write(big, gzip(idx(0x08, new int[] {images, side, side}, new byte[images * side * side])));
        before = threads.getCurrentThreadAllocatedBytes();
        Tensor t = Idx.readImagesScaled(big);
        long output = 4L * images * side * side;
        assertThat(threads.getCurrentThreadAllocatedBytes() - before).as("bytes allocated for %d of output", output)
                .isLessThan(2 * output);
        assertThat(t.shape()).isEqualTo(Shape.of(images, side, side));
    }

    private static void assertRejected(byte[] bytes, String problem) {
        assertThatThrownBy(() -> Idx.read(bytes)).isInstanceOf(TensorFileException.class)
                .hasMessageStartingWith("<bytes>").hasMessageContaining(problem);
    }

    /** An IDX file built by hand: magic, big-endian dimensions, data. */
    static byte[] idx(int type, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(plain);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    private static byte[] withByte(byte[] b, int at, int value) {
        byte[] c = b.clone();
        c[at] = (byte) value;
        return c;
    }

    private static int[] histogram(int[] labels) {
        int[] h = new int[10];
        for (int l : labels) {
            h[l]++;
        }
        return h;
    }

    private record PixelStats(long sum, int nonZero, int count255, int min, int max) {
        static PixelStats of(int[] px) {
            long sum = 0;
            int nz = 0;
            int c255 = 0;
            int min = Integer.MAX_VALUE;
            int max = Integer.MIN_VALUE;
            for (int p : px) {
                sum += p;
                nz += p != 0 ? 1 : 0;
                c255 += p == 255 ? 1 : 0;
                min = Math.min(min, p);
                max = Math.max(max, p);
            }
            return new PixelStats(sum, nz, c255, min, max);
        }
    }
}
