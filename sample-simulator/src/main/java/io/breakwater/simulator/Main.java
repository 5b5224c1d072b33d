package io.breakwater.simulator;

import io.breakwater.simulator.cli.CsmsCommand;
import io.breakwater.simulator.cli.RunCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Entry point: {@code run} a fleet of OCPP 1.6J charge points, or start the embedded {@code csms}. */
@Command(name = "sample-simulator",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "OCPP 1.6J charge-point simulator with Redis state, and an embedded CSMS to run it against.",
        subcommands = {RunCommand.class, CsmsCommand.class},
        footer = {"", "Examples:",
            "  java -jar sample-simulator.jar csms --port 9000",
            "  java -jar sample-simulator.jar run --csms ws://127.0.0.1:9000/ocpp \\",
            "      --redis redis://127.0.0.1:6379 --charge-points 10"})
public class Main implements Callable<Integer> {

    /** Exit code for a bad command line. */
    public static final int EXIT_USAGE = 2;
    /** Exit code when the command could not do its job (e.g. a port in use). */
    public static final int EXIT_FAILURE = 1;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** The configured command line: errors are one line on stderr, exit code 2 for bad arguments, 1 for failures. */
    public static CommandLine newCommandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        // A URL that does not parse is reported as such, not as a Java exception.
        commandLine.registerConverter(java.net.URI.class, text -> {
            try {
                return new java.net.URI(text);
            } catch (java.net.URISyntaxException e) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not a valid URL");
            }
        });
        commandLine.setParameterExceptionHandler((error, args) -> {
            CommandLine failed = error.getCommandLine();
            String message = error.getMessage();
            if (error instanceof CommandLine.UnmatchedArgumentException unmatched && failed == commandLine
                    && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
                message = "unknown command '" + unmatched.getUnmatched().get(0) + "': use 'run' or 'csms'";
            }
            failed.getErr().println(oneLine("error: " + message + " (see "
                    + failed.getCommandSpec().qualifiedName() + " --help)"));
            failed.getErr().flush();
            return EXIT_USAGE;
        });
        commandLine.setExecutionExceptionHandler((error, failed, parseResult) -> {
            failed.getErr().println(oneLine("error: " + (error.getMessage() == null ? error.toString()
                    : error.getMessage())));
            failed.getErr().flush();
            return EXIT_FAILURE;
        });
        return commandLine;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: use 'run' or 'csms'");
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    /** Version from the jar manifest when packaged. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"sample-simulator " + (version == null ? "dev" : version)};
        }
    }
}
