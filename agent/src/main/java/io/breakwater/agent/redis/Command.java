package io.breakwater.agent.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The Redis commands the memory fallback covers, recognised from the raw name Jedis sends (any
 * case, as Redis accepts it) without building a {@code String}: the name is packed into a
 * {@code long} and looked up in a sorted table.
 */
enum Command {
    GET(false), SET(true), SETEX(true), PSETEX(true), SETNX(true), GETDEL(true), MGET(false), MSET(true),
    DEL(true), UNLINK(true), EXISTS(false), EXPIRE(true), PEXPIRE(true), TTL(false), PTTL(false),
    INCR(true), INCRBY(true), DECR(true), DECRBY(true),
    HGET(false), HSET(true), HMSET(true), HMGET(false), HGETALL(false), HDEL(true), HEXISTS(false), HINCRBY(true),
    /** Any other command. */
    OTHER(false);

    /** Whether memory's answer to it is a write, journaled for replay. */
    final boolean write;

    private static final long[] PACKED;
    private static final Command[] BY_PACKED;

    static {
        Command[] named = Arrays.copyOf(values(), values().length - 1); // all but OTHER
        PACKED = new long[named.length];
        for (int i = 0; i < named.length; i++) {
            PACKED[i] = pack(named[i].name().getBytes(StandardCharsets.US_ASCII));
        }
        Arrays.sort(PACKED);
        BY_PACKED = new Command[named.length];
        for (Command c : named) {
            BY_PACKED[Arrays.binarySearch(PACKED, pack(c.name().getBytes(StandardCharsets.US_ASCII)))] = c;
        }
    }

    Command(boolean write) {
        this.write = write;
    }

    static Command of(byte[] name) {
        long packed = pack(name);
        if (packed < 0) {
            return OTHER;
        }
        int i = Arrays.binarySearch(PACKED, packed);
        return i >= 0 ? BY_PACKED[i] : OTHER;
    }

    /**
     * A word of 1 to 7 bytes as one number, letters upper-cased, its length in the top byte; -1 for
     * anything longer or empty. Equal for two words exactly when Redis would read them as the same word.
     */
    static long pack(byte[] word) {
        int n = word.length;
        if (n == 0 || n > 7) {
            return -1;
        }
        long packed = 0;
        for (byte b : word) {
            packed = (packed << 8) | ((b >= 'a' && b <= 'z') ? b - ('a' - 'A') : b & 0xFF);
        }
        return packed | (long) n << 56;
    }

    static long pack(String word) {
        return pack(word.getBytes(StandardCharsets.US_ASCII));
    }
}
