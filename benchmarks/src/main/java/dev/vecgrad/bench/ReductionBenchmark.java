package dev.vecgrad.bench;

import dev.vecgrad.core.Engine;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.core.kernel.Kernels;
import dev.vecgrad.core.ops.Primitives;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Reductions and softmax over a 4096x1024 F32 matrix (16 MB) on one thread: sum over everything,
 * over rows (one value per row) and over columns (one per column), and softmax over rows, as Tensor
 * ops and, for softmax, also as the bare row kernel on a preallocated output; beside a
 * {@code System.arraycopy} of the same 16 MB. Times are per call. {@code sumNarrowColumns} sums a
 * bias gradient's shape, the same 16 MB as 131072 rows of 32 channels, over its rows.
 *
 * <pre>{@code ./vecgrad bench ReductionBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s}</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES, "-Xms4g", "-Xmx4g"})
public class ReductionBenchmark {
    private static final int[] ROW_AXIS = {1};
    private static final int[] COLUMN_AXIS = {0};
    private static final int NARROW_COLUMNS = 32;

    /** Rows of the matrix. */
    @Param({"4096"})
    public int rows;

    /** Columns of the matrix. */
    @Param({"1024"})
    public int cols;

    /** Which kernels the engine uses: {@code vector} or {@code scalar}. */
    @Param({"vector"})
    public String kernels;

    private Tensor x;
    private Tensor narrow;
    private float[] xa;
    private float[] out;
    private Kernels k;

    /** One thread, the chosen kernels, and fixed-seed normal inputs (std 3). */
    @Setup(Level.Trial)
    public void setUp() {
        Engine.configure("scalar".equals(kernels) ? Engine.KernelChoice.SCALAR : Engine.KernelChoice.VECTOR, 1);
        k = Engine.get().kernels();
        x = Tensor.randomNormal(new Rng(3), 0, 3, rows, cols);
        xa = TensorInternals.f32(x);
        narrow = x.reshape(rows * cols / NARROW_COLUMNS, NARROW_COLUMNS);
        out = new float[rows * cols];
    }

    /** Puts the engine back to its defaults for whatever runs next in this JVM. */
    @TearDown(Level.Trial)
    public void tearDown() {
        Engine.configure(Engine.KernelChoice.AUTO, Runtime.getRuntime().availableProcessors());
    }

    /** Baseline: copies the whole matrix, reading and writing 16 MB. */
    @Benchmark
    public float[] copyBaseline() {
        System.arraycopy(xa, 0, out, 0, rows * cols);
        return out;
    }

    /** The sum of every element, as a rank-0 tensor. */
    @Benchmark
    public Tensor sumAll() {
        return x.sum(null, false);
    }

    /** The same sum as the bare kernel over the array. */
    @Benchmark
    public float sumAllKernel() {
        return k.reduce(Primitives.SUM, xa, 0, rows * cols);
    }

    /** Each row's sum (along the contiguous axis). */
    @Benchmark
    public Tensor sumOverRows() {
        return x.sum(ROW_AXIS, false);
    }

    /** Each column's sum (across rows). */
    @Benchmark
    public Tensor sumOverColumns() {
        return x.sum(COLUMN_AXIS, false);
    }

    /** Each of the 32 columns' sum over the matrix seen as rows of 32: a bias gradient. */
    @Benchmark
    public Tensor sumNarrowColumns() {
        return narrow.sum(COLUMN_AXIS, false);
    }

    /** Softmax along each row. */
    @Benchmark
    public Tensor softmaxRows() {
        return x.softmax(-1);
    }

    /** The same softmax as the bare row kernel, into a preallocated output. */
    @Benchmark
    public float[] softmaxRowsKernel() {
        k.softmaxRows(xa, 0, out, 0, rows, cols);
        return out;
    }
}
