package dev.vecgrad.spark;

import dev.vecgrad.train.distribute.ClusterStrategy;
import java.io.Serializable;
import org.apache.spark.broadcast.Broadcast;

/**
 * What every task of one Spark job is told: which steps of which pass to run, from which model
 * version, and what to send back.
 *
 * @param run the run's id (names the model copies executors keep for it)
 * @param mode train, test or predict
 * @param blueprint how to make a model copy
 * @param plan how the pass is cut into steps
 * @param pass the pass number (seeds the shuffle)
 * @param firstStep the first step of the pass to run
 * @param steps steps to run (0: only report)
 * @param startVersion training steps applied before this job
 * @param driverState the newest state the driver holds (its version may be older than {@code startVersion})
 * @param learningRate the rate to train with, or null when the optimizer follows a schedule
 * @param syncEvery 1: all-reduce gradients every step; k > 1: local steps, weights averaged every k
 * @param returnState whether worker 0 sends its weights and optimizer state back
 * @param fault a failure to inject (tests), or null
 * @param replay the training steps from the driver's state to {@code startVersion}, for workers that all lost theirs
 */
record JobSpec(String run, ClusterStrategy.Mode mode, Broadcast<ModelBlueprint> blueprint, SparkData.Plan plan, long pass,
        long firstStep, int steps, long startVersion, Broadcast<ModelState> driverState, Double learningRate,
        int syncEvery, boolean returnState, FaultInjection fault, java.util.List<Steps> replay) implements Serializable {

    /**
     * Steps {@code [first, first + count)} of pass {@code pass}.
     *
     * @param pass the pass
     * @param first its first step
     * @param count how many
     */
    record Steps(long pass, long first, int count) implements Serializable {
    }
}
