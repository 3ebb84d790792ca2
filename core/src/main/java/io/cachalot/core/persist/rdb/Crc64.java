package io.cachalot.core.persist.rdb;

/**
 * The CRC-64 Redis puts at the end of RDB files and DUMP payloads: the Jones polynomial
 * ({@code 0xad93d23594c935a9}), reflected input and output, initial value 0, no final xor. Check
 * value: {@code "123456789"} gives {@code 0xe9c6d914c4b8d9ca}.
 */
public final class Crc64 {
    /** The polynomial, bit-reversed for the reflected (least significant bit first) algorithm. */
    private static final long POLY_REFLECTED = Long.reverse(0xad93d23594c935a9L);
    private static final long[] TABLE = new long[256];

    static {
        for (int b = 0; b < 256; b++) {
            long crc = b;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY_REFLECTED : crc >>> 1;
            }
            TABLE[b] = crc;
        }
    }

    private Crc64() {
    }

    /** Continues {@code crc} over {@code b[off, off + len)}. */
    public static long update(long crc, byte[] b, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            crc = TABLE[(int) ((crc ^ b[i]) & 0xff)] ^ (crc >>> 8);
        }
        return crc;
    }
}
