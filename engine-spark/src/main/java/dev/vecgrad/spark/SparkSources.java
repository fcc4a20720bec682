package dev.vecgrad.spark;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.io.Idx;
import dev.vecgrad.core.io.Npy;
import dev.vecgrad.core.io.TensorFileException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;

/**
 * Where a {@link SparkData} comes from. Files are read on the executors through Hadoop's file
 * systems ({@code hdfs://}, {@code s3a://}, {@code file:} or a plain path every executor can see),
 * each partition reading only its own rows; the driver reads no more than a file's header.
 *
 * <ul>
 *   <li>{@link #idx}: MNIST's IDX files (images and labels), plain or gzip-compressed;</li>
 *   <li>{@link #npy}: NumPy {@code .npy} arrays of features and targets;</li>
 *   <li>{@link #csv}: text, one example a line, the label in one column;</li>
 *   <li>{@link #fromRows}: a DataFrame's rows ({@code Dataset<Row>});</li>
 *   <li>{@link #fromRdd}: an RDD of {@link Example}s.</li>
 * </ul>
 *
 * Each partition's rows are checked by the same readers as in one process (engine-core's
 * {@code Idx} and {@code Npy}): a file that lies about its size is an error naming it.
 */
public final class SparkSources {
    private SparkSources() {
    }

    // ---------------------------------------------------------------------------------------
    // IDX.

    /**
     * Images and labels from IDX files in {@code partitions} contiguous, balanced shards. Pixels
     * are scaled to [0, 1] and given a channel axis ({@code [28, 28, 1]} for MNIST), as
     * {@code IdxImages} does in one process; labels are class indices.
     */
    public static SparkData idx(JavaSparkContext sc, String images, String labels, int partitions) {
        Header ih = Header.read(images);
        Header lh = Header.read(labels);
        if (ih.dims.length != 3 || lh.dims.length != 1 || ih.dims[0] != lh.dims[0]) {
            throw new IllegalArgumentException("IDX images " + images + " " + Arrays.toString(ih.dims) + " and labels "
                    + labels + " " + Arrays.toString(lh.dims) + " do not match: expected [n, rows, cols] and [n]");
        }
        int n = ih.dims[0];
        checkPartitions(partitions, n, images);
        List<Integer> parts = range(partitions);
        return SparkData.of(sc.parallelize(parts, partitions).map(p -> {
            int from = SparkData.bound(n, partitions, p);
            int to = SparkData.bound(n, partitions, p + 1);
            Tensor x = Idx.scale(ih.rows(images, from, to));
            Tensor y = lh.rows(labels, from, to);
            return Shard.of(x.reshape(to - from, ih.dims[1], ih.dims[2], 1), y);
        }));
    }

