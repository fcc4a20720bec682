package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/** Gather, scatter-add and one-hot along every axis of a 3-D tensor, against index loops. */
class IndexOpsTest {
    private static final int[] DIMS = {3, 4, 5};
    // Repeats, a negative index (from the end) and both ends of the axis.
    private static final int[] RAW = {0, -1, 2, 2, 1, 0};

    private static int wrap(int i, int dim) {
        return i < 0 ? i + dim : i;
    }

    private static double[] values(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 1 + i + 0.25 * (i % 3);
        }
        return v;
    }

    @Test
    void gatherPicksSlicesAlongEveryAxisOfAViewOrADenseTensor() {
        double[] x = values(60);
        for (int axis = 0; axis < 3; axis++) {
            int dim = DIMS[axis];
            int[] idx = new int[] {RAW[0], RAW[1], RAW[2] % dim, RAW[4]};
            Tensor indices = Tensor.of(idx, 2, 2);
            for (DType dtype : new DType[] {DType.F64, DType.F32}) {
                Tensor dense = Tensor.of(x, DIMS).cast(dtype);
                // The same values as a non-contiguous view: a permuted copy permuted back.
                Tensor view = dense.transpose(0, 2).contiguous().transpose(0, 2);
                assertThat(view.isContiguous()).isFalse();
                for (Tensor t : new Tensor[] {dense, view}) {
                    Tensor g = IndexOps.gather(t, indices, axis - 3); // negative axes count from the end
                    int[] shape = g.shape().toArray();
                    int[] expectedShape = new int[4];
                    for (int d = 0, r = 0; d < 3; d++) {
                        if (d == axis) {
                            expectedShape[r++] = 2;
                            expectedShape[r++] = 2;
                        } else {
                            expectedShape[r++] = DIMS[d];
                        }
                    }
                    assertThat(shape).containsExactly(expectedShape);
                    double[] got = g.toDoubleArray();
                    int k = 0;
                    int[] pos = new int[3];
                    for (int a = 0; a < expectedShape[0]; a++) {
                        for (int b = 0; b < expectedShape[1]; b++) {
                            for (int c = 0; c < expectedShape[2]; c++) {
                                for (int e = 0; e < expectedShape[3]; e++) {
                                    int[] out = {a, b, c, e};
                                    for (int d = 0, r = 0; d < 3; d++) {
                                        if (d == axis) {
                                            pos[d] = wrap(idx[out[r] * 2 + out[r + 1]], dim);
                                            r += 2;
                                        } else {
                                            pos[d] = out[r++];
                                        }
                                    }
                                    double want = x[(pos[0] * 4 + pos[1]) * 5 + pos[2]];
                                    assertThat(got[k++]).as("axis %d %s", axis, dtype).isEqualTo((double) (float) want);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** scatterAdd is gather's adjoint: each update lands at its index, and repeated indices add up. */
    @Test
    void scatterAddAddsEachSliceAtItsIndexAlongEveryAxis() {
        for (int axis = 0; axis < 3; axis++) {
            int dim = DIMS[axis];
            int[] idx = new int[RAW.length];
            for (int i = 0; i < RAW.length; i++) {
                idx[i] = RAW[i] % dim;
            }
            int[] updDims = DIMS.clone();
            updDims[axis] = idx.length;
            int n = updDims[0] * updDims[1] * updDims[2];
            double[] u = values(n);
            double[] expected = new double[60];
            for (int a = 0; a < updDims[0]; a++) {
                for (int b = 0; b < updDims[1]; b++) {
                    for (int c = 0; c < updDims[2]; c++) {
                        int[] p = {a, b, c};
                        p[axis] = wrap(idx[p[axis]], dim);
                        expected[(p[0] * 4 + p[1]) * 5 + p[2]] += u[(a * updDims[1] + b) * updDims[2] + c];
                    }
                }
            }
            for (DType dtype : new DType[] {DType.F64, DType.F32}) {
                Tensor updates = Tensor.of(u, updDims).cast(dtype);
                Tensor view = updates.transpose(0, 1).contiguous().transpose(0, 1);
                for (Tensor t : new Tensor[] {updates, view}) {
                    Tensor s = IndexOps.scatterAdd(t, Tensor.of(idx), axis, Shape.of(DIMS));
                    assertThat(s.shape()).isEqualTo(Shape.of(DIMS));
                    assertThat(s.dtype()).isEqualTo(dtype);
                    double[] got = s.toDoubleArray();
                    for (int i = 0; i < 60; i++) {
                        assertThat(got[i]).as("axis %d %s element %d", axis, dtype, i)
                                .isEqualTo(dtype == DType.F32 ? (double) (float) expected[i] : expected[i]);
                    }
                }
            }
        }
    }

    @Test
    void oneHotRowsOfAnyRank() {
        Tensor idx = Tensor.of(new int[] {3, 0, 1, 3, 2, 0}, 2, 3);
        Tensor h = IndexOps.oneHot(idx, 4);
        assertThat(h.shape()).isEqualTo(Shape.of(2, 3, 4));
        assertThat(h.dtype()).isEqualTo(DType.F32);
        float[] v = h.toFloatArray();
        int[] flat = idx.toIntArray();
        for (int i = 0; i < 6; i++) {
            for (int d = 0; d < 4; d++) {
                assertThat(v[i * 4 + d]).isEqualTo(flat[i] == d ? 1f : 0f);
            }
        }
        assertThat(IndexOps.oneHot(Tensor.of(new int[0]), 0).shape()).isEqualTo(Shape.of(0, 0));
        assertThat(IndexOps.oneHot(Tensor.scalar(1), 2).toFloatArray()).containsExactly(0, 1);
    }

    @Test
    void indicesOutsideTheirRangeOrOfTheWrongTypeAreRefused() {
        Tensor x = Tensor.of(values(60), DIMS);
        assertThat(IndexOps.gather(x, Tensor.of(new int[] {-4}), 1).toDoubleArray())
                .containsExactly(IndexOps.gather(x, Tensor.of(new int[] {0}), 1).toDoubleArray());
        assertThatThrownBy(() -> IndexOps.gather(x, Tensor.of(new int[] {-5}), 1))
                .hasMessageContaining("index -5 at flat position 0").hasMessageContaining("size 4");
        assertThatThrownBy(() -> IndexOps.gather(x, Tensor.of(new int[] {1, 4}), 1))
                .hasMessageContaining("index 4 at flat position 1").hasMessageContaining("axis 1 of (3, 4, 5)");
        assertThatThrownBy(() -> IndexOps.gather(x, Tensor.of(new int[] {0}), 3)).hasMessageContaining("gather");
        assertThatThrownBy(() -> IndexOps.scatterAdd(Tensor.ones(2), Tensor.of(new int[] {3}), 0, Shape.of(3)))
                .hasMessageContaining("index 3");
        assertThatThrownBy(() -> IndexOps.scatterAdd(Tensor.ones(2), Tensor.of(new int[] {0, 1}), 0, Shape.of(3, 2)))
                .hasMessageContaining("updates of shape (2,)").hasMessageContaining("do not match (2, 2)");
        assertThatThrownBy(() -> IndexOps.scatterAdd(Tensor.of(new int[] {1, 1}), Tensor.of(new int[] {0, 1}), 0,
                Shape.of(2))).hasMessageContaining("scatterAdd");
        assertThatThrownBy(() -> IndexOps.scatterAdd(Tensor.ones(1), Tensor.of(new float[] {0}), 0, Shape.of(2)))
                .hasMessageContaining("indices must be I32");
        assertThatThrownBy(() -> IndexOps.oneHot(Tensor.of(new int[] {0, -1}), 3))
                .hasMessageContaining("index -1 at flat position 1").hasMessageContaining("[0, 3)");
        assertThatThrownBy(() -> IndexOps.oneHot(Tensor.of(new int[] {3}), 3)).hasMessageContaining("index 3");
        assertThatThrownBy(() -> IndexOps.oneHot(Tensor.of(new int[0]), -1))
                .hasMessageContaining("depth must be non-negative, got -1");
        assertThatThrownBy(() -> IndexOps.oneHot(Tensor.of(new float[] {0}), 2))
                .hasMessageContaining("indices must be I32, got F32");
    }
}
