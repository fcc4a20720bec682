package dev.vecgrad.train;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.compile.Tracer;
import dev.vecgrad.train.data.Tensors;
import dev.vecgrad.train.distribute.ReplicaContext;
import dev.vecgrad.train.losses.Loss;
import dev.vecgrad.train.losses.Losses;
import dev.vecgrad.train.losses.Reduction;
import dev.vecgrad.train.metrics.Mean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The loss of a compiled model, as Keras's {@code CompileLoss}: a loss for each output (one for
 * all, or one an output by name), each multiplied by its loss weight, summed. With more than one
 * loss, each output's own (unweighted) loss is also tracked as {@code <output>_loss}.
 *
 * <p>Targets and sample weights go with the outputs by name when they are named, else by
 * position; one sample-weight tensor weights every output.
 */
final class CompiledLoss {
    private final List<String> outputs;
    /** One an output; null where the output has no loss. */
    private final List<Loss> losses;
    private final double[] weights;
    /** {@code <output>_loss} for each output with a loss, when there are several; else empty. */
    private final List<Mean> trackers = new ArrayList<>();
    private final List<Integer> tracked = new ArrayList<>();

    /**
     * The loss {@code spec} (a {@link Loss}, a name, or a map from output name to either) for a
     * model with outputs {@code outputs}, weighted by {@code weight} (every output) or
     * {@code weightsByOutput} (when not null).
     */
    CompiledLoss(Object spec, double weight, Map<String, Double> weightsByOutput, List<String> outputs) {
        this.outputs = List.copyOf(outputs);
        this.losses = new ArrayList<>();
        this.weights = new double[outputs.size()];
        if (spec instanceof Map<?, ?> byOutput) {
            for (Object name : byOutput.keySet()) {
                requireOutput((String) name, "loss");
            }
            for (String o : outputs) {
                Object l = byOutput.get(o);
                losses.add(l == null ? null : resolve(l));
            }
        } else {
            Loss one = resolve(spec);
            for (int i = 0; i < outputs.size(); i++) {
                // A name makes a loss for each output; one object serves them all (it holds no state).
                losses.add(i == 0 || !(spec instanceof String) ? one : resolve(spec));
            }
        }
        if (weightsByOutput != null) {
            for (String name : weightsByOutput.keySet()) {
                requireOutput(name, "loss weight");
            }
        }
        for (int i = 0; i < outputs.size(); i++) {
            weights[i] = weightsByOutput == null ? weight : weightsByOutput.getOrDefault(outputs.get(i), 1.0);
        }
        if (losses.stream().allMatch(l -> l == null)) {
            throw new IllegalArgumentException("compile: no output has a loss; outputs are " + outputs);
        }
        long withLoss = losses.stream().filter(l -> l != null).count();
        for (int i = 0; withLoss > 1 && i < outputs.size(); i++) {
            if (losses.get(i) != null) {
                trackers.add(new Mean(outputs.get(i) + "_loss"));
                tracked.add(i);
            }
        }
    }

    private static Loss resolve(Object l) {
        return l instanceof Loss loss ? loss : Losses.get((String) l);
    }

    private void requireOutput(String name, String what) {
        if (!outputs.contains(name)) {
            throw new IllegalArgumentException("compile: a " + what + " is given for '" + name
                    + "', which is not an output of the model; its outputs are " + outputs);
        }
    }

    /**
     * The weighted sum of the outputs' losses over the positions their masks keep. On a replica
     * each loss is scaled by the replica's share of the global batch (unless it is a plain sum);
     * the per-output trackers get the unscaled values, serialised between replicas.
     */
    Tensor compute(Tensors y, Tensors yPred, Tensors sampleWeight) {
        ReplicaContext ctx = ReplicaContext.current();
        Tensor total = null;
        Tensor[] values = trackers.isEmpty() ? null : new Tensor[outputs.size()];
        for (int i = 0; i < outputs.size(); i++) {
            Loss loss = losses.get(i);
            if (loss == null) {
                continue;
            }
            Tensor value = loss.call(target(y, i, "y"), yPred.get(i), weightFor(sampleWeight, i), yPred.mask(i));
            if (values != null) {
                values[i] = value;
            }
            if (weights[i] != 1) {
                value = value.mul(weights[i]);
            }
            if (ctx != null && loss.reduction() != Reduction.SUM) {
                value = value.mul(Trainer.replicaScalar("replicaLossScale", ReplicaContext::lossScale, value.dtype()));
            }
            total = total == null ? value : total.add(value);
        }
        if (values != null) {
            int n = yPred.get(0).rank() == 0 ? 1 : yPred.get(0).shape().dim(0);
            // A host call, so that a compiled step updates the per-output trackers at every replay.
            Tracer.hostCall("CompiledLoss.track", Arrays.asList(values), v -> {
                ReplicaContext replica = ReplicaContext.current();
                if (replica == null) {
                    track(v, n);
                } else {
                    synchronized (replica.lock()) {
                        track(v, n);
                    }
                }
                return null;
            });
        }
        return total;
    }

    private void track(List<Tensor> values, int n) {
        for (int k = 0; k < trackers.size(); k++) {
            trackers.get(k).update(values.get(tracked.get(k)).reshape().get(), n);
        }
    }

    /** The targets of output {@code i}: by its name when the targets are named, else by position. */
    Tensor target(Tensors y, int i, String what) {
        if (outputs.size() == 1 && y.size() == 1) {
            return y.get(0);
        }
        if (y.isNamed()) {
            if (!y.names().contains(outputs.get(i))) {
                throw new IllegalArgumentException("the batch's " + what + " has no '" + outputs.get(i)
                        + "'; the model's outputs are " + outputs + " and " + what + " holds " + y.names());
            }
            return y.get(outputs.get(i));
        }
        if (y.size() != outputs.size()) {
            throw new IllegalArgumentException("the model has " + outputs.size() + " output" + (outputs.size() == 1 ? ""
                    : "s " + outputs) + " and the batch's " + what + " holds " + y.size() + " tensor"
                    + (y.size() == 1 ? "" : "s"));
        }
        return y.get(i);
    }

    /** The sample weights of output {@code i}: none, the one tensor for all, or its own. */
    Tensor weightFor(Tensors sampleWeight, int i) {
        if (sampleWeight == null) {
            return null;
        }
        return sampleWeight.size() == 1 && !sampleWeight.isNamed() ? sampleWeight.get(0)
                : target(sampleWeight, i, "sampleWeight");
    }

    /** The per-output loss trackers (empty for one loss). */
    List<Mean> trackers() {
        return trackers;
    }

    /** The output names. */
    List<String> outputs() {
        return outputs;
    }

    /** The loss of output {@code i}, or null. */
    Loss loss(int i) {
        return losses.get(i);
    }

    /** The loss weight of output {@code i}. */
    double weight(int i) {
        return weights[i];
    }
}
