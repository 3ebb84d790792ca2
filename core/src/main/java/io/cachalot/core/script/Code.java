package io.cachalot.core.script;

/** What runs: an EVAL script or a function. Remembers what its runs taught about the keys it touches. */
abstract class Code {
    /**
     * Set once a run touched keys it did not declare and had to start again, or waited for them:
     * its runs lock the whole keyspace from then on.
     */
    volatile boolean exclusive;
}
