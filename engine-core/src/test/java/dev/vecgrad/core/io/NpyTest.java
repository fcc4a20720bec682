package dev.vecgrad.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads the arrays NumPy 1.24 wrote (fixtures/make_npy_fixtures.py); the expected values below are
 * the script's arange formulas evaluated again here, element by element.
 */
class NpyTest {
    @TempDir
    Path dir;

    @Test
    void readsFloat32() throws IOException {
        Tensor t = Npy.read(Fixtures.path("npy/f32_2x3.npy"));
        assertThat(t.dtype()).isEqualTo(DType.F32);
        assertThat(t.shape()).isEqualTo(Shape.of(2, 3));
        assertThat(t.toFloatArray()).containsExactly(-1f, -0.5f, 0f, 0.5f, 1f, 1.5f);
    }

    @Test
    void readsFloat64() throws IOException {
        Tensor t = Npy.read(Fixtures.path("npy/f64_3x4.npy"));
        assertThat(t.dtype()).isEqualTo(DType.F64);
        assertThat(t.shape()).isEqualTo(Shape.of(3, 4));
        double[] expected = new double[12];
        for (int i = 0; i < 12; i++) {
            expected[i] = i / 8.0 + 1e-3;
        }
        assertThat(TensorInternals.f64(t)).containsExactly(expected);
    }

    @Test
    void readsInt32() throws IOException {
        Tensor v = Npy.read(Fixtures.path("npy/i32_5.npy"));
        assertThat(v.dtype()).isEqualTo(DType.I32);
        assertThat(v.shape()).isEqualTo(Shape.of(5));
        assertThat(TensorInternals.i32(v)).containsExactly(-2, -1, 0, 1, 2);
        Tensor t = Npy.read(Fixtures.path("npy/i32_2x2x3.npy"));
        assertThat(t.shape()).isEqualTo(Shape.of(2, 2, 3));
        for (int i = 0; i < 12; i++) {
            assertThat(TensorInternals.i32(t)[i]).isEqualTo(-7 * i + 3);
        }
    }

    @Test
    void readsScalarsAndEmptyArrays() throws IOException {
        Tensor s = Npy.read(Fixtures.path("npy/f32_scalar.npy"));
        assertThat(s.shape()).isEqualTo(Shape.SCALAR);
        assertThat(s.item()).isEqualTo(3.25);
        Tensor e = Npy.read(Fixtures.path("npy/f32_empty_0x3.npy"));
        assertThat(e.shape()).isEqualTo(Shape.of(0, 3));
        assertThat(e.size()).isZero();
    }

    @Test
    void readsBigEndian() throws IOException {
        assertThat(Npy.read(Fixtures.path("npy/f32_big_endian_2x2.npy")).toFloatArray())
                .containsExactly(0.25f, 1.25f, 2.25f, 3.25f);
        assertThat(TensorInternals.f64(Npy.read(Fixtures.path("npy/f64_big_endian_3.npy")))).containsExactly(-0.5, 0.5, 1.5);
        assertThat(TensorInternals.i32(Npy.read(Fixtures.path("npy/i32_big_endian_4.npy")))).containsExactly(-1, 999, 1999, 2999);
    }

    @Test
    void readsVersion2Headers() throws IOException {
        byte[] raw = Fixtures.bytes("npy/f32_v2_2x3.npy");
        assertThat(raw[6]).isEqualTo((byte) 2);
        Tensor t = Npy.read(raw);
        assertThat(t.shape()).isEqualTo(Shape.of(2, 3));
        assertThat(t.toFloatArray()).containsExactly(0f, 2f, 4f, 6f, 8f, 10f);
    }

    @Test
    void convertsOtherIntegerAndHalfTypes() throws IOException {
        Tensor i64 = Npy.read(Fixtures.path("npy/i64_4.npy"));
        assertThat(i64.dtype()).isEqualTo(DType.I32);
        assertThat(TensorInternals.i32(i64)).containsExactly(0, 3, 6, 9);
        Tensor u8 = Npy.read(Fixtures.path("npy/u8_3x2.npy"));
        assertThat(u8.shape()).isEqualTo(Shape.of(3, 2));
        assertThat(TensorInternals.i32(u8)).containsExactly(0, 50, 100, 150, 200, 250); // above 127: unsigned
        Tensor f16 = Npy.read(Fixtures.path("npy/f16_4.npy"));
        assertThat(f16.dtype()).isEqualTo(DType.F32);
        assertThat(f16.toFloatArray()).containsExactly(0f, 0.25f, 0.5f, 0.75f);
    }

