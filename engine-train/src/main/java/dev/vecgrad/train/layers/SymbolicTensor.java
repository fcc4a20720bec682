package dev.vecgrad.train.layers;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * A placeholder for a tensor in a functional model's graph, as Keras's {@code KerasTensor}: it
 * has a shape (the batch axis left open) and a dtype but no values, and remembers the
 * {@link Node} (a layer called on other symbolic tensors) that produces it. Make the first ones
 * with {@link Input#of}, then call layers on them.
 *
 * <pre>{@code
 * SymbolicTensor x = Input.of("digits", 784);
 * SymbolicTensor h = new Dense(64, Activations.relu()).call(x);
 * h.shape();   // (64): the shape of one sample
 * }</pre>
 */
public final class SymbolicTensor {
    private final Node node;
    private final int index;
    private final Shape batchShape;
    private final DType dtype;

    SymbolicTensor(Node node, int index, Shape batchShape, DType dtype) {
        this.node = node;
        this.index = index;
        this.batchShape = batchShape;
        this.dtype = dtype;
    }

    /** The shape of one sample (without the batch axis). */
    public Shape shape() {
        int[] dims = batchShape.toArray();
        int[] sample = new int[dims.length - 1];
        System.arraycopy(dims, 1, sample, 0, sample.length);
        return Shape.of(sample);
    }

    /** The shape with a batch axis of one, as layers' {@code computeOutputShape} takes it. */
    public Shape batchShape() {
        return batchShape;
    }

    /**
     * The dtype: an input's own; after a layer, the input's when it is floating and F32 when it is
     * an integer type, as a layer's weights are (layers that keep integers, such as a reshape of
     * token ids, carry their input's dtype at run time).
     */
    public DType dtype() {
        return dtype;
    }

    /** The node that produces this tensor. */
    public Node node() {
        return node;
    }

    /** Which of the node's outputs this is. */
    public int index() {
        return index;
    }

    /** The layer whose call produces this tensor. */
    public Layer layer() {
        return node.layer();
    }

    /** {@code (None, 28, 28, 1)}: the shape as Keras prints it, the batch axis open. */
    public String shapeText() {
        List<String> parts = new ArrayList<>();
        parts.add("None");
        for (int i = 1; i < batchShape.rank(); i++) {
            parts.add(Integer.toString(batchShape.dim(i)));
        }
        return "(" + String.join(", ", parts) + (parts.size() == 1 ? ",)" : ")");
    }

    @Override
    public String toString() {
        return "SymbolicTensor(shape=" + shapeText() + ", dtype=" + dtype + ", from '" + node.layer().name() + "')";
    }
}
