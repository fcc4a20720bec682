/** Reverse-mode automatic differentiation on a tape, over {@code dev.vecgrad.core}. */
module dev.vecgrad.autodiff {
    requires transitive dev.vecgrad.core;
    exports dev.vecgrad.autodiff;
    exports dev.vecgrad.autodiff.rules;
}
