package io.breakwater.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakwater.agent.boot.Dispatcher;
import io.breakwater.agent.boot.RedisInterceptor;
import io.breakwater.agent.boot.ShortCircuit;
import io.breakwater.agent.log.Log;
import io.breakwater.testkit.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.RedisClient;

/**
 * The agent failing inside the application's own method (a bug in a guard, say): the advice swallows
 * it, the application's call goes on as if the agent were not there, and the failure costs one
 * {@code [breakwater]} line per kind however often it happens.
 */
class AdviceFailureTest {

    /** Every guard call fails: on the way in with one exception, on the way out with another. */
    private static final class BrokenGuard implements RedisInterceptor {
        private static IllegalStateException brokenOnTheWayIn() {
            return new IllegalStateException("test: broken on the way in");
        }

        @Override
        public Object enter(Object client, Object commandObject) {
            if (((CommandObject<?>) commandObject).getArguments().getCommand().toString().equals("GET")) {
                throw brokenOnTheWayIn();
            }
            return this; // a token, so that exit is called
        }

        @Override
        public ShortCircuit exit(Object token, Object commandObject, long startNanos, Object returned, Throwable thrown) {
            throw new UnsupportedOperationException("test: broken on the way out");
        }

        @Override
        public Object borrowInstead(Object pool) {
            throw brokenOnTheWayIn();
        }

        @Override
        public Object borrowFailed(Object pool, Throwable thrown) {
            throw brokenOnTheWayIn();
        }

        @Override
        public boolean ignoreReturnFailure(Throwable thrown) {
            throw brokenOnTheWayIn();
        }

        @Override
        public Throwable beforeSend(Object connection, Object commandArguments) {
            throw brokenOnTheWayIn();
        }
    }

    @Test
    void aGuardThatThrowsCostsOneLinePerKindAndTheApplicationsCallsGoOn() throws Exception {
        AgentInThisJvm.install();
        Log.rearm("advice-" + IllegalStateException.class.getName());
        Log.rearm("advice-" + UnsupportedOperationException.class.getName());
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        RedisInterceptor guard = Dispatcher.redis;
        try (RedisServer redis = RedisServer.start(); RedisClient client = ShortTimeouts.client(redis)) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Dispatcher.redis = new BrokenGuard();
            for (int i = 0; i < 5; i++) {
                assertThat(client.set("advice-failure:" + i, "v" + i)).isEqualTo("OK");
                assertThat(client.get("advice-failure:" + i)).isEqualTo("v" + i);
                assertThat(client.hset("advice-failure:h", "f", "x")).isIn(0L, 1L);
            }
        } finally {
            Dispatcher.redis = guard;
            System.setErr(originalErr);
        }
        List<String> lines = Arrays.stream(captured.toString(StandardCharsets.UTF_8).split("\\R"))
                .filter(line -> line.startsWith("[breakwater]")).toList();
        assertThat(lines).as("what the agent printed").hasSize(2)
                .anySatisfy(line -> assertThat(line).contains("internal error in the agent (java.lang.IllegalStateException"))
                .anySatisfy(line -> assertThat(line).contains("internal error in the agent (java.lang.UnsupportedOperationException"))
                .noneSatisfy(line -> assertThat(line).as("an exception's message may quote a key or a value")
                        .contains("test: broken"));
    }
}
