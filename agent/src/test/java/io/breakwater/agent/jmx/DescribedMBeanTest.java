package io.breakwater.agent.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.util.Arrays;
import java.util.stream.Stream;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What JConsole shows: a description of every MBean, attribute and operation, never the JDK's placeholder. */
class DescribedMBeanTest {
    static Stream<Class<?>> interfaces() {
        return Stream.of(CircuitBreakerMBean.class, FallbackMBean.class, OfflineQueueMBean.class, AgentMBean.class);
    }

    @ParameterizedTest
    @MethodSource("interfaces")
    <T> void everyAttributeAndOperationIsDescribed(Class<T> type) {
        MBeanInfo info = new DescribedMBean<>(mock(type), type).getMBeanInfo();

        assertThat(info.getDescription()).isNotBlank().doesNotContain("exposed for management");
        long getters = Arrays.stream(type.getMethods()).filter(m -> m.getName().startsWith("get")).count();
        assertThat(info.getAttributes()).hasSize((int) getters);
        for (MBeanAttributeInfo attribute : info.getAttributes()) {
            assertThat(attribute.getDescription()).as(attribute.getName())
                    .isNotBlank().isNotEqualTo("Attribute exposed for management");
        }
        for (MBeanOperationInfo operation : info.getOperations()) {
            assertThat(operation.getDescription()).as(operation.getName())
                    .isNotBlank().isNotEqualTo("Operation exposed for management");
            assertThat(operation.getImpact()).isEqualTo(MBeanOperationInfo.ACTION_INFO);
        }
    }

    @Test
    void aViewThatSendsNothingAnnouncesNoNotification() {
        assertThat(new DescribedMBean<>(mock(FallbackMBean.class), FallbackMBean.class).getMBeanInfo().getNotifications())
                .isEmpty();
    }
}
