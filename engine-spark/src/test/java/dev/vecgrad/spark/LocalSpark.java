package dev.vecgrad.spark;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.data.IdxImages;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** One local Spark context with two task slots for every test class, and the bundled MNIST sample. */
final class LocalSpark {
    private static JavaSparkContext sc;
    private static IdxImages train;
    private static IdxImages test;

    private LocalSpark() {
    }

    /** How long a new context waits for one that Spark itself is shutting down to let go. */
    private static final long STOPPING_CONTEXT_WAIT_MS = 60_000;

    /**
     * The shared {@code local[2]} context (two executor threads, as on a two-core machine). When
     * Spark has shut the previous one down itself (after a fatal error, on its own thread), that
     * context stays the JVM's active one until its shutdown finishes, and a new one is refused
     * with "Only one SparkContext"; so a replacement is retried for a bounded time, rather than
     * every later test failing on what one test left behind.
     */
    static synchronized JavaSparkContext context() {
        if (sc == null || sc.sc().isStopped()) {
            SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("vecgrad-tests")
                    .set("spark.ui.enabled", "false")
                    .set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.driver.host", "127.0.0.1");
            sc = replacing(sc, conf);
            JavaSparkContext made = sc;
            Runtime.getRuntime().addShutdownHook(new Thread(made::stop));
        }
        return sc;
    }

    private static JavaSparkContext replacing(JavaSparkContext stopped, SparkConf conf) {
        long deadline = System.nanoTime() + STOPPING_CONTEXT_WAIT_MS * 1_000_000;
        while (true) {
            try {
                return new JavaSparkContext(conf);
            } catch (Exception e) { // Scala declares no checked exceptions: SparkException comes unannounced
                boolean anotherIsActive = e instanceof org.apache.spark.SparkException
                        && String.valueOf(e.getMessage()).contains("Only one SparkContext");
                if (stopped == null || !anotherIsActive || System.nanoTime() > deadline) {
                    throw new IllegalStateException("no new local Spark context: " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for a stopping Spark context", e);
                }
            }
        }
    }

    /** Stops the shared context (a JVM runs one at a time), for a test that starts its own. */
    static synchronized void stop() {
        if (sc != null) {
            sc.stop();
            sc = null;
        }
    }

    /** The first {@code n} training images (scaled to [0, 1], 28x28x1) and labels. */
    static Tensor[] mnistTrain(int n) {
        return rows(trainSet(), n);
    }

    /** The first {@code n} test images and labels. */
    static Tensor[] mnistTest(int n) {
        synchronized (LocalSpark.class) {
            if (test == null) {
                test = IdxImages.load("../data/mnist/mnist10k-test");
            }
        }
        return rows(test, n);
    }

    private static synchronized IdxImages trainSet() {
        if (train == null) {
            train = IdxImages.load("../data/mnist/mnist10k-train");
        }
        return train;
    }

    private static Tensor[] rows(IdxImages set, int n) {
        return new Tensor[] {set.images().slice(0, 0, n).contiguousCopy(), set.labels().slice(0, 0, n).contiguousCopy()};
    }
}
