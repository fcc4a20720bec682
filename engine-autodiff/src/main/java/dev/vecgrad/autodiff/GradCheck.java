package dev.vecgrad.autodiff;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.Primitive;
import dev.vecgrad.core.ops.OpRecorder;
import dev.vecgrad.core.ops.Recording;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks a function's tape gradients against central finite differences in F64, for the engine's
 * own rules and for users' ops and custom gradients.
 *
 * <p>The function's output y is reduced to the scalar {@code L = Σ y·w} with fixed random weights
 * w, so one backward pass checks the whole vector–Jacobian product. For every element of every
 * floating input, {@code (L(x + ε) - L(x - ε)) / 2ε} is compared with the tape's gradient; an
 * element passes when {@code |analytic - numeric| <= atol + rtol·|numeric|}. Integer inputs
 * (indices) are passed through unperturbed.
 *
 * <pre>{@code
 * GradCheck.Result r = GradCheck.check(in -> in.get(0).tanh().mul(in.get(1)),
 *         Tensor.of(new double[] {0.1, -0.7}), Tensor.of(new double[] {2, 3}));
 * r.assertPassed();   // throws AssertionError naming the worst element
 * }</pre>
 */
public final class GradCheck {
    /** Default finite-difference step. */
    public static final double DEFAULT_EPS = 1e-6;
    /** Default absolute tolerance. */
    public static final double DEFAULT_ATOL = 1e-5;
    /** Default relative tolerance. */
    public static final double DEFAULT_RTOL = 1e-3;

    private final double eps;
    private final double atol;
    private final double rtol;

    private GradCheck(double eps, double atol, double rtol) {
        if (!(eps > 0) || !(atol >= 0) || !(rtol >= 0)) {
            throw new IllegalArgumentException("GradCheck: eps must be positive and tolerances non-negative, got eps "
                    + eps + ", atol " + atol + ", rtol " + rtol);
        }
        this.eps = eps;
        this.atol = atol;
        this.rtol = rtol;
    }

    /** A checker with the given step and tolerances. */
    public static GradCheck with(double eps, double atol, double rtol) {
        return new GradCheck(eps, atol, rtol);
    }

    /** Checks {@code f} at {@code inputs} with the default step and tolerances. */
    public static Result check(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        return with(DEFAULT_EPS, DEFAULT_ATOL, DEFAULT_RTOL).run(f, inputs);
    }

    /** Checks the gradient of {@code f}'s gradient (second order) with the default step and tolerances. */
    public static Result checkSecondOrder(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        return with(DEFAULT_EPS, DEFAULT_ATOL, DEFAULT_RTOL).runSecondOrder(f, inputs);
    }

    /**
     * The result of one check: whether every element passed, and the worst one.
     *
     * @param passed          whether every element was within tolerance
     * @param input           which input holds the worst element
     * @param index           the worst element's index in that input
     * @param analytic        the tape's gradient there
     * @param numeric         the central finite difference there
     * @param tolerance       {@code atol + rtol·|numeric|} there
     * @param elementsChecked how many input elements were compared
     * @param recordedOps     the primitive ops the function ran (to confirm an op was exercised)
     */
    public record Result(boolean passed, int input, int[] index, double analytic, double numeric, double tolerance,
            int elementsChecked, Set<Primitive<?>> recordedOps) {

        /** A sentence naming the worst element, both values and the tolerance. */
        public String describe() {
            if (elementsChecked == 0) {
                return "no floating input elements to check";
            }
            return (passed ? "passed" : "FAILED") + ": " + elementsChecked + " elements; worst is input " + input
                    + " at " + Arrays.toString(index) + ": tape " + analytic + " vs finite difference " + numeric
                    + " (|diff| " + Math.abs(analytic - numeric) + ", tolerance " + tolerance + ")";
        }

        /** Throws an {@link AssertionError} with {@link #describe()} unless the check passed. */
        public Result assertPassed() {
            if (!passed) {
                throw new AssertionError("gradient check " + describe());
            }
            return this;
        }
    }

    /** Checks {@code f} at {@code inputs} (floating inputs are converted to F64). */
    public Result run(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        List<Tensor> xs = toF64(inputs);
        Tensor w;
        try (Recording.Paused _ = Recording.pause()) {
            Tensor y = f.apply(xs);
            w = weights(y);
        }
        // Analytic: one backward pass through L = Σ y·w.
        OpSet ops = new OpSet();
        List<Tensor> floating = new ArrayList<>();
        for (Tensor x : xs) {
            if (x.dtype().isFloating()) {
                floating.add(x);
            }
        }
        List<Tensor> analytic;
        try (GradientTape tape = GradientTape.builder().unconnectedGradients(UnconnectedGradients.ZERO).open()) {
            floating.forEach(tape::watch);
            Tensor y;
            Recording.push(ops);
            try {
                y = f.apply(xs);
            } finally {
                Recording.pop(ops);
            }
            analytic = tape.gradient(project(y, w), floating.toArray(new Tensor[0]));
        }
        // Numeric: central differences, one element at a time.
        Worst worst = new Worst();
        int checked = 0;
        try (Recording.Paused _ = Recording.pause()) {
            int fi = 0;
            for (int i = 0; i < xs.size(); i++) {
                if (!xs.get(i).dtype().isFloating()) {
                    continue;
                }
                double[] a = analytic.get(fi++).toDoubleArray();
                double[] base = xs.get(i).toDoubleArray();
                for (int k = 0; k < base.length; k++) {
                    double plus = lossAt(f, xs, i, base, k, base[k] + eps, w);
                    double minus = lossAt(f, xs, i, base, k, base[k] - eps, w);
                    double numeric = (plus - minus) / (2 * eps);
                    worst.offer(i, xs.get(i).shape().toArray(), k, a[k], numeric, atol + rtol * Math.abs(numeric));
                    checked++;
                }
            }
        }
        return new Result(worst.failures == 0, worst.input, worst.index, worst.analytic, worst.numeric,
                worst.tolerance, checked, Collections.unmodifiableSet(ops.ops));
    }

