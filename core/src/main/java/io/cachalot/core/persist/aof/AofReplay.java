package io.cachalot.core.persist.aof;

/** Runs the commands of an AOF being loaded, as Redis' fake AOF client does. */
public interface AofReplay {
    /** Runs one command (errors it replies are ignored); false when no such command exists. */
    boolean run(byte[][] argv);

    /** Whether a MULTI is open: its commands are queued, not yet run. */
    boolean inMulti();

    /** Drops an open MULTI (a transaction the file does not finish). */
    void discard();
}
