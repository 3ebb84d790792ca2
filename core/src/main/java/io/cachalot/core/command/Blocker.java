package io.cachalot.core.command;

import io.cachalot.core.client.Session;

/**
 * What the command layer asks of the engine's blocking registry (BLPOP, BLMOVE, BZPOPMIN …,
 * CLIENT UNBLOCK, INFO). The registry sits above the command layer — it runs blocked commands
 * again through the {@link Dispatcher} — so handlers see it through this interface only.
 */
public interface Blocker {
    /**
     * Blocks the context's client on {@code keys}, until {@code deadline} (Unix ms, 0 = forever).
     * The caller holds the locks of all the keys' segments. Returns false, blocking nothing, when
     * the client may not block (inside EXEC, or a script): the command then answers at once as if
     * it had timed out, with its own timeout reply.
     */
    boolean block(CommandContext ctx, byte[][] keys, long deadline);

    /**
     * Makes {@code key} of the context's database ready for its waiting clients without a change
     * of the key (Redis' signalKeyAsReady alone: XGROUP DESTROY, whose readers then fail).
     */
    void signalReady(CommandContext ctx, byte[] key);

    /** CLIENT UNBLOCK: ends the wait of {@code s}; false when it is not blocked. */
    boolean unblock(Session s, boolean withError);

    /** Number of clients currently blocked (INFO blocked_clients). */
    int blockedClients();

    /** Serves the clients waiting on the keys this thread's last command made ready. */
    void serveReady();
}
