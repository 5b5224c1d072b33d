package io.breakwater.agent.redis;

import java.util.Arrays;

/** A Redis key or hash field compared by content, as Redis compares them. */
final class Bytes {
    final byte[] value;
    private final int hash;

    Bytes(byte[] value) {
        this.value = value;
        this.hash = Arrays.hashCode(value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Bytes b && b.hash == hash && Arrays.equals(b.value, value);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
