package io.breakwater.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import io.breakwater.agent.BreakwaterAgent;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** {@code list}: the JVMs this user can attach to, and whether Breakwater is loaded in each. */
final class ListCommand implements Command {
    private static final String ROW = "%-8s %-36s %s%n";

    @Override
    public int run(List<String> arguments, PrintStream out) throws CliException {
        if (!arguments.isEmpty()) {
            throw CliException.usage("list takes no arguments");
        }
        String self = Long.toString(ProcessHandle.current().pid());
        out.printf(Locale.ROOT, ROW, "PID", "BREAKWATER", "MAIN");
        List<VirtualMachineDescriptor> jvms = VirtualMachine.list().stream()
                .filter(d -> !d.id().equals(self))
                .sorted(Comparator.comparingLong(d -> Long.parseLong(d.id())))
                .toList();
        for (VirtualMachineDescriptor jvm : jvms) {
            out.printf(Locale.ROOT, ROW, jvm.id(), breakwater(jvm), main(jvm));
        }
        return 0;
    }

    private static String breakwater(VirtualMachineDescriptor jvm) {
        try {
            VirtualMachine vm = VirtualMachine.attach(jvm);
            try {
                return Installed.column(Installed.parse(vm.getSystemProperties().getProperty(BreakwaterAgent.INSTALLED_PROPERTY)));
            } finally {
                vm.detach();
            }
        } catch (Exception e) {
            return "? (cannot attach)";
        }
    }

    /** The main class or jar only: the arguments after it may hold passwords (a Redis URI, say). */
    private static String main(VirtualMachineDescriptor jvm) {
        String name = jvm.displayName().strip();
        if (name.isEmpty()) {
            return "?";
        }
        String first = name.split("\\s+", 2)[0];
        return first.endsWith(".jar") ? Path.of(first).getFileName().toString() : first;
    }
}
