package io.cachalot.core.persist.rdb;

import io.cachalot.core.config.Settings;
import io.cachalot.core.keyspace.Database;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.Keyspace;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.Snapshot;
import io.cachalot.core.util.Bytes;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A whole RDB file, as Redis 7.0 writes it: {@code REDIS0010}, the aux fields (redis-ver,
 * redis-bits, ctime, used-mem, aof-base), the function libraries' code, then per non-empty database SELECTDB and RESIZEDB, each
 * key with its expiry and, under an LRU or LFU policy, its idle time or frequency; EOF and the
 * CRC-64 of everything before (0 without rdbchecksum). Reading accepts RDB 1 to 11 files without
 * modules.
 */
public final class RdbFile {
    public static final int OPCODE_FUNCTION2 = 245;
    public static final int OPCODE_FUNCTION = 246;
    public static final int OPCODE_MODULE_AUX = 247;
    public static final int OPCODE_IDLE = 248;
    public static final int OPCODE_FREQ = 249;
    public static final int OPCODE_AUX = 250;
    public static final int OPCODE_RESIZEDB = 251;
    public static final int OPCODE_EXPIRETIME_MS = 252;
    public static final int OPCODE_EXPIRETIME = 253;
    public static final int OPCODE_SELECTDB = 254;
    public static final int OPCODE_EOF = 255;
    /** The highest file version read: Redis 7.2's. */
    public static final int MAX_READ_VERSION = 11;

    private RdbFile() {
    }

    /** What a load found. */
    public record LoadResult(long keysLoaded, long expiredSkipped, int version, java.util.List<byte[]> functions) {
    }

    /**
     * Writes the snapshot to {@code out} (not closed). {@code usedMemory} goes to the used-mem aux
     * field. Returns the number of keys written.
     */
    public static long write(Snapshot snapshot, Keyspace keyspace, Settings settings, long usedMemory,
                             boolean checksum, OutputStream out) throws Exception {
        return write(snapshot, java.util.List.of(), keyspace, settings, usedMemory, checksum, false, out);
    }

    /**
     * {@link #write} with the function libraries' code ({@code functions}, written after the aux
     * fields as Redis 7.0 does), as the base of an AOF when {@code aofBase} (the aof-base aux
     * field says so).
     */
    public static long write(Snapshot snapshot, java.util.List<byte[]> functions, Keyspace keyspace,
                             Settings settings, long usedMemory, boolean checksum, boolean aofBase, OutputStream out)
            throws Exception {
        RdbOutput o = new RdbOutput(out, settings.rdbCompression.value());
        o.writeBytes(Bytes.ascii("REDIS0010"), 0, 9);
        aux(o, "redis-ver", "7.0.15");
        aux(o, "redis-bits", "64");
        aux(o, "ctime", Long.toString(System.currentTimeMillis() / 1000));
        aux(o, "used-mem", Long.toString(usedMemory));
        aux(o, "aof-base", aofBase ? "1" : "0");
        for (byte[] code : functions) {
            o.writeByte(OPCODE_FUNCTION2);
            o.writeString(code);
        }
        boolean lru = settings.lruPolicy();
        boolean lfu = settings.lfuPolicy();
        long now = System.currentTimeMillis();
        long[] keys = {0};
        int[] currentDb = {-1};
        snapshot.forEach((db, e) -> {
            if (!RdbValues.hasRdbForm(e.type())) {
                return; // a by-reference cache's objects are not persisted
            }
            if (db != currentDb[0]) {
                currentDb[0] = db;
                Database d = keyspace.db(db);
                o.writeByte(OPCODE_SELECTDB);
                o.writeLength(db);
                // the sizes when the file is written: a hint for the loader's tables, as in Redis
                o.writeByte(OPCODE_RESIZEDB);
                o.writeLength(d.size());
                o.writeLength(d.volatileSize());
            }
            if (e.hasExpiry()) {
                o.writeByte(OPCODE_EXPIRETIME_MS);
                o.writeLittleEndian(e.expireAt(), 8);
            }
            if (lru) {
                o.writeByte(OPCODE_IDLE);
                o.writeLength(keyspace.idleMillis(e, now) / 1000);
            } else if (lfu) {
                o.writeByte(OPCODE_FREQ);
                o.writeByte(keyspace.lfuDecrAndReturn(e, now));
            }
            RdbValues.write(o, e.type(), e.value(), settings, e.key());
            keys[0]++;
        });
        o.writeByte(OPCODE_EOF);
        o.writeLittleEndian(checksum ? o.crc() : 0, 8);
        o.flush();
        return keys[0];
    }

    private static void aux(RdbOutput o, String key, String value) {
        o.writeByte(OPCODE_AUX);
        o.writeString(Bytes.ascii(key));
        o.writeString(Bytes.ascii(value));
    }

