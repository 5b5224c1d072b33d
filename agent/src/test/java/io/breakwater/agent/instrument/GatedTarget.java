package io.breakwater.agent.instrument;

/** An OCPP send method for {@link InstallerStartTest}, loaded there in class loaders of its own. */
public class GatedTarget {
    public String call(String action, String payload) {
        return "sent " + action;
    }
}
