package io.cachalot.core.script;

/** What runs: an EVAL script or a function. Remembers what its runs taught about the keys it touches. */
abstract class Code {
    /**
     * Whether its runs lock the whole keyspace: true until a run showed that it touches only the
     * keys it declares, and again once a run touched others.
     */
    volatile boolean exclusive = true;
}
