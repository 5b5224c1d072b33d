package io.breakwater.agent.jmx;

/** {@code io.breakwater:type=Agent}: what the agent is and what it has instrumented. */
@Description("The Breakwater agent in this JVM: its version and what it protects")
public interface AgentMBean {
    @Description("Version of the Breakwater agent")
    String getVersion();

    @Description("What the agent protects: the Jedis client and the OCPP send methods it was configured for")
    String[] getTargets();

    @Description("Classes the agent has instrumented so far (more appear as the application loads them)")
    String[] getInstrumentedClasses();

    @Description("Classes the agent failed to instrument; they run unprotected (see the [breakwater] lines on standard error)")
    int getErrors();
}
