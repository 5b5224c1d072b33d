package io.breakwater.agent.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.RedisProtocol;

/** The same answers whether the accessors call Jedis directly or through method handles. */
class JedisAccessTest {
    private static List<String> text(byte[][] args) {
        return Arrays.stream(args).map(a -> new String(a, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void jedisInTheAgentsOwnModuleIsCalledDirectly() throws Throwable {
        CommandObject<String> set = new CommandObjects(RedisProtocol.RESP2).set("k", "v");
        JedisAccess access = JedisAccess.of(set);
        assertThat(access.direct).isTrue();
        assertThat(text(access.arguments(set))).containsExactly("SET", "k", "v");
        assertThat(access.build(set, "OK".getBytes(StandardCharsets.US_ASCII))).isEqualTo("OK");
    }

    @Test
    void jedisInAnIsolatedClassLoaderGoesThroughMethodHandles() throws Throwable {
        List<URL> urls = new ArrayList<>();
        for (File jar : Path.of("target", "jedis-8").toFile().listFiles((dir, name) -> name.endsWith(".jar"))) {
            urls.add(jar.toURI().toURL());
        }
        try (URLClassLoader loader = new URLClassLoader("jedis-8", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Class<?> protocol = loader.loadClass("redis.clients.jedis.RedisProtocol");
            Object resp2 = protocol.getField("RESP2").get(null);
            Object commands = loader.loadClass("redis.clients.jedis.CommandObjects").getConstructor(protocol).newInstance(resp2);
            Object get = commands.getClass().getMethod("get", String.class).invoke(commands, "k");
            JedisAccess access = JedisAccess.of(get);
            assertThat(access.direct).isFalse();
            assertThat(text(access.arguments(get))).containsExactly("GET", "k");
            assertThat(access.build(get, "v".getBytes(StandardCharsets.US_ASCII))).isEqualTo("v");
        }
    }
}
