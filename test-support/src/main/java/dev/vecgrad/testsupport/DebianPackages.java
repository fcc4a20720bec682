package dev.vecgrad.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Installs a Debian package a test needs (a headless browser, a BLAS to compare with) on a Debian
 * machine run as root, so that the tests run on a fresh machine without a set-up step by hand;
 * elsewhere it says why it could not, for the test's skip message.
 *
 * <pre>{@code
 * String why = DebianPackages.install("libopenblas0-pthread");   // null: installed
 * }</pre>
 */
public final class DebianPackages {
    private static final long TIMEOUT_MINUTES = 20;

    private DebianPackages() {
    }

    /**
     * Runs {@code apt-get install} for {@code pkg} (after {@code apt-get update} if the first try
     * fails: a fresh machine's package lists can be missing or stale).
     *
     * @return null when the package is installed, else what went wrong
     */
    public static synchronized String install(String pkg) {
        if (!Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            return "there is no apt-get to install " + pkg + " with";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "installing " + pkg + " with apt-get needs root";
        }
        String first = run("apt-get", "install", "-y", "-q", "--no-install-recommends", pkg);
        if (first == null) {
            return null;
        }
        String update = run("apt-get", "update", "-q");
        if (update != null) {
            return "apt-get update failed: " + update;
        }
        String second = run("apt-get", "install", "-y", "-q", "--no-install-recommends", pkg);
        return second == null ? null : "apt-get install " + pkg + " failed: " + second;
    }

    /** Runs a command; null when it succeeded, else its status and last lines of output. */
    private static String run(String... command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            }
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return "timed out";
            }
            if (p.exitValue() == 0) {
                return null;
            }
            return "status " + p.exitValue() + ": " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3),
                    lines.size()));
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
