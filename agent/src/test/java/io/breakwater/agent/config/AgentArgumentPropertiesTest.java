package io.breakwater.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakwater.agent.log.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property tests over generated input: whatever the agent argument string or config file holds, the
 * agent either gets a configuration or one clear error naming the option — never another
 * exception (which would surface as "agent failed to start" without the key), never a message that
 * spans lines. The inputs come from a fixed seed, so a failure names its input and reproduces;
 * {@code -Dbreakwater.properties.seed=N} explores other inputs.
 */
class AgentArgumentPropertiesTest {
    private static final long SEED = Long.getLong("breakwater.properties.seed", 20261204L);
    private static final List<String> KEYS = AgentConfig.KEYS.keySet().stream().filter(k -> !k.equals("config")).toList();
    private static final List<String> VALUES = List.of("", " ", "0", "-1", "1", "5", "2147483648", "99999999999999999999",
            "true", "FALSE", "yes", "maybe", "5s", "0s", "-5s", "500ms", "1m", "2h", "PT30S", "PT-1S", "P1D", "1.5s", "1e3",
            "64m", "1g", "0m", "9999999999g", "sample-simulator", "generic", "none", "sample-simulator+generic", "+",
            "java.io.IOException", "redis", "ocpp-csms", "a b", "ünïcödé", "\t", "x\ny", "\r", "\u0000", "%s%n", "${user.home}", "\\",
            "999999999999999999999h", "P99999999D", "9223372036854775807ms", "25h", "PT24H", "-9223372036854775808");

    @ParameterizedTest
    @MethodSource("argumentStrings")
    void anyArgumentStringConfiguresOrNamesWhatIsWrong(String arguments) {
        try {
            assertThat(AgentConfig.parse(arguments)).isNotNull();
        } catch (ConfigException e) {
            assertOneClearLine(e);
            if (e.key() != null) {
                assertThat(e.getMessage()).contains(e.key());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("optionsWithValues")
    void aBadValueForAKnownOptionIsReportedUnderThatOption(String key, String value) {
        try {
            AgentConfig.parse(key + "=" + value);
        } catch (ConfigException e) {
            assertThat(e.key()).as(e.getMessage()).isEqualTo(key);
            assertThat(e.getMessage()).contains(key);
            assertOneClearLine(e);
        }
    }

    @ParameterizedTest
    @MethodSource("configFiles")
    void anyConfigFileConfiguresOrNamesWhatIsWrong(String content, @TempDir Path dir) throws IOException {
        Path file = dir.resolve("breakwater.properties");
        Files.write(file, content.getBytes(StandardCharsets.UTF_8));
        try {
            assertThat(AgentConfig.parse("config=" + file)).isNotNull();
        } catch (ConfigException e) {
            assertOneClearLine(e);
            if (e.key() != null) {
                assertThat(e.getMessage()).startsWith("in config file '" + file + "': ").contains(e.key());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("durations")
    void aDurationInAnyAcceptedSpellingMeansWhatItSays(String text, Duration expected) throws Exception {
        assertThat(AgentConfig.parse("redis.callTimeout=" + text).redis().callTimeout()).isEqualTo(expected);
    }

    private static void assertOneClearLine(ConfigException e) {
        assertThat(e.getMessage()).isNotBlank();
        String line = Log.line("bad agent argument: " + e.getMessage());
        assertThat(line).startsWith("[breakwater] ").doesNotContain("\n", "\r").hasSizeLessThan(1100);
    }

    // ---- generated inputs ----

    static Stream<String> argumentStrings() {
        Random random = new Random(SEED);
        return IntStream.range(0, 2000).mapToObj(i -> switch (random.nextInt(4)) {
            case 0 -> randomString(random, 60);
            case 1 -> pick(random, List.of(",", ",,", "=", "config=", "config=/", "config=\u0000", "config=/tmp/x\u0000y", " , = ,"));
            default -> {
                List<String> items = new ArrayList<>();
                for (int n = random.nextInt(7); n > 0; n--) {
                    items.add(key(random) + pick(random, List.of("=", "==", " = ", "", ":")) + value(random));
                }
                yield String.join(",", items);
            }
        });
    }

    static Stream<Object[]> optionsWithValues() {
        Random random = new Random(SEED + 1);
        // A comma ends the value in an argument string, so values here have none.
        return IntStream.range(0, 2000).mapToObj(i -> new Object[] {pick(random, KEYS), value(random).replace(',', ';')});
    }

    static Stream<String> configFiles() {
        Random random = new Random(SEED + 2);
        return IntStream.range(0, 300).mapToObj(i -> {
            if (random.nextInt(4) == 0) {
                return pick(random, List.of("\\u12", "key=\\u00zz", "\uFEFFredis.name=x", "config=/etc/passwd", randomString(random, 200)));
            }
            List<String> lines = new ArrayList<>();
            for (int n = random.nextInt(9); n > 0; n--) {
                String key = random.nextInt(5) == 0 ? pick(random, List.of("config", "nonsense.key", "#comment", "!bang", "")) : pick(random, KEYS);
                lines.add(key + pick(random, List.of("=", ":", " ", "= ")) + value(random));
            }
            return String.join("\n", lines);
        });
    }

    static Stream<Object[]> durations() {
        Random random = new Random(SEED + 3);
        List<String> units = List.of("ms", "s", "m", "h");
        List<Function<Long, Duration>> meaning = List.of(Duration::ofMillis, Duration::ofSeconds, Duration::ofMinutes, Duration::ofHours);
        long[] most = {86_400_000, 86_400, 1_440, 24}; // one day, the longest any option takes, in each unit
        return IntStream.range(0, 200).mapToObj(i -> {
            int unit = random.nextInt(units.size());
            long amount = 1 + random.nextLong(most[unit]);
            String text = amount + (random.nextBoolean() ? units.get(unit) : units.get(unit).toUpperCase());
            return new Object[] {text, meaning.get(unit).apply(amount)};
        });
    }

    private static String key(Random random) {
        String key = pick(random, KEYS);
        return switch (random.nextInt(6)) {
            case 0 -> key.substring(0, key.length() - 1);
            case 1 -> key.toUpperCase();
            case 2 -> pick(random, List.of("config", "", " ", "=", "redis", "ocpp.", "debug "));
            case 3 -> randomString(random, 12);
            default -> key;
        };
    }

    private static String value(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> randomString(random, 40);
            default -> pick(random, VALUES);
        };
    }

    /** Any UTF-16 text, surrogates and control characters included, biased to printable ASCII. */
    private static String randomString(Random random, int maxLength) {
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(maxLength + 1); n > 0; n--) {
            s.append(random.nextInt(3) == 0 ? (char) random.nextInt(Character.MAX_VALUE + 1) : (char) (' ' + random.nextInt(95)));
        }
        return s.toString();
    }

    private static <T> T pick(Random random, List<T> items) {
        return items.get(random.nextInt(items.size()));
    }
}
