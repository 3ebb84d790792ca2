package io.cachalot.core.keyspace;

/** What happened to a key, as the {@link ChangeStream} reports it. */
public enum ChangeKind {
    /**
     * Created, given a new value or TTL, or changed in place. For a collection changed in place
     * the change is reported as it begins: read the value after the command if it matters.
     */
    WRITTEN(false),
    /** Added: the key was absent (Redis' dbAdd). Otherwise as {@link #WRITTEN}. */
    CREATED(false),
    /** Deleted by a command or an application call (reported while the entry still holds its value). */
    DELETED(false),
    /** Deleted by the engine because its time to live passed (lazily or by the active cycle). */
    EXPIRED(true),
    /** Deleted by an eviction policy: maxmemory, or a cache's own bound. */
    EVICTED(true),
    /** Elements of the value (hash fields) expired; the key stays unless it became empty (then {@link #EMPTIED}). */
    ELEMENTS_EXPIRED(true),
    /** Deleted by the engine because expiring its elements left it empty (reported while it still holds the empty value). */
    EMPTIED(true);

    private final boolean byEngine;

    ChangeKind(boolean byEngine) {
        this.byEngine = byEngine;
    }

    /** Whether the key holds a value after this change: {@link #WRITTEN} or {@link #CREATED}. */
    public boolean written() {
        return this == WRITTEN || this == CREATED;
    }

    /**
     * Whether the engine made the change on its own rather than a command: WATCH marks such a
     * change at once, while a command's writes count only if the command counted a change.
     */
    public boolean byEngine() {
        return byEngine;
    }
}
