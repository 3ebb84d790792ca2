package io.cachalot.core.types;

import io.cachalot.core.util.Bytes;

/** Internal representations of values, named as OBJECT ENCODING reports them. */
public enum Encoding {
    RAW("raw"),
    INT("int"),
    EMBSTR("embstr"),
    HASHTABLE("hashtable"),
    LISTPACK("listpack"),
    QUICKLIST("quicklist"),
    INTSET("intset"),
    SKIPLIST("skiplist"),
    STREAM("stream"),
    LISTPACKEX("listpackex");

    private static final Encoding[] VALUES = values();

    private final byte[] nameBytes;

    Encoding(String name) {
        this.nameBytes = Bytes.ascii(name);
    }

    /** The name as bytes (shared: do not modify). */
    public byte[] nameBytes() {
        return nameBytes;
    }

    public byte code() {
        return (byte) ordinal();
    }

    public static Encoding of(byte code) {
        return VALUES[code];
    }
}
