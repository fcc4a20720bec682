package dev.vecgrad.spark;

import java.io.Serializable;
import java.util.List;

/**
 * What one task of a job sends back to the driver.
 *
 * @param partition the worker
 * @param metricStates the state of each of the model's metrics over this job's steps, loss first
 * @param outputs in predict mode, the outputs of each step as a tensor list's bytes
 * @param state worker 0's weights and optimizer state when asked for, else null
 * @param computeNanos time spent in the steps, less the exchanges
 * @param exchangeNanos time spent in all-gathers
 * @param exchangeBytes characters this worker sent through all-gathers
 */
record WorkerResult(int partition, List<double[]> metricStates, byte[] outputs, ModelState state, long computeNanos,
        long exchangeNanos, long exchangeBytes) implements Serializable {
}
