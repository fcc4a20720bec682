/**
 * Keras-style training: layers, Model, losses, metrics, optimizers, callbacks, data, and
 * pictures written as PNG ({@code plot}, with Java2D). The command-line trainer
 * ({@code dev.vecgrad.train.cli}) and the worked examples are programs built on this API, not
 * part of it, so they are not exported; the trainer's service interface for running on a cluster,
 * {@code dev.vecgrad.train.cli.spi.ClusterTraining}, is (engine-spark implements it).
 */
module dev.vecgrad.train {
    requires transitive dev.vecgrad.autodiff;
    requires java.desktop;
    requires java.logging;
    exports dev.vecgrad.train;
    exports dev.vecgrad.train.activations;
    exports dev.vecgrad.train.callbacks;
    exports dev.vecgrad.train.cli.spi;
    exports dev.vecgrad.train.compile;
    exports dev.vecgrad.train.data;
    exports dev.vecgrad.train.distribute;
    exports dev.vecgrad.train.initializers;
    exports dev.vecgrad.train.layers;
    exports dev.vecgrad.train.losses;
    exports dev.vecgrad.train.metrics;
    exports dev.vecgrad.train.optimizers;
    exports dev.vecgrad.train.optimizers.schedules;
    exports dev.vecgrad.train.plot;
    exports dev.vecgrad.train.regularizers;
    exports dev.vecgrad.train.report;
    exports dev.vecgrad.train.registry;
    uses dev.vecgrad.train.cli.spi.ClusterTraining;
}
