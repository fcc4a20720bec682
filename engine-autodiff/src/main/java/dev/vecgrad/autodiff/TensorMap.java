package dev.vecgrad.autodiff;

import dev.vecgrad.core.Tensor;

/**
 * A map keyed by tensor identity, for the tape, which looks up every input of every op it is
 * told about when their recorder tag is taken by another tape: open addressing with linear probing
 * on the identity hash, at most half full, with backward-shift deletion so that removing entries
 * during the backward walk leaves no tombstones behind.
 *
 * @param <V> the value type
 */
final class TensorMap<V> {
    private Tensor[] keys;
    private Object[] values;
    private int size;

    /** An empty map with room for about {@code expected} entries before it grows. */
    TensorMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(8, expected * 2 - 1)) << 1;
        keys = new Tensor[capacity];
        values = new Object[capacity];
    }

    /** The value of {@code key}, or null. */
    @SuppressWarnings("unchecked") // values[i] was put with key keys[i], as a V
    V get(Tensor key) {
        if (size == 0) {
            return null;
        }
        Tensor[] ks = keys;
        int mask = ks.length - 1;
        for (int i = mix(key) & mask; ks[i] != null; i = (i + 1) & mask) {
            if (ks[i] == key) {
                return (V) values[i];
            }
        }
        return null;
    }

    /** Whether {@code key} has a value. */
    boolean containsKey(Tensor key) {
        return get(key) != null;
    }

    /** Maps {@code key} to {@code value} (not null) unless it has a value already; returns that value, or null. */
    V putIfAbsent(Tensor key, V value) {
        V old = get(key);
        if (old != null) {
            return old;
        }
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        insert(key, value);
        size++;
        return null;
    }

    /** Removes {@code key}'s entry, if any, shifting later entries of its probe run back into the gap. */
    void remove(Tensor key) {
        Tensor[] ks = keys;
        int mask = ks.length - 1;
        int i = mix(key) & mask;
        while (ks[i] != key) {
            if (ks[i] == null) {
                return;
            }
            i = (i + 1) & mask;
        }
        size--;
        for (int j = (i + 1) & mask; ks[j] != null; j = (j + 1) & mask) {
            int home = mix(ks[j]) & mask;
            // Entry j may move into the gap at i unless its home lies cyclically in (i, j].
            boolean stays = i <= j ? i < home && home <= j : i < home || home <= j;
            if (!stays) {
                ks[i] = ks[j];
                values[i] = values[j];
                i = j;
            }
        }
        ks[i] = null;
        values[i] = null;
    }

    /** The identity hash, spread so that its low bits (the slot) vary. */
    private static int mix(Tensor t) {
        int h = System.identityHashCode(t);
        return h ^ (h >>> 16);
    }

    private void insert(Tensor key, Object value) {
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (keys[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
    }

    private void grow() {
        Tensor[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new Tensor[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                insert(oldKeys[i], oldValues[i]);
            }
        }
    }
}
