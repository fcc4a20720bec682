package dev.vecgrad.train.data;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a CSV file of numeric columns into a {@link Dataset} of rows: the feature columns as an F32
 * vector per row, and optionally one label column as F32 or I32.
 *
 * <pre>{@code
 * Dataset ds = CsvDataset.read(Path.of("iris.csv"), "species", DType.I32).shuffle(150, 1).batch(16);
 * }</pre>
 *
 * <p>Fields are separated by commas and trimmed; quoting is not supported. A non-numeric field, a
 * row with the wrong number of fields, or a fractional value in an I32 label column is an
 * {@link IllegalArgumentException} naming the file, line and column.
 */
public final class CsvDataset {
    private CsvDataset() {
    }

    /** A file with a header line; {@code labelColumn} names the label column. */
    public static Dataset read(Path file, String labelColumn, DType labelDType) {
        return read(file, true, labelColumn, -1, labelDType);
    }

    /**
     * A file with or without a header; {@code labelIndex} is the label column's position (negative
     * counts from the end), or {@code null} for a file of features only.
     */
    public static Dataset read(Path file, boolean header, Integer labelIndex, DType labelDType) {
        return read(file, header, null, labelIndex == null ? Integer.MIN_VALUE : labelIndex, labelDType);
    }

    private static Dataset read(Path file, boolean header, String labelName, int labelIndex, DType labelDType) {
        if (labelDType == DType.F64) {
            throw new IllegalArgumentException("CSV labels can be F32 or I32, not F64");
        }
        List<double[]> rows = new ArrayList<>();
        int columns = -1;
        int label = -1;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split(",", -1);
                if (columns < 0) {
                    columns = fields.length;
                    label = labelColumn(file, header ? fields : null, labelName, labelIndex, columns);
                    if (header) {
                        continue;
                    }
                }
                if (fields.length != columns) {
                    throw new IllegalArgumentException(file + " line " + lineNo + ": " + fields.length
                            + " fields, expected " + columns);
                }
                double[] v = new double[columns];
                for (int c = 0; c < columns; c++) {
                    v[c] = parse(file, lineNo, c, fields[c].trim(), c == label && labelDType == DType.I32);
                }
                rows.add(v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file + " has no data rows");
        }
        return toDataset(rows, columns, label, labelDType);
    }

    private static int labelColumn(Path file, String[] header, String name, int index, int columns) {
        if (name != null) {
            if (header == null) {
                throw new IllegalArgumentException(file + ": a label column by name needs a header line");
            }
            for (int c = 0; c < header.length; c++) {
                if (header[c].trim().equals(name)) {
                    return c;
                }
            }
            throw new IllegalArgumentException(file + ": no column named '" + name + "' in the header "
                    + Arrays.toString(header));
        }
        if (index == Integer.MIN_VALUE) {
            return -1;
        }
        int c = index < 0 ? index + columns : index;
        if (c < 0 || c >= columns) {
            throw new IllegalArgumentException(file + ": label column " + index + " is outside the " + columns
                    + " columns");
        }
        return c;
    }

    private static double parse(Path file, int line, int column, String field, boolean integer) {
        try {
            double v = Double.parseDouble(field);
            if (integer && (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE)) {
                throw new IllegalArgumentException(file + " line " + line + " column " + (column + 1) + ": label '"
                        + field + "' is not an integer");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + " line " + line + " column " + (column + 1) + ": '" + field
                    + "' is not a number");
        }
    }

    private static Dataset toDataset(List<double[]> rows, int columns, int label, DType labelDType) {
        int n = rows.size();
        int features = label < 0 ? columns : columns - 1;
        float[] x = new float[n * features];
        int[] yi = label >= 0 && labelDType == DType.I32 ? new int[n] : null;
        float[] yf = label >= 0 && labelDType == DType.F32 ? new float[n] : null;
        for (int r = 0; r < n; r++) {
            double[] v = rows.get(r);
            int f = 0;
            for (int c = 0; c < columns; c++) {
                if (c == label) {
                    if (yi != null) {
                        yi[r] = (int) v[c];
                    } else {
                        yf[r] = (float) v[c];
                    }
                } else {
                    x[r * features + f++] = (float) v[c];
                }
            }
        }
        Tensor xt = TensorInternals.wrap(DType.F32, Shape.of(n, features), x);
        if (label < 0) {
            return Dataset.fromTensorSlices(xt);
        }
        Tensor yt = yi != null ? TensorInternals.wrap(DType.I32, Shape.of(n), yi) : TensorInternals.wrap(DType.F32, Shape.of(n), yf);
        return Dataset.fromTensorSlices(xt, yt);
    }
}
