package io.cachalot.core.keyspace;

/**
 * One key a client WATCHes, registered in the key's segment. A change to the key marks the owner
 * so that its next EXEC fails; a key that was already expired (but not yet deleted) when watched
 * is not "changed" by its deletion, as in Redis.
 */
public final class WatchedKey {
    /** Who is told when the key changes. */
    public interface Owner {
        void watchedKeyChanged();
    }

    final Owner owner;
    final int db;
    final byte[] key;
    final int hash;
    boolean expiredAtWatch;

    public WatchedKey(Owner owner, int db, byte[] key, int hash, boolean expiredAtWatch) {
        this.owner = owner;
        this.db = db;
        this.key = key;
        this.hash = hash;
        this.expiredAtWatch = expiredAtWatch;
    }

    public int db() {
        return db;
    }

    public byte[] key() {
        return key;
    }

    public int hash() {
        return hash;
    }

    /** Whether the key was logically expired when WATCH was called. */
    public boolean expiredAtWatch() {
        return expiredAtWatch;
    }
}
