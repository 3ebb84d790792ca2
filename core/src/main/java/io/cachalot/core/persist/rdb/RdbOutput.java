package io.cachalot.core.persist.rdb;

import io.cachalot.core.util.Numbers;

import java.util.Arrays;

/**
 * Bytes in RDB's encodings (lengths, strings, doubles), written to a growable array, or streamed
 * to an output stream in blocks while their CRC-64 is kept (an RDB file).
 */
public final class RdbOutput {
    private static final int BLOCK = 64 * 1024;

    private byte[] buf;
    private int size;
    /** rdbcompression: strings over 20 bytes are LZF-compressed when that saves at least 4 bytes. */
    private final boolean compress;
    /** Where full blocks go (null: everything stays in the array). */
    private final java.io.OutputStream sink;
    private long crc;
    private long flushed;
    /** LZF's hash table, kept from one string to the next (allocating it per string cost more than compressing). */
    private int[] lzfTable;

    public RdbOutput(int capacity, boolean compress) {
        this.buf = new byte[Math.max(16, capacity)];
        this.compress = compress;
        this.sink = null;
    }

    /** Streams to {@code sink}; call {@link #flush} at the end. */
    public RdbOutput(java.io.OutputStream sink, boolean compress) {
        this.buf = new byte[BLOCK];
        this.compress = compress;
        this.sink = sink;
    }

    /** The CRC-64 of every byte written so far (streaming mode: flushed or not). */
    public long crc() {
        return Crc64.update(crc, buf, 0, size);
    }

    /** Bytes written so far, flushed or not. */
    public long written() {
        return flushed + size;
    }

    /** Sends the buffered bytes to the sink (streaming mode). */
    public void flush() {
        if (sink == null || size == 0) {
            return;
        }
        crc = Crc64.update(crc, buf, 0, size);
        try {
            sink.write(buf, 0, size);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        flushed += size;
        size = 0;
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
        if (sink != null && size + more > buf.length && size > 0) {
            flush();
        }
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length << 1, size + more));
        }
    }

    public void writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    public void writeBytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    /** A little-endian integer of {@code n} bytes. */
    public void writeLittleEndian(long v, int n) {
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[size++] = (byte) (v >>> (8 * i));
        }
    }

    /** rdbSaveLen: 6, 14, 32 or 64 bits, big-endian past the first byte. */
    public void writeLength(long len) {
        // unsigned: stream ids use the whole 64 bits
        if (len >= 0 && len < (1 << 6)) {
            writeByte((int) len);
        } else if (len >= 0 && len < (1 << 14)) {
            writeByte((int) ((len >>> 8) | 0x40));
            writeByte((int) (len & 0xff));
        } else if (len >= 0 && len <= 0xffffffffL) {
            writeByte(0x80);
            ensure(4);
            for (int i = 3; i >= 0; i--) {
                buf[size++] = (byte) (len >>> (8 * i));
            }
        } else {
            writeByte(0x81);
            ensure(8);
            for (int i = 7; i >= 0; i--) {
                buf[size++] = (byte) (len >>> (8 * i));
            }
        }
    }

    /**
     * rdbSaveRawString: a canonical decimal of up to 11 characters that fits 32 bits as an
     * integer encoding, else (with compression) LZF when it pays, else the length and the bytes.
     */
    public void writeString(byte[] s) {
        writeString(s, 0, s.length);
    }

    public void writeString(byte[] s, int off, int len) {
        if (len <= 11 && writeIntegerEncoded(s, off, len)) {
            return;
        }
        if (compress && len > 20) {
            byte[] in = off == 0 && len == s.length ? s : Arrays.copyOfRange(s, off, off + len);
            if (lzfTable == null) {
                lzfTable = Lzf.newTable();
            }
            byte[] c = Lzf.compress(in, len - 4, lzfTable);
            if (c != null) {
                writeByte(0xC3);
                writeLength(c.length);
                writeLength(len);
                writeBytes(c, 0, c.length);
                return;
            }
        }
        writeLength(len);
        writeBytes(s, off, len);
    }

    private boolean writeIntegerEncoded(byte[] s, int off, int len) {
        if (!Numbers.isLong(s, off, len)) {
            return false;
        }
        long v = Numbers.parseLong(s, off, len);
        if (v >= -(1 << 7) && v <= (1 << 7) - 1) {
            writeByte(0xC0);
            writeLittleEndian(v, 1);
        } else if (v >= -(1 << 15) && v <= (1 << 15) - 1) {
            writeByte(0xC1);
            writeLittleEndian(v, 2);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            writeByte(0xC2);
            writeLittleEndian(v, 4);
        } else {
            return false;
        }
        return true;
    }

    /** rdbSaveBinaryDoubleValue: the IEEE 754 bits, little-endian. */
    public void writeBinaryDouble(double d) {
        writeLittleEndian(Double.doubleToRawLongBits(d), 8);
    }
}
