package dev.vecgrad.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The README and every page of {@code docs/} as a newcomer reads them: each Java block compiles as
 * it is copied, each output it states is what it prints, each command runs on the machine the
 * README describes, each page is reachable from the README, and each link between them leads to a
 * file, and heading, that exist.
 *
 * <p>A {@code ```java} block is one of two things:
 * <ul>
 *   <li>an <b>example</b>: its imports first, then statements and, if it needs them, whole type
 *       declarations (a class at the left margin, closed by a brace there). It is compiled on
 *       its own against every module. A line {@code System.out.println(expr);   // text} states its
 *       output: the block is then run, and what {@code expr} prints must be {@code text} or end in
 *       it, after a line break or space (so {@code // [12., 30.]} states a tensor's values without
 *       its header line; runs of white space compare as one space).</li>
 *   <li>an <b>excerpt</b> of the engine's code, whose first line is {@code // from PATH} (a file of
 *       the repository): every code line of it (white space, trailing comments, {@code ...} lines
 *       aside) occurs in that file, in order.</li>
 * </ul>
 *
 * <p>The test lives in engine-spark because its test class path is the only one that holds every
 * module the pages use. It is public only so that compiled examples can report what they print.
 */
public class DocsExamplesTest {
    private static final Path ROOT = repositoryRoot();
    private static final Pattern FROM = Pattern.compile("^//\\s*from\\s+(\\S+)\\s*$");
    private static final Pattern STATED_OUTPUT =
            Pattern.compile("^(\\s*)System\\.out\\.println\\((.*)\\);\\s*//\\s*(.+)$");
    private static final Pattern TYPE_DECLARATION =
            Pattern.compile("^((public|protected|private|abstract|final|static|sealed|non-sealed)\\s+)*"
                    + "(class|record|interface|enum)\\s+\\w+.*");
    private static final Pattern BARE_JAVA =
            Pattern.compile("(^|[\\s`{(])java\\s+(-jar|--add-modules|-p\\s|-cp\\s|--module-path|-classpath)");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]*)(?:#([^)\\s]*))?\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*$");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`\\n]*`");

    /** One Java block of a page: where it starts, and its lines. */
    record Block(Path page, int line, List<String> lines) {
        String where() {
            return ROOT.relativize(page) + ":" + line;
        }
    }

    @TestFactory
    Stream<DynamicTest> everyJavaBlockCompilesOrIsTheCodeItQuotes() {
        return pages().stream().flatMap(page -> javaBlocks(page).stream())
                .map(b -> DynamicTest.dynamicTest(b.where(), () -> check(b)));
    }

    @Test
    void noPageOrJavadocTellsTheReaderToRunABareJava() throws IOException {
        List<Path> files = new ArrayList<>(pages());
        try (Stream<Path> sources = Files.walk(ROOT)) {
            sources.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
                    .forEach(files::add);
        }
        List<String> bare = new ArrayList<>();
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                if (BARE_JAVA.matcher(lines.get(i)).find()) {
                    bare.add(ROOT.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertThat(bare).as("the default java may be older than 25: use ./vecgrad bench / ./vecgrad run").isEmpty();
    }

    @Test
    void everyPageIsReachableFromTheReadme() throws IOException {
        Set<Path> reached = new LinkedHashSet<>();
        ArrayDeque<Path> todo = new ArrayDeque<>(List.of(ROOT.resolve("README.md")));
        while (!todo.isEmpty()) {
            Path page = todo.pop().normalize();
            if (!reached.add(page)) {
                continue;
            }
            Matcher m = LINK.matcher(Files.readString(page));
            while (m.find()) {
                if (m.group(1).endsWith(".md") && !m.group(1).contains("://")) {
                    Path target = page.getParent().resolve(m.group(1)).normalize();
                    assertThat(target).as("link in " + ROOT.relativize(page)).exists();
                    todo.push(target);
                }
            }
        }
        assertThat(reached).containsAll(pages());
    }

    @Test
    void everyLinkOfAPageLeadsToAFileAndHeadingThatExist() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            String prose = INLINE_CODE.matcher(String.join("\n", proseLines(page))).replaceAll("");
            Matcher m = LINK.matcher(prose);
            while (m.find()) {
                String file = m.group(1);
                String fragment = m.group(2);
                if (file.contains("://")) {
                    broken.add(ROOT.relativize(page) + ": " + m.group() + " leaves the repository");
                    continue;
                }
                Path target = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!Files.exists(target)) {
                    broken.add(ROOT.relativize(page) + ": " + m.group() + " names no file");
                } else if (fragment != null && target.toString().endsWith(".md") && !anchors(target).contains(fragment)) {
                    broken.add(ROOT.relativize(page) + ": " + m.group() + " names no heading of " + ROOT.relativize(target));
                }
            }
        }
        assertThat(broken).as("links between the pages").isEmpty();
    }

    /** A page's lines outside its fenced code blocks. */
    private static List<String> proseLines(Path page) throws IOException {
        List<String> prose = new ArrayList<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(page)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced) {
                prose.add(line);
            }
        }
        return prose;
    }

    /**
     * The anchors of a page's headings as GitHub makes them: lower case, without the characters
     * that are neither letters, digits, spaces, hyphens nor underscores, spaces turned to hyphens, and
     * a repeated anchor numbered ("-1", "-2").
     */
    private static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : proseLines(page)) {
            Matcher h = HEADING.matcher(line);
            if (h.matches()) {
                String slug = h.group(1).replace("`", "").toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{M}\\p{N}_ -]", "").replace(' ', '-');
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(n == 0 ? slug : slug + "-" + n);
            }
        }
        return anchors;
    }

    /**
     * Javadoc examples written inline ({@code <pre>{@code ...}</pre>} holding Java statements) compile
     * with their file's imports and package, except that they may name variables they do not declare
     * ({@code model}, {@code x}): everything else (constructors, methods, types, declarations) must
     * resolve. Examples with a {@code {@snippet}} from test sources are compiled and run in full.
     */
    @TestFactory
    Stream<DynamicTest> everyInlineJavadocExampleCompilesApartFromTheVariablesItAssumes() throws IOException {
        List<Example> examples = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(ROOT)) {
            for (Path f : sources.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/")
                    && !p.toString().contains("/target/")).sorted().toList()) {
                examples.addAll(javadocExamples(f));
            }
        }
        Compiled compiled = compile(examples);
        return examples.stream().map(e -> DynamicTest.dynamicTest(e.block().where(), () -> {
            List<String> errors = compiled.errors().getOrDefault(e.className(), List.of()).stream()
                    .filter(m -> !m.contains("symbol:   variable ")).toList();
            assertThat(errors).as("the Javadoc example does not compile (the variables it names may be undeclared):\n"
                    + e.source()).isEmpty();
        }));
    }

    /**
     * Each {@code {@snippet class=C region=R}} names a test class of the same module that holds the
     * region (the build compiles and runs it there; {@code javadoc --snippet-path src/test/java} shows it).
     */
    @Test
    void everyJavadocSnippetNamesARegionOfATestInItsModule() throws IOException {
        Pattern snippet = Pattern.compile("\\{@snippet class=([\\w.]+) region=([\\w-]+)}");
        List<String> missing = new ArrayList<>();
        int found = 0;
        try (Stream<Path> sources = Files.walk(ROOT)) {
            for (Path f : sources.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/")
                    && !p.toString().contains("/target/")).toList()) {
                Matcher m = snippet.matcher(Files.readString(f));
                while (m.find()) {
                    found++;
                    Path module = Path.of(f.toString().substring(0, f.toString().indexOf("/src/main/java/")));
                    Path test = module.resolve("src/test/java").resolve(m.group(1).replace('.', '/') + ".java");
                    if (!Files.exists(test) || !Files.readString(test).contains("// @start region=" + m.group(2) + "\n")) {
                        missing.add(ROOT.relativize(f) + ": " + m.group());
                    }
                }
            }
        }
        assertThat(found).isPositive();
        assertThat(missing).as("snippets whose region is not in the module's test sources").isEmpty();
    }

    /** The inline Java examples of a source file, wrapped with the file's imports and its package's types. */
    static List<Example> javadocExamples(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String pkg = lines.stream().filter(l -> l.startsWith("package ")).findFirst()
                .map(l -> l.substring(8, l.indexOf(';'))).orElse("");
        List<String> header = new ArrayList<>(lines.stream().filter(l -> l.startsWith("import ")).toList());
        header.add("import " + pkg + ".*;");
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int open = lines.get(i).indexOf("<pre>{@code");
            if (open < 0) {
                continue;
            }
            List<String> code = new ArrayList<>();
            String first = lines.get(i).substring(open + "<pre>{@code".length());
            int j = i;
            String line = first;
            while (true) {
                int close = line.indexOf("}</pre>");
                String text = close >= 0 ? line.substring(0, close) : line;
                if (!text.isBlank()) {
                    code.add(text.replace("{@literal @}", "@").replace("&#64;", "@"));
                }
                if (close >= 0 || ++j >= lines.size()) {
                    break;
                }
                line = lines.get(j).replaceFirst("^\\s*\\*( |$)", "");
            }
            if (code.stream().anyMatch(l -> l.contains(";"))) {
                List<String> unit = new ArrayList<>(header);
                unit.add("");
                unit.addAll(code);
                examples.add(Example.of(new Block(file, i + 1, unit)));
            }
            i = j;
        }
        return examples;
    }

    private static void check(Block b) throws Exception {
        Matcher from = FROM.matcher(b.lines().getFirst().strip());
        if (from.matches()) {
            checkExcerpt(b, ROOT.resolve(from.group(1)));
        } else {
            compileAndRun(b);
        }
    }

    /** Each code line of the excerpt occurs in the file, in order. */
    private static void checkExcerpt(Block b, Path file) throws IOException {
        assertThat(file).as(b.where() + ": the quoted file").isRegularFile();
        List<String> source = Files.readAllLines(file).stream().map(DocsExamplesTest::code).toList();
        int at = 0;
        for (String line : b.lines().subList(1, b.lines().size())) {
            String code = code(line);
            if (code.isEmpty() || code.equals("...")) {
                continue;
            }
            int found = -1;
            for (int i = at; i < source.size() && found < 0; i++) {
                if (source.get(i).equals(code)) {
                    found = i;
                }
            }
            assertThat(found).as(b.where() + ": this line is not in " + ROOT.relativize(file)
                    + " (after line " + at + "): " + line.strip()).isNotNegative();
            at = found + 1;
        }
    }

    /** A line without its trailing comment, white space runs as one space. */
    private static String code(String line) {
        int comment = line.indexOf("//");
        String code = comment >= 0 && !line.substring(0, comment).contains("\"") ? line.substring(0, comment) : line;
        return code.strip().replaceAll("\\s+", " ");
    }

    /** An example block as javac sees it: its imports, then a class whose {@code run()} holds its statements. */
    record Example(Block block, String className, String source, boolean statesOutput) {
        static Example of(Block b) {
            String className = "Example_" + b.page().getFileName().toString().replaceAll("\\W", "_") + "_" + b.line()
                    + "_" + Integer.toHexString(b.page().toString().hashCode());
            StringBuilder imports = new StringBuilder();
            StringBuilder types = new StringBuilder();
            StringBuilder body = new StringBuilder();
            boolean states = false;
            boolean inType = false;
            for (String line : b.lines()) {
                if (!inType && body.isEmpty() && types.isEmpty() && (line.startsWith("import ") || line.isBlank())) {
                    imports.append(line).append('\n');
                    continue;
                }
                if (!inType && TYPE_DECLARATION.matcher(line).matches()) {
                    inType = true;
                    line = line.replaceFirst("\\b(class|record|interface|enum)\\b", "static $1");
                }
                if (inType) {
                    types.append(line).append('\n');
                    inType = !line.equals("}");
                    continue;
                }
                Matcher out = STATED_OUTPUT.matcher(line);
                if (out.matches()) {
                    states = true;
                    line = out.group(1) + DocsExamplesTest.class.getName() + ".printed(String.valueOf(" + out.group(2)
                            + "), \"" + out.group(3).strip().replace("\\", "\\\\").replace("\"", "\\\"") + "\", \""
                            + b.where() + "\");";
                }
                body.append(line).append('\n');
            }
            String source = imports + "public final class " + className + " {\n"
                    + "public static void run() throws Exception {\n" + body + "}\n" + types + "}\n";
            return new Example(b, className, source, states);
        }
    }

    /** What javac made of a set of examples: class bytes by name, and error messages by example class. */
    record Compiled(Map<String, byte[]> classes, Map<String, List<String>> errors) {
    }

    /** Every example of every page, compiled in one javac run (one run costs seconds; each block one is too slow). */
    private static final class AllExamples {
        static final Compiled COMPILED = compile(pages().stream().flatMap(p -> javaBlocks(p).stream())
                .filter(b -> !FROM.matcher(b.lines().getFirst().strip()).matches()).map(Example::of).toList());
    }

    /** Compiles the example as a reader would paste it; runs it when it states an output. */
    private static void compileAndRun(Block b) throws Exception {
        Example example = Example.of(b);
        List<String> errors = new ArrayList<>(AllExamples.COMPILED.errors().getOrDefault("", List.of())); // none of one unit
        errors.addAll(AllExamples.COMPILED.errors().getOrDefault(example.className(), List.of()));
        assertThat(errors).as("the page's example does not compile as a reader copies it:\n" + example.source()).isEmpty();
        if (!example.statesOutput()) {
            return;
        }
        Map<String, byte[]> classes = AllExamples.COMPILED.classes();
        ClassLoader loader = new ClassLoader(DocsExamplesTest.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] bytes = classes.get(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, bytes, 0, bytes.length);
            }
        };
        PrintStream console = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        try {
            loader.loadClass(example.className()).getMethod("run").invoke(null);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw (Exception) e.getCause();
        } finally {
            System.setOut(console);
        }
    }

    /** Called by a compiled example where the page states what a {@code println} prints. */
    public static void printed(String actual, String stated, String where) {
        String printed = actual.strip().replaceAll("\\s+", " ");
        assertThat(printed.equals(stated) || printed.endsWith(" " + stated))
                .as(where + ": the page says this prints " + stated + ", it prints " + printed).isTrue();
    }

    /**
     * Compiles the examples in one javac run. A syntax error in one unit stops javac before it checks
     * the others, so the units without errors are compiled again on their own.
     */
    private static Compiled compile(List<Example> examples) {
        Compiled first = compileOnce(examples);
        List<Example> clean = examples.stream().filter(e -> !first.errors().containsKey(e.className())).toList();
        if (first.errors().isEmpty() || clean.isEmpty()) {
            return first;
        }
        Compiled second = compileOnce(clean);
        Map<String, List<String>> errors = new HashMap<>(first.errors());
        errors.putAll(second.errors());
        return new Compiled(second.classes(), errors);
    }

    private static Compiled compileOnce(List<Example> examples) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, ByteArrayOutputStream> out = new HashMap<>();
        try (StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
                JavaFileManager files = new ForwardingJavaFileManager<>(standard) {
                    @Override
                    public JavaFileObject getJavaFileForOutput(Location location, String name, JavaFileObject.Kind kind,
                            FileObject sibling) {
                        return new SimpleJavaFileObject(URI.create("mem:///" + name.replace('.', '/') + kind.extension), kind) {
                            @Override
                            public OutputStream openOutputStream() {
                                return out.computeIfAbsent(name, n -> new ByteArrayOutputStream());
                            }
                        };
                    }
                }) {
            List<JavaFileObject> units = new ArrayList<>();
            for (Example e : examples) {
                units.add(new SimpleJavaFileObject(URI.create("mem:///" + e.className() + ".java"), JavaFileObject.Kind.SOURCE) {
                    @Override
                    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                        return e.source();
                    }
                });
            }
            List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-proc:none",
                    "-implicit:none", "-Xlint:none", "--add-modules", "jdk.incubator.vector");
            javac.getTask(null, files, diagnostics, options, null, units).call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, List<String>> errors = new HashMap<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                String unit = d.getSource() == null ? "" : Path.of(d.getSource().toUri().getPath()).getFileName().toString()
                        .replace(".java", "");
                errors.computeIfAbsent(unit, u -> new ArrayList<>())
                        .add("line " + d.getLineNumber() + " of the source below: " + d.getMessage(Locale.ROOT));
            }
        }
        Map<String, byte[]> classes = new HashMap<>();
        out.forEach((name, bytes) -> classes.put(name, bytes.toByteArray()));
        return new Compiled(classes, errors);
    }

    /** README.md and every page under docs/. */
    static List<Path> pages() {
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            TreeSet<Path> pages = new TreeSet<>();
            pages.add(ROOT.resolve("README.md"));
            docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
            return List.copyOf(pages);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code ```java} blocks of a page. */
    static List<Block> javaBlocks(Path page) {
        try {
            List<String> lines = Files.readAllLines(page);
            List<Block> blocks = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).strip().equals("```java")) {
                    int start = i + 1;
                    int end = start;
                    while (end < lines.size() && !lines.get(end).strip().equals("```")) {
                        end++;
                    }
                    blocks.add(new Block(page, start + 1, List.copyOf(lines.subList(start, end))));
                    i = end;
                }
            }
            return blocks;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository's root: the nearest directory above the working directory with a README.md. */
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no README.md above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
