package dev.vecgrad.spark;

import dev.vecgrad.train.Model;

/**
 * Makes every barrier task's model copy hold the state a training job starts from, version
 * {@code startVersion}: kept from the last job, restored from the copy taken when a job that
 * Spark is now retrying started, or received from another worker or from the driver. When no
 * worker holds it and the driver's state is older, every worker takes the driver's and replays
 * the steps since ({@link JobSpec#replay}). Every worker of the job calls it, and all take part in
 * the same exchanges.
 */
final class StateRecovery {
    private StateRecovery() {
    }

    /** Returns true when the copy now holds the driver's older state and the job's replay steps must run first. */
    static boolean ensure(Replicas.Replica replica, JobSpec spec, BarrierExchange exchange) {
        long v = spec.startVersion();
        Model model = replica.model;
        boolean have;
        if (replica.version == v) {
            have = true;
        } else if (replica.atJobStart != null && replica.atJobStart.version() == v) {
            replica.atJobStart.applyTo(model); // Spark is running this job again after a failure
            replica.version = v;
            have = true;
        } else {
            have = false;
        }
        String[] flags = exchange.allGather(have ? "1" : "0");
        int donor = -1;
        for (int r = 0; r < flags.length && donor < 0; r++) {
            if (flags[r].equals("1")) {
                donor = r;
            }
        }
        long now = v;
        if (!allHave(flags)) {
            ModelState driver = spec.driverState().value();
            if (driver.version() == v || donor < 0) {
                if (!have) {
                    driver.applyTo(model);
                }
                now = driver.version(); // older than v only when no worker has the state: all replay from it
                if (now != v && spec.replay().stream().mapToLong(JobSpec.Steps::count).sum() != v - driver.version()) {
                    throw new IllegalStateException("the driver's state is from step " + driver.version()
                            + " but the steps to replay do not lead to step " + v);
                }
            } else {
                // Only a worker that holds the state sends it; the others send nothing.
                byte[][] all = exchange.allGather(exchange.rank() == donor ? toBytes(ModelState.of(model, v)) : new byte[0]);
                if (!have) {
                    fromBytes(all[donor], v).applyTo(model);
                }
            }
        }
        replica.version = now;
        replica.atJobStart = now == v ? ModelState.of(model, v) : null;
        return now != v;
    }

    private static boolean allHave(String[] flags) {
        for (String f : flags) {
            if (!f.equals("1")) {
                return false;
            }
        }
        return true;
    }

    private static byte[] toBytes(ModelState s) {
        byte[] out = new byte[8 + s.weights().length + s.optimizer().length];
        java.nio.ByteBuffer.wrap(out).putInt(s.weights().length).putInt(s.optimizer().length).put(s.weights())
                .put(s.optimizer());
        return out;
    }

    private static ModelState fromBytes(byte[] b, long version) {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(b);
        byte[] w = new byte[in.getInt()];
        byte[] o = new byte[in.getInt()];
        in.get(w).get(o);
        return new ModelState(version, w, o);
    }
}