    @Test
    void rejectsWhatItCannotLoadClearly() {
        assertRejected("npy/i64_too_big_2.npy", "1099511627776 at element 1 does not fit in int32");
        assertRejected("npy/f32_fortran_2x3.npy", "Fortran-order arrays are not supported");
        assertRejected("npy/object_2.npy", "object arrays ('|O') are not supported");
        assertRejected("npy/c64_2.npy", "dtype '<c8' is not supported");
    }

    private static void assertRejected(String fixture, String problem) {
        Path p = Fixtures.path(fixture);
        assertThatThrownBy(() -> Npy.read(p)).isInstanceOf(TensorFileException.class)
                .hasMessageContaining(p.toString()).hasMessageContaining(problem);
    }

    @Test
    void writesExactlyWhatNumpySaveWrites() {
        // The same arrays as the fixtures, built here: the bytes must be identical to NumPy's.
        Tensor f32 = Tensor.of(new float[] {-1f, -0.5f, 0f, 0.5f, 1f, 1.5f}, 2, 3);
        assertThat(Npy.toBytes(f32)).isEqualTo(Fixtures.bytes("npy/f32_2x3.npy"));
        double[] d = new double[12];
        for (int i = 0; i < 12; i++) {
            d[i] = i / 8.0 + 1e-3;
        }
        assertThat(Npy.toBytes(Tensor.of(d, 3, 4))).isEqualTo(Fixtures.bytes("npy/f64_3x4.npy"));
        assertThat(Npy.toBytes(Tensor.of(new int[] {-2, -1, 0, 1, 2}))).isEqualTo(Fixtures.bytes("npy/i32_5.npy"));
        assertThat(Npy.toBytes(Tensor.scalar(3.25f))).isEqualTo(Fixtures.bytes("npy/f32_scalar.npy"));
        assertThat(Npy.toBytes(Tensor.zeros(0, 3))).isEqualTo(Fixtures.bytes("npy/f32_empty_0x3.npy"));
    }

    @Test
    void writtenHeadersAreAlignedAndEndInANewline() {
        for (int rank = 0; rank <= Shape.MAX_RANK; rank++) {
            int[] dims = new int[rank];
            Arrays.fill(dims, 1);
            if (rank > 0) {
                dims[0] = 123456789 % 1000 + rank;
            }
            byte[] b = Npy.toBytes(Tensor.zeros(DType.I32, dims));
            int headerLength = (b[8] & 0xff) | (b[9] & 0xff) << 8;
            assertThat((10 + headerLength) % 64).isZero();
            assertThat(b[10 + headerLength - 1]).isEqualTo((byte) '\n');
        }
    }

