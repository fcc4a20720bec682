/**
 * vecgrad's tensor engine: dense tensors, NumPy broadcasting, views, primitive ops with one
 * dispatch point, SIMD kernels (Vector API) beside scalar references, tensor file formats, and
 * pictures (charts and graph drawings, written as SVG). It needs nothing of the JDK beyond
 * {@code java.base} and the Vector API.
 */
module dev.vecgrad.core {
    requires jdk.incubator.vector;
    exports dev.vecgrad.core;
    exports dev.vecgrad.core.ops;
    exports dev.vecgrad.core.kernel;
    exports dev.vecgrad.core.kernel.elementwise;
    exports dev.vecgrad.core.kernel.gemm;
    exports dev.vecgrad.core.kernel.conv;
    exports dev.vecgrad.core.kernel.pool;
    exports dev.vecgrad.core.kernel.parallel;
    exports dev.vecgrad.core.kernel.update;
    exports dev.vecgrad.core.io;
    exports dev.vecgrad.core.draw;
    exports dev.vecgrad.core.internal to dev.vecgrad.autodiff, dev.vecgrad.train;
}
