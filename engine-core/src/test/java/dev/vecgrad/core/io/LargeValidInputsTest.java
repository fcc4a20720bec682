package dev.vecgrad.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Tensor;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Amplification: large files that are entirely valid cost memory a small, stated multiple of
 * their own size (measured on all threads), so no input can make a reader allocate much more
 * than it is. The multiples here are the bounds docs/saving.md states.
 */
class LargeValidInputsTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final long MB = 1 << 20;

    @TempDir
    Path dir;

    private static long allocated(IoAction action) throws IOException {
        long before = THREADS.getTotalThreadAllocatedBytes();
        action.run();
        return THREADS.getTotalThreadAllocatedBytes() - before;
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    /**
     * A header of 150,000 small tensors: opening it parses one entry at a time into one small
     * record a tensor; all it allocates, mostly short-lived, stays under
     * {@value #HEADER_FACTOR} bytes a header byte.
     */
    @Test
    void aSafetensorsHeaderOfManyTensorsCostsASmallMultipleOfItsSize() throws IOException {
        Map<String, Tensor> many = new LinkedHashMap<>();
        for (int i = 0; i < 150_000; i++) {
            many.put("layer_" + i + "/kernel", Tensor.of(new float[] {i}));
        }
        Path file = dir.resolve("many.safetensors");
        SafeTensors.write(file, many, null);
        long size = Files.size(file);
        long cost = allocated(() -> {
            try (SafeTensorsFile f = SafeTensors.read(file)) {
                assertThat(f.names()).hasSize(150_000);
            }
        });
        assertThat(cost).as("bytes allocated opening %d bytes", size).isLessThan(HEADER_FACTOR * size);
    }

    /** Mapped formats copy only the tensor: an .npy and a plain IDX file cost their decoded data. */
    @Test
    void mappedFilesCostTheirDecodedDataAndLittleMore() throws IOException {
        Tensor big = Tensor.zeros(dev.vecgrad.core.DType.F32, 2048, 2048);   // 16 MB
        Path npy = dir.resolve("big.npy");
        Npy.write(npy, big);
        assertThat(allocated(() -> Npy.read(npy))).isLessThan(16 * MB + MB);
        Path idx = dir.resolve("big-images-idx3-ubyte");
        Files.write(idx, IdxTest.idx(0x08, new int[] {16, 512, 512}, new byte[16 * 512 * 512]));   // 4 MB of pixels
        assertThat(allocated(() -> Idx.readImagesScaled(idx))).as("F32 pixels").isLessThan(16 * MB + MB);
        assertThat(allocated(() -> Idx.readImages(idx))).as("I32 pixels").isLessThan(16 * MB + MB);
    }

    /** A large valid JSON document (a config at the 4 MiB limit) parses into a tree a bounded multiple of its size. */
    @Test
    void aLargeJsonDocumentParsesInABoundedMultipleOfItsSize() {
        StringBuilder sb = new StringBuilder("{\"layers\": [");
        for (int i = 0; sb.length() < 4 * MB - 200; i++) {
            sb.append(i == 0 ? "" : ", ").append("{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense_").append(i)
                    .append("\", \"units\": ").append(i % 512).append(", \"use_bias\": true, \"rate\": 0.5}}");
        }
        String text = sb.append("]}").toString();
        long before = THREADS.getTotalThreadAllocatedBytes();
        assertThat(Json.parseObject(text)).containsKey("layers");
        assertThat(THREADS.getTotalThreadAllocatedBytes() - before).as("bytes allocated parsing %d characters",
                text.length()).isLessThan(JSON_TREE_FACTOR * text.length());
    }

    /**
     * The costliest JSON there is, a 4 MiB array of tiny containers or numbers, still parses in a
     * bounded multiple of its length (every value costs at least two characters); this bound is
     * why a safetensors header is parsed one entry at a time and a config is capped at 4 MiB.
     */
    @Test
    void theCostliestJsonStillParsesInABoundedMultipleOfItsSize() {
        for (String unit : new String[] {"{}", "[]", "0", "[0]", "{\"\":0}", "{\"a\":{}}", "1.5", "[[]]"}) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; sb.length() < 4 * MB; i++) {
                sb.append(i == 0 ? "" : ",").append(unit);
            }
            String text = sb.append(']').toString();
            long before = THREADS.getTotalThreadAllocatedBytes();
            assertThat(Json.parse(text)).isNotNull();
            assertThat(THREADS.getTotalThreadAllocatedBytes() - before).as("bytes allocated parsing [%s, ...]", unit)
                    .isLessThan(JSON_WORST_FACTOR * text.length());
        }
    }

    /** What any JSON text costs a character, at most. */
    static final long JSON_WORST_FACTOR = 64;

    /** What opening a safetensors file allocates a header byte, at most (JSON of each entry, its record, the index). */
    static final long HEADER_FACTOR = 24;

    /** What a parsed JSON tree costs a character of input, at most (maps, boxed numbers, strings). */
    static final long JSON_TREE_FACTOR = 16;
}
