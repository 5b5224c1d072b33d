package io.breakwater.agent.cli;

import io.breakwater.agent.BreakwaterAgent;
import io.breakwater.agent.config.AgentConfig;
import io.breakwater.agent.config.ConfigException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code attach <pid> [key=value,...] [--prometheus [HOST:]PORT] [--exporter-jar PATH] [--exporter-config PATH]}:
 * loads Breakwater, and optionally the Prometheus exporter, into a running JVM. Everything that
 * can be checked is checked before the target is touched; a JVM that already has Breakwater
 * (attached earlier or from {@code -javaagent}) is left alone.
 */
final class AttachCommand implements Command {
    private static final Set<String> FLAGS = Set.of("--prometheus", "--exporter-jar", "--exporter-config");

    @Override
    public int run(List<String> arguments, PrintStream out) throws CliException {
        if (arguments.isEmpty()) {
            throw CliException.usage("attach needs a pid (see: list)");
        }
        String pid = arguments.get(0);
        TargetJvm.parsePid(pid);
        Map<String, String> flags = new HashMap<>();
        String options = "";
        for (int i = 1; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (FLAGS.contains(argument)) {
                if (i + 1 == arguments.size()) {
                    throw CliException.usage(argument + " needs a value");
                }
                flags.put(argument, arguments.get(++i));
            } else if (argument.startsWith("--")) {
                throw CliException.usage("unknown option " + argument + " (see: help)");
            } else if (options.isEmpty()) {
                options = argument;
            } else {
                throw CliException.usage("agent options go in one argument, joined with commas: key=value,key=value");
            }
        }
        try {
            AgentConfig.parse(options);
        } catch (ConfigException e) {
            throw CliException.usage("bad agent option: " + e.getMessage());
        }
        options = withAbsoluteConfigPath(options);
        Exporter exporter = null;
        if (flags.containsKey("--prometheus")) {
            exporter = Exporter.prepare(flags.get("--prometheus"), flags.get("--exporter-jar"), flags.get("--exporter-config"));
        } else if (!flags.isEmpty()) {
            throw CliException.usage("--exporter-jar and --exporter-config go with --prometheus");
        }

        try (TargetJvm target = TargetJvm.attach(pid)) {
            Installed installed = target.breakwater();
            if (installed != null) {
                throw CliException.failure("already loaded in JVM " + target.pid() + " (" + installed
                        + "); not loading it twice (detach first to change its options)");
            }
            if (exporter != null) {
                String running = target.prometheusExporter();
                if (running != null) {
                    throw CliException.failure("JVM " + target.pid() + " already runs the Prometheus exporter (" + running
                            + "), which serves Breakwater's MBeans too; a second one would exit the JVM: attach without --prometheus");
                }
                exporter.checkCanServe();
            }
            target.loadAgent(AgentJar.path(), options);
            if (target.breakwater() == null) {
                throw CliException.failure("the agent did not start in JVM " + target.pid()
                        + "; its standard error has a [breakwater] line saying why");
            }
            out.println("breakwater: attached to JVM " + target.pid());
            if (exporter != null) {
                target.loadAgent(exporter.jar(), exporter.agentArgument());
                target.loadAgent(AgentJar.path(), BreakwaterAgent.EXPORTER_LOADED + exporter.url());
                out.println("breakwater: Prometheus metrics of JVM " + target.pid() + " at " + exporter.url());
            }
            return 0;
        }
    }

    /**
     * A relative {@code config=} path was read above from this command's directory; the target, whose working
     * directory may be another, is given the same file by its absolute path.
     */
    static String withAbsoluteConfigPath(String options) {
        List<String> items = new ArrayList<>();
        for (String item : options.split(",", -1)) {
            int eq = item.indexOf('=');
            if (eq > 0 && item.substring(0, eq).trim().equals("config") && !item.substring(eq + 1).isBlank()) {
                item = "config=" + Path.of(item.substring(eq + 1).trim()).toAbsolutePath().normalize();
            }
            items.add(item);
        }
        return String.join(",", items);
    }
}
