package dev.vecgrad.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Every benchmark forks with the flags vecgrad's launcher runs the JVM with. */
class ForkFlagsTest {

    /** The JVM arguments of one benchmark's fork, as JMH's generated list records them. */
    private static List<String> forkArgs(BenchmarkListEntry entry) {
        List<String> args = new ArrayList<>();
        for (var part : List.of(entry.getJvmArgsPrepend(), entry.getJvmArgs(), entry.getJvmArgsAppend())) {
            args.addAll(part.orElse(List.<String>of()));
        }
        return args;
    }

    private static Set<BenchmarkListEntry> benchmarks() {
        PrintStream silent = new PrintStream(OutputStream.nullOutputStream());
        return BenchmarkList.defaultList().getAll(OutputFormatFactory.createFormatInstance(silent, VerboseMode.SILENT), List.of());
    }

    @Test
    void everyBenchmarkForksWithTheVectorModuleAndHugePages() {
        Set<BenchmarkListEntry> all = benchmarks();
        assertThat(all).extracting(BenchmarkListEntry::getUserClassQName)
            .contains(GemmBenchmark.class.getName(), ElementwiseBenchmark.class.getName(), YourKernelBenchmark.class.getName());
        for (BenchmarkListEntry entry : all) {
            assertThat(forkArgs(entry)).as(entry.getUsername())
                .contains(ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES);
        }
    }

    @Test
    void theSharedFlagsComeFirstAndAtMostOneCollectorIsNamed() {
        for (BenchmarkListEntry entry : benchmarks()) {
            List<String> args = forkArgs(entry);
            assertThat(args.subList(0, 2)).as(entry.getUsername()).containsExactly(ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES);
            Collection<String> collectors = args.stream().filter(a -> a.matches("-XX:\\+Use\\w+GC")).toList();
            assertThat(collectors).as(entry.getUsername()).hasSizeLessThanOrEqualTo(1);
        }
    }

    @Test
    void elementwiseTensorOpsForkWithAPreTouchedHeapAndTheKernelsWithout() {
        List<String> tensorOps = new ArrayList<>();
        for (BenchmarkListEntry entry : benchmarks()) {
            if (!entry.getUserClassQName().equals(ElementwiseBenchmark.class.getName())) {
                continue;
            }
            String method = entry.getUsername().substring(entry.getUsername().lastIndexOf('.') + 1);
            boolean preallocated = method.endsWith("Kernel") || method.endsWith("Baseline");
            if (!preallocated) {
                tensorOps.add(method);
            }
            assertThat(forkArgs(entry).contains(ForkFlags.PRE_TOUCH)).as(method).isEqualTo(!preallocated);
        }
        assertThat(tensorOps).contains("add", "addInPool", "tanh", "geluInPool");
    }

    @Test
    void theLauncherRunsTheJvmWithTheSameFlags() throws IOException {
        String launcher = Files.readString(Path.of("..", "vecgrad"));
        assertThat(launcher).contains("--add-modules jdk.incubator.vector", ForkFlags.HUGE_PAGES, ForkFlags.SERIAL_GC);
    }
}
