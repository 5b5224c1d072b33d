package io.breakwater.agent.redis;

import io.breakwater.agent.log.Log;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The writes the application made while Redis was unavailable, in order, to be replayed once Redis
 * is back. Bounded: when full, further writes stay in memory only and are counted as dropped (logged
 * once per outage). Entries keep the application's own {@code CommandObject}, so replay sends
 * exactly the command the application issued.
 *
 * <p>Last write wins per key: an entry is skipped at replay when a later entry (or a live write
 * after recovery) overwrote its only key. Counters (INCR and friends) are replayed as the deltas
 * they are.
 */
public final class WriteJournal {
    /** Commands whose effect replaces the whole value of every key they name. */
    private static final Set<String> OVERWRITES = Set.of("SET", "SETEX", "PSETEX", "MSET", "DEL", "UNLINK", "GETDEL");
    record Entry(long sequence, Object commandObject, Bytes onlyKey) {}

    private final int capacity;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    /** Per key, the sequence of the latest write that replaced it entirely. */
    private final Map<Bytes, Long> lastOverwrite = new HashMap<>();
    private final ReentrantLock replayLock = new ReentrantLock();
    private long nextSequence;
    private boolean overflowLogged;

    private final AtomicLong appended = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong superseded = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile int size;

    WriteJournal(int capacity) {
        this.capacity = capacity;
    }

    static boolean isWrite(byte[][] args) {
        return args.length > 1 && Command.of(args[0]).write;
    }

    static String name(byte[][] args) {
        return new String(args[0], StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
    }

    /** Records a write answered from memory. */
    synchronized void append(Object commandObject, byte[][] args) {
        String command = name(args);
        if (entries.size() >= capacity) {
            dropped.incrementAndGet();
            if (!overflowLogged) {
                overflowLogged = true;
                Log.warn("Redis write journal is full (" + capacity + " writes); further writes during this outage"
                        + " stay in memory only and will not reach Redis (see the Fallback MBean's JournalDropped)");
            }
            return;
        }
        long sequence = nextSequence++;
        boolean overwrite = OVERWRITES.contains(command) && !(command.equals("SET") && hasConditionOrKeepTtl(args));
        if (overwrite) {
            if (command.equals("MSET")) {
                for (int i = 1; i < args.length; i += 2) {
                    lastOverwrite.put(new Bytes(args[i]), sequence);
                }
            } else if (command.equals("DEL") || command.equals("UNLINK")) {
                for (int i = 1; i < args.length; i++) {
                    lastOverwrite.put(new Bytes(args[i]), sequence);
                }
            } else {
                lastOverwrite.put(new Bytes(args[1]), sequence);
            }
        }
        Bytes onlyKey = singleKey(command, args) ? new Bytes(args[1]) : null;
        entries.addLast(new Entry(sequence, commandObject, onlyKey));
        appended.incrementAndGet();
        size = entries.size();
    }

    /** A live write after recovery replaced {@code key}: journaled writes to it are obsolete. */
    synchronized void overwrittenLive(byte[] key) {
        if (!entries.isEmpty()) {
            lastOverwrite.put(new Bytes(key), Long.MAX_VALUE);
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Sends journaled writes through {@code sender}, oldest first, until empty or {@code budgetNanos} is spent. */
    void replay(Sender sender, long budgetNanos) {
        if (!replayLock.tryLock()) {
            return; // another thread is replaying; order is kept by having one replayer at a time
        }
        try {
            long deadline = System.nanoTime() + budgetNanos;
            while (System.nanoTime() - deadline < 0) {
                Entry next = nextLive();
                if (next == null) {
                    return;
                }
                Sender.Result result = sender.send(next.commandObject());
                synchronized (this) {
                    if (result == Sender.Result.SENT) {
                        replayed.incrementAndGet();
                        removeHead(next);
                    } else if (result == Sender.Result.REJECTED) {
                        failed.incrementAndGet(); // Redis answered with an error: retrying cannot help
                        removeHead(next);
                    } else {
                        // Not sent (the breaker allows no call now, Redis refused the connection), or sent
                        // and unanswered (a timeout, a reset), so perhaps applied: either way it stays first
                        // and is sent again at the next recovery. For a counter that means at least once:
                        // it may end a step higher than the application was told, never lower, so no value
                        // handed out from it is handed out twice.
                        return;
                    }
                }
            }
        } finally {
            replayLock.unlock();
        }
    }

    /** The oldest entry not superseded by a later overwrite of its key; superseded ones are discarded. */
    private synchronized Entry nextLive() {
        while (!entries.isEmpty()) {
            Entry head = entries.peekFirst();
            Long overwrittenAt = head.onlyKey() == null ? null : lastOverwrite.get(head.onlyKey());
            if (overwrittenAt != null && overwrittenAt > head.sequence()) {
                superseded.incrementAndGet();
                removeHead(head);
                continue;
            }
            return head;
        }
        return null;
    }

    private void removeHead(Entry expected) {
        if (entries.peekFirst() == expected) {
            entries.removeFirst();
        }
        size = entries.size();
        if (entries.isEmpty()) {
            lastOverwrite.clear();
            overflowLogged = false; // the next outage is a new episode
        }
    }

    private static boolean singleKey(String command, byte[][] args) {
        return switch (command) {
            case "MSET" -> args.length == 3;
            case "DEL", "UNLINK" -> args.length == 2;
            default -> true;
        };
    }

    private static boolean hasConditionOrKeepTtl(byte[][] args) {
        for (int i = 3; i < args.length; i++) {
            String option = new String(args[i], StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
            if (option.equals("NX") || option.equals("XX") || option.equals("KEEPTTL")) {
                return true;
            }
        }
        return false;
    }

    /** Sends one journaled command to Redis. */
    interface Sender {
        /** SENT: applied. REJECTED: Redis answered with an error. UNAVAILABLE: failed, perhaps applied. NOT_SENT: not attempted. */
        enum Result { SENT, REJECTED, UNAVAILABLE, NOT_SENT }

        Result send(Object commandObject);
    }

    public int size() { return size; }
    public int capacity() { return capacity; }
    public long appended() { return appended.get(); }
    public long replayed() { return replayed.get(); }
    public long superseded() { return superseded.get(); }
    public long dropped() { return dropped.get(); }
    public long failed() { return failed.get(); }

    /** Iteration for tests. */
    synchronized Iterator<Entry> snapshot() {
        return new ArrayDeque<>(entries).iterator();
    }
}