    /** An IDX header: type code, dimensions, and where the data starts. */
    private record Header(byte[] bytes, int[] dims, int elementSize) implements java.io.Serializable {
        static Header read(String file) {
            try (InputStream in = open(file)) {
                byte[] magic = in.readNBytes(4);
                if (magic.length < 4 || magic[0] != 0 || magic[1] != 0) {
                    throw new IllegalArgumentException(file + ": not an IDX file (it does not start with two zero bytes)");
                }
                int rank = magic[3] & 0xff;
                if (rank < 1 || rank > 8) {
                    throw new IllegalArgumentException(file + ": IDX rank " + rank + " is outside 1..8");
                }
                byte[] dimBytes = in.readNBytes(4 * rank);
                if (dimBytes.length < 4 * rank) {
                    throw new IllegalArgumentException(file + ": the IDX header is cut short");
                }
                int[] dims = new int[rank];
                ByteBuffer b = ByteBuffer.wrap(dimBytes);
                for (int i = 0; i < rank; i++) {
                    dims[i] = b.getInt();
                    if (dims[i] < 1) {
                        throw new IllegalArgumentException(file + ": IDX dimension " + i + " is " + dims[i]);
                    }
                }
                int size = switch (magic[2]) {
                    case 0x08, 0x09 -> 1;
                    case 0x0B -> 2;
                    case 0x0C, 0x0D -> 4;
                    case 0x0E -> 8;
                    default -> throw new IllegalArgumentException(file + ": unknown IDX type code " + magic[2]);
                };
                byte[] all = new byte[4 + 4 * rank];
                System.arraycopy(magic, 0, all, 0, 4);
                System.arraycopy(dimBytes, 0, all, 4, 4 * rank);
                return new Header(all, dims, size);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }

        /**
         * Rows {@code [from, to)} of the file, parsed by {@code Idx} from a header that says how
         * many rows follow.
         */
        Tensor rows(String file, int from, int to) {
            long row = elementSize;
            for (int i = 1; i < dims.length; i++) {
                row *= dims[i];
            }
            byte[] out = new byte[Math.toIntExact(bytes.length + row * (to - from))];
            System.arraycopy(bytes, 0, out, 0, bytes.length);
            ByteBuffer.wrap(out, 4, 4).putInt(to - from);
            try (InputStream in = open(file)) {
                in.skipNBytes(bytes.length + row * from);
                int got = in.readNBytes(out, bytes.length, out.length - bytes.length);
                if (got < out.length - bytes.length) {
                    throw new IllegalArgumentException(file + ": holds fewer rows than its header's " + dims[0]);
                }
                return Idx.read(out);
            } catch (java.io.EOFException e) {
                throw new IllegalArgumentException(file + ": holds fewer rows than its header's " + dims[0], e);
            } catch (TensorFileException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // .npy.

    /**
     * Features and targets from two {@code .npy} files (C order, the same number of rows) in
     * {@code partitions} contiguous, balanced shards. Features are cast to F32; integer targets
     * become I32 class indices, float targets F32.
     */
    public static SparkData npy(JavaSparkContext sc, String features, String targets, int partitions) {
        NpyHeader xh = NpyHeader.read(features);
        NpyHeader yh = NpyHeader.read(targets);
        if (xh.rows() != yh.rows()) {
            throw new IllegalArgumentException(features + " holds " + xh.rows() + " rows, " + targets + " holds " + yh.rows());
        }
        int n = xh.rows();
        checkPartitions(partitions, n, features);
        return SparkData.of(sc.parallelize(range(partitions), partitions).map(p -> {
            int from = SparkData.bound(n, partitions, p);
            int to = SparkData.bound(n, partitions, p + 1);
            Tensor y = yh.rows(targets, from, to);
            return Shard.of(xh.rows(features, from, to), y.dtype() == DType.F64 ? y.cast(DType.F32) : y);
        }));
    }

    /** A {@code .npy} header: its text, its length, the row count and the bytes of one row. */
    private record NpyHeader(String dict, int dataOffset, int rows, long rowBytes, int major) implements java.io.Serializable {
        private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(\\s*(\\d+)");
        private static final Pattern DESCR = Pattern.compile("'descr':\\s*'[<>|]?[a-z](\\d+)'");

        static NpyHeader read(String file) {
            try (DataInputStream in = new DataInputStream(open(file))) {
                byte[] magic = in.readNBytes(8);
                if (magic.length < 8 || (magic[0] & 0xff) != 0x93 || magic[1] != 'N') {
                    throw new IllegalArgumentException(file + ": not a .npy file");
                }
                int major = magic[6];
                int len = major == 1 ? Short.toUnsignedInt(Short.reverseBytes(in.readShort()))
                        : Integer.reverseBytes(in.readInt());
                if (len < 0 || len > Npy.MAX_HEADER_LENGTH) {
                    throw new IllegalArgumentException(file + ": .npy header length " + len + " is out of range");
                }
                String dict = new String(in.readNBytes(len), StandardCharsets.ISO_8859_1);
                Matcher shape = SHAPE.matcher(dict);
                Matcher descr = DESCR.matcher(dict);
                if (!shape.find() || !descr.find() || dict.contains("'fortran_order': True")) {
                    throw new IllegalArgumentException(file + ": needs a C-order array of at least one dimension, header "
                            + dict.strip());
                }
                int rows = Integer.parseInt(shape.group(1));
                long total = Long.parseLong(descr.group(1));
                Matcher rest = Pattern.compile("\\(\\s*\\d+\\s*,?([^)]*)\\)").matcher(dict.substring(shape.start()));
                if (rest.find()) {
                    for (String d : rest.group(1).split(",")) {
                        if (!d.isBlank()) {
                            total *= Long.parseLong(d.strip());
                        }
                    }
                }
                return new NpyHeader(dict, (major == 1 ? 10 : 12) + len, rows, total, major);
            } catch (IOException | NumberFormatException e) {
                throw new IllegalArgumentException("cannot read the .npy header of " + file + ": " + e.getMessage(), e);
            }
        }

        /** Rows {@code [from, to)}, parsed by {@code Npy} from a header that says how many rows follow. */
        Tensor rows(String file, int from, int to) {
            Matcher m = SHAPE.matcher(dict);
            m.find();
            String text = (dict.substring(0, m.start(1)) + (to - from) + dict.substring(m.end(1))).strip();
            int prefix = major == 1 ? 10 : 12;
            int padded = (prefix + text.length() + 1 + 63) / 64 * 64 - prefix;
            StringBuilder h = new StringBuilder(text);
            while (h.length() < padded - 1) {
                h.append(' ');
            }
            h.append('\n');
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
            ByteBuffer len = ByteBuffer.allocate(major == 1 ? 2 : 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            if (major == 1) {
                len.putShort((short) h.length());
            } else {
                len.putInt(h.length());
            }
            out.writeBytes(len.array());
            out.writeBytes(h.toString().getBytes(StandardCharsets.ISO_8859_1));
            try (InputStream in = open(file)) {
                in.skipNBytes(dataOffset + rowBytes * from);
                out.writeBytes(in.readNBytes(Math.toIntExact(rowBytes * (to - from))));
                return Npy.read(out.toByteArray());
            } catch (java.io.EOFException e) {
                throw new IllegalArgumentException(file + ": holds fewer rows than its header's " + rows, e);
            } catch (TensorFileException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // CSV.

    /**
     * Examples from CSV text, one a line: every column is a number, column {@code labelColumn} is
     * the class index and the others, in order, the features, shaped {@code featureShape} (empty:
     * flat). With {@code header}, the file's first line is skipped. Spark splits the text into
     * {@code partitions} parts by bytes; the strategies rebalance them.
     */
    public static SparkData csv(JavaSparkContext sc, String path, int labelColumn, boolean header, int partitions,
            int... featureShape) {
        JavaRDD<String> lines = sc.textFile(path, partitions);
        return SparkData.of(lines.mapPartitionsWithIndex((p, it) -> {
            List<float[]> xs = new ArrayList<>();
            List<Integer> ys = new ArrayList<>();
            boolean skip = header && p == 0;
            long line = 0;
            while (it.hasNext()) {
                String s = it.next();
                line++;
                if (skip) {
                    skip = false;
                    continue;
                }
                if (s.isBlank()) {
                    continue;
                }
                String[] cells = s.split(",", -1);
                if (labelColumn < 0 || labelColumn >= cells.length) {
                    throw new IllegalArgumentException(path + ": line " + line + " of part " + p + " has " + cells.length
                            + " columns; the label column is " + labelColumn);
                }
                float[] x = new float[cells.length - 1];
                int k = 0;
                try {
                    for (int c = 0; c < cells.length; c++) {
                        if (c != labelColumn) {
                            x[k++] = Float.parseFloat(cells[c].strip());
                        }
                    }
                    ys.add(Integer.parseInt(cells[labelColumn].strip()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(path + ": line " + line + " of part " + p + ": " + e.getMessage(), e);
                }
                xs.add(x);
            }
            return shards(xs, ys, null, featureShape, path).iterator();
        }, true));
    }

    // ---------------------------------------------------------------------------------------
    // DataFrames and RDDs.

    /**
     * Examples from a DataFrame: {@code labelColumn} holds the class index (an integer column);
     * the features are {@code featureColumns} in order, each a number or an array of numbers, all
     * flattened into one vector shaped {@code featureShape} (null or empty: flat). The rows stay
     * in Spark; each partition becomes one shard.
     */
    public static SparkData fromRows(org.apache.spark.sql.Dataset<Row> rows, String labelColumn, String[] featureColumns,
            int... featureShape) {
        if (featureColumns.length == 0) {
            throw new IllegalArgumentException("fromRows: name at least one feature column");
        }
        String[] columns = featureColumns.clone();
        return SparkData.of(rows.javaRDD().mapPartitions(it -> {
            List<float[]> xs = new ArrayList<>();
            List<Integer> ys = new ArrayList<>();
            while (it.hasNext()) {
                Row r = it.next();
                List<Float> values = new ArrayList<>();
                for (String c : columns) {
                    Object v = r.get(r.fieldIndex(c));
                    if (v instanceof Number num) {
                        values.add(num.floatValue());
                    } else if (v instanceof scala.collection.Seq<?> seq) {
                        scala.jdk.javaapi.CollectionConverters.asJava(seq).forEach(e -> values.add(((Number) e).floatValue()));
                    } else {
                        throw new IllegalArgumentException("fromRows: column '" + c + "' holds " + (v == null ? "null"
                                : v.getClass().getSimpleName()) + "; features must be numbers or arrays of numbers");
                    }
                }
                float[] x = new float[values.size()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = values.get(i);
                }
                Object label = r.get(r.fieldIndex(labelColumn));
                if (!(label instanceof Number l)) {
                    throw new IllegalArgumentException("fromRows: label column '" + labelColumn + "' holds " + label);
                }
                xs.add(x);
                ys.add(l.intValue());
            }
            return shards(xs, ys, null, featureShape, "the DataFrame").iterator();
        }));
    }

    /** Examples from an RDD; each partition becomes one shard, its features shaped {@code featureShape} (empty: flat). */
    public static SparkData fromRdd(JavaRDD<Example> examples, int... featureShape) {
        return SparkData.of(examples.mapPartitions(it -> {
            List<float[]> xs = new ArrayList<>();
            List<Integer> ys = new ArrayList<>();
            List<float[]> vs = new ArrayList<>();
            while (it.hasNext()) {
                Example e = it.next();
                xs.add(e.features());
                if (e.values() == null) {
                    ys.add(e.label());
                } else {
                    vs.add(e.values());
                }
            }
            if (!ys.isEmpty() && !vs.isEmpty()) {
                throw new IllegalArgumentException("fromRdd: a partition mixes classified and regressed examples");
            }
            return shards(xs, vs.isEmpty() ? ys : null, vs.isEmpty() ? null : vs, featureShape, "the RDD").iterator();
        }));
    }

    /** One partition's rows as a shard (none for an empty partition). */
    private static List<Shard> shards(List<float[]> xs, List<Integer> labels, List<float[]> values, int[] shape,
            String source) {
        if (xs.isEmpty()) {
            return List.of();
        }
        int width = xs.get(0).length;
        int[] dims = shape == null || shape.length == 0 ? new int[] {width} : shape;
        long expect = 1;
        for (int d : dims) {
            expect *= d;
        }
        if (expect != width) {
            throw new IllegalArgumentException(source + ": an example has " + width + " features, which do not fill shape "
                    + Arrays.toString(dims));
        }
        float[] x = new float[Math.multiplyExact(xs.size(), width)];
        for (int i = 0; i < xs.size(); i++) {
            if (xs.get(i).length != width) {
                throw new IllegalArgumentException(source + ": examples have " + width + " and " + xs.get(i).length
                        + " features");
            }
            System.arraycopy(xs.get(i), 0, x, i * width, width);
        }
        int[] all = new int[dims.length + 1];
        all[0] = xs.size();
        System.arraycopy(dims, 0, all, 1, dims.length);
        Tensor y;
        if (values != null) {
            int vw = values.get(0).length;
            float[] v = new float[xs.size() * vw];
            for (int i = 0; i < values.size(); i++) {
                System.arraycopy(values.get(i), 0, v, i * vw, vw);
            }
            y = Tensor.of(v, xs.size(), vw);
        } else {
            int[] l = new int[labels.size()];
            for (int i = 0; i < l.length; i++) {
                l[i] = labels.get(i);
            }
            y = Tensor.of(l, l.length);
        }
        return List.of(Shard.of(Tensor.of(x, all), y));
    }

    // ---------------------------------------------------------------------------------------

    private static void checkPartitions(int partitions, int n, String file) {
        if (partitions < 1 || partitions > n) {
            throw new IllegalArgumentException("partitions must be between 1 and the " + n + " examples of " + file
                    + ", got " + partitions);
        }
    }

    private static List<Integer> range(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }

    /** The file, decompressed when it starts with the gzip magic bytes. */
    private static InputStream open(String file) throws IOException {
        Path p = new Path(file);
        FileSystem fs = p.getFileSystem(new Configuration());
        InputStream raw = new BufferedInputStream(fs.open(p), 1 << 16);
        raw.mark(2);
        int a = raw.read();
        int b = raw.read();
        raw.reset();
        return a == 0x1f && b == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
    }
}
