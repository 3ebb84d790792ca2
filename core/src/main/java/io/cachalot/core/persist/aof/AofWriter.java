package io.cachalot.core.persist.aof;

import io.cachalot.core.propagate.EffectSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Appends the effect log to the current incremental AOF file. {@link #flush} writes what was
 * appended (Redis' write before replying); syncing follows appendfsync: {@code always} syncs in
 * {@link #awaitDurable} before the command returns (one sync serves every command waiting),
 * {@code everysec} leaves it to {@link #syncIfBehind} once a second, {@code no} to the system.
 * A failed write keeps the bytes and cuts the file back to its last whole command; the next flush
 * tries again, and writes are refused (MISCONF) meanwhile.
 */
final class AofWriter implements EffectSink {
    private static final Logger LOG = LoggerFactory.getLogger(AofWriter.class);
    /** Redis' AOF_WRITE_LOG_ERROR_RATE: at most one error line every 30 s. */
    private static final long ERROR_LOG_INTERVAL_MS = 30_000;

    private final AppendOnly owner;
    private FileChannel channel;
    /** Bytes of the current file. */
    private long fileSize;
    private byte[] buf = new byte[1 << 16];
    private int len;
    /** Stream positions: bytes accepted, written to the system, and synced. */
    private long accepted;
    private volatile long written;
    private volatile long synced;
    private final Object syncLock = new Object();
    private volatile String writeError;
    private long lastErrorLog;

    AofWriter(AppendOnly owner, FileChannel channel, long fileSize) {
        this.owner = owner;
        this.channel = channel;
        this.fileSize = fileSize;
    }

    @Override
    public void append(byte[] b, int off, int n) {
        if (len + n > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(buf.length << 1, len + n));
        }
        System.arraycopy(b, off, buf, len, n);
        len += n;
        accepted += n;
    }

    @Override
    public long flush() {
        if (len == 0) {
            return accepted;
        }
        try {
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, len);
            while (bb.hasRemaining()) {
                channel.write(bb);
            }
            fileSize += len;
            owner.grew(len);
            len = 0;
            written = accepted;
            if (writeError != null) {
                LOG.warn("AOF write error looks solved, Redis can write again.");
                writeError = null;
            }
            if (buf.length > 1 << 20) {
                buf = new byte[1 << 16]; // a large burst need not stay allocated
            }
        } catch (IOException e) {
            failed(e);
        }
        return accepted;
    }

    /** A write failed: cut the file back to its last whole command, keep the bytes for the next try. */
    private void failed(IOException e) {
        String reason = e.getMessage() != null ? e.getMessage() : e.toString();
        boolean first = writeError == null;
        writeError = reason;
        try {
            channel.truncate(fileSize);
            channel.position(fileSize);
        } catch (IOException t) {
            // the part written stays; the loader cuts a torn end (aof-load-truncated)
        }
        long now = System.currentTimeMillis();
        if (first || now - lastErrorLog > ERROR_LOG_INTERVAL_MS) {
            lastErrorLog = now;
            LOG.warn("Error writing to the AOF file: {}", reason);
        }
    }

    @Override
    public void awaitDurable(long position) {
        if (!isDurable(position)) {
            syncTo(position);
        }
    }

    @Override
    public boolean isDurable(long position) {
        // a failing file promises nothing more: writes are refused (MISCONF) until it works again
        return !owner.syncAlways() || synced >= position || writeError != null;
    }

    /** Syncs what was written, unless a sync already covered {@code position}. */
    private void syncTo(long position) {
        synchronized (syncLock) {
            if (synced >= position) {
                return;
            }
            long target = written;
            try {
                channel.force(false);
                synced = target;
            } catch (IOException e) {
                failed(e);
            }
        }
    }

    /** appendfsync everysec: syncs when something was written since the last sync. */
    void syncIfBehind() {
        long w = written;
        if (synced < w) {
            syncTo(w);
        }
    }

    /** Switches to the next incremental file where a rewrite's snapshot was taken. */
    @Override
    public void marker(Object marker) {
        if (!(marker instanceof AppendOnly.Switch)) {
            return;
        }
        AppendOnly.Switch s = (AppendOnly.Switch) marker;
        flush();
        FileChannel old = channel;
        synchronized (syncLock) {
            try {
                old.force(false);
            } catch (IOException e) {
                failed(e);
            }
            synced = written;
            channel = s.channel;
            fileSize = 0;
        }
        try {
            old.close();
        } catch (IOException e) {
            // closing a synced file
        }
    }

    String writeError() {
        return writeError;
    }

    /** Bytes appended but not yet written (INFO aof_buffer_length). */
    int pending() {
        return len;
    }

    /** Flushes, syncs and closes (shutdown, appendonly no). */
    void close() {
        flush();
        synchronized (syncLock) {
            try {
                channel.force(false);
                synced = written;
                channel.close();
            } catch (IOException e) {
                LOG.warn("Error closing the AOF file: {}", e.getMessage());
            }
        }
    }
}
