package dev.vecgrad.train.callbacks;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A callback made of lambdas, as Keras's {@code LambdaCallback}; hooks left unset do nothing.
 *
 * <pre>{@code
 * LambdaCallback.builder().onEpochEnd((epoch, logs) -> System.out.println(logs)).build();
 * }</pre>
 */
public final class LambdaCallback extends Callback {
    private final Builder b;

    private LambdaCallback(Builder b) {
        this.b = b;
    }

    /** A builder with every hook unset. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        b.trainBegin.accept(logs);
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        b.trainEnd.accept(logs);
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        b.epochBegin.accept(epoch, logs);
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        b.epochEnd.accept(epoch, logs);
    }

    @Override
    public void onTrainBatchBegin(int batch, Map<String, Double> logs) {
        b.trainBatchBegin.accept(batch, logs);
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        b.trainBatchEnd.accept(batch, logs);
    }

    @Override
    public void onTestBegin(Map<String, Double> logs) {
        b.testBegin.accept(logs);
    }

    @Override
    public void onTestEnd(Map<String, Double> logs) {
        b.testEnd.accept(logs);
    }

    @Override
    public void onTestBatchBegin(int batch, Map<String, Double> logs) {
        b.testBatchBegin.accept(batch, logs);
    }

    @Override
    public void onTestBatchEnd(int batch, Map<String, Double> logs) {
        b.testBatchEnd.accept(batch, logs);
    }

    @Override
    public void onPredictBegin(Map<String, Double> logs) {
        b.predictBegin.accept(logs);
    }

    @Override
    public void onPredictEnd(Map<String, Double> logs) {
        b.predictEnd.accept(logs);
    }

    @Override
    public void onPredictBatchBegin(int batch, Map<String, Double> logs) {
        b.predictBatchBegin.accept(batch, logs);
    }

    @Override
    public void onPredictBatchEnd(int batch, Map<String, Double> logs) {
        b.predictBatchEnd.accept(batch, logs);
    }

    /** The hooks of a {@link LambdaCallback}. */
    public static final class Builder {
        private Consumer<Map<String, Double>> trainBegin = l -> { };
        private Consumer<Map<String, Double>> trainEnd = l -> { };
        private BiConsumer<Integer, Map<String, Double>> epochBegin = (e, l) -> { };
        private BiConsumer<Integer, Map<String, Double>> epochEnd = (e, l) -> { };
        private BiConsumer<Integer, Map<String, Double>> trainBatchBegin = (e, l) -> { };
        private BiConsumer<Integer, Map<String, Double>> trainBatchEnd = (e, l) -> { };
        private Consumer<Map<String, Double>> testBegin = l -> { };
        private Consumer<Map<String, Double>> testEnd = l -> { };
        private BiConsumer<Integer, Map<String, Double>> testBatchBegin = (e, l) -> { };
        private BiConsumer<Integer, Map<String, Double>> testBatchEnd = (e, l) -> { };
        private Consumer<Map<String, Double>> predictBegin = l -> { };
        private Consumer<Map<String, Double>> predictEnd = l -> { };
        private BiConsumer<Integer, Map<String, Double>> predictBatchBegin = (e, l) -> { };
        private BiConsumer<Integer, Map<String, Double>> predictBatchEnd = (e, l) -> { };

        private Builder() {
        }

        /** At the start of fit. */
        public Builder onTrainBegin(Consumer<Map<String, Double>> f) {
            trainBegin = f;
            return this;
        }

        /** At the end of fit. */
        public Builder onTrainEnd(Consumer<Map<String, Double>> f) {
            trainEnd = f;
            return this;
        }

        /** At the start of each epoch. */
        public Builder onEpochBegin(BiConsumer<Integer, Map<String, Double>> f) {
            epochBegin = f;
            return this;
        }

        /** At the end of each epoch. */
        public Builder onEpochEnd(BiConsumer<Integer, Map<String, Double>> f) {
            epochEnd = f;
            return this;
        }

        /** Before each training execution. */
        public Builder onTrainBatchBegin(BiConsumer<Integer, Map<String, Double>> f) {
            trainBatchBegin = f;
            return this;
        }

        /** After each training execution. */
        public Builder onTrainBatchEnd(BiConsumer<Integer, Map<String, Double>> f) {
            trainBatchEnd = f;
            return this;
        }

        /** At the start of evaluate. */
        public Builder onTestBegin(Consumer<Map<String, Double>> f) {
            testBegin = f;
            return this;
        }

        /** At the end of evaluate. */
        public Builder onTestEnd(Consumer<Map<String, Double>> f) {
            testEnd = f;
            return this;
        }

        /** Before each evaluation execution. */
        public Builder onTestBatchBegin(BiConsumer<Integer, Map<String, Double>> f) {
            testBatchBegin = f;
            return this;
        }

        /** After each evaluation execution. */
        public Builder onTestBatchEnd(BiConsumer<Integer, Map<String, Double>> f) {
            testBatchEnd = f;
            return this;
        }

        /** At the start of predict. */
        public Builder onPredictBegin(Consumer<Map<String, Double>> f) {
            predictBegin = f;
            return this;
        }

        /** At the end of predict. */
        public Builder onPredictEnd(Consumer<Map<String, Double>> f) {
            predictEnd = f;
            return this;
        }

        /** Before each prediction execution. */
        public Builder onPredictBatchBegin(BiConsumer<Integer, Map<String, Double>> f) {
            predictBatchBegin = f;
            return this;
        }

        /** After each prediction execution. */
        public Builder onPredictBatchEnd(BiConsumer<Integer, Map<String, Double>> f) {
            predictBatchEnd = f;
            return this;
        }

        /** The callback. */
        public LambdaCallback build() {
            return new LambdaCallback(this);
        }
    }
}
