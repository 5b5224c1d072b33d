package io.breakwater.agent.instrument;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Installs the agent before the first test class is even loaded. Unit tests that touch the
 * agent's bootstrap interfaces (OcppInterceptor, RedisInterceptor) would otherwise load them from
 * the test class path, and the agent installed later could not link its own copies (a loader
 * constraint violation, which a real application can never provoke).
 */
public final class InstallAgentFirst implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        AgentInThisJvm.install();
    }
}
