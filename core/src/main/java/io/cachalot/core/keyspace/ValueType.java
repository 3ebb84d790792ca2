package io.cachalot.core.keyspace;

import io.cachalot.core.util.Bytes;

/** The Redis data types a key can hold, with the names TYPE and SCAN ... TYPE use. */
public enum ValueType {
    STRING("string", 0),
    LIST("list", 1),
    SET("set", 2),
    ZSET("zset", 3),
    HASH("hash", 4),
    STREAM("stream", 6),
    /**
     * A Java object held by reference (a store-by-reference JCache entry). Not a Redis type:
     * commands other than key commands answer WRONGTYPE; DEBUG DIGEST mixes only its presence.
     */
    OBJECT("jcache-object", 100);

    private static final ValueType[] VALUES = values();

    private final String typeName;
    private final byte[] typeNameBytes;
    private final int redisCode;

    ValueType(String typeName, int redisCode) {
        this.typeName = typeName;
        this.typeNameBytes = Bytes.ascii(typeName);
        this.redisCode = redisCode;
    }

    /** Redis' OBJ_* type number (DEBUG DIGEST mixes it in; RDB uses its own numbering). */
    public int redisCode() {
        return redisCode;
    }

    public String typeName() {
        return typeName;
    }

    /** The type name as bytes (shared: do not modify). */
    public byte[] typeNameBytes() {
        return typeNameBytes;
    }

    public byte code() {
        return (byte) ordinal();
    }

    public static ValueType of(byte code) {
        return VALUES[code];
    }

    /** The type with this name, ignoring case, or null. */
    public static ValueType byName(byte[] name) {
        for (ValueType t : VALUES) {
            if (Bytes.equalsIgnoreCase(name, t.typeName)) {
                return t;
            }
        }
        return null;
    }
}
