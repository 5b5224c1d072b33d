package io.breakwater.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code java -jar breakwater-agent.jar ...} run as a user runs it: its own JVM, exit code, both outputs. */
final class BreakwaterCli {
    record Result(int exitCode, String out, String err) {
        /** The one line a failed command prints on standard error. */
        String errorLine() {
            assertThat(err.lines()).as("standard error of the CLI").hasSize(1);
            assertThat(err).startsWith("breakwater: ");
            return err.strip();
        }
    }

    private BreakwaterCli() {}

    static Result run(String... arguments) {
        return runAs(List.of(), SimulatorJvm.AGENT_JAR, arguments);
    }

    /**
     * @param prefix a command that runs the CLI's {@code java}, such as {@code setpriv} for another user
     * @param jar the agent jar, or a copy that other user can read
     */
    static Result runAs(List<String> prefix, Path jar, String... arguments) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(SimulatorJvm.JAVA.toString(), "-jar", jar.toString()));
        command.addAll(Arrays.asList(arguments));
        try {
            File out = File.createTempFile("breakwater-cli", ".out");
            File err = File.createTempFile("breakwater-cli", ".err");
            try {
                Process process = new ProcessBuilder(command).redirectOutput(out).redirectError(err).start();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("CLI still running after 60 s: " + command);
                }
                return new Result(process.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
            } finally {
                out.delete();
                err.delete();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
