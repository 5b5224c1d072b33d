package io.breakwater.agent.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakwater.agent.boot.ShortCircuit;
import io.breakwater.agent.breaker.Breaker;
import io.breakwater.agent.config.BreakerSettings;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;

class RedisGuardTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Breaker breaker = new Breaker(BreakerSettings.redisDefaults(), scheduler);
    private final CommandObject<String> get = new CommandObject<>(
            new CommandArguments(Protocol.Command.GET).key("k"), BuilderFactory.STRING);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void aNestedCallOnTheSameThreadIsNotCountedTwice() {
        RedisGuard guard = RedisGuard.create(breaker, false, 1 << 20, 10);
        Object outer = guard.enter(null, get);
        assertThat(outer).isNotNull();
        assertThat(guard.enter(null, get)).isNull(); // the Connection call inside UnifiedJedis
        guard.exit(outer, get, System.nanoTime(), "v", null);
        assertThat(guard.enter(null, get)).isNotNull();
    }

    @Test
    void aCallLeftInFlightByADetachedGuardDoesNotDisableTheNextOne() {
        RedisGuard detached = RedisGuard.create(breaker, false, 1 << 20, 10);
        assertThat(detached.enter(null, get)).isNotNull(); // its exit never comes: the agent was detached meanwhile
        RedisGuard reattached = RedisGuard.create(breaker, false, 1 << 20, 10);
        assertThat(reattached.enter(null, get)).as("the thread is not stuck as 'nested'").isNotNull();
    }

    /** Caffeine initialises JDK logging: the memory is not built with the guard, nor to mirror a successful call. */
    @Test
    void theMemoryIsBuiltOnceTheApplicationIsUpAndOnlyThenMirrors() {
        RedisGuard guard = RedisGuard.create(breaker, true, 1 << 20, 10);
        assertThat(guard.memory().ifBuilt()).isNull();

        guard.exit(guard.enter(null, get), get, System.nanoTime(), "v", null);
        assertThat(guard.memory().ifBuilt()).as("not built to mirror a call before the application is up").isNull();

        guard.buildFallback();
        assertThat(guard.memory().ifBuilt()).isNotNull();
        guard.exit(guard.enter(null, get), get, System.nanoTime(), "v", null);
        assertThat(guard.memory().ifBuilt().size()).isEqualTo(1);
    }

    @Test
    void aFailedCallBeforeTheApplicationIsUpBuildsTheMemoryToAnswerFrom() {
        RedisGuard guard = RedisGuard.create(breaker, true, 1 << 20, 10);
        CommandObject<String> set = new CommandObject<>(
                new CommandArguments(Protocol.Command.SET).key("k").add("v"), BuilderFactory.STRING);

        ShortCircuit answer = guard.exit(guard.enter(null, set), set, System.nanoTime(), null,
                new JedisConnectionException("Redis is down"));

        assertThat(answer.value).isEqualTo("OK");
        assertThat(guard.memory().ifBuilt()).isNotNull();
        assertThat(guard.journal().size()).isEqualTo(1);
    }
}
