/** Keras-style training: layers, Model, losses, metrics, optimizers, callbacks, data. */
module dev.vecgrad.train {
    requires transitive dev.vecgrad.autodiff;
    exports dev.vecgrad.train;
}
