package io.breakwater.agent.cli;

/** Ends a command with one line on standard error and an exit code. */
final class CliException extends Exception {
    /** The command line itself is wrong; nothing was tried on the target. */
    static final int USAGE = 2;
    /** The command was understood but the target JVM could not be acted on. */
    static final int FAILURE = 1;

    private final int exitCode;

    private CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    static CliException usage(String message) {
        return new CliException(USAGE, message);
    }

    static CliException failure(String message) {
        return new CliException(FAILURE, message);
    }

    int exitCode() {
        return exitCode;
    }

    /** The first line of an exception's message, for one-line reports of JDK errors. */
    static String firstLine(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return message.lines().findFirst().orElse("").trim();
    }
}
