package io.cachalot.core.persist.rdb;

import io.cachalot.core.config.Settings;
import io.cachalot.core.keyspace.ValueType;

/**
 * DUMP's serialized value, as Redis makes it: the value in RDB form (type byte and object), the
 * RDB version (2 bytes, little-endian) and the CRC-64 of everything before (8 bytes,
 * little-endian). RESTORE accepts versions up to its own ({@link #RDB_VERSION}, Redis 7.0's).
 */
public final class DumpPayload {
    /** The RDB version Redis 7.0 writes and the highest whose payloads RESTORE accepts. */
    public static final int RDB_VERSION = 10;

    /** The payload's footer is not this version's or its checksum does not match. */
    public static final class BadFooterException extends Exception {
        BadFooterException() {
            super(null, null, false, false);
        }
    }

    private DumpPayload() {
    }

    public static byte[] create(ValueType type, Object value, Settings settings) {
        RdbOutput out = new RdbOutput(64, settings.rdbCompression.value());
        RdbValues.write(out, type, value, settings);
        out.writeLittleEndian(RDB_VERSION, 2);
        byte[] head = out.toByteArray();
        long crc = Crc64.update(0, head, 0, head.length);
        out.writeLittleEndian(crc, 8);
        return out.toByteArray();
    }

    /**
     * The value of a payload (verifyDumpPayload, then rdbLoadObject). {@code checkCrc} false skips
     * the checksum (Redis' skip-checksum-validation).
     */
    public static RdbValues.Loaded read(byte[] payload, Settings settings, boolean checkCrc)
            throws BadFooterException, RdbFormatException {
        int len = payload.length;
        if (len < 10) {
            throw new BadFooterException();
        }
        int version = (payload[len - 10] & 0xff) | ((payload[len - 9] & 0xff) << 8);
        if (version > RDB_VERSION) {
            throw new BadFooterException();
        }
        if (checkCrc) {
            long crc = Crc64.update(0, payload, 0, len - 8);
            long stored = 0;
            for (int i = 0; i < 8; i++) {
                stored |= (long) (payload[len - 8 + i] & 0xff) << (8 * i);
            }
            if (crc != stored) {
                throw new BadFooterException();
            }
        }
        return RdbValues.read(new RdbInput(payload, 0, len - 10), settings);
    }

    /** RDB_OPCODE_FUNCTION2: a library's code (Redis 7.0). */
    public static final int OPCODE_FUNCTION2 = 245;

    /** FUNCTION DUMP: every library's code as an RDB function record, then the version and CRC. */
    public static byte[] createFunctions(java.util.List<byte[]> codes, boolean compress) {
        RdbOutput out = new RdbOutput(256, compress);
        for (byte[] code : codes) {
            out.writeByte(OPCODE_FUNCTION2);
            out.writeString(code);
        }
        out.writeLittleEndian(RDB_VERSION, 2);
        byte[] head = out.toByteArray();
        long crc = Crc64.update(0, head, 0, head.length);
        out.writeLittleEndian(crc, 8);
        return out.toByteArray();
    }

    /**
     * FUNCTION RESTORE: the libraries' code in a payload. A record that is not a function fails
     * with "given type is not a function", as Redis answers.
     */
    public static java.util.List<byte[]> readFunctions(byte[] payload) throws BadFooterException, RdbFormatException {
        int len = payload.length;
        if (len < 10) {
            throw new BadFooterException();
        }
        int version = (payload[len - 10] & 0xff) | ((payload[len - 9] & 0xff) << 8);
        long crc = Crc64.update(0, payload, 0, len - 8);
        long stored = 0;
        for (int i = 0; i < 8; i++) {
            stored |= (long) (payload[len - 8 + i] & 0xff) << (8 * i);
        }
        if (version > RDB_VERSION || crc != stored) {
            throw new BadFooterException();
        }
        RdbInput in = new RdbInput(payload, 0, len - 10);
        java.util.List<byte[]> codes = new java.util.ArrayList<>();
        while (in.position() < len - 10) {
            int type = in.readByte();
            if (type != OPCODE_FUNCTION2) {
                throw new RdbFormatException("given type is not a function");
            }
            codes.add(in.readString());
        }
        return codes;
    }
}