    @Test
    void roundTripsThroughAFileIncludingViews() throws IOException {
        Tensor base = Tensor.arange(0, 24, 1, DType.F64).reshape(2, 3, 4);
        Tensor view = base.permute(2, 0, 1).slice(0, 1, 4, 2); // non-contiguous
        Path p = dir.resolve("view.npy");
        Npy.write(p, view);
        Tensor back = Npy.read(p);
        assertThat(back.shape()).isEqualTo(view.shape());
        assertThat(TensorInternals.f64(back)).containsExactly(view.toDoubleArray());
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactly("view.npy");
        }
    }

    @Test
    void rejectsLyingAndBrokenHeaders() {
        byte[] good = Npy.toBytes(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        assertBad(Arrays.copyOf(good, 5), "too short for a .npy preamble");
        assertBad(withByte(good, 1, 'X'), "not a .npy file");
        assertBad(withByte(good, 6, 4), "unsupported .npy version 4.0");
        assertBad(Arrays.copyOf(good, good.length - 1), "truncated: shape (2, 3) of <f4 needs 24 bytes of data, the file has 23");
        assertBad(Arrays.copyOf(good, good.length + 4), "4 bytes of trailing data");
        assertBad(withByte(withByte(good, 8, 0xff), 9, 0xff), "header length 65535 runs past the end of the file");
        byte[] v2 = Fixtures.bytes("npy/f32_v2_2x3.npy");
        assertBad(withByte(v2, 11, 0x7f), "more than the limit of 1048576 bytes");
        assertBad(header("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 3), }"), "is larger than 2147483647");
        assertBad(header("{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536), }"), "more than 2147483647 elements");
        assertBad(header("{'descr': '<f4', 'fortran_order': False, 'shape': (1" + "0".repeat(40) + ",), }"), "is too large");
        assertBad(header("{'descr': '<f4', 'fortran_order': False, 'shape': (1,1,1,1,1,1,1,1,1), }"), "rank 9 is more than the maximum 8");
        assertBad(header("{'descr': '<f4', 'fortran_order': False, 'shape': (" + "1,".repeat(1000) + "), }"),
                "more than 8 dimensions");
        assertBad(header("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }"), "expected a non-negative integer");
        assertBad(header("{'descr': '<f4', 'fortran_order': False, 'shape': (3), }"), "is not a tuple");
        assertBad(header("{'descr': '<f4', 'fortran_order': False, }"), "lacks 'shape'");
        assertBad(header("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (), }"), "appears twice");
        assertBad(header("{'descr': '<f4', 'fortran_order': False, 'shape': (), 'x': 1}"), "unexpected key 'x'");
        assertBad(header("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (), }"), "structured arrays");
        assertBad(header("{'descr': '|f4', 'fortran_order': False, 'shape': (), }"), "has no byte order");
        assertBad(header("{'descr': '<U5', 'fortran_order': False, 'shape': (), }"), "'<U5' is not supported");
        assertBad(header("{'descr': '<f4', 'fortran_order': maybe, 'shape': (), }"), "expected True or False");
        assertBad(header("{'descr': '<f4', 'fortran_order': False, 'shape': (), } __import__('os')"), "after the header dict");
        assertBad(header("{'descr': '<f4\\n', 'fortran_order': False, 'shape': (), }"), "in a string");
    }

    @Test
    void readsHandWrittenHeaderVariants() throws TensorFileException {
        // Double quotes, no trailing comma, Python 2 long suffixes, '|' on one-byte types.
        byte[] b = header("{\"descr\": \"|u1\", \"shape\": (2L, 1L), \"fortran_order\": False}", new byte[] {(byte) 200, 7});
        Tensor t = Npy.read(b);
        assertThat(t.shape()).isEqualTo(Shape.of(2, 1));
        assertThat(TensorInternals.i32(t)).containsExactly(200, 7);
        byte[] fortran1d = header("{'descr': '<i4', 'fortran_order': True, 'shape': (2,), }", new byte[] {5, 0, 0, 0, 6, 0, 0, 0});
        assertThat(TensorInternals.i32(Npy.read(fortran1d))).containsExactly(5, 6); // 1-D: Fortran and C order agree
    }

    private static void assertBad(byte[] bytes, String problem) {
        assertThatThrownBy(() -> Npy.read(bytes)).isInstanceOf(TensorFileException.class)
                .hasMessageStartingWith("<bytes>").hasMessageContaining(problem);
    }

    private static byte[] withByte(byte[] b, int at, int value) {
        byte[] c = b.clone();
        c[at] = (byte) value;
        return c;
    }

    private static byte[] header(String dict) {
        return header(dict, new byte[0]);
    }

    /** A version 1.0 file with this header text and data, built by hand (not by the code under test). */
    private static byte[] header(String dict, byte[] data) {
        byte[] h = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + h.length + data.length];
        out[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, out, 1, 5);
        out[6] = 1;
        out[8] = (byte) h.length;
        out[9] = (byte) (h.length >> 8);
        System.arraycopy(h, 0, out, 10, h.length);
        System.arraycopy(data, 0, out, 10 + h.length, data.length);
        return out;
    }
}
