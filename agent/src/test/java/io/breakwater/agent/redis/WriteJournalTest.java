package io.breakwater.agent.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteJournalTest {
    private final WriteJournal journal = new WriteJournal(100);
    private final List<String> sent = new ArrayList<>();

    private static byte[][] cmd(String line) {
        String[] parts = line.split(" ");
        byte[][] args = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            args[i] = parts[i].getBytes(StandardCharsets.UTF_8);
        }
        return args;
    }

    /** The journal only carries the application's command object; here it is the command line itself. */
    private void write(String line) {
        journal.append(line, cmd(line));
    }

    private void replayAll(WriteJournal.Sender.Result result) {
        journal.replay(command -> {
            sent.add((String) command);
            return result;
        }, Long.MAX_VALUE / 2);
    }

    @Test
    void replaysInOrderAndLastWriteWinsPerKey() {
        write("SET a 1");
        write("INCR n");
        write("HSET h f 1");
        write("SET a 2");
        write("INCRBY n 5");
        write("DEL h");
        replayAll(WriteJournal.Sender.Result.SENT);
        assertThat(sent).containsExactly("INCR n", "SET a 2", "INCRBY n 5", "DEL h");
        assertThat(journal.isEmpty()).isTrue();
        assertThat(journal.replayed()).isEqualTo(4);
        assertThat(journal.superseded()).isEqualTo(2);
    }

    @Test
    void conditionalAndMultiKeyWritesAreNeverSkipped() {
        write("SET a 1 NX");
        write("MSET a 2 b 3");
        write("SET a 4");
        replayAll(WriteJournal.Sender.Result.SENT);
        assertThat(sent).containsExactly("MSET a 2 b 3", "SET a 4");
    }

    @Test
    void anUnavailableRedisStopsReplayAndKeepsEveryWriteACounterIncluded() {
        write("SET a 1");
        write("INCR n");
        replayAll(WriteJournal.Sender.Result.UNAVAILABLE);
        assertThat(sent).containsExactly("SET a 1");
        assertThat(journal.size()).isEqualTo(2);
        sent.clear();
        journal.replay(command -> {
            sent.add((String) command);
            return command.equals("INCR n") ? WriteJournal.Sender.Result.UNAVAILABLE : WriteJournal.Sender.Result.SENT;
        }, Long.MAX_VALUE / 2);
        assertThat(sent).containsExactly("SET a 1", "INCR n");
        // The INCR may or may not have been applied: it is sent again (at least once: a counter may
        // end a step higher than the application was told, never lower).
        assertThat(journal.size()).isEqualTo(1);
        sent.clear();
        replayAll(WriteJournal.Sender.Result.SENT);
        assertThat(sent).containsExactly("INCR n");
        assertThat(journal.isEmpty()).isTrue();
        assertThat(journal.failed()).isZero();
    }

    @Test
    void overflowIsCountedNotSilent() {
        WriteJournal small = new WriteJournal(2);
        small.append("SET a 1", cmd("SET a 1"));
        small.append("SET b 1", cmd("SET b 1"));
        small.append("SET c 1", cmd("SET c 1"));
        assertThat(small.size()).isEqualTo(2);
        assertThat(small.dropped()).isEqualTo(1);
    }

    @Test
    void aLiveOverwriteMakesPendingWritesOfThatKeyObsolete() {
        write("SET a 1");
        journal.overwrittenLive("a".getBytes(StandardCharsets.UTF_8));
        replayAll(WriteJournal.Sender.Result.SENT);
        assertThat(sent).isEmpty();
    }

    @Test
    void replayStopsWhenItsTimeSliceIsSpent() {
        for (int i = 0; i < 10; i++) {
            write("SET k" + i + " v");
        }
        journal.replay(command -> {
            sent.add((String) command);
            return WriteJournal.Sender.Result.SENT;
        }, 0);
        assertThat(sent).isEmpty();
        assertThat(journal.size()).isEqualTo(10);
    }
}
