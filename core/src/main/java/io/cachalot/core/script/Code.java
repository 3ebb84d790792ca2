package io.cachalot.core.script;

/** What runs: an EVAL script or a function. Remembers what its runs taught about the keys it touches. */
abstract class Code {
    /**
     * Whether its runs lock the whole keyspace: true until a run showed that it touches only the
     * keys it declares, and again once a run touched others.
     */
    volatile boolean exclusive = true;

    /**
     * Whether its last run ended within {@link #FAST_NANOS}: a network client then runs it on its
     * own thread rather than handing it to the script thread.
     */
    volatile boolean fast;

    /** A run this short cannot keep other clients waiting long. */
    static final long FAST_NANOS = 1_000_000;
}