    /**
     * Loads a file into {@code keyspace}, which the caller has emptied and which nothing else uses
     * meanwhile. Keys already expired at {@code now} are skipped, as a master does.
     */
    public static LoadResult load(InputStream source, Keyspace keyspace, Settings settings, long now)
            throws RdbFormatException {
        return load(source, keyspace, settings, now, false);
    }

    /** {@link #load}; with {@code merge}, a key already present is replaced (DEBUG RELOAD MERGE) instead of an error. */
    public static LoadResult load(InputStream source, Keyspace keyspace, Settings settings, long now, boolean merge)
            throws RdbFormatException {
        return load(source, Long.MAX_VALUE, keyspace, settings, now, merge);
    }

    /** {@link #load} of a stream of {@code size} bytes (no string may claim more). */
    public static LoadResult load(InputStream source, long size, Keyspace keyspace, Settings settings, long now,
                                  boolean merge) throws RdbFormatException {
        RdbInput in = new RdbInput(source, size);
        byte[] magic = new byte[9];
        for (int i = 0; i < 9; i++) {
            magic[i] = (byte) in.readByte();
        }
        String head = new String(magic, StandardCharsets.US_ASCII);
        if (!head.startsWith("REDIS")) {
            throw new RdbFormatException("Wrong signature trying to load DB from file");
        }
        int version;
        try {
            version = Integer.parseInt(head.substring(5));
        } catch (NumberFormatException e) {
            throw new RdbFormatException("Can't handle RDB format version " + head.substring(5));
        }
        if (version < 1 || version > MAX_READ_VERSION) {
            throw new RdbFormatException("Can't handle RDB format version " + version);
        }
        int db = 0;
        long expireAt = Entry.NO_EXPIRY;
        long idle = -1;
        long freq = -1;
        long loaded = 0;
        long skipped = 0;
        java.util.List<byte[]> functions = new java.util.ArrayList<>();
        while (true) {
            int type = in.readByte();
            switch (type) {
                case OPCODE_EXPIRETIME_MS:
                    expireAt = in.readLittleEndian(8);
                    continue;
                case OPCODE_EXPIRETIME:
                    expireAt = in.readLittleEndian(4) * 1000;
                    continue;
                case OPCODE_IDLE:
                    idle = in.readLength();
                    continue;
                case OPCODE_FREQ:
                    freq = in.readByte();
                    continue;
                case OPCODE_SELECTDB: {
                    long d = in.readLength();
                    if (d >= keyspace.databaseCount()) {
                        throw new RdbFormatException("FATAL: Data file was created with a Redis server configured to "
                                + "handle more than " + keyspace.databaseCount() + " databases. Exiting\n");
                    }
                    db = (int) d;
                    continue;
                }
                case OPCODE_RESIZEDB:
                    in.readLength();
                    in.readLength();
                    continue;
                case OPCODE_AUX:
                    in.readString();
                    in.readString();
                    continue;
                case OPCODE_MODULE_AUX:
                    throw new RdbFormatException("The RDB file contains module AUX data, which Cachalot cannot load");
                case OPCODE_FUNCTION2:
                    functions.add(in.readString());
                    continue;
                case OPCODE_FUNCTION:
                    throw new RdbFormatException("The RDB file holds functions in the format of Redis 7.0 release "
                            + "candidates (opcode 246), which Cachalot does not read");
                case OPCODE_EOF: {
                    if (version >= 5) {
                        long computed = in.crc();
                        long stored = in.readLittleEndian(8);
                        if (stored != 0 && stored != computed) {
                            throw new RdbFormatException("Wrong RDB checksum");
                        }
                    }
                    return new LoadResult(loaded, skipped, version, functions);
                }
                default:
                    break;
            }
            byte[] key = in.readString();
            RdbValues.Loaded v = RdbValues.readValue(type, in, settings);
            if (expireAt != Entry.NO_EXPIRY && expireAt < now) {
                skipped++;
            } else {
                int h = Bytes.hash(key);
                try (Segment seg = keyspace.db(db).lock(h)) {
                    Entry old = seg.find(key, h);
                    if (old != null) {
                        if (!merge) {
                            throw new RdbFormatException("Duplicate key found in RDB file");
                        }
                        seg.remove(old);
                    }
                    Entry e = seg.insert(key, h, v.value(), v.type(), v.encoding());
                    if (expireAt != Entry.NO_EXPIRY) {
                        seg.setExpireAt(e, expireAt);
                    }
                    keyspace.setAccess(e, now, idle, freq);
                }
                loaded++;
            }
            expireAt = Entry.NO_EXPIRY;
            idle = -1;
            freq = -1;
        }
    }
}
