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

    /** Unprocessed bytes in the query buffer. */
    long queryBufferLength();

    /** Bytes queued for output and not yet written to the socket. */
    long pendingOutputBytes();

    /** Closes the connection at once (CLIENT KILL, timeouts). Thread-safe. */
    void close();

    /** Closes the connection once the replies already produced are written (QUIT). */
    void closeAfterReply();

    /** Writes already-encoded bytes to the client from any thread (MONITOR feed). */
    void sendAsync(byte[] data);
}
