package dev.vecgrad.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library writes nothing to standard output or error of its own accord: what it has to say
 * goes through {@link System.Logger}, and printing is left to callbacks the user chooses and can
 * replace ({@code ProgbarLogger}), the command line and the examples, which are programs, not
 * library code.
 */
class LibraryOutputTest {
    /** Main sources that may print: programs, and the progress bar callback (which prints where it is told). */
    private static final Set<String> MAY_PRINT = Set.of("dev/vecgrad/train/cli/", "dev/vecgrad/train/examples/",
            "dev/vecgrad/train/callbacks/ProgbarLogger.java");

    @Test
    void libraryCodeNeverPrintsNorDumpsStackTraces() throws IOException {
        List<String> found = new ArrayList<>();
        Path root = Path.of("..").toAbsolutePath().normalize();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main/java"))).toList()) {
                Path sources = module.resolve("src/main/java");
                try (Stream<Path> files = Files.walk(sources)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                        String rel = sources.relativize(f).toString().replace('\\', '/');
                        if (MAY_PRINT.stream().anyMatch(rel::startsWith) || module.getFileName().toString().equals("benchmarks")) {
                            continue;
                        }
                        List<String> lines = Files.readAllLines(f);
                        for (int i = 0; i < lines.size(); i++) {
                            String line = lines.get(i).strip();
                            if (line.startsWith("*") || line.startsWith("//")) {
                                continue; // Javadoc examples and comments
                            }
                            if (line.contains("System.out") || line.contains("System.err") || line.contains("printStackTrace")) {
                                found.add(module.getFileName() + "/" + rel + ":" + (i + 1) + ": " + line);
                            }
                        }
                    }
                }
            }
        }
        assertThat(found).as("library code that prints instead of logging").isEmpty();
    }
}
