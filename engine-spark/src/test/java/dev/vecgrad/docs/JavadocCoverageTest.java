package dev.vecgrad.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every public and protected type, method, constructor and field in the repository's main sources
 * (the engine's modules, the benchmarks and the example project) has a Javadoc comment: javac's
 * doclint, with only its "missing" check on, finds none without. test-support is left out: its one
 * class is a jqwik hook, and jqwik is not on this class path. The check also runs on a source of
 * its own, so that a doclint that no longer reports fails here rather than passes.
 */
class JavadocCoverageTest {
    private static final Path ROOT = DocsExamplesTest.repositoryRoot();

    @Test
    void everyPublicDeclarationHasAComment() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(ROOT)) {
            sources = files.filter(p -> p.toString().endsWith(".java") && !p.endsWith("module-info.java")
                    && p.toString().contains("/src/main/java/") && !p.toString().contains("/target/")
                    && !p.startsWith(ROOT.resolve("test-support"))).toList();
        }
        assertThat(sources).as("main sources found").hasSizeGreaterThan(300);
        List<String> missing = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            check(javac, files.getJavaFileObjectsFromPaths(sources), missing, errors);
        }
        assertThat(errors).as("the sources compile").isEmpty();
        assertThat(missing).as("public declarations without a Javadoc comment").isEmpty();
    }

    @Test
    void theCheckFindsADeclarationWithoutAComment() {
        JavaFileObject source = new SimpleJavaFileObject(URI.create("string:///demo/Undocumented.java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return "package demo;\n/** Documented. */\npublic class Undocumented {\n    public int x;\n}\n";
            }
        };
        List<String> missing = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        check(ToolProvider.getSystemJavaCompiler(), List.of(source), missing, errors);
        assertThat(errors).isEmpty();
        assertThat(missing).hasSize(1).allMatch(m -> m.contains("Undocumented.java:4"));
    }

    /** Runs doclint's "missing" check over {@code units} (no class files written). */
    private static void check(JavaCompiler javac, Iterable<? extends JavaFileObject> units, List<String> missing,
            List<String> errors) {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-proc:none",
                "-implicit:none", "-Xlint:none", "--add-modules", "jdk.incubator.vector",
                "-Xdoclint:missing/protected", "-Xmaxwarns", "100000", "-XDshould-stop.ifNoError=FLOW");
        javac.getTask(null, null, diagnostics, options, null, units).call();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            String where = (d.getSource() == null ? "" : ROOT.toUri().relativize(d.getSource().toUri()).getPath())
                    + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT);
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.add(where);
            } else if (d.getMessage(Locale.ROOT).equals("no comment")) {
                missing.add(where);
            }
        }
    }
}
