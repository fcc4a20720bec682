/**
 * The gradient rule of every differentiable primitive, one class per op family mirroring
 * engine-core's ({@code UnaryGradients} for {@code UnaryOps}, ...), gathered by
 * {@link dev.vecgrad.autodiff.rules.GradientRegistry}. Rules are written with tensor ops so that
 * gradients can be differentiated again.
 */
package dev.vecgrad.autodiff.rules;
