package dev.vecgrad.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.io.Npy;
import dev.vecgrad.train.data.IdxImages;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every source gives the examples of the file or collection, in order, cut into balanced shards. */
class SparkSourcesTest {
    @TempDir
    Path dir;

    /** All the examples, partition 0's first (collected here: the test's check, not the library's way). */
    private static Shard all(SparkData data) {
        return Shard.concat(data.shards().collect());
    }

    @Test
    void idxFilesAreReadAPartitionAtATimeAsIdxImagesReadsThemWhole() {
        JavaSparkContext sc = LocalSpark.context();
        String prefix = "../data/mnist/mnist10k-test";
        SparkData data = SparkSources.idx(sc, prefix + "-images-idx3-ubyte.gz", prefix + "-labels-idx1-ubyte.gz", 3);
        IdxImages whole = IdxImages.load(prefix);
        assertThat(data.numPartitions()).isEqualTo(3);
        assertThat(data.counts()).containsExactly(666, 667, 667);
        assertThat(data.featureShape()).containsExactly(28, 28, 1);
        Shard s = all(data);
        float[] got = s.x().toFloatArray();
        float[] want = whole.images().toFloatArray();
        assertThat(java.util.Arrays.mismatch(got, want)).as("first differing pixel").isEqualTo(-1);
        assertThat(java.util.Arrays.equals(s.y().toIntArray(), whole.labels().toIntArray())).isTrue();
    }

    @Test
    void anIdxFileShorterThanItsHeaderSaysIsAnErrorNamingIt() throws IOException {
        Path labels = dir.resolve("labels-idx1-ubyte");
        Path images = dir.resolve("images-idx3-ubyte");
        Files.write(labels, ByteBuffer.allocate(8 + 10).putInt(0x00000801).putInt(10).array());
        // The images header claims 10 images of 2x2 but holds 3.
        Files.write(images, ByteBuffer.allocate(16 + 12).putInt(0x00000803).putInt(10).putInt(2).putInt(2).array());
        JavaSparkContext sc = LocalSpark.context();
        assertThatThrownBy(() -> SparkSources.idx(sc, images.toString(), labels.toString(), 2))
                .hasMessageContaining(images.toString()).hasMessageContaining("fewer rows");
    }

    @Test
    void npyFilesKeepTheirValuesAndIntegerTargetsBecomeClassIndices() throws IOException {
        Tensor x = Tensor.arange(50 * 6).reshape(50, 2, 3).cast(DType.F32);
        Tensor y = Tensor.arange(50).cast(DType.I32);
        Npy.write(dir.resolve("x.npy"), x);
        Npy.write(dir.resolve("y.npy"), y);
        SparkData data = SparkSources.npy(LocalSpark.context(), dir.resolve("x.npy").toString(),
                dir.resolve("y.npy").toString(), 3);
        assertThat(data.counts()).containsExactly(16, 17, 17);
        assertThat(data.featureShape()).containsExactly(2, 3);
        Shard s = all(data);
        assertThat(s.x().toFloatArray()).containsExactly(x.toFloatArray());
        assertThat(s.y().dtype()).isEqualTo(DType.I32);
        assertThat(s.y().toIntArray()).containsExactly(y.toIntArray());
    }

    @Test
    void csvLinesBecomeExamplesAndARepartitionKeepsTheirOrder() throws IOException {
        StringBuilder text = new StringBuilder("label,a,b,c,d\n");
        for (int i = 0; i < 21; i++) {
            text.append(i % 3).append(',').append(i).append(',').append(i + 0.5).append(',').append(-i).append(",1\n");
        }
        Files.writeString(dir.resolve("data.csv"), text);
        SparkData data = SparkSources.csv(LocalSpark.context(), dir.resolve("data.csv").toString(), 0, true, 1, 2, 2)
                .repartition(4);
        assertThat(data.counts()).containsExactly(5, 5, 5, 6);
        assertThat(data.featureShape()).containsExactly(2, 2);
        Shard s = all(data);
        float[] xs = s.x().toFloatArray();
        for (int i = 0; i < 21; i++) {
            assertThat(new float[] {xs[4 * i], xs[4 * i + 1], xs[4 * i + 2], xs[4 * i + 3]})
                    .containsExactly(i, i + 0.5f, -i, 1);
            assertThat(s.y().toIntArray()[i]).isEqualTo(i % 3);
        }
    }

    @Test
    void dataFrameRowsAndRddExamplesBecomeShards() {
        JavaSparkContext sc = LocalSpark.context();
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        StructType schema = new StructType().add("y", DataTypes.IntegerType).add("a", DataTypes.DoubleType)
                .add("v", DataTypes.createArrayType(DataTypes.FloatType));
        List<Row> rows = new ArrayList<>();
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(RowFactory.create(i % 2, (double) i, new float[] {i * 2f, i * 3f}));
            examples.add(Example.classified(new float[] {i, i * 2f, i * 3f}, i % 2));
        }
        SparkData fromRows = SparkSources.fromRows(spark.createDataFrame(rows, schema).repartition(2), "y",
                new String[] {"a", "v"});
        SparkData fromRdd = SparkSources.fromRdd(sc.parallelize(examples, 2));
        for (SparkData data : List.of(fromRows, fromRdd)) {
            assertThat(data.count()).isEqualTo(10);
            assertThat(data.featureShape()).containsExactly(3);
            Shard s = all(data);
            float[] xs = s.x().toFloatArray();
            int[] ys = s.y().toIntArray();
            for (int i = 0; i < 10; i++) {
                int v = (int) xs[3 * i]; // a DataFrame's repartition may reorder rows
                assertThat(new float[] {xs[3 * i + 1], xs[3 * i + 2]}).containsExactly(v * 2f, v * 3f);
                assertThat(ys[i]).isEqualTo(v % 2);
            }
        }
    }
}
