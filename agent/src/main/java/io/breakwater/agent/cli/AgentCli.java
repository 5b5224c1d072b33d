package io.breakwater.agent.cli;

import io.breakwater.agent.config.AgentConfig;
import io.breakwater.agent.config.ConfigException;
import java.io.File;
import java.net.URISyntaxException;
import net.bytebuddy.agent.ByteBuddyAgent;

/** {@code java -jar breakwater-agent.jar attach <pid> [options]}: loads the agent into a running JVM. */
public final class AgentCli {
    private static final String USAGE = """
            usage: java -jar breakwater-agent.jar attach <pid> [key=value,...]
                   java -jar breakwater-agent.jar help""";

    private AgentCli() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        if (!args[0].equals("attach")) {
            System.err.println("breakwater: unknown command '" + args[0] + "' (try: help)");
            return 2;
        }
        if (args.length < 2 || args.length > 3 || !args[1].matches("\\d{1,10}")) {
            System.err.println("breakwater: attach needs a numeric pid and at most one option string (try: help)");
            return 2;
        }
        String options = args.length == 3 ? args[2] : "";
        try {
            AgentConfig.parse(options);
        } catch (ConfigException e) {
            System.err.println("breakwater: " + e.getMessage());
            return 2;
        }
        try {
            File jar = new File(AgentCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            ByteBuddyAgent.attach(jar, args[1], options);
            System.out.println("breakwater: attached to " + args[1]);
            return 0;
        } catch (URISyntaxException | RuntimeException e) {
            String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            System.err.println("breakwater: cannot attach to " + args[1] + ": " + message.lines().findFirst().orElse(""));
            return 1;
        }
    }
}
