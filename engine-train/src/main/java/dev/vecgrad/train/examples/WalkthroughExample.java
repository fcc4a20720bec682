package dev.vecgrad.train.examples;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.FitOptions;
import dev.vecgrad.train.Model;
import dev.vecgrad.train.callbacks.History;
import dev.vecgrad.train.callbacks.ProgbarLogger;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.losses.MeanSquaredError;
import dev.vecgrad.train.losses.Reduction;
import dev.vecgrad.train.metrics.MeanAbsolutePercentageError;
import java.io.PrintStream;
import java.util.Map;

/**
 * The example of the Keras model walkthrough, in vecgrad: a one-unit Dense model learns to map
 * zeros to ones with SGD, a summed squared error, a mean-absolute-percentage-error metric, batches
 * of 10 and 5 steps per execution. Run it with {@code ./vecgrad demo}.
 */
public final class WalkthroughExample {
    private WalkthroughExample() {
    }

    /** The walkthrough's model: one Dense unit, nothing else. */
    public static final class SimplifiedModel extends Model {
        private final Dense dense = track(new Dense(1));

        /** A new, unbuilt model. */
        public SimplifiedModel() {
            super("simplified_model");
        }

        @Override
        protected Tensor forward(Tensor x, boolean training) {
            return dense.call(x, training);
        }
    }

    /**
     * What a run produced.
     *
     * @param before evaluate() before fit
     * @param history the fit's history
     * @param predictions predict() on the inputs
     * @param after evaluate() after fit
     * @param model the trained model
     */
    public record Result(Map<String, Double> before, History history, Tensor predictions, Map<String, Double> after,
            Model model) {
    }

    /** Runs the example, printing as the walkthrough does to {@code out}. */
    public static Result run(PrintStream out, int verbose) {
        Tensor x = Tensor.zeros(1000, 10);
        Tensor y = Tensor.ones(1000, 1);
        Dataset ds = Dataset.fromTensorSlices(x, y).batch(10);
        Dataset dsTest = Dataset.fromTensorSlices(x).batch(10);

        Model model = new SimplifiedModel();
        model.compile(CompileOptions.of("sgd", new MeanSquaredError("mean_squared_error", Reduction.SUM))
                .metrics(new MeanAbsolutePercentageError())
                .stepsPerExecution(5));
        model.build(1, 10);
        Map<String, Double> before = model.evaluate(ds);
        out.println("Metrics Before Fit: " + before);

        History history = model.fit(FitOptions.of(ds).epochs(10).verbose(verbose)
                .callbacks(new ProgbarLogger(out, System.console() != null && out == System.out)));

        Tensor yPred = model.predict(dsTest);
        out.println("Predictions Shape: " + yPred.shape());
        Map<String, Double> after = model.evaluate(ds);
        out.println("Metrics After: " + after);
        return new Result(before, history, yPred, after, model);
    }

    /** Runs the example on standard output. */
    public static void main(String[] args) {
        run(System.out, 2);
    }
}
