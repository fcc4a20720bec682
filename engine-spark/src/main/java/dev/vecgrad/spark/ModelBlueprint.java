package dev.vecgrad.spark;

import dev.vecgrad.core.io.VersionedDirectory;
import dev.vecgrad.train.Model;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How an executor makes its copy of the driver's model: the user's {@link ModelFactory}, or the
 * files {@code model.save} writes, carried as bytes and loaded from a private temporary directory.
 */
final class ModelBlueprint implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ModelFactory factory;
    private final LinkedHashMap<String, byte[]> files;
    private final int[] inputDims;

    private ModelBlueprint(ModelFactory factory, LinkedHashMap<String, byte[]> files, int[] inputDims) {
        this.factory = factory;
        this.files = files;
        this.inputDims = inputDims;
    }

    /**
     * The blueprint of {@code model} (compiled, built for inputs of {@code featureShape}): its saved
     * files, or {@code factory} when one is given.
     */
    static ModelBlueprint of(Model model, ModelFactory factory, int[] featureShape) {
        int[] dims = new int[featureShape.length + 1];
        dims[0] = 1;
        System.arraycopy(featureShape, 0, dims, 1, featureShape.length);
        if (!model.isBuilt()) {
            model.build(dims);
        }
        if (factory != null) {
            return new ModelBlueprint(factory, null, dims);
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("vecgrad-blueprint");
            Path saved = dir.resolve("model");
            model.save(saved);
            // The files of the one save in the model directory; Model.load reads such a save's directory as it is.
            Path save = VersionedDirectory.current(saved);
            LinkedHashMap<String, byte[]> files = new LinkedHashMap<>();
            try (Stream<Path> list = Files.list(save)) {
                for (Path f : list.sorted().toList()) {
                    files.put(f.getFileName().toString(), Files.readAllBytes(f));
                }
            }
            return new ModelBlueprint(null, files, dims);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save model '" + model.name() + "' to ship it to the workers", e);
        } finally {
            deleteTree(dir);
        }
    }

    /** A new compiled model, built, with the driver's architecture (its weights are replaced later). */
    Model build() {
        Model m = factory != null ? factory.create() : load();
        if (m == null) {
            throw new IllegalStateException("the ModelFactory returned null");
        }
        if (!m.isCompiled()) {
            throw new IllegalStateException("model '" + m.name() + "' made on the worker is not compiled"
                    + (factory != null ? "; the ModelFactory must compile it"
                    : " (its optimizer or loss is not a built-in; give the strategy a ModelFactory)"));
        }
        if (!m.isBuilt()) {
            m.build(inputDims);
        }
        return m;
    }

    private Model load() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("vecgrad-replica");
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(dir.resolve(f.getKey()), f.getValue());
            }
            return Model.load(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rebuild the model on this worker: " + e.getMessage(), e);
        } finally {
            deleteTree(dir);
        }
    }

    /** The input shape the workers build for, a batch of one first. */
    int[] inputDims() {
        return inputDims.clone();
    }

    @Override
    public String toString() {
        return factory != null ? "ModelBlueprint(factory " + factory + ")"
                : "ModelBlueprint(" + files.keySet() + ", input " + Arrays.toString(inputDims) + ")";
    }

    /** Deletes the temporary directory this class made (its files only). */
    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A temporary directory left behind is harmless; the system's cleaner takes it.
        }
    }
}
