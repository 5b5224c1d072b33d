package io.breakwater.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentConfigTest {

    @Test
    void defaultsAreTheSeeds() throws Exception {
        AgentConfig c = AgentConfig.parse(null);
        assertThat(c.redis()).isEqualTo(new BreakerSettings("redis", true, 5, 2, Duration.ofSeconds(5), Duration.ofSeconds(30)));
        assertThat(c.ocpp()).isEqualTo(new BreakerSettings("ocpp-csms", true, 5, 2, Duration.ofSeconds(30), Duration.ofSeconds(60)));
        assertThat(c.redisFallbackMaxBytes()).isEqualTo(64L << 20);
        assertThat(c.ocppTargets()).containsExactly(OcppTarget.SAMPLE_SIMULATOR);
    }

    @Test
    void argumentsOverrideDefaults() throws Exception {
        AgentConfig c = AgentConfig.parse("redis.resetTimeout=2s, ocpp.callTimeout=1500ms,redis.failureThreshold=3,redis.fallback.maxBytes=16m,debug=true");
        assertThat(c.redis().resetTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.ocpp().callTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.redis().failureThreshold()).isEqualTo(3);
        assertThat(c.redisFallbackMaxBytes()).isEqualTo(16L << 20);
        assertThat(c.debug()).isTrue();
    }

    @Test
    void aConfigFileIsReadAndArgumentsWinOverIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("breakwater.properties");
        Files.writeString(file, "redis.resetTimeout=7s\nocpp.name=csms-main\n");
        AgentConfig c = AgentConfig.parse("config=" + file + ",redis.resetTimeout=PT9S");
        assertThat(c.redis().resetTimeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(c.ocpp().name()).isEqualTo("csms-main");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "redis.resetTimout=2s | unknown option 'redis.resetTimout'",
        "redis.resetTimeout=soon | redis.resetTimeout='soon' is not a duration",
        "redis.resetTimeout=0s | redis.resetTimeout='0s' must be greater than zero",
        "redis.failureThreshold=0 | redis.failureThreshold=0 is out of range",
        "redis.failureThreshold=five | redis.failureThreshold='five' is not a whole number",
        "redis.failureThreshold=\u0665 | redis.failureThreshold='\u0665' is not a whole number",
        "ocpp.enabled=maybe | ocpp.enabled='maybe' is not true or false",
        "redis.fallback.maxBytes=lots | redis.fallback.maxBytes='lots' is not a size",
        "justaword | agent argument 'justaword' is not key=value",
        "ocpp.targets=other | unknown profile 'other'",
        "ocpp.targets=generic | ocpp.targets=generic needs ocpp.generic.class and ocpp.generic.method",
        "ocpp.targets=java-oca-ocpp+jsonclient | unknown profile 'jsonclient' (known: sample-simulator, java-oca-ocpp, generic, none",
        "ocpp.targets=java-oca-ocpp+java-oca-ocpp | names the same send method twice",
        "ocpp.targets=generic;ocpp.generic.class=a.B;ocpp.generic.method=send;ocpp.generic.payloadArgument=x | ocpp.generic.payloadArgument='x' is not a whole number",
        "ocpp.targets=generic;ocpp.generic.class=a.B;ocpp.generic.method=send;ocpp.generic.payloadArgument=0 | ocpp.generic.payloadArgument=0 is the same argument as ocpp.generic.actionArgument",
        "ocpp.targets=generic;ocpp.generic.class=a.B;ocpp.generic.method=send;ocpp.generic.actionArgument=-1 | ocpp.generic.actionArgument=-1 is out of range",
        "ocpp.targets=generic;ocpp.generic.class=a.B;ocpp.generic.method=send;ocpp.generic.failFastException=not a class | ocpp.generic.failFastException='not a class' is not a class name",
        "redis.name=bad name | redis.name='bad name' must be",
        "config=/nonexistent/breakwater.properties | config='/nonexistent/breakwater.properties' cannot be read",
        "redis.resetTimeout=999999999999999999999h | redis.resetTimeout='999999999999999999999h' is too long (at most 24h)",
        "redis.callTimeout=P99999999D | redis.callTimeout='P99999999D' is too long",
        "ocpp.resetTimeout=9223372036854775807ms | ocpp.resetTimeout='9223372036854775807ms' is too long",
        "jmx.registerDelay=25h | jmx.registerDelay='25h' is too long",
        "redis.fallback.maxBytes=9999999999g | redis.fallback.maxBytes='9999999999g' is too large (at most 64g)",
        "redis.fallback.maxBytes=99999999999999999999 | is too large",
        "redis.failureThreshold=99999999999 | redis.failureThreshold=99999999999 is out of range (1..1000)",
        "ocpp.generic.class=com.example.X | ocpp.generic.class is set, but ocpp.targets='sample-simulator' does not include generic",
        "ocpp.targets=none+generic | none stands alone",
    })
    void badInputIsAnErrorNamingTheKey(String arguments, String message) {
        // ';' stands for ',' here, which separates the CSV columns
        assertThatThrownBy(() -> AgentConfig.parse(arguments.replace(';', ','))).isInstanceOf(ConfigException.class)
                .hasMessageContaining(message);
    }

    @Test
    void theJavaOcaOcppProfileCombinesWithTheOthers() throws Exception {
        assertThat(AgentConfig.parse("ocpp.targets=java-oca-ocpp").ocppTargets()).containsExactly(OcppTarget.JAVA_OCA_OCPP);
        AgentConfig both = AgentConfig.parse("ocpp.targets=sample-simulator + java-oca-ocpp");
        assertThat(both.ocppTargets()).containsExactly(OcppTarget.SAMPLE_SIMULATOR, OcppTarget.JAVA_OCA_OCPP);
        assertThat(OcppTarget.JAVA_OCA_OCPP.className()).isEqualTo("eu.chargetime.ocpp.JSONClient");
        assertThat(OcppTarget.JAVA_OCA_OCPP.methodName()).isEqualTo("send");
    }

    @Test
    void theGenericProfileTakesTheActionAndPayloadArgumentPositions() throws Exception {
        OcppTarget defaults = AgentConfig.parse("ocpp.targets=generic,ocpp.generic.class=com.example.Ocpp,ocpp.generic.method=send")
                .ocppTargets().get(0);
        assertThat(defaults.actionArgument()).isZero();
        assertThat(defaults.payloadArgument()).isEqualTo(1);
        assertThat(defaults.failFastException()).isEqualTo("java.io.IOException");
        OcppTarget moved = AgentConfig.parse("ocpp.targets=generic+java-oca-ocpp,ocpp.generic.class=com.example.Ocpp,"
                + "ocpp.generic.method=call,ocpp.generic.actionArgument=1,ocpp.generic.payloadArgument=3").ocppTargets().get(0);
        assertThat(moved.actionArgument()).isEqualTo(1);
        assertThat(moved.payloadArgument()).isEqualTo(3);
        assertThat(AgentConfig.parse("ocpp.targets=generic,ocpp.generic.class=a.B,ocpp.generic.method=m,ocpp.generic.actionArgument=2")
                .ocppTargets().get(0).payloadArgument()).isEqualTo(3); // follows the action by default
    }

    @Test
    void aBadProfileValueNamesItsKey() {
        assertThatThrownBy(() -> AgentConfig.parse("ocpp.targets=oca")).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.key()).isEqualTo("ocpp.targets"));
        // The incomplete setting is ocpp.targets=generic (so a config file that has it is named); the message names what is missing.
        assertThatThrownBy(() -> AgentConfig.parse("ocpp.targets=generic,ocpp.generic.class=a.B")).isInstanceOfSatisfying(
                ConfigException.class, e -> assertThat(e.key()).isEqualTo("ocpp.targets"))
                .hasMessageContaining("ocpp.generic.method");
    }

    @Test
    void aConfigFileThatIsHugeOrEndlessIsRefusedWithoutReadingIt(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.properties");
        Files.write(big, new byte[AgentConfig.MAX_CONFIG_BYTES + 1]);
        assertThatThrownBy(() -> AgentConfig.parse("config=" + big))
                .hasMessage("config='" + big + "' is larger than 64 KiB: not a Breakwater properties file");
        if (Files.isReadable(Path.of("/dev/zero"))) { // endless: found by a new-user trial (OutOfMemoryError in the host)
            assertThatThrownBy(() -> AgentConfig.parse("config=/dev/zero")).hasMessageContaining("is not a regular file");
        }
    }

    @Test
    void aNamedPipeIsRefusedWithoutOpeningIt(@TempDir Path dir) throws Exception {
        // Opening a pipe blocks until someone writes to it: the host's start-up would wait forever (re-trial finding).
        Path fifo = dir.resolve("fifo.properties");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        assertThatThrownBy(() -> AgentConfig.parse("config=" + fifo))
                .hasMessage("config='" + fifo + "' is not a regular file (a directory, a device or a pipe)");
    }

    @Test
    void aByteOrderMarkBeforeTheFirstKeyIsNotPartOfIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bom.properties");
        Files.writeString(file, "\uFEFFredis.resetTimeout=7s\n");
        assertThat(AgentConfig.parse("config=" + file).redis().resetTimeout()).isEqualTo(java.time.Duration.ofSeconds(7));
    }

    @Test
    void aBadKeyInTheConfigFileSaysItCameFromTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("breakwater.properties");
        Files.writeString(file, "redis.resetTimout=7s\n");
        assertThatThrownBy(() -> AgentConfig.parse("config=" + file))
                .hasMessage("in config file '" + file + "': unknown option 'redis.resetTimout' (see docs/configuration.md for the list)");
        assertThatThrownBy(() -> AgentConfig.parse("config=")).hasMessage("config= needs the path of a properties file");
    }

    @Test
    void everyKeyIsDocumented() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "configuration.md"));
        assertThat(AgentConfig.KEYS).isNotEmpty();
        for (String key : AgentConfig.KEYS.keySet()) {
            assertThat(docs).as("docs/configuration.md lists " + key).contains("| `" + key + "` |");
        }
    }
}
