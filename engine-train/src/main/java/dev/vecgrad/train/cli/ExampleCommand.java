package dev.vecgrad.train.cli;

import dev.vecgrad.core.Engine;
import dev.vecgrad.train.examples.CharLmExample;
import dev.vecgrad.train.examples.FunctionalExample;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * {@code example NAME [flags]}: runs one of the worked examples of {@code dev.vecgrad.train.examples}
 * end to end. Each example is one entry of {@link #EXAMPLES}: its name, its flags and how it runs.
 */
final class ExampleCommand {

    /** An example the command can run. */
    private record Example(String summary, Set<String> flags, BiConsumer<Flags, PrintStream> run) {
    }

    private static final Map<String, Example> EXAMPLES = new TreeMap<>(Map.of(
            "charlm", new Example("a character-level language model (--arch lstm|transformer) on bundled text",
                    Set.of("arch", "steps", "batch-size", "lr", "seed", "sample", "threads"), ExampleCommand::charLm),
            "functional", new Example("a two-input, two-output functional model on MNIST: digit + noisy hint ->"
                    + " digit and 'is the hint right'",
                    Set.of("train", "test", "epochs", "batch-size", "lr", "seed", "threads"), ExampleCommand::functional)));

    private ExampleCommand() {
    }

    /** One line per example, for the usage text. */
    static String list() {
        StringBuilder sb = new StringBuilder();
        EXAMPLES.forEach((name, e) -> sb.append(String.format(Locale.ROOT, "         %-8s %s%n", name, e.summary())));
        return sb.toString().stripTrailing();
    }

    static void run(String[] args, PrintStream out) {
        if (args.length < 2 || args[1].startsWith("--")) {
            throw new UsageException("example needs a name: " + String.join(", ", EXAMPLES.keySet()));
        }
        Example e = EXAMPLES.get(args[1]);
        if (e == null) {
            throw new UsageException("unknown example '" + args[1] + "'; known: " + String.join(", ", EXAMPLES.keySet()));
        }
        Flags f = Flags.parse("example " + args[1], args, 2, e.flags());
        if (f.has("threads")) {
            Engine.setThreads(f.positiveInt("threads", 1));
        }
        e.run().accept(f, out);
    }

    private static void charLm(Flags f, PrintStream out) {
        String arch = f.string("arch", "lstm");
        CharLmExample.Arch a = switch (arch) {
            case "lstm" -> CharLmExample.Arch.LSTM;
            case "transformer" -> CharLmExample.Arch.TRANSFORMER;
            default -> throw new UsageException("example charlm: --arch must be lstm or transformer, got '" + arch + "'");
        };
        CharLmExample.Recipe d = CharLmExample.Recipe.defaults(a);
        int sample = f.has("sample") ? (int) f.longValue("sample", d.sampleLength()) : d.sampleLength();
        if (sample < 0) {
            throw new UsageException("example charlm: --sample must be non-negative, got " + sample);
        }
        CharLmExample.run(new CharLmExample.Recipe(a, f.positiveInt("steps", d.steps()),
                f.positiveInt("batch-size", d.batchSize()), d.context(), f.positiveDouble("lr", d.learningRate()),
                f.longValue("seed", d.seed()), sample, d.verbose()), out);
    }

    private static void functional(Flags f, PrintStream out) {
        FunctionalExample.Recipe d = FunctionalExample.Recipe.defaults();
        FunctionalExample.run(new FunctionalExample.Recipe(f.string("train", d.train()), f.string("test", d.test()),
                f.positiveInt("epochs", d.epochs()), f.positiveInt("batch-size", d.batchSize()),
                f.positiveDouble("lr", d.learningRate()), d.hintAccuracy(), f.longValue("seed", d.seed()), d.verbose()),
                out);
    }
}
