package io.cachalot.core.persist.rdb;

import java.nio.charset.StandardCharsets;

/** Reads RDB's encodings from a byte array; anything truncated or malformed is an {@link RdbFormatException}. */
public final class RdbInput {
    private byte[] buf;
    private int pos;
    private int end;
    /** Where more bytes come from (null: the array is all there is). */
    private final java.io.InputStream source;
    /** Bytes of buf before this index are already in {@link #crc}. */
    private int crcFrom;
    private long crc;

    public RdbInput(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
        this.crcFrom = off;
        this.source = null;
    }

    /** Reads from a stream (an RDB file), keeping the CRC-64 of what was consumed. */
    public RdbInput(java.io.InputStream source) {
        this(source, Long.MAX_VALUE);
    }

    /** {@link #RdbInput(java.io.InputStream)} of a stream of {@code size} bytes: no string may claim more. */
    public RdbInput(java.io.InputStream source, long size) {
        this.buf = new byte[64 * 1024];
        this.source = source;
        this.size = size;
    }

    /** The stream's size when known (a string longer than it is malformed, and is not allocated). */
    private long size = Long.MAX_VALUE;
    /** Bytes consumed from the stream before the current buffer. */
    private long consumedBefore;

    public int position() {
        return pos;
    }

    /** The CRC-64 of every byte consumed so far. */
    public long crc() {
        crc = Crc64.update(crc, buf, crcFrom, pos - crcFrom);
        crcFrom = pos;
        return crc;
    }

    public boolean atEnd() throws RdbFormatException {
        return end - pos == 0 && !fill(1);
    }

    private void need(int n) throws RdbFormatException {
        if (n < 0 || (end - pos < n && !fill(n))) {
            throw new RdbFormatException("unexpected end of RDB data");
        }
    }

    /** Makes {@code n} bytes available from the stream, if it has them. */
    private boolean fill(int n) throws RdbFormatException {
        if (source == null) {
            return false;
        }
        crc();
        int have = end - pos;
        if (n > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(n, buf.length << 1));
        }
        System.arraycopy(buf, pos, buf, 0, have);
        consumedBefore += pos;
        pos = 0;
        crcFrom = 0;
        end = have;
        try {
            while (end < n) {
                int r = source.read(buf, end, buf.length - end);
                if (r < 0) {
                    return false;
                }
                end += r;
            }
        } catch (java.io.IOException e) {
            throw new RdbFormatException("read failed: " + e.getMessage());
        }
        return true;
    }

    /** {@code len} bytes as a new array (large ones straight from the stream, not through the buffer). */
    private byte[] readBytes(int len) throws RdbFormatException {
        if (len < 0) {
            throw new RdbFormatException("negative length");
        }
        if (source == null || len <= buf.length / 2) {
            need(len);
            byte[] s = java.util.Arrays.copyOfRange(buf, pos, pos + len);
            pos += len;
            return s;
        }
        crc();
        if (consumedBefore + pos + (long) len > size) {
            throw new RdbFormatException("string of " + len + " bytes past the end of the file");
        }
        byte[] s = new byte[len];
        int have = Math.min(end - pos, len);
        System.arraycopy(buf, pos, s, 0, have);
        pos += have;
        crcFrom = pos;
        try {
            int got = have;
            while (got < len) {
                int r = source.read(s, got, len - got);
                if (r < 0) {
                    throw new RdbFormatException("unexpected end of RDB data");
                }
                got += r;
            }
        } catch (java.io.IOException e) {
            throw new RdbFormatException("read failed: " + e.getMessage());
        }
        // the whole string: its first bytes came from the buffer after crc() had run
        crc = Crc64.update(crc, s, 0, len);
        consumedBefore += len - have;
        return s;
    }

    public int readByte() throws RdbFormatException {
        need(1);
        return buf[pos++] & 0xff;
    }

    public long readLittleEndian(int n) throws RdbFormatException {
        need(n);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) (buf[pos++] & 0xff) << (8 * i);
        }
        return v;
    }

    /** {@code n} bytes as a big-endian number (stream ids' raw form). */
    public long readBigEndian(int n) throws RdbFormatException {
        need(n);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (buf[pos++] & 0xff);
        }
        return v;
    }

    /** A length (rdbLoadLen); a special string encoding here is a format error. */
    public long readLength() throws RdbFormatException {
        long v = readUnsignedLength();
        if (v < 0) {
            throw new RdbFormatException("length out of range");
        }
        return v;
    }

    /** A 64-bit unsigned number in the length encoding (stream ids), as a long's bits. */
    public long readUnsignedLength() throws RdbFormatException {
        int b = readByte();
        switch (b >>> 6) {
            case 0:
                return b & 0x3f;
            case 1:
                return ((long) (b & 0x3f) << 8) | readByte();
            case 2:
                if (b == 0x80) {
                    return readBigEndian(4);
                }
                if (b == 0x81) {
                    return readBigEndian(8);
                }
                throw new RdbFormatException("unknown length encoding " + b);
            default:
                throw new RdbFormatException("an encoded value where a length belongs");
        }
    }

    /** A length that must fit an array. */
    public int readCount() throws RdbFormatException {
        long n = readLength();
        if (n > Integer.MAX_VALUE - 16) {
            throw new RdbFormatException("length " + n + " too large");
        }
        return (int) n;
    }

    /** A string (rdbGenericLoadStringObject): plain, integer-encoded or LZF-compressed. */
    public byte[] readString() throws RdbFormatException {
        int b = readByte();
        if ((b >>> 6) == 3) {
            switch (b & 0x3f) {
                case 0:
                    return ascii((byte) readLittleEndian(1));
                case 1:
                    return ascii((short) readLittleEndian(2));
                case 2:
                    return ascii((int) readLittleEndian(4));
                case 3: {
                    int clen = readCount();
                    int len = readCount();
                    // a back reference of 2-3 bytes yields at most 264: a larger claim is a lie, and
                    // believing it would allocate what a small payload never holds
                    if ((long) len > (long) clen * 132 + 32) {
                        throw new RdbFormatException("LZF length " + len + " impossible for " + clen + " bytes");
                    }
                    return Lzf.decompress(readBytes(clen), len);
                }
                default:
                    throw new RdbFormatException("unknown string encoding " + (b & 0x3f));
            }
        }
        pos--;
        return readBytes(readCount());
    }

    private static byte[] ascii(long v) {
        return io.cachalot.core.util.Numbers.toBytes(v);
    }

    /** rdbLoadBinaryDoubleValue. */
    public double readBinaryDouble() throws RdbFormatException {
        return Double.longBitsToDouble(readLittleEndian(8));
    }

    /** rdbLoadDoubleValue (the old ZSET type): a length byte then ASCII, 253 NaN, 254 +inf, 255 -inf. */
    public double readStringDouble() throws RdbFormatException {
        int len = readByte();
        switch (len) {
            case 253:
                return Double.NaN;
            case 254:
                return Double.POSITIVE_INFINITY;
            case 255:
                return Double.NEGATIVE_INFINITY;
            default:
                need(len);
                String s = new String(buf, pos, len, StandardCharsets.US_ASCII);
                pos += len;
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new RdbFormatException("bad double " + s);
                }
        }
    }
}
