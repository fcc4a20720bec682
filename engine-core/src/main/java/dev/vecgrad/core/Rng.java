package dev.vecgrad.core;

import java.util.SplittableRandom;

/**
 * An explicit, seeded source of random numbers for tensor creation, initializers, dropout and
 * shuffling. There is no hidden global seed: whoever needs randomness is handed an {@code Rng}.
 *
 * <pre>{@code
 * Rng rng = new Rng(42);
 * Tensor w = Tensor.randomNormal(rng, 0f, 0.05f, 784, 256);
 * }</pre>
 */
public final class Rng {
    private final SplittableRandom random;

    /** A generator whose sequence is fixed by {@code seed}. */
    public Rng(long seed) {
        this.random = new SplittableRandom(seed);
    }

    private Rng(SplittableRandom random) {
        this.random = random;
    }

    /** An independent generator derived from this one (for a worker thread or a sub-component). */
    public Rng split() {
        return new Rng(random.split());
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return random.nextDouble();
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** A raw 64-bit value, e.g. to seed another generator. */
    public long nextLong() {
        return random.nextLong();
    }

    /** Standard normal (mean 0, standard deviation 1), by the Box–Muller transform. */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u1;
        do {
            u1 = random.nextDouble();
        } while (u1 == 0.0);
        double u2 = random.nextDouble();
        double r = Math.sqrt(-2.0 * Math.log(u1));
        spare = r * Math.sin(2 * Math.PI * u2);
        hasSpare = true;
        return r * Math.cos(2 * Math.PI * u2);
    }

    private double spare;
    private boolean hasSpare;
}