    /**
     * Checks second derivatives: the function {@code h(x) = Σᵢ ⟨∂L/∂xᵢ, vᵢ⟩}, whose gradient
     * needs the gradient of {@code f}'s gradient, is checked like any other. Its inner gradient is
     * computed by a tape nested inside the checker's, so this also checks nested tapes.
     */
    public Result runSecondOrder(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        List<Tensor> xs = toF64(inputs);
        Tensor w;
        List<Tensor> vs = new ArrayList<>();
        try (Recording.Paused _ = Recording.pause()) {
            w = weights(f.apply(xs));
            Rng rng = new Rng(7);
            for (Tensor x : xs) {
                vs.add(x.dtype().isFloating() ? Tensor.randomNormal(rng, 0, 1, x.shape().toArray()).cast(DType.F64) : null);
            }
        }
        Function<List<Tensor>, Tensor> h = in -> {
            List<Tensor> floating = new ArrayList<>();
            List<Tensor> dirs = new ArrayList<>();
            for (int i = 0; i < in.size(); i++) {
                if (in.get(i).dtype().isFloating()) {
                    floating.add(in.get(i));
                    dirs.add(vs.get(i));
                }
            }
            List<Tensor> grads;
            try (GradientTape inner = GradientTape.builder().unconnectedGradients(UnconnectedGradients.ZERO).open()) {
                floating.forEach(inner::watch);
                grads = inner.gradient(project(f.apply(in), w), floating.toArray(new Tensor[0]));
            }
            Tensor sum = null;
            for (int i = 0; i < grads.size(); i++) {
                Tensor term = grads.get(i).mul(dirs.get(i)).sum();
                sum = sum == null ? term : sum.add(term);
            }
            return sum;
        };
        return run(h, xs.toArray(new Tensor[0]));
    }

    private double lossAt(Function<List<Tensor>, Tensor> f, List<Tensor> xs, int i, double[] base, int k, double value,
            Tensor w) {
        double[] moved = base.clone();
        moved[k] = value;
        List<Tensor> args = new ArrayList<>(xs);
        args.set(i, Tensor.of(moved, xs.get(i).shape().toArray()));
        Tensor y = f.apply(args);
        if (!y.shape().equals(w.shape())) {
            throw new IllegalArgumentException("GradCheck: the function's output shape changed from " + w.shape()
                    + " to " + y.shape() + " when input " + i + " moved");
        }
        double[] yv = y.toDoubleArray();
        double[] wv = w.toDoubleArray();
        double s = 0;
        for (int j = 0; j < yv.length; j++) {
            s += yv[j] * wv[j];
        }
        return s;
    }

    private static Tensor project(Tensor y, Tensor w) {
        if (y.dtype() != DType.F64) {
            throw new IllegalArgumentException("GradCheck: the function must keep F64 inputs in F64, but returned "
                    + y.dtype() + " " + y.shape());
        }
        return y.mul(w).sum();
    }

    private static Tensor weights(Tensor y) {
        return Tensor.randomNormal(new Rng(1234), 0, 1, y.shape().toArray()).cast(DType.F64);
    }

    private static List<Tensor> toF64(Tensor[] inputs) {
        List<Tensor> xs = new ArrayList<>();
        try (Recording.Paused _ = Recording.pause()) {
            for (Tensor x : inputs) {
                xs.add(x.dtype().isFloating() ? Tensor.of(x.toDoubleArray(), x.shape().toArray()) : x);
            }
        }
        return xs;
    }

    /** The worst element seen so far, by how far it is outside (or inside) its tolerance. */
    private static final class Worst {
        int input = -1;
        int[] index = new int[0];
        double analytic;
        double numeric;
        double tolerance;
        double score = Double.NEGATIVE_INFINITY;
        int failures;

        void offer(int in, int[] dims, int flat, double a, double n, double tol) {
            double diff = Math.abs(a - n);
            if (!(diff <= tol)) { // NaN fails
                failures++;
            }
            double s = Double.isNaN(diff) ? Double.POSITIVE_INFINITY
                    : tol > 0 ? diff / tol : diff == 0 ? 0 : Double.POSITIVE_INFINITY;
            if (input < 0 || s > score) {
                score = s;
                input = in;
                index = unflatten(flat, dims);
                analytic = a;
                numeric = n;
                tolerance = tol;
            }
        }

        private static int[] unflatten(int flat, int[] dims) {
            int[] idx = new int[dims.length];
            for (int d = dims.length - 1; d >= 0; d--) {
                idx[d] = dims[d] == 0 ? 0 : flat % dims[d];
                flat = dims[d] == 0 ? 0 : flat / dims[d];
            }
            return idx;
        }
    }

    /** Notes which ops the function ran, so a caller can confirm the op under test was exercised. */
    private static final class OpSet implements OpRecorder {
        final Set<Primitive<?>> ops = new HashSet<>();

        @Override
        public <A> void recordOp(Primitive<A> op, A attrs, Tensor[] inputs, Tensor output) {
            ops.add(op);
        }
    }
}
