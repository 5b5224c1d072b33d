package io.breakwater.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakwater.agent.config.AgentConfig;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * At start-up the agent builds its guards and advice in the background (premain returns at once);
 * a target class the application loads meanwhile must wait and be woven, or, if the start takes
 * too long, run unprotected only until the agent is ready. Each test loads {@link GatedTarget} in a
 * class loader of its own, so the class is really loaded (and transformed) anew.
 */
class InstallerStartTest {
    private static final String TARGET = GatedTarget.class.getName();
    private final Instrumentation instrumentation = ByteBuddyAgent.install();
    private Installer installer;

    @AfterEach
    void uninstall() {
        if (installer != null) {
            installer.uninstall();
        }
    }

    @Test
    void aTargetLoadedWhileTheAgentStartsWaitsForItAndIsWoven() throws Exception {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        installer = installed(Duration.ofSeconds(30), ready);
        AtomicReference<Class<?>> loaded = new AtomicReference<>();
        Thread application = new Thread(() -> loaded.set(load(isolatedLoader())), "application-main");
        application.start();

        await("the class load waits for the agent").atMost(Duration.ofSeconds(10))
                .until(() -> application.getState() == Thread.State.TIMED_WAITING);
        assertThat(loaded.get()).isNull();
        assertThat(installer.instrumentedClasses()).isEmpty();

        ready.complete(null);
        application.join(10_000);
        assertThat(loaded.get()).isNotNull();
        assertThat(installer.instrumentedClasses()).containsExactly(TARGET);
        assertThat(installer.errorCount()).isZero();
    }

    @Test
    void aTargetLoadedWhenTheStartIsLateRunsUnwovenUntilTheAgentIsReady() throws Exception {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        installer = installed(Duration.ofMillis(200), ready);
        Class<?> target = load(isolatedLoader());
        assertThat(installer.instrumentedClasses()).isEmpty();
        assertThat(target.getMethod("call", String.class, String.class).invoke(target.getConstructor().newInstance(), "Heartbeat", "{}"))
                .isEqualTo("sent Heartbeat");

        ready.complete(null);
        installer.weaveDeferred();
        assertThat(installer.instrumentedClasses()).containsExactly(TARGET);
        assertThat(installer.errorCount()).isZero();
    }

    @Test
    void nothingIsWovenWhenTheStartFailed() throws Exception {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        ready.completeExceptionally(new IllegalStateException("the guards could not be built"));
        installer = installed(Duration.ofSeconds(30), ready);
        load(isolatedLoader());
        installer.weaveDeferred();
        assertThat(installer.instrumentedClasses()).isEmpty();
        assertThat(installer.errorCount()).isZero();
    }

    @Test
    void attachedTheTargetsAlreadyLoadedAreWoven() {
        load(isolatedLoader());
        installer = installed(Duration.ofSeconds(30), CompletableFuture.completedFuture(null));
        assertThat(installer.instrumentedClasses()).isEmpty();
        installer.weaveLoaded();
        assertThat(installer.instrumentedClasses()).containsExactly(TARGET);
    }

    private Installer installed(Duration readyWait, CompletableFuture<?> ready) {
        Installer installer = new Installer(readyWait);
        try {
            installer.install(instrumentation, AgentConfig.parse("redis.enabled=false,ocpp.targets=generic,ocpp.generic.class="
                    + TARGET + ",ocpp.generic.method=call"), ready);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return installer;
    }

    private static Class<?> load(ClassLoader loader) {
        try {
            return Class.forName(TARGET, true, loader);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    private static URLClassLoader isolatedLoader() {
        URL testClasses = GatedTarget.class.getProtectionDomain().getCodeSource().getLocation();
        return new URLClassLoader("gated", new URL[] {testClasses}, ClassLoader.getPlatformClassLoader());
    }
}
