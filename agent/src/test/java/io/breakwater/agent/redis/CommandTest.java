package io.breakwater.agent.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CommandTest {
    private static Command of(String name) {
        return Command.of(name.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void everyCommandIsRecognisedInAnyCase() {
        for (Command c : Command.values()) {
            if (c == Command.OTHER) {
                continue;
            }
            String name = c.name();
            assertThat(of(name)).isEqualTo(c);
            assertThat(of(name.toLowerCase(Locale.ROOT))).isEqualTo(c);
            String mixed = name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
            assertThat(of(mixed)).isEqualTo(c);
        }
    }

    @Test
    void anythingElseIsOther() {
        for (String other : new String[] {"", "G", "GE", "GETS", "XGET", "SETRANGE", "HGETALLX", "PING", "EVALSHA", "GET\0"}) {
            assertThat(of(other)).as(other).isEqualTo(Command.OTHER);
        }
        assertThat(Command.of(new byte[] {(byte) 0xC7, 'E', 'T'})).isEqualTo(Command.OTHER);
    }

    @Test
    void theWritesAreTheJournaledCommands() {
        assertThat(Arrays.stream(Command.values()).filter(c -> c.write).map(Enum::name).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("SET", "SETEX", "PSETEX", "SETNX", "GETDEL", "MSET", "DEL", "UNLINK",
                        "EXPIRE", "PEXPIRE", "INCR", "INCRBY", "DECR", "DECRBY", "HSET", "HMSET", "HDEL", "HINCRBY");
    }

    @Test
    void wordsPackAsRedisReadsThem() {
        assertThat(Command.pack("ex")).isEqualTo(Command.pack("EX"));
        assertThat(Command.pack("EX")).isNotEqualTo(Command.pack("EXAT")).isNotEqualTo(Command.pack("PX"));
        assertThat(Command.pack("KEEPTTL")).isPositive();
        assertThat(Command.pack("KEEPTTLS")).isEqualTo(-1);
    }
}
