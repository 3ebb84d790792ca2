package io.cachalot.core.client;

/**
 * What the engine needs from a network connection (implemented by the RESP server): its
 * addresses and buffer figures for CLIENT LIST, and ways to close it or to send it data from
 * another thread (MONITOR).
 */
public interface ClientConnection {
    /** Peer address as "ip:port". */
    String address();

    /** Local address as "ip:port". */
    String localAddress();

    /** File descriptor number, or -1 when unknown. */
    int fd();

    /** True for a loopback peer (enable-debug-command local). */
    boolean isLocal();

    /**
     * Bytes in the query buffer (CLIENT LIST qbuf): what has arrived and is not yet run, and,
     * while a command runs, what its read batch consumed (Redis trims the buffer after the batch).
     */
    long queryBufferLength();

    /** Room left in the query buffer (qbuf-free). */
    default long queryBufferFree() {
        return 0;
    }

    /** Sum of the lengths of the arguments held (argv-mem): the command running or being read. */
    default long argvLength() {
        return 0;
    }

    /** Output not yet sent, up to the size of Redis' static reply buffer, 16 KB (obl). */
    default long outputBufferLength() {
        return 0;
    }

    /** Buffers of output waiting to be sent while there is output beyond the reply buffer (oll). */
    default long outputListLength() {
        return 0;
    }

    /**
     * Output not yet sent beyond the reply buffer (omem): what Redis holds in its reply list, and
     * what client-output-buffer-limit bounds.
     */
    long pendingOutputBytes();

    /** Memory the connection holds (tot-mem): its input, its arguments and its pending output. */
    default long memoryUsage() {
        return queryBufferLength() + pendingOutputBytes();
    }

    /** Closes the connection at once (CLIENT KILL, timeouts). Thread-safe. */
    void close();

    /** Closes the connection once the replies already produced are written (QUIT). */
    void closeAfterReply();

    /** Writes already-encoded bytes to the client from any thread (MONITOR feed). */
    void sendAsync(byte[] data);
}
