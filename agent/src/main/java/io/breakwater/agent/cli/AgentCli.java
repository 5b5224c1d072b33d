package io.breakwater.agent.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar breakwater-agent.jar <command>}: list the JVMs of this machine, attach Breakwater
 * to one, read its breakers, detach it again. Exit code 0 on success, 2 when the command line is
 * wrong, 1 when the target could not be acted on; every error is one line on standard error.
 */
public final class AgentCli {
    static final String USAGE = """
            usage: java -jar breakwater-agent.jar <command>
              list                      Java processes of this user, and whether Breakwater is loaded in each
              attach <pid> [key=value,...] [--prometheus [HOST:]PORT] [--exporter-jar PATH] [--exporter-config PATH]
                                        load Breakwater (options: docs/configuration.md) and, with --prometheus,
                                        the Prometheus JMX exporter serving http://HOST:PORT/metrics
              status <pid>              the breakers of a JVM, read over JMX
              detach <pid>              remove Breakwater: classes restored, MBeans unregistered, thread stopped
              help                      this text""";

    private static final Map<String, Command> COMMANDS = Map.of(
            "list", new ListCommand(),
            "attach", new AttachCommand(),
            "status", new StatusCommand(),
            "detach", new DetachCommand());

    private AgentCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || List.of("help", "--help", "-h").contains(args[0])) {
            out.println(USAGE);
            return args.length == 0 ? CliException.USAGE : 0;
        }
        Command command = COMMANDS.get(args[0]);
        if (command == null) {
            err.println("breakwater: unknown command '" + args[0] + "' (try: help)");
            return CliException.USAGE;
        }
        try {
            return command.run(Arrays.asList(args).subList(1, args.length), out);
        } catch (CliException e) {
            err.println("breakwater: " + e.getMessage());
            return e.exitCode();
        } catch (RuntimeException e) {
            err.println("breakwater: " + args[0] + " failed: " + CliException.firstLine(e));
            return CliException.FAILURE;
        }
    }
}
