package dev.vecgrad.train;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.callbacks.Callback;
import dev.vecgrad.train.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The arguments of {@link Model#fit(FitOptions)}, as Keras's {@code fit(...)}. Data comes either
 * as a batched {@link Dataset} or as tensors {@code x}, {@code y} (and sample weights), which
 * {@code fit} slices, shuffles each epoch and batches itself.
 *
 * {@snippet class=dev.vecgrad.train.TrainSnippetsTest region=fit-options}
 */
public final class FitOptions {
    final Dataset dataset;
    final Tensor x;
    final Tensor y;
    final Tensor sampleWeight;
    int epochs = 1;
    int batchSize = 32;
    int verbose = 1;
    final List<Callback> callbacks = new ArrayList<>();
    Dataset validationData;
    Tensor validationX;
    Tensor validationY;
    double validationSplit;
    int validationSteps = -1;
    int validationFreq = 1;
    int stepsPerEpoch = -1;
    int initialEpoch;
    boolean shuffle = true;
    Long shuffleSeed;
    Map<Integer, Double> classWeight;

    private FitOptions(Dataset dataset, Tensor x, Tensor y, Tensor w) {
        this.dataset = dataset;
        this.x = x;
        this.y = y;
        this.sampleWeight = w;
    }

    /** Trains on a dataset of batches (it should already be batched and, if wanted, shuffled). */
    public static FitOptions of(Dataset data) {
        return new FitOptions(Objects.requireNonNull(data, "data"), null, null, null);
    }

    /** Trains on the rows of {@code x} and {@code y}. */
    public static FitOptions of(Tensor x, Tensor y) {
        return new FitOptions(null, Objects.requireNonNull(x, "x"), Objects.requireNonNull(y, "y"), null);
    }

    /** Trains on the rows of {@code x} and {@code y}, each sample weighted by {@code sampleWeight}. */
    public static FitOptions of(Tensor x, Tensor y, Tensor sampleWeight) {
        return new FitOptions(null, Objects.requireNonNull(x, "x"), Objects.requireNonNull(y, "y"),
                Objects.requireNonNull(sampleWeight, "sampleWeight"));
    }

    /** Epochs to train up to (default 1). */
    public FitOptions epochs(int epochs) {
        this.epochs = epochs;
        return this;
    }

    /** Samples per batch when training on tensors (default 32). */
    public FitOptions batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("fit: batchSize must be at least 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    /** 0 silent, 1 progress bar (one line per epoch when not on a terminal), 2 one line per epoch (default 1). */
    public FitOptions verbose(int verbose) {
        if (verbose < 0 || verbose > 2) {
            throw new IllegalArgumentException("fit: verbose must be 0, 1 or 2, got " + verbose);
        }
        this.verbose = verbose;
        return this;
    }

    /** Callbacks to run, in order. */
    public FitOptions callbacks(Callback... callbacks) {
        this.callbacks.addAll(List.of(callbacks));
        return this;
    }

    /** Callbacks to run, in order. */
    public FitOptions callbacks(List<? extends Callback> callbacks) {
        this.callbacks.addAll(callbacks);
        return this;
    }

    /** A batched dataset evaluated at the end of each epoch; results are logged as {@code val_*}. */
    public FitOptions validationData(Dataset data) {
        this.validationData = java.util.Objects.requireNonNull(data, "data");
        this.validationX = null;
        this.validationY = null;
        return this;
    }

    /** Validation on tensors, batched with the training batch size. */
    public FitOptions validationData(Tensor x, Tensor y) {
        this.validationX = java.util.Objects.requireNonNull(x, "x");
        this.validationY = java.util.Objects.requireNonNull(y, "y");
        this.validationData = null;
        return this;
    }

    /** The fraction of the tensors' last rows held out for validation (tensor input only). */
    public FitOptions validationSplit(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("fit: validationSplit must be in [0, 1), got " + fraction);
        }
        this.validationSplit = fraction;
        return this;
    }

    /** Batches of validation data per evaluation (default: all). */
    public FitOptions validationSteps(int steps) {
        this.validationSteps = steps;
        return this;
    }

    /** Validate every {@code n} epochs (default 1). */
    public FitOptions validationFreq(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("fit: validationFreq must be at least 1, got " + n);
        }
        this.validationFreq = n;
        return this;
    }

    /**
     * Batches per epoch (default: one pass over the data). When it differs from the dataset's
     * length the same pass continues across epochs, as in Keras; running out of data ends training.
     */
    public FitOptions stepsPerEpoch(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("fit: stepsPerEpoch must be at least 1, got " + steps);
        }
        this.stepsPerEpoch = steps;
        return this;
    }

    /** The epoch to start at, to resume an earlier run (default 0). */
    public FitOptions initialEpoch(int epoch) {
        this.initialEpoch = epoch;
        return this;
    }

    /** Whether tensor input is reshuffled before each epoch (default true; ignored for datasets). */
    public FitOptions shuffle(boolean shuffle) {
        this.shuffle = shuffle;
        return this;
    }

    /** The seed of the per-epoch shuffling of tensor input (default: the model's seed). */
    public FitOptions shuffleSeed(long seed) {
        this.shuffleSeed = seed;
        return this;
    }

    /** Weights per class index, multiplied into each sample's weight (labels as indices or one-hot). */
    public FitOptions classWeight(Map<Integer, Double> classWeight) {
        this.classWeight = Map.copyOf(classWeight);
        return this;
    }

    /** The datasets {@code fit} runs on: training batches and validation batches (or null). */
    record Datasets(Dataset train, Dataset validation) {
    }

    /**
     * The training and validation datasets these options describe. Tensor input is sliced
     * (the last {@code validationSplit} of its rows held out), shuffled each epoch unless
     * {@code shuffle(false)} (with {@code shuffleSeed}, else {@code defaultSeed}) and batched;
     * class weights are folded into the sample weights of every training batch.
     */
    Datasets datasets(long defaultSeed) {
        Dataset train;
        Dataset validation = validationData;
        if (dataset != null) {
            if (validationSplit > 0) {
                throw new IllegalArgumentException("fit: validationSplit needs tensor input; with a Dataset pass validationData");
            }
            train = dataset;
        } else {
            int n = x.shape().dim(0);
            int nVal = (int) Math.floor(n * validationSplit);
            int nTrain = n - nVal;
            if (nVal > 0) {
                validation = slices(nTrain, n).batch(batchSize);
            }
            train = slices(0, nTrain);
            if (shuffle) {
                train = train.shuffle(Math.max(1, nTrain), shuffleSeed != null ? shuffleSeed : defaultSeed);
            }
            train = train.batch(batchSize);
        }
        if (validationX != null) {
            validation = Dataset.fromTensorSlices(validationX, validationY).batch(batchSize);
        }
        if (classWeight != null) {
            train = train.map(ClassWeights.applier(classWeight));
        }
        return new Datasets(train, validation);
    }

    /** Rows {@code [from, to)} of the tensor input as a dataset of single samples. */
    private Dataset slices(int from, int to) {
        Tensor xs = x.slice(0, from, to);
        Tensor ys = y.slice(0, from, to);
        return sampleWeight == null ? Dataset.fromTensorSlices(xs, ys)
                : Dataset.fromTensorSlices(xs, ys, sampleWeight.slice(0, from, to));
    }
}
