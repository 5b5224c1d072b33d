package io.breakwater.agent.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakwater.agent.breaker.Breaker;
import io.breakwater.agent.config.BreakerSettings;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.management.AttributeChangeNotification;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.Notification;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Operator actions answer in words, and every state change is an AttributeChangeNotification with its reason. */
class CircuitBreakerViewTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final CircuitBreakerView view = new CircuitBreakerView(
            new Breaker(new BreakerSettings("test", true, 5, 2, Duration.ofSeconds(1), Duration.ofMinutes(1)), scheduler));
    private final List<AttributeChangeNotification> received = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void everyOperatorActionIsNotifiedWithFromToAndReason() {
        view.addNotificationListener((n, handback) -> received.add((AttributeChangeNotification) n), null, null);

        assertThat(view.forceOpen()).isEqualTo("forceOpen: closed -> forced_open");
        assertThat(view.disable()).isEqualTo("disable: forced_open -> disabled");
        assertThat(view.enable()).isEqualTo("enable: disabled -> closed");

        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 3);
        assertThat(received).extracting(AttributeChangeNotification::getAttributeName).containsOnly("State");
        assertThat(received).extracting(n -> n.getOldValue() + " -> " + n.getNewValue() + ": " + n.getUserData())
                .containsExactly("closed -> forced_open: operator: forceOpen", "forced_open -> disabled: operator: disable",
                        "disabled -> closed: operator: enable");
        assertThat(received.get(0).getMessage()).contains("'test'").contains("closed -> forced_open");
        assertThat(received).extracting(AttributeChangeNotification::getSequenceNumber).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void anIllegalTransitionIsRefusedInWordsAndChangesNothing() {
        assertThat(view.enable())
                .isEqualTo("enable refused in state closed: only a disabled breaker can be enabled (use forceClosed or reset)");
        view.forceOpen();
        assertThat(view.enable()).startsWith("enable refused in state forced_open");
        assertThat(view.getState()).isEqualTo("forced_open");
    }

    @Test
    void aRemoteClientCanReceiveTheNotificationItsSourceIsTheObjectName() throws Exception {
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        ObjectName name = new ObjectName("io.breakwater:type=CircuitBreaker,name=test");
        server.registerMBean(new DescribedMBean<>(view, CircuitBreakerMBean.class), name);
        List<Notification> viaServer = new CopyOnWriteArrayList<>();
        server.addNotificationListener(name, (n, handback) -> viaServer.add(n), null, null);

        view.forceOpen();

        await().atMost(Duration.ofSeconds(5)).until(() -> viaServer.size() == 1);
        assertThat(viaServer.get(0).getSource()).isEqualTo(name);
        new ObjectOutputStream(OutputStream.nullOutputStream()).writeObject(viaServer.get(0)); // what RMI does
    }

    @Test
    void theNotificationIsAnnouncedForJConsole() {
        MBeanNotificationInfo[] infos = new DescribedMBean<>(view, CircuitBreakerMBean.class).getMBeanInfo().getNotifications();
        assertThat(infos).hasSize(1);
        assertThat(infos[0].getNotifTypes()).containsExactly(AttributeChangeNotification.ATTRIBUTE_CHANGE);
        assertThat(infos[0].getDescription()).isNotBlank();
    }
}
