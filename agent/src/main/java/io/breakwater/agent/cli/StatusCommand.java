package io.breakwater.agent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import javax.management.JMException;

/** {@code status <pid>}: the breakers of a JVM, read over JMX as JConsole reads them. */
final class StatusCommand implements Command {
    @Override
    public int run(List<String> arguments, PrintStream out) throws CliException {
        if (arguments.size() != 1) {
            throw CliException.usage("status takes one pid (see: list)");
        }
        try (TargetJvm target = TargetJvm.attach(arguments.get(0))) {
            Installed installed = target.breakwater();
            if (installed == null) {
                throw CliException.failure("not loaded in JVM " + target.pid() + " (attach it with: attach " + target.pid() + ")");
            }
            List<String> table;
            try {
                table = BreakerTable.read(target.jmx());
            } catch (IOException | JMException e) {
                throw CliException.failure("cannot read the breakers of JVM " + target.pid() + ": " + CliException.firstLine(e));
            }
            if (table.isEmpty()) {
                throw CliException.failure("loaded in JVM " + target.pid() + " (" + installed + ") but no breaker MBean is "
                        + "registered yet (they appear jmx.registerDelay after start, and never with jmx.enabled=false)");
            }
            out.println("JVM " + target.pid() + ": Breakwater " + installed);
            table.forEach(out::println);
            return 0;
        }
    }
}
