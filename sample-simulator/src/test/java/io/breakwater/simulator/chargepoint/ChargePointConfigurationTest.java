package io.breakwater.simulator.chargepoint;

import static io.breakwater.simulator.chargepoint.ChargePointConfiguration.Change.ACCEPTED;
import static io.breakwater.simulator.chargepoint.ChargePointConfiguration.Change.NOT_SUPPORTED;
import static io.breakwater.simulator.chargepoint.ChargePointConfiguration.Change.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ChargePointConfigurationTest {

    private final ChargePointConfiguration configuration =
            new ChargePointConfiguration(2, Duration.ofSeconds(5), Duration.ofSeconds(60));

    @Test
    void listsTheKeysTheSimulatorKnowsWithTheirDefaults() {
        assertThat(configuration.all()).extracting(ChargePointConfiguration.Key::key).contains(
                "HeartbeatInterval", "MeterValueSampleInterval", "TransactionMessageAttempts",
                "TransactionMessageRetryInterval", "LocalAuthorizeOffline", "AllowOfflineTxForUnknownId",
                "ConnectionTimeOut", "NumberOfConnectors", "AuthorizationCacheEnabled", "AuthorizeRemoteTxRequests",
                "SupportedFeatureProfiles");
        assertThat(configuration.get(List.of("NumberOfConnectors", "MeterValueSampleInterval")).known()).containsExactly(
                new ChargePointConfiguration.Key("NumberOfConnectors", true, "2"),
                new ChargePointConfiguration.Key("MeterValueSampleInterval", false, "5"));
        assertThat(configuration.heartbeatInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(configuration.localAuthorizeOffline()).isTrue();
        assertThat(configuration.allowOfflineTxForUnknownId()).isFalse();
        assertThat(ChargePointConfiguration.describe()).containsKey("ConnectionTimeOut");
    }

    @Test
    void unknownKeysAreReportedAsSuch() {
        ChargePointConfiguration.Lookup lookup = configuration.get(List.of("HeartbeatInterval", "NoSuchKey"));

        assertThat(lookup.known()).extracting(ChargePointConfiguration.Key::key).containsExactly("HeartbeatInterval");
        assertThat(lookup.unknown()).containsExactly("NoSuchKey");
        assertThat(configuration.change("NoSuchKey", "1")).isEqualTo(NOT_SUPPORTED);
    }

    @Test
    void changesAreCheckedNormalisedAndAnnounced() {
        List<String> changed = new CopyOnWriteArrayList<>();
        configuration.onChange(changed::add);

        assertThat(configuration.change("HeartbeatInterval", " 30 ")).isEqualTo(ACCEPTED);
        assertThat(configuration.change("LocalAuthorizeOffline", "FALSE")).isEqualTo(ACCEPTED);
        assertThat(configuration.change("NumberOfConnectors", "4")).isEqualTo(REJECTED);
        assertThat(configuration.change("SupportedFeatureProfiles", "Core")).isEqualTo(REJECTED);
        assertThat(configuration.change("MeterValueSampleInterval", "-1")).isEqualTo(REJECTED);
        assertThat(configuration.change("MeterValueSampleInterval", "five")).isEqualTo(REJECTED);
        assertThat(configuration.change("AllowOfflineTxForUnknownId", "yes")).isEqualTo(REJECTED);
        assertThat(configuration.change("ConnectionTimeOut", "0")).isEqualTo(REJECTED);

        assertThat(changed).containsExactly("HeartbeatInterval", "LocalAuthorizeOffline");
        assertThat(configuration.value("HeartbeatInterval")).hasValue("30");
        assertThat(configuration.heartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(configuration.value("LocalAuthorizeOffline")).hasValue("false");
        assertThat(configuration.localAuthorizeOffline()).isFalse();
        assertThat(configuration.value("NumberOfConnectors")).hasValue("2");
    }

    @Test
    void transactionMessageSettingsAreReadAsTheySay() {
        configuration.change("TransactionMessageAttempts", "0");
        configuration.change("TransactionMessageRetryInterval", "7");

        assertThat(configuration.transactionMessageAttempts()).isEqualTo(1);
        assertThat(configuration.transactionMessageRetryInterval()).isEqualTo(Duration.ofSeconds(7));
    }
}
