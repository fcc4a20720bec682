package dev.vecgrad.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.io.Npy;
import dev.vecgrad.train.FitOptions;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.layers.Flatten;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uses vecgrad as another project would. {@code example/} is a separate application (its own
 * {@code pom.xml} naming engine-train's Maven coordinates, its own module): it is compiled with
 * javac against the engine's jars, the jars {@code mvn install} installs, and run in a fresh JVM on
 * the class path (with {@code --add-modules jdk.incubator.vector}) and on the module path (with no
 * flag). Each run must print the classes that the same saved model predicts in this JVM. The
 * README's section on using vecgrad from another project shows this example and these coordinates;
 * the test checks that they are the same.
 */
class ConsumerProjectTest {
    private static final Path EXAMPLE = Path.of("example");
    private static final Path README = Path.of("..", "README.md");
    private static final String MAIN_MODULE = "com.example.predict";
    private static final String MAIN_CLASS = "com.example.predict.Predict";
    private static final String NO_VECTOR_API = "jdk.incubator.vector is not present";

    @TempDir
    Path tmp;

    @Test
    void theExampleApplicationPredictsWhatTheEngineDoesOnTheClassPathAndOnTheModulePath() throws Exception {
        List<Path> engine = engineJars();
        Path classes = compileExample(engine);

        Sequential model = new Sequential("digits").add(new Flatten()).add(new Dense(16)).add(new Dense(10));
        model.setSeed(3);
        model.compile("adam", "mse");
        Tensor x = Tensor.randomUniform(new Rng(1), 0f, 1f, 64, 28, 28, 1);
        model.fit(FitOptions.of(x, Tensor.randomUniform(new Rng(2), 0f, 1f, 64, 10)).epochs(1).batchSize(16)
                .verbose(0));
        Path saved = tmp.resolve("model");
        Path images = tmp.resolve("images.npy");
        model.save(saved);
        Npy.write(images, x);
        int[] predicted = model.predict(x, 64).argmax(1).toIntArray();
        assertThat(Arrays.stream(predicted).distinct().count()).as("a test that tells classes apart").isGreaterThan(2);
        String expected = Arrays.toString(predicted);

        String path = Stream.concat(Stream.of(classes), engine.stream()).map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator));
        Run onClassPath = run("classpath", "--add-modules", "jdk.incubator.vector", "-cp", path, MAIN_CLASS,
                saved.toString(), images.toString());
        Run onModulePath = run("modulepath", "-p", path, "-m", MAIN_MODULE + "/" + MAIN_CLASS, saved.toString(),
                images.toString());
        for (Run r : List.of(onClassPath, onModulePath)) {
            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(r.stdout().strip()).isEqualTo(expected);
            assertThat(r.stderr()).doesNotContain(NO_VECTOR_API);
        }
        // The flag is what the class path needs: without it the engine falls back to scalar kernels and says so.
        Run withoutFlag = run("noflag", "-cp", path, MAIN_CLASS, saved.toString(), images.toString());
        assertThat(withoutFlag.exit()).as(withoutFlag.stderr()).isZero();
        assertThat(withoutFlag.stderr()).contains(NO_VECTOR_API);
    }

    @Test
    void theReadmeShowsTheExampleAndItsCoordinates() throws IOException {
        String pom = Files.readString(EXAMPLE.resolve("pom.xml"));
        String dependency = firstMatch(Pattern.compile("(?s)<dependency>.*?</dependency>"), pom, "example/pom.xml");
        assertThat(normalize(dependency)).isEqualTo(normalize("""
                <dependency>
                  <groupId>dev.vecgrad</groupId>
                  <artifactId>engine-train</artifactId>
                  <version>%s</version>
                </dependency>""".formatted(System.getProperty("vecgrad.version"))));

        String readme = Files.readString(README);
        String section = firstMatch(Pattern.compile("(?s)## Using vecgrad from another project\n(.*?)(\n## |$)"), readme,
                "README.md");
        assertThat(normalize(section)).contains(normalize(dependency));
        String code = firstMatch(Pattern.compile("(?s)```java\n(.*?)```"), section, "README.md's example");
        String source = Files.readString(EXAMPLE.resolve("src/main/java/com/example/predict/Predict.java"));
        assertThat(normalize(source)).contains(normalize(code));
    }

    /** The engine's modular jars on this test's class path (the reactor's, or the installed ones). */
    private static List<Path> engineJars() {
        List<Path> found = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p) && !Files.exists(p.resolve("module-info.class"))) {
                continue;
            }
            try {
                for (ModuleReference m : ModuleFinder.of(p).findAll()) {
                    if (!m.descriptor().isAutomatic() && m.descriptor().name().startsWith("dev.vecgrad.")) {
                        found.add(p);
                    }
                }
            } catch (FindException e) {
                // not a module (a jar whose name gives no module name): not one of ours
            }
        }
        assertThat(found).extracting(p -> ModuleFinder.of(p).findAll().iterator().next().descriptor().name())
                .containsExactlyInAnyOrder("dev.vecgrad.core", "dev.vecgrad.autodiff", "dev.vecgrad.train");
        return found;
    }

    /** Compiles {@code example/src/main/java} as the module it declares, against {@code engine}. */
    private Path compileExample(List<Path> engine) throws IOException {
        Path out = Files.createDirectories(tmp.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "--module-path",
                engine.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator))));
        try (Stream<Path> files = Files.walk(EXAMPLE.resolve("src/main/java"))) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        int status = javac.run(null, messages, messages, args.toArray(String[]::new));
        assertThat(status).as(messages.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.resolve("module-info.class")).exists();
        return out;
    }

    private record Run(int exit, String stdout, String stderr) {
    }

    /** Runs a fresh JVM (this one's JDK) with {@code args}; its output goes to files, not pipes. */
    private Run run(String name, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(args));
        Path stdout = tmp.resolve(name + ".out");
        Path stderr = tmp.resolve(name + ".err");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(name + ": the example did not finish within 180 s");
        }
        return new Run(p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    private static String firstMatch(Pattern pattern, String text, String where) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as(where + " should hold " + pattern).isTrue();
        return m.groupCount() == 0 ? m.group() : m.group(1);
    }

    /** {@code text} with every run of white space made one space, so indentation does not matter. */
    private static String normalize(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }
}
