package io.breakwater.agent.jmx;

/** {@code io.breakwater:type=Agent}: what the agent is and what it has instrumented. */
public interface AgentMBean {
    String getVersion();

    String[] getTargets();

    String[] getInstrumentedClasses();

    int getErrors();
}
