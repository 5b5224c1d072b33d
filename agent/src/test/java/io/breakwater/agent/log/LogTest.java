package io.breakwater.agent.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTest {

    @Test
    void aMessageWithLineBreaksIsStillOneLine() {
        assertThat(Log.line("bad value 'a\nb\r\u0000'")).isEqualTo("[breakwater] bad value 'a\\u000ab\\u000d\\u0000'");
    }

    @Test
    void aHugeMessageIsCutAndSaysSo() {
        String line = Log.line("x".repeat(5000));
        assertThat(line).hasSize("[breakwater] ".length() + 1000 + "... (4000 more characters)".length())
                .endsWith("x... (4000 more characters)");
    }
}
