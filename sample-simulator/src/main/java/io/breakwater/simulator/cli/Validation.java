package io.breakwater.simulator.cli;

import io.breakwater.simulator.chargepoint.Fleet;
import io.breakwater.simulator.chargepoint.FleetFile;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks of option values that picocli's type conversion cannot express; failures become one-line usage errors. */
final class Validation {

    private final CommandSpec spec;

    Validation(CommandSpec spec) {
        this.spec = spec;
    }

    void range(String option, long value, long min, long max) {
        if (value < min || value > max) {
            String bounds = max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? "at least " + min
                    : "between " + min + " and " + max;
            fail(option + " must be " + bounds + " (got " + value + ")");
        }
    }

    /** Two ports this process listens on: the same one twice cannot work (0, any free port, always can). */
    void differentPorts(String option, int port, String otherOption, int otherPort) {
        if (port != 0 && port == otherPort) {
            fail(option + " and " + otherOption + " must differ: both are " + port);
        }
    }

    void url(String option, URI uri, String scheme) {
        if (uri == null || !scheme.equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            fail(option + " must be a " + scheme + ":// URL with a host (got '" + (uri == null ? "" : uri) + "')");
        }
        if (uri.getPort() > 65_535) {
            fail(option + " has port " + uri.getPort() + ", ports go up to 65535 (got '" + uri + "')");
        }
    }

    void matches(String option, String value, String regex, String what) {
        if (value == null || !value.matches(regex)) {
            fail(option + " must be " + what + " (got '" + value + "')");
        }
    }

    /** {@code option} excludes the others: naming any of them on the command line too is a mistake. */
    void notWith(String option, List<String> others) {
        for (String other : others) {
            if (spec.commandLine().getParseResult().hasMatchedOption(other)) {
                fail(option + " and " + other + " cannot be used together: the fleet file says it");
            }
        }
    }

    /** Reads a fleet file; any mistake in it is one line naming the file and the field. */
    Fleet fleet(String option, Path file) {
        try {
            return FleetFile.load(file);
        } catch (FleetFile.Invalid e) {
            fail(option + " " + file + ": " + e.getMessage());
            return null; // not reached
        }
    }

    private void fail(String message) {
        throw new ParameterException(spec.commandLine(), message);
    }
}
