package io.breakwater.testkit;

import java.io.File;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the external programs tests need. Without one a test is skipped on a developer machine,
 * but under {@code CI=true} it fails: CI must never pass by skipping.
 */
public final class Prerequisites {
    private Prerequisites() {}

    public static String require(String program) {
        Optional<String> found = find(program);
        if (found.isEmpty()) {
            String message = program + " is not on PATH (install it: apt-get install " + program + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(message + "; under CI=true a missing prerequisite is a failure");
            }
            Assumptions.abort(message);
        }
        return found.get();
    }

    public static Optional<String> find(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            File candidate = new File(dir, program);
            if (candidate.canExecute()) {
                return Optional.of(candidate.getAbsolutePath());
            }
        }
        for (String dir : new String[] {"/usr/bin", "/usr/sbin", "/usr/local/bin"}) {
            File candidate = new File(dir, program);
            if (candidate.canExecute()) {
                return Optional.of(candidate.getAbsolutePath());
            }
        }
        return Optional.empty();
    }
}
