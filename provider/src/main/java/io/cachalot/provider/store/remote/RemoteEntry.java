package io.cachalot.provider.store.remote;

import io.cachalot.provider.store.StoreEntry;

/**
 * The entry an operation works on in a remote store: what the server held when the operation
 * locked it, and the one change the operation made (written back when it ends).
 */
final class RemoteEntry implements StoreEntry {
    /** What the operation asks to write back. */
    enum Change { NONE, SET, REMOVE, EXPIRE }

    private byte[] value;
    private long expireAt;
    private long now;
    Change change = Change.NONE;

    RemoteEntry(byte[] value, long expireAt) {
        this.value = value;
        this.expireAt = expireAt;
    }

    @Override
    public boolean exists() {
        return value != null;
    }

    @Override
    public Object value() {
        return value;
    }

    byte[] bytes() {
        return value;
    }

    @Override
    public boolean valueIsBytes() {
        return true;
    }

    @Override
    public long expireAt() {
        return expireAt;
    }

    /** The server removes an expired key itself: an operation never finds one. */
    @Override
    public Object expiredValue() {
        return null;
    }

    @Override
    public boolean expiredIsBytes() {
        return true;
    }

    @Override
    public long now() {
        if (now == 0) {
            now = System.currentTimeMillis();
        }
        return now;
    }

    @Override
    public void set(Object v, long at) {
        if (!(v instanceof byte[])) {
            throw new IllegalArgumentException("a remote store keeps encoded values only");
        }
        value = (byte[]) v;
        expireAt = at;
        change = Change.SET;
    }

    @Override
    public void setExpireAt(long at) {
        if (value == null) {
            throw new IllegalStateException("no entry");
        }
        expireAt = at;
        if (change != Change.SET) {
            change = Change.EXPIRE;
        }
    }

    @Override
    public void remove() {
        value = null;
        change = Change.REMOVE;
    }

    /** Eviction is the server's (its maxmemory policy sees the key's own accesses). */
    @Override
    public void touch() {
    }
}
