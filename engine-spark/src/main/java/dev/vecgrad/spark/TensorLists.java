package dev.vecgrad.spark;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.io.SafeTensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Lists of tensors (nulls allowed) as safetensors bytes, and their element-wise sums and means. */
final class TensorLists {
    private TensorLists() {
    }

    /** {@code values} as bytes; entry {@code i} is stored as tensor {@code "i"}, a null entry not at all. */
    static byte[] encode(List<Tensor> values) {
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) != null) {
                named.put(Integer.toString(i), values.get(i));
            }
        }
        return SafeTensors.toBytes(named, Map.of("count", Integer.toString(values.size())));
    }

    /** The list {@link #encode} was given. */
    static List<Tensor> decode(byte[] bytes) {
        try (var f = SafeTensors.read(bytes)) {
            int n = Integer.parseInt(f.metadata().get("count"));
            List<Tensor> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String name = Integer.toString(i);
                out.add(f.contains(name) ? f.get(name) : null);
            }
            return out;
        } catch (RuntimeException | dev.vecgrad.core.io.TensorFileException e) {
            throw new IllegalStateException("a worker sent values that are not ours: " + e.getMessage(), e);
        }
    }

    /**
     * The element-wise sum of the lists, added in list order (so every worker that adds the same
     * lists gets the same bits); a null entry counts as zero.
     */
    static List<Tensor> sum(List<List<Tensor>> lists) {
        List<Tensor> sum = new ArrayList<>(lists.get(0));
        for (int r = 1; r < lists.size(); r++) {
            List<Tensor> c = lists.get(r);
            if (c.size() != sum.size()) {
                throw new IllegalStateException("worker " + r + " gave " + c.size() + " values to all-reduce, worker 0 gave "
                        + sum.size());
            }
            for (int i = 0; i < sum.size(); i++) {
                Tensor s = sum.get(i);
                Tensor v = c.get(i);
                sum.set(i, s == null ? v : v == null ? s : s.add(v));
            }
        }
        return sum;
    }

    /** The element-wise mean of named tensors, by name, adding in list order. */
    static Map<String, Tensor> mean(List<Map<String, Tensor>> maps) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : maps.get(0).keySet()) {
            Tensor s = maps.get(0).get(name);
            for (int r = 1; r < maps.size(); r++) {
                Tensor v = maps.get(r).get(name);
                if (v == null) {
                    throw new IllegalStateException("worker " + r + " has no '" + name + "' to average");
                }
                s = s.add(v);
            }
            out.put(name, maps.size() == 1 ? s : s.div(maps.size()));
        }
        return out;
    }
}
