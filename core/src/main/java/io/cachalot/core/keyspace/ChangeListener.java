package io.cachalot.core.keyspace;

/**
 * A consumer of the keyspace's {@link ChangeStream}. Called on the thread that made the change,
 * with the key's segment lock held, in the order the changes were applied to that key: it must be
 * quick, must not block, and must not lock another segment.
 */
public interface ChangeListener {
    /** {@code e} (in {@code db}) changed as {@code kind} says; for a deletion it still holds its last value. */
    void keyChanged(Database db, Entry e, ChangeKind kind);

    /** Every key of {@code db} was removed (FLUSHDB, FLUSHALL); called with the database's locks held. */
    default void databaseFlushed(Database db) {
    }

    /**
     * A flush ended, once per command: FLUSHDB of {@code db}, or FLUSHALL when {@code db} is
     * null (after {@link #databaseFlushed} for each database, once the flush released its locks).
     */
    default void flushEnded(Database db) {
    }

    /**
     * A write made outside the command path (embedded client, JCache store) ended, with no lock
     * held ({@link Keyspace#writeDone}): a listener may wait here for what it must finish first.
     */
    default void writeEnded() {
    }

    /** The contents of two databases were exchanged (SWAPDB); called after the exchange, with no lock held. */
    default void databasesSwapped(Database a, Database b) {
    }
}
