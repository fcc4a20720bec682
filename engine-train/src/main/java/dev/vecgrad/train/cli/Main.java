package dev.vecgrad.train.cli;

import dev.vecgrad.core.io.Messages;
import dev.vecgrad.train.examples.WalkthroughExample;
import java.io.PrintStream;
import java.util.List;

/**
 * The command-line trainer.
 *
 * <pre>
 * vecgrad train [--train PREFIX] [--test PREFIX] [--model mlp|cnn] [--epochs N] [--batch-size B]
 *               [--optimizer NAME] [--lr X] [--seed S] [--threads T] [--verbose 0|1|2] [--save DIR]
 *               [--report DIR]
 *               [--spark MASTER [--workers W] [--strategy mirrored|ps|ps-sync] [--sync-every K]
 *                [--staleness S] [--steps-per-execution N]]
 * vecgrad evaluate --model DIR [--test PREFIX] [--batch-size B] [--threads T]
 * vecgrad predict --model DIR --input PREFIX --output FILE.npy [--batch-size B] [--threads T]
 * vecgrad example NAME [flags]
 * vecgrad demo
 * vecgrad help
 * </pre>
 *
 * The launcher {@code ./vecgrad} runs this class with a JDK 25 it finds, and has two commands of its
 * own: {@code ./vecgrad bench [JMH args]} runs the JMH benchmarks, {@code ./vecgrad run CLASS [args]}
 * any other main class with the same JDK and flags.
 *
 * PREFIX names {@code PREFIX-images-idx3-ubyte[.gz]} and {@code PREFIX-labels-idx1-ubyte[.gz]};
 * with no flags the MLP trains on the bundled MNIST sample in {@code data/mnist}. The run prints the
 * model summary, the progress, and a last line
 * {@code test_accuracy=0.XXXX test_loss=X.XXXX train_seconds=X.X}. A bad flag, a missing file or
 * unusable data ends with one line on standard error and a non-zero exit status (2 for usage
 * errors, 1 for the rest).
 */
public final class Main {
    private static final String USAGE = String.join(System.lineSeparator(),
            "usage: vecgrad train [--train PREFIX] [--test PREFIX] [--model mlp|cnn] [--epochs N] [--batch-size B]",
            "                     [--optimizer NAME] [--lr X] [--seed S] [--threads T] [--verbose 0|1|2]",
            "                     [--save DIR] [--report DIR]",
            "                 --report writes DIR/report.html (curves, timing, confusion matrix, most-wrong images)",
            "                 and validates on the test data after each epoch",
            "                     [--spark MASTER [--workers W] [--strategy mirrored|ps|ps-sync] [--sync-every K]",
            "                      [--staleness S] [--steps-per-execution N]]",
            "                 --spark trains the same recipe on Apache Spark (local[2], spark://host:7077, yarn, ...);",
            "                 the vecgrad launcher adds engine-spark and Spark (see docs/distributed.md)",
            "       vecgrad evaluate --model DIR [--test PREFIX] [--batch-size B] [--threads T]",
            "       vecgrad predict --model DIR --input PREFIX --output FILE.npy [--batch-size B] [--threads T]",
            "                 writes the model's outputs (logits for the mlp and cnn) for each image",
            "       vecgrad example NAME [flags]   a worked example, end to end:",
            ExampleCommand.list(),
            "         charlm flags: [--arch lstm|transformer] [--steps N] [--batch-size B] [--lr X] [--seed S]",
            "                       [--sample CHARS] [--threads T]",
            "         functional flags: [--train PREFIX] [--test PREFIX] [--epochs N] [--batch-size B] [--lr X]",
            "                           [--seed S] [--threads T]",
            "       vecgrad demo      the Keras model walkthrough's example (a Dense unit learning y = 1)",
            "       vecgrad help",
            "       vecgrad bench [JMH args]   the JMH benchmarks (launcher only), e.g. vecgrad bench Elementwise -f 1;",
            "                                  vecgrad bench -h lists JMH's options",
            "       vecgrad run CLASS [args]   another main class with the launcher's JDK and JVM flags (launcher only)",
            "PREFIX names PREFIX-images-idx3-ubyte[.gz] and PREFIX-labels-idx1-ubyte[.gz]; the default is the",
            "bundled MNIST sample in data/mnist (" + TrainCommand.DEFAULT_TRAIN + ", " + TrainCommand.DEFAULT_TEST + ").");

    /** Held so that its level, set by {@link #quietLogging}, is not lost to garbage collection. */
    private static final java.util.logging.Logger VECGRAD_LOGGER = java.util.logging.Logger.getLogger("dev.vecgrad");

    private Main() {
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        quietLogging();
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Keeps the engine's informational log lines (kernels and threads chosen, which {@code train}
     * prints itself) off the terminal, so an error is the one line on standard error; warnings
     * still show. A logging configuration given with {@code -Djava.util.logging.config.file} wins.
     */
    private static void quietLogging() {
        if (System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.config.class") == null) {
            VECGRAD_LOGGER.setLevel(java.util.logging.Level.WARNING);
        }
    }

    /** Runs the command line, printing to {@code out} and {@code err}; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            List<String> given = List.of(args);
            if (given.contains("--help") || given.contains("-h")) {
                out.println(USAGE); // help for any subcommand: the usage covers them all
                return 0;
            }
            String command = args.length == 0 ? "train" : args[0];
            if (command.startsWith("--")) {
                command = "train";
                String[] withCommand = new String[args.length + 1];
                withCommand[0] = "train";
                System.arraycopy(args, 0, withCommand, 1, args.length);
                args = withCommand;
            }
            switch (command) {
                case "train" -> TrainCommand.run(args.length == 0 ? new String[] {"train"} : args, out);
                case "demo" -> {
                    if (args.length > 1) {
                        throw new UsageException("demo takes no arguments");
                    }
                    WalkthroughExample.run(out, 2);
                }
                case "example" -> ExampleCommand.run(args, out);
                case "help" -> out.println(USAGE);
                case "evaluate" -> SavedModelCommands.evaluate(args, out);
                case "predict" -> SavedModelCommands.predict(args, out);
                case "bench", "run" -> throw new UsageException(command + " is a command of the launcher: ./vecgrad " + command);
                default -> throw new UsageException("unknown command '" + command + "'");
            }
            return 0;
        } catch (UsageException e) {
            err.println("error: " + Messages.line(e.getMessage()) + " (run 'vecgrad help' for usage)");
            return 2;
        } catch (RuntimeException e) {
            err.println("error: " + Messages.line(e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        } catch (OutOfMemoryError e) {
            // Files are loaded under Preflight.loading, which names them; what runs out here is the work itself.
            err.println("error: out of memory while running (Java heap limit " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MB); lower --batch-size or raise the limit with -Xmx (VECGRAD_JVM_OPTS=-Xmx8g)");
            return 1;
        }
    }
}
