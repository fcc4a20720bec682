/**
 * Reverse-mode automatic differentiation on a tape: {@link dev.vecgrad.autodiff.GradientTape}
 * records the ops that run on its thread and walks them backwards to compute gradients;
 * {@link dev.vecgrad.autodiff.CustomGradient} lets a block of ops supply its own gradient;
 * {@link dev.vecgrad.autodiff.GradCheck} checks gradients against finite differences. The
 * walkthrough is {@code docs/autodiff.md}.
 */
package dev.vecgrad.autodiff;
