/** Keras-style training: layers, Model, losses, metrics, optimizers, callbacks, data. */
module dev.vecgrad.train {
    requires transitive dev.vecgrad.autodiff;
    requires jdk.incubator.vector;
    exports dev.vecgrad.train;
    exports dev.vecgrad.train.activations;
    exports dev.vecgrad.train.callbacks;
    exports dev.vecgrad.train.compile;
    exports dev.vecgrad.train.cli;
    exports dev.vecgrad.train.data;
    exports dev.vecgrad.train.distribute;
    exports dev.vecgrad.train.examples;
    exports dev.vecgrad.train.initializers;
    exports dev.vecgrad.train.layers;
    exports dev.vecgrad.train.losses;
    exports dev.vecgrad.train.metrics;
    exports dev.vecgrad.train.optimizers;
    exports dev.vecgrad.train.optimizers.schedules;
    exports dev.vecgrad.train.regularizers;
    exports dev.vecgrad.train.report;
    exports dev.vecgrad.train.registry;
    uses dev.vecgrad.train.cli.ClusterTraining;
}
