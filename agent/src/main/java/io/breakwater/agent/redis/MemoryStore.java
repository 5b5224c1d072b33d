package io.breakwater.agent.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Redis' data model for the supported commands, kept in a byte-bounded Caffeine cache. While Redis
 * is healthy it mirrors what the application reads and writes ({@link #mirror}); while Redis is
 * unavailable it answers commands itself ({@link #execute}) with raw RESP2 replies, which the
 * application's own Jedis builder then turns into exactly the type it expects.
 */
public final class MemoryStore {
    /** Returned by {@link #execute} for a command the memory fallback does not cover. */
    static final Object UNSUPPORTED = new Object();

    private static final byte[] OK = "OK".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GET_NAME = "GET".getBytes(StandardCharsets.US_ASCII);
    private static final long NX = Command.pack("NX");
    private static final long XX = Command.pack("XX");
    private static final long KEEPTTL = Command.pack("KEEPTTL");
    private static final long GET_OPTION = Command.pack("GET");
    private static final long EX = Command.pack("EX");
    private static final long PX = Command.pack("PX");
    private static final long EXAT = Command.pack("EXAT");
    private static final long PXAT = Command.pack("PXAT");

    private final Cache<Bytes, StoredValue> cache;
    private final ConcurrentMap<Bytes, StoredValue> map;
    private final Ticker ticker;
    /** Set once any value got a TTL: from then on {@link #sweepExpired} has work to look for. */
    private volatile boolean ttlsStored;

    MemoryStore(long maxBytes, Ticker ticker) {
        this.ticker = ticker;
        // No Caffeine expiry: its timer wheel would be updated on every write, while a TTL is rare.
        // A value past its TTL is treated as absent wherever it is read (see live) and goes when read,
        // overwritten or evicted; the byte bound holds either way.
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Bytes key, StoredValue value) -> 32 + key.value.length + value.weight())
                .executor(Runnable::run) // maintenance on the caller, not on the host's common pool
                .recordStats()
                .build();
        this.map = cache.asMap();
    }

    /**
     * A counter memory does not hold: its value in Redis is unknown, and counting from 0 could hand
     * out a value the application already had. Such a call is not answered from memory.
     */
    private static final RuntimeException UNKNOWN_COUNTER = new RuntimeException("unknown counter", null, false, false) {};

    /** Raised for the error replies Redis itself would give (WRONGTYPE, not an integer). */
    static final class RedisError extends RuntimeException {
        RedisError(String message) {
            super(message, null, false, false);
        }
    }

    // ---------------------------------------------------------------- serving

    /**
     * Runs {@code args} (command name first) against memory.
     *
     * @return the raw RESP2 reply ({@code byte[]}, {@code Long}, {@code List}, or {@code null}), or
     *     {@link #UNSUPPORTED}
     * @throws RedisError where Redis would answer with an error
     */
    Object execute(byte[][] args) {
        try {
            return execute(Command.of(args[0]), args, args.length > 1 ? key(args, 1) : null);
        } catch (RuntimeException e) {
            if (e == UNKNOWN_COUNTER) {
                return UNSUPPORTED;
            }
            throw e;
        }
    }

    /** {@link #execute(byte[][])} with the command recognised and the first key made ({@code null} if there is none). */
    private Object execute(Command command, byte[][] args, Bytes key) {
        int n = args.length;
        switch (command) {
            case GET:
                return n == 2 ? textOf(key) : UNSUPPORTED;
            case SET:
                return n >= 3 ? set(args, key) : UNSUPPORTED;
            case SETEX:
                return n == 4 ? putText(key, args[3], setDeadline(integer(args[2]), TimeUnit.SECONDS, "setex")) : UNSUPPORTED;
            case PSETEX:
                return n == 4 ? putText(key, args[3], setDeadline(integer(args[2]), TimeUnit.MILLISECONDS, "psetex")) : UNSUPPORTED;
            case SETNX:
                if (n != 3) return UNSUPPORTED;
                boolean[] set = new boolean[1];
                map.compute(key, (k, old) -> {
                    if (live(old) != null) {
                        return old;
                    }
                    set[0] = true;
                    return new StoredValue.Text(args[2], StoredValue.NEVER);
                });
                return set[0] ? 1L : 0L;
            case GETDEL: {
                if (n != 2) return UNSUPPORTED;
                byte[] value = textOf(key);
                map.remove(key);
                return value;
            }
            case MGET: {
                List<Object> values = new ArrayList<>(n - 1);
                for (int i = 1; i < n; i++) {
                    StoredValue v = get(key(args, i, key));
                    values.add(v instanceof StoredValue.Text t ? t.value() : null);
                }
                return values;
            }
            case MSET:
                if (n < 3 || n % 2 == 0) return UNSUPPORTED;
                for (int i = 1; i < n; i += 2) {
                    map.put(key(args, i, key), new StoredValue.Text(args[i + 1], StoredValue.NEVER));
                }
                return OK;
            case DEL:
            case UNLINK: {
                long removed = 0;
                for (int i = 1; i < n; i++) {
                    removed += live(map.remove(key(args, i, key))) != null ? 1 : 0;
                }
                return removed;
            }
            case EXISTS: {
                long found = 0;
                for (int i = 1; i < n; i++) {
                    found += get(key(args, i, key)) != null ? 1 : 0;
                }
                return found;
            }
            case EXPIRE:
                return n == 3 ? expire(key, deadline(integer(args[2]), TimeUnit.SECONDS)) : UNSUPPORTED;
            case PEXPIRE:
                return n == 3 ? expire(key, deadline(integer(args[2]), TimeUnit.MILLISECONDS)) : UNSUPPORTED;
            case TTL:
                return n == 2 ? ttl(key, TimeUnit.SECONDS) : UNSUPPORTED;
            case PTTL:
                return n == 2 ? ttl(key, TimeUnit.MILLISECONDS) : UNSUPPORTED;
            case INCR:
                return n == 2 ? incrementBy(key, 1) : UNSUPPORTED;
            case DECR:
                return n == 2 ? incrementBy(key, -1) : UNSUPPORTED;
            case INCRBY:
                return n == 3 ? incrementBy(key, integer(args[2])) : UNSUPPORTED;
            case DECRBY:
                if (n != 3) return UNSUPPORTED;
                long decrement = integer(args[2]);
                if (decrement == Long.MIN_VALUE) {
                    throw new RedisError("ERR decrement would overflow");
                }
                return incrementBy(key, -decrement);
            case HGET:
                return n == 3 ? fieldsOf(key).get(new Bytes(args[2])) : UNSUPPORTED;
            case HSET:
            case HMSET: {
                if (n < 4 || n % 2 != 0) return UNSUPPORTED;
                long added = hashUpdate(key, fields -> {
                    long fresh = 0;
                    for (int i = 2; i < n; i += 2) {
                        fresh += fields.put(new Bytes(args[i]), args[i + 1]) == null ? 1 : 0;
                    }
                    return fresh;
                });
                return command == Command.HSET ? (Object) added : OK;
            }
            case HMGET: {
                Map<Bytes, byte[]> fields = fieldsOf(key);
                List<Object> values = new ArrayList<>(n - 2);
                for (int i = 2; i < n; i++) {
                    values.add(fields.get(new Bytes(args[i])));
                }
                return values;
            }
            case HGETALL: {
                if (n != 2) return UNSUPPORTED;
                List<Object> flat = new ArrayList<>();
                fieldsOf(key).forEach((field, value) -> {
                    flat.add(field.value);
                    flat.add(value);
                });
                return flat;
            }
            case HDEL:
                return hashUpdate(key, fields -> {
                    long removed = 0;
                    for (int i = 2; i < n; i++) {
                        removed += fields.remove(new Bytes(args[i])) != null ? 1 : 0;
                    }
                    return removed;
                });
            case HEXISTS:
                return n == 3 ? (fieldsOf(key).containsKey(new Bytes(args[2])) ? 1L : 0L) : UNSUPPORTED;
            case HINCRBY: {
                if (n != 4) return UNSUPPORTED;
                long by = integer(args[3]);
                return hashUpdate(key, fields -> {
                    byte[] old = fields.get(new Bytes(args[2]));
                    if (old == null) {
                        throw UNKNOWN_COUNTER; // memory may hold only some of the hash's fields
                    }
                    long next = add(hashInteger(old), by);
                    fields.put(new Bytes(args[2]), Long.toString(next).getBytes(StandardCharsets.US_ASCII));
                    return next;
                });
            }
            default:
                return UNSUPPORTED;
        }
    }

    /** SET's options; {@code null} for one the memory does not know. */
    private record SetOptions(long expiresAt, boolean nx, boolean xx, boolean keepTtl, boolean get) {}

    private SetOptions setOptions(byte[][] args) {
        long expiresAt = StoredValue.NEVER;
        boolean nx = false;
        boolean xx = false;
        boolean keepTtl = false;
        boolean get = false;
        for (int i = 3; i < args.length; i++) {
            long option = Command.pack(args[i]);
            if (option == NX) {
                nx = true;
            } else if (option == XX) {
                xx = true;
            } else if (option == KEEPTTL) {
                keepTtl = true;
            } else if (option == GET_OPTION) {
                get = true;
            } else if (option == EX || option == PX || option == EXAT || option == PXAT) {
                if (++i == args.length) return null;
                long amount = integer(args[i]);
                if (option == EX) {
                    expiresAt = setDeadline(amount, TimeUnit.SECONDS, "set");
                } else if (option == PX) {
                    expiresAt = setDeadline(amount, TimeUnit.MILLISECONDS, "set");
                } else {
                    long epochMillis = (option == EXAT ? TimeUnit.SECONDS : TimeUnit.MILLISECONDS).toMillis(amount);
                    if (amount <= 0 || epochMillis == Long.MAX_VALUE) {
                        throw invalidExpireTime("set");
                    }
                    expiresAt = deadline(epochMillis - System.currentTimeMillis(), TimeUnit.MILLISECONDS); // in the past: gone at once
                }
            } else {
                return null;
            }
        }
        return new SetOptions(expiresAt, nx, xx, keepTtl, get);
    }

    private Object set(byte[][] args, Bytes key) {
        if (args.length == 3) {
            map.put(key, new StoredValue.Text(args[2], StoredValue.NEVER)); // no option: replaces value and TTL
            return OK;
        }
        SetOptions options = setOptions(args);
        if (options == null) {
            return UNSUPPORTED;
        }
        byte[] value = args[2];
        Object[] previous = new Object[1];
        boolean[] written = new boolean[1];
        map.compute(key, (k, stored) -> {
            StoredValue old = live(stored);
            if (options.get() && old instanceof StoredValue.Hash) {
                throw wrongType(); // Redis refuses the whole command: nothing is written
            }
            previous[0] = old;
            if ((options.nx() && old != null) || (options.xx() && old == null)) {
                return stored;
            }
            written[0] = true;
            long at = options.keepTtl() && old != null ? old.expiresAt() : options.expiresAt();
            return new StoredValue.Text(value, at);
        });
        if (options.get()) {
            return previous[0] == null ? null : ((StoredValue.Text) previous[0]).value();
        }
        return written[0] ? OK : null;
    }

    private byte[] putText(Bytes key, byte[] value, long expiresAt) {
        map.put(key, new StoredValue.Text(value, expiresAt));
        return OK;
    }

    private long expire(Bytes key, long expiresAt) {
        boolean[] found = new boolean[1];
        map.computeIfPresent(key, (k, old) -> {
            found[0] = live(old) != null;
            return found[0] ? old.withExpiresAt(expiresAt) : null;
        });
        return found[0] ? 1L : 0L;
    }

    private long ttl(Bytes key, TimeUnit unit) {
        StoredValue v = get(key);
        if (v == null) {
            return -2;
        }
        if (v.expiresAt() == StoredValue.NEVER) {
            return -1;
        }
        long remainingMillis = TimeUnit.NANOSECONDS.toMillis(Math.max(0, v.expiresAt() - ticker.read()));
        return unit == TimeUnit.SECONDS ? (remainingMillis + 500) / 1000 : remainingMillis;
    }

    private long incrementBy(Bytes key, long by) {
        long[] result = new long[1];
        map.compute(key, (k, stored) -> {
            StoredValue old = live(stored);
            if (old instanceof StoredValue.Hash) {
                throw wrongType();
            }
            if (old == null) {
                throw UNKNOWN_COUNTER;
            }
            long current = integer(((StoredValue.Text) old).value());
            result[0] = add(current, by);
            byte[] text = Long.toString(result[0]).getBytes(StandardCharsets.US_ASCII);
            return new StoredValue.Text(text, old == null ? StoredValue.NEVER : old.expiresAt());
        });
        return result[0];
    }

    private interface FieldsUpdate {
        long apply(Map<Bytes, byte[]> fields);
    }

    /** Applies {@code update} to a copy of the hash and stores the copy (an empty hash is deleted, as in Redis). */
    private long hashUpdate(Bytes key, FieldsUpdate update) {
        long[] result = new long[1];
        map.compute(key, (k, stored) -> {
            StoredValue old = live(stored);
            if (old instanceof StoredValue.Text) {
                throw wrongType();
            }
            Map<Bytes, byte[]> fields = old == null ? new HashMap<>() : new HashMap<>(((StoredValue.Hash) old).fields());
            result[0] = update.apply(fields);
            if (fields.isEmpty()) {
                return null;
            }
            return new StoredValue.Hash(Map.copyOf(fields), old == null ? StoredValue.NEVER : old.expiresAt());
        });
        return result[0];
    }

    private byte[] textOf(Bytes key) {
        StoredValue v = get(key);
        if (v instanceof StoredValue.Hash) {
            throw wrongType();
        }
        return v == null ? null : ((StoredValue.Text) v).value();
    }

    private Map<Bytes, byte[]> fieldsOf(Bytes key) {
        StoredValue v = get(key);
        if (v instanceof StoredValue.Text) {
            throw wrongType();
        }
        return v == null ? Map.of() : ((StoredValue.Hash) v).fields();
    }

    /** Whether memory holds any key {@code args} (command name first) names. */
    boolean holdsAnyKey(byte[][] args) {
        Command command = Command.of(args[0]);
        int step = command == Command.MSET ? 2 : 1;
        int last = switch (command) {
            case MGET, EXISTS, DEL, UNLINK, MSET -> args.length - 1;
            default -> Math.min(1, args.length - 1);
        };
        for (int i = 1; i <= last; i += step) {
            if (get(new Bytes(args[i])) != null) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- mirroring

    /**
     * Records the effect of a command Redis has just executed successfully, given what the
     * application received ({@code String}/{@code byte[]}, {@code Long}, {@code Boolean},
     * {@code List}, {@code Map}). Anything it cannot be sure of is forgotten rather than guessed.
     */
    void mirror(byte[][] args, Object result) {
        if (args.length < 2) {
            return;
        }
        Command command = Command.of(args[0]);
        Bytes key = key(args, 1);
        try {
            switch (command) {
                case GET -> {
                    if (result == null) {
                        map.remove(key);
                    } else {
                        StoredValue old = get(key);
                        if (old instanceof StoredValue.Text text && sameText(text.value(), result)) {
                            return; // memory already holds what Redis answered: nothing to write
                        }
                        long at = old instanceof StoredValue.Text ? old.expiresAt() : StoredValue.NEVER;
                        map.put(key, new StoredValue.Text(bytes(result), at));
                    }
                }
                case SET -> {
                    SetOptions options = setOptions(args);
                    if (result == null || options == null || options.get() || options.keepTtl()) {
                        map.remove(key); // declined, or its outcome or TTL not certain: forget rather than guess
                    } else {
                        // Redis wrote it: whatever memory held (perhaps stale, as a key that expired in Redis), this is it now.
                        map.put(key, new StoredValue.Text(args[2], options.expiresAt()));
                    }
                }
                case SETNX -> {
                    if (Long.valueOf(1).equals(result) || Boolean.TRUE.equals(result)) {
                        map.put(key, new StoredValue.Text(args[2], StoredValue.NEVER)); // Redis wrote it
                    } else {
                        map.remove(key); // Redis holds a value memory may not know
                    }
                }
                case EXPIRE, PEXPIRE -> {
                    if (Long.valueOf(0).equals(result) || Boolean.FALSE.equals(result)) {
                        map.remove(key); // Redis has no such key (any more)
                    } else {
                        execute(command, args, key);
                    }
                }
                case SETEX, PSETEX, MSET, DEL, UNLINK, HSET, HMSET, HDEL -> execute(command, args, key);
                case GETDEL -> map.remove(key);
                case INCR, DECR, INCRBY, DECRBY -> {
                    StoredValue old = get(key);
                    long at = old == null ? StoredValue.NEVER : old.expiresAt();
                    map.put(key, new StoredValue.Text(String.valueOf(result).getBytes(StandardCharsets.US_ASCII), at));
                }
                case HINCRBY -> mirrorFields(key, List.of(args[2]), List.of(String.valueOf(result)));
                case HGET -> mirrorFields(key, List.of(args[2]), java.util.Collections.singletonList(result));
                case HMGET -> mirrorFields(key, List.of(args).subList(2, args.length), (List<?>) result);
                case HGETALL -> mirrorHash(key, (Map<?, ?>) result);
                case MGET -> {
                    List<?> values = (List<?>) result;
                    for (int i = 1; i < args.length && i - 1 < values.size(); i++) {
                        mirror(new byte[][] {GET_NAME, args[i]}, values.get(i - 1));
                    }
                }
                case TTL, PTTL -> {
                    long ttl = ((Number) result).longValue();
                    if (ttl == -2) {
                        map.remove(key);
                    } else {
                        long at = ttl == -1 ? StoredValue.NEVER
                                : deadline(ttl, command == Command.TTL ? TimeUnit.SECONDS : TimeUnit.MILLISECONDS);
                        map.computeIfPresent(key, (k, old) -> live(old) == null ? null : old.withExpiresAt(at));
                    }
                }
                case EXISTS -> {
                    if (args.length == 2 && (Long.valueOf(0).equals(result) || Boolean.FALSE.equals(result))) {
                        map.remove(key);
                    }
                }
                default -> {
                    // Not a supported command: it may still have changed the key, so forget it.
                    for (int i = 1; i < args.length; i++) {
                        map.remove(key(args, i));
                    }
                }
            }
        } catch (RuntimeException mismatch) {
            map.remove(key); // our copy disagrees with Redis (e.g. type): drop it rather than serve it
        }
    }

    private void mirrorFields(Bytes key, List<byte[]> fields, List<?> values) {
        map.compute(key, (k, stored) -> {
            StoredValue old = live(stored);
            if (old instanceof StoredValue.Text) {
                old = null;
            }
            Map<Bytes, byte[]> copy = old == null ? new HashMap<>() : new HashMap<>(((StoredValue.Hash) old).fields());
            for (int i = 0; i < fields.size() && i < values.size(); i++) {
                Object v = values.get(i);
                if (v == null) {
                    copy.remove(new Bytes(fields.get(i)));
                } else {
                    copy.put(new Bytes(fields.get(i)), bytes(v));
                }
            }
            return copy.isEmpty() ? null : new StoredValue.Hash(Map.copyOf(copy), old == null ? StoredValue.NEVER : old.expiresAt());
        });
    }

    private void mirrorHash(Bytes key, Map<?, ?> result) {
        if (result == null || result.isEmpty()) {
            map.remove(key);
            return;
        }
        Map<Bytes, byte[]> fields = new HashMap<>();
        result.forEach((f, v) -> fields.put(new Bytes(bytes(f)), bytes(v)));
        StoredValue old = get(key);
        long at = old instanceof StoredValue.Hash ? old.expiresAt() : StoredValue.NEVER;
        map.put(key, new StoredValue.Hash(Map.copyOf(fields), at));
    }

    // ---------------------------------------------------------------- helpers and stats

    private static Bytes key(byte[][] args, int index) {
        return new Bytes(args[index]);
    }

    /** The key at {@code index}, reusing {@code first} for index 1. */
    private static Bytes key(byte[][] args, int index, Bytes first) {
        return index == 1 ? first : new Bytes(args[index]);
    }

    /** Whether {@code result} (a reply as the application got it) is exactly the bytes {@code stored}, without encoding it. */
    private static boolean sameText(byte[] stored, Object result) {
        if (result instanceof byte[] b) {
            return java.util.Arrays.equals(stored, b);
        }
        if (!(result instanceof String s) || s.length() != stored.length) {
            return false;
        }
        for (int i = 0; i < stored.length; i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || c != stored[i]) {
                return false; // not ASCII (its UTF-8 form differs in length) or a different character
            }
        }
        return true;
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
    }

    private static long integer(byte[] text) {
        return integer(text, "ERR value is not an integer or out of range");
    }

    private static long hashInteger(byte[] text) {
        return integer(text, "ERR hash value is not an integer");
    }

    /**
     * {@code text} as Redis reads an integer (its {@code string2ll}): an optional minus, then digits
     * without a leading zero (but "0" itself), within a long; no plus sign, no spaces, no "-0".
     */
    private static long integer(byte[] text, String error) {
        int start = text.length > 0 && text[0] == '-' ? 1 : 0;
        boolean digits = text.length > start && text.length <= 20;
        for (int i = start; digits && i < text.length; i++) {
            digits = text[i] >= '0' && text[i] <= '9';
        }
        boolean leadingZero = digits && text[start] == '0' && (text.length > 1);
        if (!digits || leadingZero) {
            throw new RedisError(error);
        }
        try {
            return Long.parseLong(new String(text, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new RedisError(error);
        }
    }

    /** {@code a + b}, or the error Redis answers when it would overflow. */
    private static long add(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new RedisError("ERR increment or decrement would overflow");
        }
    }

    /**
     * The deadline of a SET, SETEX or PSETEX time: Redis refuses one that is not positive or that
     * overflows in milliseconds ("invalid expire time in '<command>' command").
     */
    private long setDeadline(long amount, TimeUnit unit, String command) {
        long millis = unit.toMillis(amount);
        if (amount <= 0 || millis == Long.MAX_VALUE || millis > Long.MAX_VALUE - System.currentTimeMillis()) {
            throw invalidExpireTime(command);
        }
        return deadline(millis, TimeUnit.MILLISECONDS);
    }

    private static RedisError invalidExpireTime(String command) {
        return new RedisError("ERR invalid expire time in '" + command + "' command");
    }

    private long deadline(long amount, TimeUnit unit) {
        ttlsStored = true; // every TTL memory stores is made here
        if (amount <= 0) {
            return ticker.read() - 1; // already expired, as Redis treats a non-positive TTL
        }
        long nanos = unit.toNanos(amount);
        long at = ticker.read() + nanos;
        return at < 0 || nanos == Long.MAX_VALUE ? StoredValue.NEVER - 1 : at;
    }

    private static RedisError wrongType() {
        return new RedisError("WRONGTYPE Operation against a key holding the wrong kind of value");
    }

    public long size() {
        return cache.estimatedSize();
    }

    public long weight() {
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    public CacheStats stats() {
        return cache.stats();
    }

    void clear() {
        cache.invalidateAll();
    }

    /**
     * Removes the values past their TTL. Reads already treat them as absent, but one that is never
     * read again would keep its share of the byte bound until evicted, and the eviction policy goes
     * by how often an entry was used, not by whether it is dead: called now and then by the agent's
     * thread. Nothing to do (one volatile read) until some value got a TTL.
     *
     * @return how many values were removed
     */
    public int sweepExpired() {
        if (!ttlsStored) {
            return 0;
        }
        int removed = 0;
        for (Map.Entry<Bytes, StoredValue> entry : map.entrySet()) {
            StoredValue value = entry.getValue();
            if (live(value) == null && map.remove(entry.getKey(), value)) {
                removed++;
            }
        }
        return removed;
    }

    /** The value stored under {@code key}, or {@code null} if there is none or its TTL has passed (then it goes). */
    private StoredValue get(Bytes key) {
        StoredValue stored = map.get(key);
        StoredValue value = live(stored);
        if (stored != null && value == null) {
            map.remove(key, stored);
        }
        return value;
    }

    /** {@code value}, or {@code null} if it is {@code null} or past its TTL (as Redis, which never serves an expired key). */
    private StoredValue live(StoredValue value) {
        if (value == null || value.expiresAt() >= StoredValue.NEVER - 1) {
            return value;
        }
        return value.expiresAt() - ticker.read() >= 0 ? value : null; // as Redis: gone once the clock is past it
    }
}
