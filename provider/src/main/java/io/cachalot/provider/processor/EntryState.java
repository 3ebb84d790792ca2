package io.cachalot.provider.processor;

/** What an entry processor did to its entry, in the order JSR-107 resolves it. */
public enum EntryState {
    /** Nothing, or only reads of an absent entry. */
    NONE,
    /** Read an existing value. */
    ACCESSED,
    /** Loaded a value through the cache loader (stored without calling the writer). */
    LOADED,
    /** Set a value on an absent entry. */
    CREATED,
    /** Set a value on an existing entry. */
    UPDATED,
    /** Removed the entry (an absent one too: the writer still hears of it). */
    REMOVED
}
