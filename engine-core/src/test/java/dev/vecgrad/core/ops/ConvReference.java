package dev.vecgrad.core.ops;

/**
 * Direct-loop references for convolution and pooling, in f64, written from the definitions
 * (Keras/TensorFlow padding rules) and sharing nothing with the code under test. Arrays are
 * contiguous channels-last {@code [N, H, W, C]}; filters {@code [KH, KW, C, F]}.
 */
final class ConvReference {
    private ConvReference() {
    }

    /** One axis: output size and padding before the input. */
    record Axis(int out, int before) {
        static Axis of(int in, int kernel, int stride, int dilation, boolean same) {
            int span = dilation * (kernel - 1) + 1;
            if (!same) {
                return new Axis((in - span) / stride + 1, 0);
            }
            int out = (in + stride - 1) / stride;
            int pad = Math.max(0, (out - 1) * stride + span - in);
            return new Axis(out, pad / 2);
        }
    }

    /** Sizes of a convolution problem. */
    record Conv(int n, int h, int w, int c, int kh, int kw, int f, int sh, int sw, int dh, int dw, boolean same) {
        Axis rows() {
            return Axis.of(h, kh, sh, dh, same);
        }

        Axis cols() {
            return Axis.of(w, kw, sw, dw, same);
        }

        int[] inputDims() {
            return new int[] {n, h, w, c};
        }

        int[] filterDims() {
            return new int[] {kh, kw, c, f};
        }

        int[] outputDims() {
            return new int[] {n, rows().out(), cols().out(), f};
        }

        Padding padding() {
            return same ? Padding.SAME : Padding.VALID;
        }

        Attrs.Conv2d attrs() {
            return new Attrs.Conv2d(sh, sw, dh, dw, padding());
        }
    }

    static double[] conv(Conv p, double[] x, double[] wt) {
        Axis ra = p.rows();
        Axis ca = p.cols();
        double[] y = new double[p.n * ra.out() * ca.out() * p.f];
        for (int n = 0; n < p.n; n++) {
            for (int oh = 0; oh < ra.out(); oh++) {
                for (int ow = 0; ow < ca.out(); ow++) {
                    for (int f = 0; f < p.f; f++) {
                        double s = 0;
                        for (int kh = 0; kh < p.kh; kh++) {
                            for (int kw = 0; kw < p.kw; kw++) {
                                int ih = oh * p.sh + kh * p.dh - ra.before();
                                int iw = ow * p.sw + kw * p.dw - ca.before();
                                if (ih < 0 || ih >= p.h || iw < 0 || iw >= p.w) {
                                    continue;
                                }
                                for (int c = 0; c < p.c; c++) {
                                    s += x[((n * p.h + ih) * p.w + iw) * p.c + c] * wt[((kh * p.kw + kw) * p.c + c) * p.f + f];
                                }
                            }
                        }
                        y[((n * ra.out() + oh) * ca.out() + ow) * p.f + f] = s;
                    }
                }
            }
        }
        return y;
    }

