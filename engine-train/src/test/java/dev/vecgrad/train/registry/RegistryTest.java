package dev.vecgrad.train.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.Model;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.activations.ActivationFunction;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.initializers.Initializer;
import dev.vecgrad.train.initializers.Initializers;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.losses.Loss;
import dev.vecgrad.train.losses.Losses;
import dev.vecgrad.train.metrics.Metric;
import dev.vecgrad.train.metrics.Metrics;
import dev.vecgrad.train.optimizers.Optimizer;
import dev.vecgrad.train.optimizers.Optimizers;
import dev.vecgrad.train.regularizers.Regularizer;
import dev.vecgrad.train.regularizers.Regularizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryTest {
    @TempDir
    Path tmp;

    /** The bent identity x + (sqrt(x² + 1) − 1) / 2 (not built in), computed independently below. */
    private record BentIdentity() implements ActivationFunction {
        @Override
        public Tensor apply(Tensor x) {
            return x.add(x.square().add(1).sqrt().sub(1).mul(0.5));
        }

        @Override
        public String name() {
            return "bent_identity";
        }

        @Override
        public Map<String, Object> parameters() {
            return Map.of();
        }
    }

    @Test
    void namesMatchIgnoringCaseAndUnderscoresClassNamesExactly() {
        Registry<String> r = new Registry<String>("thing")
                .register("BigThing", c -> "big:" + c.get("name"), "big_thing", "bt");
        assertThat(r.get("big_thing")).isEqualTo("big:big_thing");
        assertThat(r.get("BIGTHING")).isEqualTo("big:BIGTHING");
        assertThat(r.get("bt")).isEqualTo("big:bt");
        assertThat(r.fromConfig("BigThing", Map.of("name", "x"))).isEqualTo("big:x");
        assertThatThrownBy(() -> r.fromConfig("bigthing", Map.of())).hasMessageContaining("thing class 'bigthing'")
                .hasMessageContaining("known: BigThing");
        assertThatThrownBy(() -> r.get("small")).hasMessageContaining("unknown thing 'small'; known: big_thing, bt");
        assertThat(r.knownNames()).containsExactly("big_thing", "bt");
        assertThat(r.deserialize(Map.of("class_name", "BigThing", "config", Map.of("name", "y")))).isEqualTo("big:y");
        assertThat(r.deserialize(null)).isNull();
        assertThatThrownBy(() -> r.deserialize(42)).hasMessageContaining("a saved thing must be a name");
    }

    @Test
    void takenNamesClosedRegistriesAndFailingFactoriesAreClearErrors() {
        Registry<String> r = new Registry<String>("thing").register("A", c -> "a", "alpha");
        assertThatThrownBy(() -> r.register("A", c -> "again")).hasMessageContaining("registered already");
        assertThatThrownBy(() -> r.register("B", c -> "b", "ALPHA")).hasMessageContaining("'ALPHA' already stands for A");
        r.register("C", c -> {
            throw new IllegalArgumentException("no good");
        }).register("D", c -> (String) c.get("missing").toString()).register("E", c -> null);
        assertThatThrownBy(() -> r.fromConfig("C", Map.of("name", "c1"))).hasMessage("thing 'c1' (C): no good");
        assertThatThrownBy(() -> r.fromConfig("D", Map.of("name", "d1")))
                .hasMessageContaining("thing 'd1' (D): a config value has the wrong type or is missing");
        assertThatThrownBy(() -> r.get("E")).hasMessageContaining("returned null");
        r.close();
        assertThatThrownBy(() -> r.register("F", c -> "f")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CustomObjects");
        assertThatThrownBy(() -> Losses.REGISTRY.register("Mine", c -> null)).isInstanceOf(IllegalStateException.class);
        // A hostile class name does not reach the message raw.
        assertThatThrownBy(() -> r.fromConfig("x\ntest_accuracy=1.0" + "y".repeat(500), Map.of()))
                .hasMessageNotContaining("\n").hasMessageContaining("x\\ntest_accuracy=1.0yyy").hasMessageContaining("(400 more characters)");
    }

    @Test
    void everyBuiltInObjectRebuildsFromItsOwnConfig() {
        for (String name : Losses.REGISTRY.knownNames()) {
            Loss l = Losses.get(name);
            assertThat(l.name()).isEqualTo(name);
            assertThat(Losses.fromConfig(l.className(), l.getConfig()).getConfig()).as(name).isEqualTo(l.getConfig());
        }
        for (String name : Metrics.REGISTRY.knownNames()) {
            if (name.endsWith("AtSpecificity") || name.endsWith("AtSensitivity") || name.endsWith("AtRecall")
                    || name.endsWith("AtPrecision") || (name.endsWith("IoU") && !name.equals("BinaryIoU"))) {
                // These need their target value or class count, as in Keras; by name alone they are refused clearly.
                assertThatThrownBy(() -> Metrics.get(name)).hasMessageContaining("needs");
                continue;
            }
            Metric m = Metrics.get(name);
            assertThat(m.name()).isEqualTo(name);
            assertThat(Metrics.fromConfig(m.className(), m.getConfig()).getConfig()).as(name).isEqualTo(m.getConfig());
        }
        for (String name : Optimizers.REGISTRY.knownNames()) {
            Optimizer o = Optimizers.get(name);
            assertThat(Optimizers.fromConfig(o.className(), o.getConfig()).getConfig()).as(name).isEqualTo(o.getConfig());
        }
        for (String name : Initializers.REGISTRY.knownNames()) {
            Initializer i = Initializers.get(name);
            assertThat(Initializers.fromConfig(i.className(), i.getConfig()).getConfig()).as(name)
                    .isEqualTo(i.getConfig());
        }
        for (String name : Regularizers.REGISTRY.knownNames()) {
            Regularizer r = Regularizers.get(name);
            assertThat(Regularizers.fromConfig(r.className(), r.getConfig()).getConfig()).as(name)
                    .isEqualTo(r.getConfig());
        }
        for (String name : Activations.REGISTRY.knownNames()) {
            if (name.equals("threshold")) {
                // Its two parameters have no defaults, as in Keras; by name alone it is refused clearly.
                assertThatThrownBy(() -> Activations.get(name)).hasMessageContaining("needs");
                continue;
            }
            ActivationFunction f = Activations.get(name);
            assertThat(Activations.deserialize(Activations.serialize(f)).name()).as(name).isEqualTo(f.name());
        }
        // Keras's defaults for arguments a name does not give.
        assertThat(Optimizers.get("adam").learningRate()).isEqualTo(0.001);
        assertThat(Optimizers.get("SGD").learningRate()).isEqualTo(0.01);
        assertThat(Regularizers.get("l1_l2").getConfig()).containsEntry("l1", 0.01).containsEntry("l2", 0.01);
        assertThat(Initializers.get("HeNormal").className()).isEqualTo("HeNormal");
    }

    @Test
    void customObjectsAreSeenOnlyWhileActiveInnermostFirst() {
        CustomObjects outer = new CustomObjects().register(Activations.REGISTRY, "bent_identity",
                c -> new BentIdentity());
        CustomObjects inner = new CustomObjects().register(Activations.REGISTRY, "bent_identity",
                c -> Activations.relu());
        assertThatThrownBy(() -> Activations.get("bent_identity"))
                .hasMessageContaining("unknown activation 'bent_identity'");
        try (CustomObjects.Scope a = outer.activate()) {
            assertThat(Activations.get("bent_identity")).isInstanceOf(BentIdentity.class);
            assertThat(Activations.REGISTRY.knownNames()).startsWith("bent_identity").contains("relu");
            try (CustomObjects.Scope b = inner.activate()) {
                assertThat(Activations.get("BENT_IDENTITY")).isSameAs(Activations.relu());
                assertThatThrownBy(a::close).hasMessageContaining("innermost first");
            }
            assertThat(Activations.get("bent_identity")).isInstanceOf(BentIdentity.class);
            // Built-in names stay reachable, and other threads do not see the scope.
            assertThat(Activations.get("tanh").name()).isEqualTo("tanh");
            Thread t = new Thread(() -> assertThatThrownBy(() -> Activations.get("bent_identity"))
                    .isNotNull());
            Throwable[] seen = new Throwable[1];
            t.setUncaughtExceptionHandler((th, e) -> seen[0] = e);
            t.start();
            join(t);
            assertThat(seen[0]).isNull();
        }
        assertThatThrownBy(() -> Activations.get("bent_identity")).hasMessageContaining("unknown activation");
        assertThat(outer.classNames(Activations.REGISTRY)).containsExactly("bent_identity");
    }

    @Test
    void aCustomActivationInsideABuiltInLayerLoadsThroughTheRegistry() throws IOException {
        Sequential m = new Sequential(new Dense(3, new BentIdentity()), new Dense(1));
        m.build(1, 2);
        Path dir = tmp.resolve("custom");
        m.save(dir);
        assertThatThrownBy(() -> Model.load(dir)).hasMessageContaining("unknown activation 'bent_identity'");
        Model loaded = Model.load(dir, new CustomObjects().register(Activations.REGISTRY, "bent_identity",
                c -> new BentIdentity()));
        Tensor x = Tensor.of(new float[] {0.5f, -1f, 2f, 0.25f}, 2, 2);
        assertThat(loaded.predict(x, 2).toFloatArray()).containsExactly(m.predict(x, 2).toFloatArray());
        // The first layer's output, computed by hand: h = bent_identity(x·W + b).
        Tensor w = m.layers().get(0).weights().get(0).value();
        Tensor b = m.layers().get(0).weights().get(1).value();
        float[] pre = x.matmul(w).add(b).toFloatArray();
        float[] h = ((Dense) loaded.layers().get(0)).call(x).toFloatArray();
        for (int i = 0; i < pre.length; i++) {
            double expected = pre[i] + (Math.sqrt(pre[i] * pre[i] + 1) - 1) / 2;
            assertThat((double) h[i]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
