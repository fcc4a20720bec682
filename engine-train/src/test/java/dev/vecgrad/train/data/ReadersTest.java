package dev.vecgrad.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadersTest {
    @TempDir
    Path dir;

    @Test
    void csvWithHeaderAndNamedIntegerLabel() throws IOException {
        Path f = dir.resolve("d.csv");
        Files.writeString(f, "a,label,b\n1.5,2,3\n-4,0,5e-1\n\n7,1,8\n");
        List<Batch> rows = new ArrayList<>();
        CsvDataset.read(f, "label", DType.I32).batch(10).forEach(rows::add);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).x().shape()).isEqualTo(Shape.of(3, 2));
        assertThat(rows.get(0).x().toFloatArray()).containsExactly(1.5f, 3f, -4f, 0.5f, 7f, 8f);
        assertThat(rows.get(0).y().dtype()).isEqualTo(DType.I32);
        assertThat(rows.get(0).y().toIntArray()).containsExactly(2, 0, 1);
    }

    @Test
    void csvWithoutHeaderLabelByIndexAndFeaturesOnly() throws IOException {
        Path f = dir.resolve("d.csv");
        Files.writeString(f, "1,2,0.25\n3,4,0.75\n");
        Batch b = CsvDataset.read(f, false, -1, DType.F32).batch(5).iterator().next();
        assertThat(b.y().toFloatArray()).containsExactly(0.25f, 0.75f);
        Batch all = CsvDataset.read(f, false, null, DType.F32).batch(5).iterator().next();
        assertThat(all.x().shape()).isEqualTo(Shape.of(2, 3));
        assertThat(all.y()).isNull();
    }

    @Test
    void csvErrorsNameFileLineAndColumn() throws IOException {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "a,b\n1,2\n3,x\n");
        assertThatThrownBy(() -> CsvDataset.read(f, "b", DType.F32))
                .hasMessageContaining("bad.csv line 3 column 2").hasMessageContaining("'x'");
        Files.writeString(f, "a,b\n1,2\n3\n");
        assertThatThrownBy(() -> CsvDataset.read(f, "b", DType.F32)).hasMessageContaining("line 3: 1 fields, expected 2");
        Files.writeString(f, "a,b\n1,2.5\n");
        assertThatThrownBy(() -> CsvDataset.read(f, "b", DType.I32)).hasMessageContaining("not an integer");
        assertThatThrownBy(() -> CsvDataset.read(f, "c", DType.I32)).hasMessageContaining("no column named 'c'");
    }

    @Test
    void idxImagesLoadTheBundledSample() {
        Path root = Path.of("..").toAbsolutePath().normalize();
        IdxImages test = IdxImages.load(root.resolve("data/mnist/mnist10k-test").toString());
        assertThat(test.size()).isEqualTo(2000);
        assertThat(test.images().shape()).isEqualTo(Shape.of(2000, 28, 28, 1));
        assertThat(test.labels().dtype()).isEqualTo(DType.I32);
        double max = 0;
        for (float v : test.images().toFloatArray()) {
            assertThat(v).isBetween(0f, 1f);
            max = Math.max(max, v);
        }
        assertThat(max).isEqualTo(1.0);
        assertThatThrownBy(() -> IdxImages.load(dir.resolve("nothing").toString())).hasMessageContaining("no such file");
    }
}
