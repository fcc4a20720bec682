package dev.vecgrad.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.cli.spi.ClusterTraining;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The modules export their API and nothing else: the command-line trainer and the worked examples
 * are applications, not library packages, and the core's internals (raw tensor arrays, a
 * variable's storage) reach the engine's own autodiff and train modules alone. The core reads
 * only {@code java.base} and the Vector API; painting pictures ({@code java.desktop}) is train's. Read
 * from the compiled {@code module-info.class} of each module (the tests run on the class path,
 * where module boundaries are not enforced).
 */
class ModuleSurfaceTest {
    @Test
    void theTrainerExportsItsLibraryPackagesButNotTheCommandLineOrTheExamples() throws Exception {
        Map<String, Set<String>> exports = exports(Model.class);
        assertThat(exports).doesNotContainKeys("dev.vecgrad.train.cli", "dev.vecgrad.train.examples");
        assertThat(exports).containsKeys("dev.vecgrad.train", "dev.vecgrad.train.layers", "dev.vecgrad.train.callbacks",
                "dev.vecgrad.train.optimizers", "dev.vecgrad.train.losses", "dev.vecgrad.train.metrics",
                "dev.vecgrad.train.data", "dev.vecgrad.train.registry");
        assertThat(exports.values()).allSatisfy(to -> assertThat(to).isEmpty());
        assertThat(descriptor(Model.class).packages()).contains("dev.vecgrad.train.cli", "dev.vecgrad.train.examples");
    }

    @Test
    void theTrainersClusterServiceInterfaceIsExportedFromAPackageOfItsOwn() throws Exception {
        assertThat(exports(Model.class)).containsEntry("dev.vecgrad.train.cli.spi", Set.of());
        assertThat(descriptor(Model.class).uses()).containsExactly(ClusterTraining.class.getName());
    }

    @Test
    void theCoreInternalsReachTheEnginesOwnModulesAlone() throws Exception {
        Map<String, Set<String>> exports = exports(Tensor.class);
        assertThat(exports).containsEntry("dev.vecgrad.core.internal", Set.of("dev.vecgrad.autodiff", "dev.vecgrad.train"));
        assertThat(exports).containsEntry("dev.vecgrad.core", Set.of());
        assertThat(exports(GradientTape.class)).containsEntry("dev.vecgrad.autodiff", Set.of());
    }

    @Test
    void theCoreReadsNothingOfTheJdkButTheBaseAndTheVectorApi() throws Exception {
        Set<String> requires = descriptor(Tensor.class).requires().stream().map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet());
        assertThat(requires).containsExactlyInAnyOrder("java.base", "jdk.incubator.vector");
        assertThat(descriptor(Model.class).requires().stream().map(ModuleDescriptor.Requires::name))
                .contains("java.desktop");
        assertThat(exports(Model.class)).containsKey("dev.vecgrad.train.plot");
    }

    /** Each exported package of the module holding {@code type}, with the modules it is exported to (none: all). */
    private static Map<String, Set<String>> exports(Class<?> type) throws URISyntaxException {
        return descriptor(type).exports().stream()
                .collect(Collectors.toMap(Exports::source, Exports::targets, (a, b) -> a, TreeMap::new));
    }

    private static ModuleDescriptor descriptor(Class<?> type) throws URISyntaxException {
        Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<ModuleDescriptor> found = ModuleFinder.of(location).findAll().stream().map(m -> m.descriptor()).toList();
        assertThat(found).as("the module at " + location).hasSize(1);
        assertThat(found.get(0).isAutomatic()).as(location + " has a module-info.class").isFalse();
        return found.get(0);
    }
}
