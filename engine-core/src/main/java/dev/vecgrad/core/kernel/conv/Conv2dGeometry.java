package dev.vecgrad.core.kernel.conv;

/**
 * The index arithmetic of a 2-D sliding window over a channels-last batch {@code [N, H, W, C]}:
 * the window (kernel or pool) size, strides, dilations, the padding before the first row and
 * column, and the output size. Convolution and pooling kernels share it; the ops layer
 * ({@code ConvOps}) works out padding and output size from the {@code Padding} rule and checks
 * them, so every kernel may assume that a window starting at
 * {@code (oh * strideH - padTop, ow * strideW - padLeft)} is the one output {@code (oh, ow)} sees.
 *
 * @param batch     N
 * @param inH       H
 * @param inW       W
 * @param channels  C
 * @param kernelH   window height
 * @param kernelW   window width
 * @param strideH   vertical stride
 * @param strideW   horizontal stride
 * @param dilationH vertical spacing of window taps (1 for pooling)
 * @param dilationW horizontal spacing of window taps (1 for pooling)
 * @param padTop    padded rows above the input
 * @param padLeft   padded columns left of the input
 * @param outH      output height
 * @param outW      output width
 */
public record Conv2dGeometry(int batch, int inH, int inW, int channels, int kernelH, int kernelW, int strideH,
        int strideW, int dilationH, int dilationW, int padTop, int padLeft, int outH, int outW) {

    /** Output positions over the whole batch: {@code N * outH * outW}, the GEMM's row count. */
    public int outputPixels() {
        return batch * outH * outW;
    }

    /** Output positions of one image. */
    public int outputPixelsPerImage() {
        return outH * outW;
    }

    /** Elements of one input image: {@code H * W * C}. */
    public int imageSize() {
        return inH * inW * channels;
    }

    /** The length of one im2col row: {@code kernelH * kernelW * C}, the GEMM's inner dimension. */
    public int patchSize() {
        return kernelH * kernelW * channels;
    }

    /**
     * Whether the input itself is the im2col matrix: a 1x1 window, stride 1 and no padding, so that
     * output pixel r reads exactly input pixel r.
     */
    public boolean isPointwise() {
        return kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padTop == 0 && padLeft == 0
                && outH == inH && outW == inW;
    }
}
