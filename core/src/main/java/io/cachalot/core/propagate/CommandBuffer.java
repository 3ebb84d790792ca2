package io.cachalot.core.propagate;

import java.util.Arrays;

/** A growable byte array of commands in RESP form, as an AOF or a replication stream holds them. */
public final class CommandBuffer {
    private byte[] buf;
    private int len;

    public CommandBuffer(int capacity) {
        buf = new byte[Math.max(capacity, 16)];
    }

    public byte[] array() {
        return buf;
    }

    public int length() {
        return len;
    }

    /** A copy of the bytes held. */
    public byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }

    public void clear() {
        len = 0;
    }

    /** Appends {@code argc} arguments of {@code argv} as one command (a RESP array of bulk strings). */
    public CommandBuffer command(byte[][] argv, int argc) {
        header('*', argc);
        for (int i = 0; i < argc; i++) {
            bulk(argv[i], 0, argv[i].length);
        }
        return this;
    }

    public CommandBuffer command(byte[]... argv) {
        return command(argv, argv.length);
    }

    /** Starts a command of {@code argc} arguments; the caller appends them with {@link #bulk}. */
    public CommandBuffer header(char type, long n) {
        ensure(24);
        buf[len++] = (byte) type;
        digits(n);
        buf[len++] = '\r';
        buf[len++] = '\n';
        return this;
    }

    public CommandBuffer bulk(byte[] b, int off, int n) {
        header('$', n);
        ensure(n + 2);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        buf[len++] = '\r';
        buf[len++] = '\n';
        return this;
    }

    public CommandBuffer bulk(byte[] b) {
        return bulk(b, 0, b.length);
    }

    /** A number as a bulk string (its decimal digits). */
    public CommandBuffer bulk(long v) {
        byte[] d = io.cachalot.core.util.Numbers.toBytes(v);
        return bulk(d, 0, d.length);
    }

    public void append(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    private void digits(long n) {
        if (n < 0) {
            buf[len++] = '-';
            n = -n;
        }
        int start = len;
        do {
            buf[len++] = (byte) ('0' + n % 10);
            n /= 10;
        } while (n != 0);
        for (int i = start, j = len - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length << 1, len + n));
        }
    }
}
