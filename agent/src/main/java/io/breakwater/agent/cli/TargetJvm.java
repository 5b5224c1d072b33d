package io.breakwater.agent.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import io.breakwater.agent.BreakwaterAgent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A JVM on this machine reached through the Attach API, the way JConsole and jcmd reach it. Every
 * reason a pid cannot be reached is turned into one line that says what to do.
 */
final class TargetJvm implements AutoCloseable {
    private final long pid;
    private final VirtualMachine vm;
    private JMXConnector connector;

    private TargetJvm(long pid, VirtualMachine vm) {
        this.pid = pid;
        this.vm = vm;
    }

    static TargetJvm attach(String pidArgument) throws CliException {
        long pid = parsePid(pidArgument);
        VirtualMachineDescriptor descriptor = listed(pid).orElseThrow(() -> unreachable(pid));
        try {
            return new TargetJvm(pid, VirtualMachine.attach(descriptor));
        } catch (AttachNotSupportedException | IOException e) {
            throw CliException.failure("cannot attach to JVM " + pid + ": " + CliException.firstLine(e)
                    + " (was it started with -XX:+DisableAttachMechanism?)");
        }
    }

    static long parsePid(String argument) throws CliException {
        if (argument == null || !argument.matches("\\d{1,10}")) {
            throw CliException.usage("'" + argument + "' is not a process id (see: list)");
        }
        long pid = Long.parseLong(argument);
        if (pid == ProcessHandle.current().pid()) {
            throw CliException.usage(pid + " is this command's own process (see: list)");
        }
        return pid;
    }

    private static Optional<VirtualMachineDescriptor> listed(long pid) {
        String id = Long.toString(pid);
        return VirtualMachine.list().stream().filter(d -> d.id().equals(id)).findFirst();
    }

    /** Why a pid is not among the JVMs this user can attach to. */
    private static CliException unreachable(long pid) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            return CliException.failure("no process with pid " + pid + " (see: list)");
        }
        String me = System.getProperty("user.name");
        String owner = process.get().info().user().orElse(null);
        if (owner != null && !owner.equals(me) && !me.equals("root")) {
            return CliException.failure("process " + pid + " belongs to user " + owner + ", and the Attach API only "
                    + "reaches JVMs of the same user: run this command as " + owner);
        }
        String command = process.get().info().command().map(c -> " (" + Path.of(c).getFileName() + ")").orElse("");
        return CliException.failure("process " + pid + command + " is not a JVM the Attach API can reach: not a"
                + " JVM, or one started with -XX:+DisableAttachMechanism or -XX:-UsePerfData");
    }

    long pid() {
        return pid;
    }

    /** Breakwater as installed in the target, or {@code null}; read from {@link BreakwaterAgent#INSTALLED_PROPERTY}. */
    Installed breakwater() throws CliException {
        try {
            return Installed.parse(vm.getSystemProperties().getProperty(BreakwaterAgent.INSTALLED_PROPERTY));
        } catch (IOException e) {
            throw CliException.failure("cannot read the system properties of JVM " + pid + ": " + CliException.firstLine(e));
        }
    }

    /**
     * The Prometheus exporter already running in the target, or {@code null}: one an earlier {@code attach
     * --prometheus} loaded (it recorded its URL in {@link BreakwaterAgent#EXPORTER_PROPERTY}), or one given as
     * {@code -javaagent} on the target's command line (a jar whose manifest names the exporter's agent class).
     */
    String prometheusExporter() throws CliException {
        try {
            Properties properties = vm.getSystemProperties();
            String loaded = properties.getProperty(BreakwaterAgent.EXPORTER_PROPERTY);
            if (loaded != null) {
                return "at " + loaded + ", loaded by an earlier attach";
            }
            String directory = properties.getProperty("user.dir", ".");
            for (String argument : vm.getAgentProperties().getProperty("sun.jvm.args", "").split("\\s+")) {
                if (argument.startsWith("-javaagent:")) {
                    String jar = argument.substring("-javaagent:".length()).split("=", 2)[0];
                    if (Exporter.isExporterJar(Path.of(directory).resolve(jar))) {
                        return "from -javaagent:" + jar;
                    }
                }
            }
            return null;
        } catch (IOException e) {
            throw CliException.failure("cannot read the system properties of JVM " + pid + ": " + CliException.firstLine(e));
        }
    }

    void loadAgent(Path jar, String options) throws CliException {
        try {
            vm.loadAgent(jar.toString(), options);
        } catch (AgentLoadException | AgentInitializationException | IOException e) {
            throw CliException.failure("JVM " + pid + " did not load " + jar.getFileName() + ": " + CliException.firstLine(e));
        }
    }

    /** Starts the target's local JMX connector if needed (as JConsole does) and connects to it. */
    MBeanServerConnection jmx() throws CliException {
        try {
            if (connector == null) {
                connector = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
            }
            return connector.getMBeanServerConnection();
        } catch (IOException e) {
            throw CliException.failure("cannot connect over JMX to JVM " + pid + ": " + CliException.firstLine(e));
        }
    }

    @Override
    public void close() {
        try {
            if (connector != null) {
                connector.close();
            }
        } catch (IOException ignored) {
            // the target may be gone; nothing to release on our side
        }
        try {
            vm.detach();
        } catch (IOException ignored) {
            // as above
        }
    }
}
