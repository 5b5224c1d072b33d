package io.breakwater.agent.cli;

import io.breakwater.agent.BreakwaterAgent;
import java.io.PrintStream;
import java.util.List;

/** {@code detach <pid>}: removes Breakwater from a JVM, which then runs as if it had never been there. */
final class DetachCommand implements Command {
    @Override
    public int run(List<String> arguments, PrintStream out) throws CliException {
        if (arguments.size() != 1) {
            throw CliException.usage("detach takes one pid (see: list)");
        }
        try (TargetJvm target = TargetJvm.attach(arguments.get(0))) {
            if (target.breakwater() == null) {
                throw CliException.failure("not loaded in JVM " + target.pid() + "; nothing to detach");
            }
            target.loadAgent(AgentJar.path(), BreakwaterAgent.DETACH);
            if (target.breakwater() != null) {
                throw CliException.failure("detach did not complete in JVM " + target.pid()
                        + "; its standard error has a [breakwater] line saying why");
            }
            out.println("breakwater: detached from JVM " + target.pid()
                    + ": instrumented classes restored, MBeans unregistered, agent thread stopped");
            return 0;
        }
    }
}
