package dev.vecgrad.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.autodiff.CustomGradient;
import dev.vecgrad.autodiff.GradCheck;
import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.autodiff.rules.InputGradientRule;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.draw.Bitmap;
import dev.vecgrad.core.draw.Series;
import dev.vecgrad.core.io.Npy;
import dev.vecgrad.core.io.RegularFiles;
import dev.vecgrad.core.io.SafeTensors;
import dev.vecgrad.core.ops.Attrs;
import dev.vecgrad.core.ops.OpCall;
import dev.vecgrad.train.cli.spi.ClusterTraining;
import dev.vecgrad.train.data.IdxImages;
import dev.vecgrad.train.initializers.VarianceScaling;
import dev.vecgrad.train.layers.Configs;
import dev.vecgrad.train.layers.LayerNormalization;
import dev.vecgrad.train.layers.Reshape;
import dev.vecgrad.train.losses.Loss;
import dev.vecgrad.train.metrics.AUC;
import dev.vecgrad.train.metrics.FBetaScore;
import dev.vecgrad.train.metrics.IoU;
import dev.vecgrad.train.metrics.Mean;
import dev.vecgrad.train.metrics.Metric;
import dev.vecgrad.train.metrics.Precision;
import dev.vecgrad.train.metrics.R2Score;
import dev.vecgrad.train.metrics.Recall;
import dev.vecgrad.train.metrics.RecallAtPrecision;
import dev.vecgrad.train.metrics.Sum;
import dev.vecgrad.train.metrics.TruePositives;
import dev.vecgrad.train.plot.Pictures;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No public method of the library's exported packages hands out an array that something else
 * keeps: every method that returns an array returns one of its own, so changing it changes nothing
 * else. The methods are found by reflection over what the modules export; each is called, its
 * result changed, and the method called again on the same receiver. A method added later fails
 * this test until it gets an entry here. Methods the user implements (abstract ones, such as a
 * custom gradient's) are not the library's to check.
 */
class PublicArraysTest {
    /**
     * Kernels' work arrays: each hands the calling thread its reusable array for a slot, by design
     * (no tensor's array; a kernel overwrites it before reading).
     */
    private static final Set<String> SCRATCH = Set.of("dev.vecgrad.core.kernel.Scratch#f32(Slot,int)",
            "dev.vecgrad.core.kernel.Scratch#f64(Slot,int)", "dev.vecgrad.core.kernel.Scratch#i32(Slot,int)");

    @TempDir
    Path dir;

    @Test
    void everyPublicMethodReturningAnArrayReturnsAFreshOne() throws Exception {
        Map<String, Supplier<Object>> calls = calls();
        List<Method> found = arrayReturningMethods();
        List<String> unchecked = new ArrayList<>();
        for (Method m : found) {
            String key = key(m);
            Supplier<Object> call = calls.get(key);
            if (call == null && Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0) {
                call = () -> invoke(m);
            }
            if (SCRATCH.contains(key)) {
                continue;
            }
            if (call == null) {
                unchecked.add(key);
                continue;
            }
            Object first = call.get();
            assertThat(Array.getLength(first)).as(key + " returns a non-empty array here").isPositive();
            Object expected = Array.get(first, 0);
            Array.set(first, 0, changed(expected));
            Object again = call.get();
            assertThat(again).as(key + " returns a new array each call").isNotSameAs(first);
            if (isBoxedPrimitive(expected)) {
                assertThat(Array.get(again, 0)).as(key + " is unchanged by a change to what it returned").isEqualTo(expected);
            } else {
                assertThat(Array.get(again, 0)).as(key + "[0] after its first result's [0] was cleared").isNotNull();
            }
        }
        assertThat(unchecked).as("public methods returning arrays with no check here: add one").isEmpty();
        assertThat(found).as("the scan found the methods it is meant to check").hasSizeGreaterThan(40);
        assertThat(calls.keySet()).as("every entry names a method the scan found")
                .isSubsetOf(found.stream().map(PublicArraysTest::key).collect(Collectors.toSet()));
    }

    /** One call per method (keyed as {@link #key} writes it), on one receiver made here. */
    private Map<String, Supplier<Object>> calls() throws IOException {
        Map<String, Supplier<Object>> c = new TreeMap<>();
        Shape shape = Shape.of(2, 3);
        c.put("dev.vecgrad.core.Shape#toArray()", shape::toArray);
        c.put("dev.vecgrad.core.Shape#contiguousStrides()", shape::contiguousStrides);
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        c.put("dev.vecgrad.core.Tensor#toFloatArray()", t::toFloatArray);
        c.put("dev.vecgrad.core.Tensor#toDoubleArray()", t::toDoubleArray);
        c.put("dev.vecgrad.core.Tensor#toIntArray()", t::toIntArray);
        c.put("dev.vecgrad.core.Tensor#strides()", t::strides);

        Attrs.Reduce reduce = new Attrs.Reduce(new int[] {0, 1}, false);
        c.put("dev.vecgrad.core.ops.Attrs$Reduce#axes()", reduce::axes);
        Attrs.Permute permute = new Attrs.Permute(new int[] {1, 0});
        c.put("dev.vecgrad.core.ops.Attrs$Permute#perm()", permute::perm);
        Attrs.Slice slice = new Attrs.Slice(new int[] {0}, new int[] {2}, new int[] {1});
        c.put("dev.vecgrad.core.ops.Attrs$Slice#start()", slice::start);
        c.put("dev.vecgrad.core.ops.Attrs$Slice#stop()", slice::stop);
        c.put("dev.vecgrad.core.ops.Attrs$Slice#step()", slice::step);
        Attrs.Pad pad = new Attrs.Pad(new int[] {1}, new int[] {2}, 0);
        c.put("dev.vecgrad.core.ops.Attrs$Pad#before()", pad::before);
        c.put("dev.vecgrad.core.ops.Attrs$Pad#after()", pad::after);

        Path file = Files.write(dir.resolve("bytes"), new byte[] {1, 2, 3});
        c.put("dev.vecgrad.core.io.RegularFiles#read(Path,int)", () -> unchecked(() -> RegularFiles.read(file, 10)));
        c.put("dev.vecgrad.core.io.SafeTensors#toBytes(Map,Map)", () -> SafeTensors.toBytes(Map.of("t", t), Map.of()));
        c.put("dev.vecgrad.core.io.Npy#toBytes(Tensor)", () -> Npy.toBytes(t));
        Bitmap bitmap = Bitmap.intensity(new float[] {0, 1, 1, 0}, 2, 2, 1);
        c.put("dev.vecgrad.train.plot.Pictures#png(Drawing)", () -> Pictures.png(bitmap));
        c.put("dev.vecgrad.train.plot.Pictures#png(Drawing,double)", () -> Pictures.png(bitmap, 2));
        c.put("dev.vecgrad.core.draw.Bitmap#pixelsPng()", bitmap::pixelsPng);
        Series series = Series.of("s", new double[] {1, 2}, new double[] {3, 4});
        c.put("dev.vecgrad.core.draw.Series#x()", series::x);
        c.put("dev.vecgrad.core.draw.Series#y()", series::y);

        Tensor a = Tensor.of(new float[] {1, 2});
        CustomGradient.Block block = new CustomGradient.Block("twice", (in, out, g) -> List.of(g.mul(2)));
        OpCall<CustomGradient.Block> call = new OpCall<>(CustomGradient.BLOCK, block, new Tensor[] {a}, a.mul(2));
        c.put("dev.vecgrad.autodiff.CustomGradient#gradient(OpCall,Tensor,boolean[])",
                () -> CustomGradient.gradient(call, Tensor.ones(2), new boolean[] {true}));

        InputGradientRule<CustomGradient.Block> twice = (c2, g, j) -> g.mul(2);
        c.put("dev.vecgrad.autodiff.rules.InputGradientRule#apply(OpCall,Tensor,boolean[])",
                () -> twice.apply(call, Tensor.ones(2), new boolean[] {true}));

        GradCheck.Result check = GradCheck.check(in -> in.get(0).square().sum(), Tensor.of(new double[] {1, 2}));
        c.put("dev.vecgrad.autodiff.GradCheck$Result#index()", check::index);

        ClusterTraining.Images cluster = new ClusterTraining.Images(null, new int[] {28, 28, 1});
        c.put("dev.vecgrad.train.cli.spi.ClusterTraining$Images#imageShape()", cluster::imageShape);
        c.put("dev.vecgrad.train.initializers.VarianceScaling#fans(Shape)", () -> VarianceScaling.fans(shape));
        c.put("dev.vecgrad.train.layers.Configs#ints(Map,String)", () -> Configs.ints(Map.of("k", List.of(2, 3)), "k"));
        c.put("dev.vecgrad.train.layers.Configs#pair(Map,String,int[])",
                () -> Configs.pair(Map.of("k", List.of(2, 3)), "k", new int[] {1, 1}));
        LayerNormalization norm = new LayerNormalization("n", new int[] {-1}, 1e-3, true, true);
        c.put("dev.vecgrad.train.layers.LayerNormalization#axes()", norm::axes);
        Reshape reshape = new Reshape(3, 2);
        c.put("dev.vecgrad.train.layers.Reshape#targetShape()", reshape::targetShape);
        c.put("dev.vecgrad.train.losses.Loss#matchRank(Tensor,Tensor)", () -> Loss.matchRank(t, t.reshape(6)));
        IdxImages images = new IdxImages(Tensor.zeros(2, 3, 4, 1), Tensor.zeros(DType.I32, 2));
        c.put("dev.vecgrad.train.data.IdxImages#imageSize()", images::imageSize);

        Tensor yTrue = Tensor.of(new float[] {0, 1, 1, 0}, 4, 1);
        Tensor yPred = Tensor.of(new float[] {0.2f, 0.8f, 0.6f, 0.3f}, 4, 1);
        Recall recall = updated(new Recall(), yTrue, yPred);
        c.put("dev.vecgrad.train.metrics.Recall#falseNegatives()", recall::falseNegatives);
        c.put("dev.vecgrad.train.metrics.TruePositiveRatio#results()", recall::results);
        c.put("dev.vecgrad.train.metrics.TruePositiveRatio#truePositives()", recall::truePositives);
        Precision precision = updated(new Precision(), yTrue, yPred);
        c.put("dev.vecgrad.train.metrics.Precision#falsePositives()", precision::falsePositives);
        AUC auc = updated(new AUC(), yTrue, yPred);
        c.put("dev.vecgrad.train.metrics.AUC#results()", auc::results);
        TruePositives truePositives = updated(new TruePositives(), yTrue, yPred);
        c.put("dev.vecgrad.train.metrics.ConfusionCount#results()", truePositives::results);
        RecallAtPrecision atPrecision = updated(new RecallAtPrecision(0.5), yTrue, yPred);
        c.put("dev.vecgrad.train.metrics.SensitivitySpecificityBase#results()", atPrecision::results);
        Mean mean = new Mean();
        mean.update(yPred, null);
        c.put("dev.vecgrad.train.metrics.Metric#results()", mean::results);
        c.put("dev.vecgrad.train.metrics.Mean#state()", mean::state);
        IoU iou = new IoU(2, new int[] {0});
        c.put("dev.vecgrad.train.metrics.IoU#state()", iou::state);
        c.put("dev.vecgrad.train.metrics.IoU#classIoUs()", iou::classIoUs);
        c.put("dev.vecgrad.train.metrics.IoU#targetClassIds()", iou::targetClassIds);
        Sum sum = new Sum();
        sum.update(yPred, null);
        c.put("dev.vecgrad.train.metrics.Sum#state()", sum::state);
        FBetaScore fbeta = updated(new FBetaScore(), yTrue, yPred);
        c.put("dev.vecgrad.train.metrics.FBetaScore#state()", fbeta::state);
        c.put("dev.vecgrad.train.metrics.FBetaScore#results()", fbeta::results);
        R2Score r2 = updated(new R2Score(), yTrue, yPred);
        c.put("dev.vecgrad.train.metrics.R2Score#state()", r2::state);
        c.put("dev.vecgrad.train.metrics.R2Score#results()", r2::results);
        return c;
    }

    /** The public, concrete methods returning an array, of the public types in every package the library's modules export. */
    private static List<Method> arrayReturningMethods() throws Exception {
        List<Method> out = new ArrayList<>();
        for (Class<?> anchor : List.of(Tensor.class, GradientTape.class, Model.class)) {
            ModuleReference module = moduleOf(anchor);
            TreeSet<String> exported = module.descriptor().exports().stream().filter(e -> !e.isQualified())
                    .map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
            List<String> classes;
            try (ModuleReader reader = module.open(); Stream<String> names = reader.list()) {
                classes = names.filter(n -> n.endsWith(".class") && !n.equals("module-info.class"))
                        .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                        .filter(n -> exported.contains(n.substring(0, n.lastIndexOf('.'))))
                        .toList();
            }
            for (String name : classes) {
                Class<?> c = Class.forName(name, false, anchor.getClassLoader());
                if (!isPublicType(c)) {
                    continue;
                }
                for (Method m : c.getDeclaredMethods()) {
                    int mod = m.getModifiers();
                    if (Modifier.isPublic(mod) && !Modifier.isAbstract(mod) && !m.isSynthetic() && !m.isBridge()
                            && m.getReturnType().isArray()) {
                        out.add(m);
                    }
                }
            }
        }
        out.sort((a, b) -> key(a).compareTo(key(b)));
        return out;
    }

    private static ModuleReference moduleOf(Class<?> anchor) throws URISyntaxException {
        Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        return ModuleFinder.of(location).findAll().stream().findFirst()
                .orElseThrow(() -> new AssertionError("no module at " + location));
    }

    private static boolean isPublicType(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isLocalClass()) {
                return false;
            }
        }
        return true;
    }

    private static String key(Method m) {
        return m.getDeclaringClass().getName() + "#" + m.getName() + Arrays.stream(m.getParameterTypes())
                .map(Class::getSimpleName).collect(Collectors.joining(",", "(", ")"));
    }

    private static Object invoke(Method m) {
        try {
            return m.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(key(m), e);
        }
    }

    /** A value of the same type as {@code v} that differs from it; null for references. */
    private static Object changed(Object v) {
        return switch (v) {
            case Byte b -> (byte) (b + 1);
            case Integer i -> i + 1;
            case Float f -> f + 1;
            case Double d -> d + 1;
            case null, default -> null;
        };
    }

    private static boolean isBoxedPrimitive(Object v) {
        return v instanceof Byte || v instanceof Integer || v instanceof Float || v instanceof Double;
    }

    private static <M extends Metric> M updated(M metric, Tensor yTrue, Tensor yPred) {
        metric.update(yTrue, yPred, null);
        return metric;
    }

    private interface IoCall {
        Object call() throws IOException;
    }

    private static Object unchecked(IoCall call) {
        try {
            return call.call();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
