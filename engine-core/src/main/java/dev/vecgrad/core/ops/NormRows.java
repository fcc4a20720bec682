package dev.vecgrad.core.ops;

/**
 * The row loops of {@link NNOps#normalize} and {@link NNOps#normalizeBackward}, F32 and F64: a row
 * of n elements is read while it sits in cache for its mean, then its variance, then the output.
 * Sums run in interleaved partial sums in a fixed order, so a row gives the same bits every run; the variance is taken about the mean (two passes), as the composite computes it.
 */
final class NormRows {
    private NormRows() {
    }

    // F64Source: F32 begin
    /** y = (x - mean)·r over one row, r = 1/sqrt(var + eps). */
    static void forward(float[] x, int xo, float[] y, int yo, int n, double eps) {
        float mean = mean(x, xo, n);
        float r = invStd(x, xo, n, mean, eps);
        for (int j = 0; j < n; j++) {
            y[yo + j] = (x[xo + j] - mean) * r;
        }
    }

    /** z = r·(g - mean(g) - x̂·mean(g·x̂)) over one row; z may be g's own row. */
    static void backward(float[] x, int xo, float[] g, int go, float[] z, int zo, int n, double eps) {
        float mean = mean(x, xo, n);
        float r = invStd(x, xo, n, mean, eps);
        float s0 = 0;
        float s1 = 0;
        float t0 = 0;
        float t1 = 0;
        int j = 0;
        for (; j + 2 <= n; j += 2) {
            s0 += g[go + j];
            s1 += g[go + j + 1];
            t0 += g[go + j] * (x[xo + j] - mean);
            t1 += g[go + j + 1] * (x[xo + j + 1] - mean);
        }
        for (; j < n; j++) {
            s0 += g[go + j];
            t0 += g[go + j] * (x[xo + j] - mean);
        }
        float meanG = (s0 + s1) / n;
        float meanGx = (t0 + t1) * r / n;
        for (j = 0; j < n; j++) {
            float xhat = (x[xo + j] - mean) * r;
            z[zo + j] = r * (g[go + j] - meanG - xhat * meanGx);
        }
    }

    private static float mean(float[] x, int xo, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            s0 += x[xo + j];
            s1 += x[xo + j + 1];
            s2 += x[xo + j + 2];
            s3 += x[xo + j + 3];
        }
        for (; j < n; j++) {
            s0 += x[xo + j];
        }
        return ((s0 + s1) + (s2 + s3)) / n;
    }

    private static float invStd(float[] x, int xo, int n, float mean, double eps) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            float d0 = x[xo + j] - mean;
            float d1 = x[xo + j + 1] - mean;
            float d2 = x[xo + j + 2] - mean;
            float d3 = x[xo + j + 3] - mean;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; j < n; j++) {
            float d = x[xo + j] - mean;
            s0 += d * d;
        }
        float var = ((s0 + s1) + (s2 + s3)) / n;
        return (float) (1 / Math.sqrt(var + eps));
    }
    // F64Source: F32 end
    // F64Source: F64 begin (generated from the F32 section above: edit that one, then run F64Source)
    /** y = (x - mean)·r over one row, r = 1/sqrt(var + eps). */
    static void forward(double[] x, int xo, double[] y, int yo, int n, double eps) {
        double mean = mean(x, xo, n);
        double r = invStd(x, xo, n, mean, eps);
        for (int j = 0; j < n; j++) {
            y[yo + j] = (x[xo + j] - mean) * r;
        }
    }

    /** z = r·(g - mean(g) - x̂·mean(g·x̂)) over one row; z may be g's own row. */
    static void backward(double[] x, int xo, double[] g, int go, double[] z, int zo, int n, double eps) {
        double mean = mean(x, xo, n);
        double r = invStd(x, xo, n, mean, eps);
        double s0 = 0;
        double s1 = 0;
        double t0 = 0;
        double t1 = 0;
        int j = 0;
        for (; j + 2 <= n; j += 2) {
            s0 += g[go + j];
            s1 += g[go + j + 1];
            t0 += g[go + j] * (x[xo + j] - mean);
            t1 += g[go + j + 1] * (x[xo + j + 1] - mean);
        }
        for (; j < n; j++) {
            s0 += g[go + j];
            t0 += g[go + j] * (x[xo + j] - mean);
        }
        double meanG = (s0 + s1) / n;
        double meanGx = (t0 + t1) * r / n;
        for (j = 0; j < n; j++) {
            double xhat = (x[xo + j] - mean) * r;
            z[zo + j] = r * (g[go + j] - meanG - xhat * meanGx);
        }
    }

    private static double mean(double[] x, int xo, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            s0 += x[xo + j];
            s1 += x[xo + j + 1];
            s2 += x[xo + j + 2];
            s3 += x[xo + j + 3];
        }
        for (; j < n; j++) {
            s0 += x[xo + j];
        }
        return ((s0 + s1) + (s2 + s3)) / n;
    }

    private static double invStd(double[] x, int xo, int n, double mean, double eps) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            double d0 = x[xo + j] - mean;
            double d1 = x[xo + j + 1] - mean;
            double d2 = x[xo + j + 2] - mean;
            double d3 = x[xo + j + 3] - mean;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; j < n; j++) {
            double d = x[xo + j] - mean;
            s0 += d * d;
        }
        double var = ((s0 + s1) + (s2 + s3)) / n;
        return (double) (1 / Math.sqrt(var + eps));
    }
    // F64Source: F64 end
}
