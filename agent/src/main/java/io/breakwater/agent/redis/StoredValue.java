package io.breakwater.agent.redis;

import java.util.Map;

/** A value kept in memory, with its absolute expiry on the cache's ticker ({@link #NEVER} = no TTL). */
sealed interface StoredValue {
    long NEVER = Long.MAX_VALUE;

    long expiresAt();

    StoredValue withExpiresAt(long expiresAt);

    /** Approximate heap bytes, for the cache's byte bound. */
    int weight();

    record Text(byte[] value, long expiresAt) implements StoredValue {
        @Override
        public StoredValue withExpiresAt(long at) {
            return new Text(value, at);
        }

        @Override
        public int weight() {
            return 48 + value.length;
        }
    }

    /** An immutable snapshot of a hash; updates replace it, so the cache re-weighs it. */
    record Hash(Map<Bytes, byte[]> fields, long expiresAt) implements StoredValue {
        @Override
        public StoredValue withExpiresAt(long at) {
            return new Hash(fields, at);
        }

        @Override
        public int weight() {
            int w = 64;
            for (Map.Entry<Bytes, byte[]> e : fields.entrySet()) {
                w += 64 + e.getKey().value.length + e.getValue().length;
            }
            return w;
        }
    }
}
