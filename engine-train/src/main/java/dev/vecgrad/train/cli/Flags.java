package dev.vecgrad.train.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} pairs of a subcommand, checked against the flags it knows. */
final class Flags {
    private final String command;
    private final Map<String, String> values = new LinkedHashMap<>();

    private Flags(String command) {
        this.command = command;
    }

    /** Parses {@code args} (after the subcommand); every flag takes one value. */
    static Flags parse(String command, String[] args, int from, Set<String> known) {
        Flags f = new Flags(command);
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new UsageException(command + ": unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else {
                if (i + 1 >= args.length) {
                    throw new UsageException(command + ": --" + name + " needs a value");
                }
                value = args[++i];
            }
            if (!known.contains(name)) {
                throw new UsageException(command + ": unknown flag --" + name + " (known: --" + String.join(", --", known)
                        + ")");
            }
            if (f.values.put(name, value) != null) {
                throw new UsageException(command + ": --" + name + " given twice");
            }
        }
        return f;
    }

    /** The values given for {@code names}, by name. */
    Map<String, String> only(Set<String> names) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (names.contains(e.getKey())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    int positiveInt(String name, int fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new UsageException(command + ": --" + name + " must be a positive integer, got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " must be a positive integer, got '" + v + "'");
        }
    }

    long longValue(String name, long fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " must be an integer, got '" + v + "'");
        }
    }

    double positiveDouble(String name, double fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v);
            if (!(d > 0) || !Double.isFinite(d)) {
                throw new UsageException(command + ": --" + name + " must be a positive number, got " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " must be a number, got '" + v + "'");
        }
    }
}
