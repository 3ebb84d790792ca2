package io.cachalot.core.debug;

import io.cachalot.core.keyspace.Database;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.Keyspace;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.types.hash.HashValue;
import io.cachalot.core.types.set.SetValue;
import io.cachalot.core.types.zset.ZSetValue;
import io.cachalot.core.util.Doubles;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * DEBUG DIGEST and DEBUG DIGEST-VALUE, computed as Redis computes them, so that the same dataset
 * gives the same 40-hex-digit signature in Redis and in Cachalot. Building blocks: "xor" XORs
 * the SHA-1 of some bytes into a 20-byte digest; "mix" does that and then replaces the digest by
 * its own SHA-1 (so mixing is order-dependent, xoring is not).
 */
public final class Digest {
    private static final byte[] EXPIRE_MARK = "!!expire!!".getBytes(StandardCharsets.US_ASCII);

    private final MessageDigest sha1;

    public Digest() {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void xor(byte[] digest, byte[] data) {
        xor(digest, data, 0, data.length);
    }

    private void xor(byte[] digest, byte[] data, int off, int len) {
        sha1.update(data, off, len);
        byte[] h = sha1.digest();
        for (int i = 0; i < 20; i++) {
            digest[i] ^= h[i];
        }
    }

    private void mix(byte[] digest, byte[] data) {
        mix(digest, data, 0, data.length);
    }

    private void mix(byte[] digest, byte[] data, int off, int len) {
        xor(digest, data, off, len);
        byte[] h = sha1.digest(digest);
        System.arraycopy(h, 0, digest, 0, 20);
    }

    /** XORs into {@code digest} the digest of the pair (mix a, then mix b), as hash fields and zset members. */
    private void xorPair(byte[] digest, byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
        byte[] ele = new byte[20];
        mix(ele, a, aOff, aLen);
        mix(ele, b, bOff, bLen);
        xor(digest, ele);
    }

    private static byte[] int32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** Mixes a value (its type, contents and whether it expires) into {@code digest}. */
    public void mixValue(byte[] digest, Entry e) {
        mix(digest, int32(e.type().redisCode()));
        if (e.isType(ValueType.STRING)) {
            mix(digest, e.bytes());
        } else if (e.isType(ValueType.LIST)) {
            io.cachalot.core.types.list.QuickList q = (io.cachalot.core.types.list.QuickList) e.value();
            if (q.size() > 0) {
                io.cachalot.core.types.list.QuickList.Cursor c = q.at(0);
                do {
                    mix(digest, c.bytes());
                } while (c.next());
            }
        } else if (e.isType(ValueType.HASH)) {
            HashValue.Cursor c = ((HashValue) e.value()).cursor();
            while (c.next()) {
                xorPair(digest, c.fieldArray(), c.fieldOffset(), c.fieldLength(),
                        c.valueArray(), c.valueOffset(), c.valueLength());
            }
        } else if (e.isType(ValueType.SET)) {
            SetValue.Cursor c = ((SetValue) e.value()).cursor();
            while (c.next()) {
                xor(digest, c.array(), 0, c.length());
            }
        } else if (e.isType(ValueType.ZSET)) {
            ZSetValue z = (ZSetValue) e.value();
            if (z.size() > 0) {
                ZSetValue.Cursor c = z.cursor();
                c.seek(0);
                do {
                    byte[] score = Doubles.format17gBytes(c.score());
                    xorPair(digest, c.memberArray(), c.memberOffset(), c.memberLength(), score, 0, score.length);
                } while (c.next());
            }
        } else if (e.isType(ValueType.STREAM)) {
            // entries mixed one after the other, id as "ms.seq" (consumer groups are not part of it)
            io.cachalot.core.types.stream.StreamValue.Cursor c =
                    ((io.cachalot.core.types.stream.StreamValue) e.value()).cursor(0, 0, -1L, -1L, false);
            while (c.next()) {
                mix(digest, (Long.toUnsignedString(c.ms()) + "." + Long.toUnsignedString(c.seq()))
                        .getBytes(StandardCharsets.US_ASCII));
                io.cachalot.core.types.listpack.Listpack lp = c.listpack();
                for (int i = 0; i < c.fieldCount(); i++) {
                    mix(digest, lp.bytesAt(c.fieldAt()));
                    mix(digest, lp.bytesAt(c.valueAt()));
                    c.advanceField();
                }
            }
        } else if (e.isType(ValueType.OBJECT)) {
            // A Java object by reference has no byte form; its presence (type and key) is mixed in.
        } else {
            throw new UnsupportedOperationException("digest of type " + e.type().typeName());
        }
        if (e.hasExpiry()) {
            xor(digest, EXPIRE_MARK);
        }
    }

    /**
     * The digest of the whole dataset. The caller must keep the keyspace still (lock it) so that
     * the signature describes one state.
     */
    public byte[] dataset(Keyspace ks) {
        byte[] fin = new byte[20];
        for (int d = 0; d < ks.databaseCount(); d++) {
            Database db = ks.db(d);
            if (db.size() == 0) {
                continue;
            }
            mix(fin, int32(d));
            for (int s = 0; s < db.segmentCount(); s++) {
                db.segmentAt(s).forEach(e -> {
                    byte[] kv = new byte[20];
                    mix(kv, e.key());
                    mixValue(kv, e);
                    xor(fin, kv);
                });
            }
        }
        return fin;
    }

    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
