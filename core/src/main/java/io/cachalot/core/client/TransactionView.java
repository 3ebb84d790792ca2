package io.cachalot.core.client;

/**
 * What CLIENT LIST shows of a session's MULTI/WATCH state, which the command layer keeps (its
 * {@code TransactionState}). Read by other clients' threads: a moment's view.
 */
public interface TransactionView {
    /** Commands queued after MULTI, or -1 outside MULTI (CLIENT LIST's multi= field). */
    int queuedCount();

    /** Whether a key the client WATCHes changed since WATCH (CLIENT LIST's d flag). */
    boolean watchedKeyWasChanged();

    /** Neither in MULTI nor watching: a session before its command layer attaches its state. */
    TransactionView NONE = new TransactionView() {
        @Override
        public int queuedCount() {
            return -1;
        }

        @Override
        public boolean watchedKeyWasChanged() {
            return false;
        }
    };
}