    static double[] convBackwardInput(Conv p, double[] dy, double[] wt) {
        Axis ra = p.rows();
        Axis ca = p.cols();
        double[] dx = new double[p.n * p.h * p.w * p.c];
        for (int n = 0; n < p.n; n++) {
            for (int oh = 0; oh < ra.out(); oh++) {
                for (int ow = 0; ow < ca.out(); ow++) {
                    for (int kh = 0; kh < p.kh; kh++) {
                        for (int kw = 0; kw < p.kw; kw++) {
                            int ih = oh * p.sh + kh * p.dh - ra.before();
                            int iw = ow * p.sw + kw * p.dw - ca.before();
                            if (ih < 0 || ih >= p.h || iw < 0 || iw >= p.w) {
                                continue;
                            }
                            for (int c = 0; c < p.c; c++) {
                                for (int f = 0; f < p.f; f++) {
                                    dx[((n * p.h + ih) * p.w + iw) * p.c + c] += dy[((n * ra.out() + oh) * ca.out() + ow) * p.f + f]
                                            * wt[((kh * p.kw + kw) * p.c + c) * p.f + f];
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    static double[] convBackwardFilter(Conv p, double[] x, double[] dy) {
        Axis ra = p.rows();
        Axis ca = p.cols();
        double[] dw = new double[p.kh * p.kw * p.c * p.f];
        for (int n = 0; n < p.n; n++) {
            for (int oh = 0; oh < ra.out(); oh++) {
                for (int ow = 0; ow < ca.out(); ow++) {
                    for (int kh = 0; kh < p.kh; kh++) {
                        for (int kw = 0; kw < p.kw; kw++) {
                            int ih = oh * p.sh + kh * p.dh - ra.before();
                            int iw = ow * p.sw + kw * p.dw - ca.before();
                            if (ih < 0 || ih >= p.h || iw < 0 || iw >= p.w) {
                                continue;
                            }
                            for (int c = 0; c < p.c; c++) {
                                for (int f = 0; f < p.f; f++) {
                                    dw[((kh * p.kw + kw) * p.c + c) * p.f + f] += x[((n * p.h + ih) * p.w + iw) * p.c + c]
                                            * dy[((n * ra.out() + oh) * ca.out() + ow) * p.f + f];
                                }
                            }
                        }
                    }
                }
            }
        }
        return dw;
    }

    /** Sizes of a pooling problem. */
    record Pool(int n, int h, int w, int c, int ph, int pw, int sh, int sw, boolean same) {
        Axis rows() {
            return Axis.of(h, ph, sh, 1, same);
        }

        Axis cols() {
            return Axis.of(w, pw, sw, 1, same);
        }

        int[] inputDims() {
            return new int[] {n, h, w, c};
        }

        int[] outputDims() {
            return new int[] {n, rows().out(), cols().out(), c};
        }

        Attrs.Pool2d attrs() {
            return new Attrs.Pool2d(ph, pw, sh, sw, same ? Padding.SAME : Padding.VALID);
        }
    }

    /**
     * Max pooling; also fills {@code argmax} (when not null) with the flat input index each output
     * takes: the first largest in row-major window order, padding skipped.
     */
    static double[] maxPool(Pool p, double[] x, int[] argmax) {
        Axis ra = p.rows();
        Axis ca = p.cols();
        double[] y = new double[p.n * ra.out() * ca.out() * p.c];
        for (int n = 0; n < p.n; n++) {
            for (int oh = 0; oh < ra.out(); oh++) {
                for (int ow = 0; ow < ca.out(); ow++) {
                    for (int c = 0; c < p.c; c++) {
                        double best = Double.NEGATIVE_INFINITY;
                        int at = -1;
                        for (int i = 0; i < p.ph; i++) {
                            for (int j = 0; j < p.pw; j++) {
                                int ih = oh * p.sh + i - ra.before();
                                int iw = ow * p.sw + j - ca.before();
                                if (ih < 0 || ih >= p.h || iw < 0 || iw >= p.w) {
                                    continue;
                                }
                                int idx = ((n * p.h + ih) * p.w + iw) * p.c + c;
                                if (at < 0 || x[idx] > best) {
                                    best = x[idx];
                                    at = idx;
                                }
                            }
                        }
                        int o = ((n * ra.out() + oh) * ca.out() + ow) * p.c + c;
                        y[o] = best;
                        if (argmax != null) {
                            argmax[o] = at;
                        }
                    }
                }
            }
        }
        return y;
    }

    static double[] maxPoolBackward(Pool p, double[] x, double[] dy) {
        int[] argmax = new int[dy.length];
        maxPool(p, x, argmax);
        double[] dx = new double[x.length];
        for (int o = 0; o < dy.length; o++) {
            dx[argmax[o]] += dy[o];
        }
        return dx;
    }

    static double[] avgPool(Pool p, double[] x) {
        Axis ra = p.rows();
        Axis ca = p.cols();
        double[] y = new double[p.n * ra.out() * ca.out() * p.c];
        for (int n = 0; n < p.n; n++) {
            for (int oh = 0; oh < ra.out(); oh++) {
                for (int ow = 0; ow < ca.out(); ow++) {
                    for (int c = 0; c < p.c; c++) {
                        double s = 0;
                        int count = 0;
                        for (int i = 0; i < p.ph; i++) {
                            for (int j = 0; j < p.pw; j++) {
                                int ih = oh * p.sh + i - ra.before();
                                int iw = ow * p.sw + j - ca.before();
                                if (ih >= 0 && ih < p.h && iw >= 0 && iw < p.w) {
                                    s += x[((n * p.h + ih) * p.w + iw) * p.c + c];
                                    count++;
                                }
                            }
                        }
                        y[((n * ra.out() + oh) * ca.out() + ow) * p.c + c] = s / count;
                    }
                }
            }
        }
        return y;
    }

    static double[] avgPoolBackward(Pool p, double[] dy) {
        Axis ra = p.rows();
        Axis ca = p.cols();
        double[] dx = new double[p.n * p.h * p.w * p.c];
        for (int n = 0; n < p.n; n++) {
            for (int oh = 0; oh < ra.out(); oh++) {
                for (int ow = 0; ow < ca.out(); ow++) {
                    for (int c = 0; c < p.c; c++) {
                        int count = 0;
                        for (int i = 0; i < p.ph; i++) {
                            for (int j = 0; j < p.pw; j++) {
                                int ih = oh * p.sh + i - ra.before();
                                int iw = ow * p.sw + j - ca.before();
                                if (ih >= 0 && ih < p.h && iw >= 0 && iw < p.w) {
                                    count++;
                                }
                            }
                        }
                        double g = dy[((n * ra.out() + oh) * ca.out() + ow) * p.c + c] / count;
                        for (int i = 0; i < p.ph; i++) {
                            for (int j = 0; j < p.pw; j++) {
                                int ih = oh * p.sh + i - ra.before();
                                int iw = ow * p.sw + j - ca.before();
                                if (ih >= 0 && ih < p.h && iw >= 0 && iw < p.w) {
                                    dx[((n * p.h + ih) * p.w + iw) * p.c + c] += g;
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
