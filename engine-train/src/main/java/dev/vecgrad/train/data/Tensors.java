package dev.vecgrad.train.data;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.ShapeOps;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Several tensors as one value, by position and, when named, by name: the inputs of a model with
 * several inputs, the targets and predictions of a model with several outputs, as Keras takes a
 * tuple or a dict. One tensor is a {@code Tensors} of size one. A prediction may carry a mask per
 * tensor (the padded positions a layer marked); data never does.
 *
 * <pre>{@code
 * import dev.vecgrad.core.DType;
 *
 * Tensor images = Tensor.zeros(32, 28, 28, 1), hints = Tensor.zeros(32, 10);
 * Tensor labels = Tensor.zeros(DType.I32, 32), isRight = Tensor.ones(32, 1);
 * Tensors x = Tensors.of(Map.of("image", images, "hint", hints));   // by name
 * Tensors y = Tensors.of(labels, isRight);                          // by position
 * x.get("image");  y.get(1);
 * }</pre>
 */
public final class Tensors implements Iterable<Tensor> {
    private final List<Tensor> values;
    /** Null when the tensors are known by position only. */
    private final List<String> names;
    /** Null when no tensor carries a mask. */
    private final List<Tensor> masks;

    private Tensors(List<Tensor> values, List<String> names, List<Tensor> masks) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("Tensors: give at least one tensor");
        }
        for (int i = 0; i < values.size(); i++) {
            requirePresent(values.get(i), i);
        }
        if (names != null) {
            Set<String> seen = new HashSet<>();
            for (String n : names) {
                if (n == null || n.isEmpty() || !seen.add(n)) {
                    throw new IllegalArgumentException("Tensors: names must be distinct and non-empty, got " + names);
                }
            }
        }
        this.values = List.copyOf(values);
        this.names = names == null ? null : List.copyOf(names);
        this.masks = masks == null ? null : Collections.unmodifiableList(new ArrayList<>(masks));
    }

    /**
     * Tensors under names another {@code Tensors} already checked (or none), for what map, stack,
     * concat and {@link #of(Tensor...)} make once a batch: one array and one list, and only a check
     * that every tensor is there.
     */
    private Tensors(Tensor[] values, List<String> checkedNames) {
        for (int i = 0; i < values.length; i++) {
            requirePresent(values[i], i);
        }
        this.values = List.of(values);
        this.names = checkedNames;
        this.masks = null;
    }

    /** Fails naming position {@code i} when its tensor is null; builds no message otherwise (a batch makes several). */
    private static void requirePresent(Tensor t, int i) {
        if (t == null) {
            throw new NullPointerException("tensor " + i);
        }
    }

    /** The tensors by position. */
    public static Tensors of(Tensor... values) {
        return values.length == 0 ? new Tensors(List.of(), null, null) : new Tensors(values, null);
    }

    /** The tensors by position. */
    public static Tensors of(List<Tensor> values) {
        return new Tensors(values, null, null);
    }

    /** The tensors by name, in the map's iteration order (use a LinkedHashMap to fix the positions too). */
    public static Tensors of(Map<String, Tensor> byName) {
        return new Tensors(new ArrayList<>(byName.values()), new ArrayList<>(byName.keySet()), null);
    }

    /** {@code values} called {@code names}, one name each. */
    public static Tensors named(List<String> names, List<Tensor> values) {
        if (names.size() != values.size()) {
            throw new IllegalArgumentException("Tensors: " + names.size() + " names for " + values.size() + " tensors");
        }
        return new Tensors(values, names, null);
    }

    /** These tensors with a mask each ({@code masks} entries may be null), as a layer's outputs carry them. */
    public Tensors withMasks(List<Tensor> masks) {
        if (masks.size() != values.size()) {
            throw new IllegalArgumentException("Tensors: " + masks.size() + " masks for " + values.size() + " tensors");
        }
        return new Tensors(values, names, masks.stream().allMatch(Objects::isNull) ? null : masks);
    }

    /** How many tensors. */
    public int size() {
        return values.size();
    }

    /** The tensor at {@code index}. */
    public Tensor get(int index) {
        if (index < 0 || index >= values.size()) {
            throw new IndexOutOfBoundsException("Tensors: no tensor " + index + " among " + values.size());
        }
        return values.get(index);
    }

    /** The tensor called {@code name}; an error listing the names when there is none. */
    public Tensor get(String name) {
        return values.get(indexOf(name));
    }

    /** The position of the tensor called {@code name}; an error listing the names when there is none. */
    public int indexOf(String name) {
        int i = names == null ? -1 : names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no tensor named '" + name + "' among " + describe());
        }
        return i;
    }

    /** Whether the tensors have names. */
    public boolean isNamed() {
        return names != null;
    }

    /** The names in order, or an empty list when the tensors are known by position only. */
    public List<String> names() {
        return names == null ? List.of() : names;
    }

    /** The tensors in order. */
    public List<Tensor> values() {
        return values;
    }

    /** The mask of the tensor at {@code index}, or null. */
    public Tensor mask(int index) {
        return masks == null ? null : masks.get(index);
    }

    /** The one tensor; an error naming {@code what} when there are several. */
    public Tensor single(String what) {
        if (values.size() != 1) {
            throw new IllegalArgumentException(what + " holds " + describe() + "; this needs exactly one tensor");
        }
        return values.get(0);
    }

    /** The length of the first (sample) axis, which every tensor must share. */
    public int rows() {
        int n = -1;
        for (int i = 0; i < values.size(); i++) {
            Tensor t = values.get(i);
            if (t.rank() == 0) {
                throw new IllegalArgumentException("batch: " + label(i) + " must have a first (sample) axis, got a scalar");
            }
            if (n >= 0 && t.shape().dim(0) != n) {
                throw new IllegalArgumentException("batch: " + label(i) + " of shape " + t.shape() + " does not have the "
                        + n + " samples of " + label(0) + " " + values.get(0).shape());
            }
            n = t.shape().dim(0);
        }
        return n;
    }

    /** Each tensor through {@code fn}, names kept, masks dropped. */
    public Tensors map(UnaryOperator<Tensor> fn) {
        Tensor[] out = new Tensor[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = fn.apply(values.get(i));
        }
        return new Tensors(out, names);
    }

    /**
     * The tensors of several elements stacked along a new first axis, position by position;
     * every element must have the same number of tensors and the same names.
     */
    public static Tensors stack(List<Tensors> elements) {
        Tensors first = elements.get(0);
        Tensor[] out = new Tensor[first.size()];
        for (int i = 0; i < first.size(); i++) {
            List<Tensor> column = new ArrayList<>(elements.size());
            for (Tensors e : elements) {
                if (e.size() != first.size() || !Objects.equals(e.names, first.names)) {
                    throw new IllegalArgumentException("batch: elements hold " + first.describe() + " and "
                            + e.describe());
                }
                column.add(e.values.get(i));
            }
            out[i] = ShapeOps.stack(column, 0);
        }
        return new Tensors(out, first.names);
    }

    /** The tensors of several batches joined along their first axis, position by position. */
    public static Tensors concat(List<Tensors> batches) {
        Tensors first = batches.get(0);
        Tensor[] out = new Tensor[first.size()];
        for (int i = 0; i < first.size(); i++) {
            List<Tensor> column = new ArrayList<>(batches.size());
            for (Tensors b : batches) {
                column.add(b.values.get(i));
            }
            out[i] = column.size() == 1 ? column.get(0) : ShapeOps.concat(column, 0);
        }
        return new Tensors(out, first.names);
    }

    @Override
    public Iterator<Tensor> iterator() {
        return values.iterator();
    }

    private String label(int i) {
        return names == null ? (values.size() == 1 ? "x" : "tensor " + i) : "'" + names.get(i) + "'";
    }

    /** {@code 2 tensors (image (8, 28, 28, 1), hint (8, 10))}, for messages. */
    private String describe() {
        StringBuilder b = new StringBuilder().append(values.size()).append(values.size() == 1 ? " tensor (" : " tensors (");
        for (int i = 0; i < values.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(names == null ? "" : names.get(i) + " ").append(values.get(i).shape());
        }
        return b.append(')').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensors t && values.equals(t.values) && Objects.equals(names, t.names)
                && Objects.equals(masks, t.masks);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values, names, masks);
    }

    @Override
    public String toString() {
        return "Tensors" + describe().substring(describe().indexOf(' '));
    }
}
