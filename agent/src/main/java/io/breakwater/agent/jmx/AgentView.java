package io.breakwater.agent.jmx;

import io.breakwater.agent.instrument.Installer;
import java.util.List;

/** The JMX face of the agent itself. */
public final class AgentView implements AgentMBean {
    private final String version;
    private final List<String> targets;
    private final Installer installer;

    public AgentView(String version, List<String> targets, Installer installer) {
        this.version = version;
        this.targets = List.copyOf(targets);
        this.installer = installer;
    }

    @Override public String getVersion() { return version; }
    @Override public String[] getTargets() { return targets.toArray(String[]::new); }
    @Override public String[] getInstrumentedClasses() { return installer.instrumentedClasses().stream().sorted().toArray(String[]::new); }
    @Override public int getErrors() { return installer.errorCount(); }
}
