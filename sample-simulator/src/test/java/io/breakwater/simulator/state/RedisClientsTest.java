package io.breakwater.simulator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

class RedisClientsTest {

    @Test
    void portDefaultsTo6379() {
        assertThat(RedisClients.withDefaultPort(URI.create("redis://localhost")))
                .isEqualTo(URI.create("redis://localhost:6379"));
        assertThat(RedisClients.withDefaultPort(URI.create("redis://u:p@h/2")))
                .isEqualTo(URI.create("redis://u:p@h:6379/2"));
        assertThat(RedisClients.withDefaultPort(URI.create("redis://h:7000"))).isEqualTo(URI.create("redis://h:7000"));
    }

    @Test
    void createsLazilySoRedisMayBeDownAtStartUp() {
        try (RedisClient client = RedisClients.create(URI.create("redis://127.0.0.1:1"), 1)) {
            assertThat(client).isNotNull();
        }
    }

    @Test
    void rejectsOtherSchemes() {
        assertThatThrownBy(() -> RedisClients.create(URI.create("http://127.0.0.1:6379"), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void redactsCredentials() {
        assertThat(RedisClients.redact(URI.create("redis://user:secret@h:6379/1"))).isEqualTo("redis://h:6379/1");
    }

    @Test
    void keysFollowTheDocumentedScheme() {
        assertThat(RedisKeys.transaction("CP-0001")).isEqualTo("breakwater-sim:cp:CP-0001:tx");
        assertThat(RedisKeys.meter("CP-0001")).isEqualTo("breakwater-sim:cp:CP-0001:meter");
        assertThat(RedisKeys.connectors("CP-0001")).isEqualTo("breakwater-sim:cp:CP-0001:connectors");
        assertThat(RedisKeys.authorizations("CP-0001")).isEqualTo("breakwater-sim:cp:CP-0001:auth");
    }
}
