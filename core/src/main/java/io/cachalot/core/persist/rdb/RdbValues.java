package io.cachalot.core.persist.rdb;

import io.cachalot.core.config.Settings;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.types.Encoding;
import io.cachalot.core.types.hash.HashValue;
import io.cachalot.core.types.list.QuickList;
import io.cachalot.core.types.set.SetValue;
import io.cachalot.core.types.string.StringEncoding;
import io.cachalot.core.types.zset.ZSetValue;

import java.util.Arrays;
import java.util.List;

/**
 * One value in RDB's encoding, as Redis 7.0 writes it (type byte, then the object) and as Redis
 * 6.0 to 7.2 wrote it (every type code of RDB 9 to 11 is read). The one place a type's RDB form
 * lives: DUMP/RESTORE use it, and RDB files will. A new type adds a case to {@link #write} and
 * to {@link #read}.
 *
 * <p>Written encodings: strings as rdbSaveRawString; lists as quicklist 2 (listpack nodes);
 * sets as intset or plain; hashes and sorted sets as listpack or plain (binary double scores).
 * Hash fields' own TTLs (Redis 7.4) have no RDB 10 form: the fields are written without them.
 */
public final class RdbValues {
    public static final int TYPE_STRING = 0;
    public static final int TYPE_LIST = 1;
    public static final int TYPE_SET = 2;
    public static final int TYPE_ZSET = 3;
    public static final int TYPE_HASH = 4;
    public static final int TYPE_ZSET_2 = 5;
    public static final int TYPE_HASH_ZIPMAP = 9;
    public static final int TYPE_LIST_ZIPLIST = 10;
    public static final int TYPE_SET_INTSET = 11;
    public static final int TYPE_ZSET_ZIPLIST = 12;
    public static final int TYPE_HASH_ZIPLIST = 13;
    public static final int TYPE_LIST_QUICKLIST = 14;
    public static final int TYPE_HASH_LISTPACK = 16;
    public static final int TYPE_ZSET_LISTPACK = 17;
    public static final int TYPE_LIST_QUICKLIST_2 = 18;
    public static final int TYPE_SET_LISTPACK = 20;
    public static final int TYPE_STREAM_LISTPACKS = 15;
    public static final int TYPE_STREAM_LISTPACKS_2 = 19;

    private static final int QUICKLIST_NODE_PLAIN = 1;
    private static final int QUICKLIST_NODE_PACKED = 2;

    /**
     * Whether a value of {@code type} has an RDB form: not a by-reference JCache cache's
     * application objects, which live only in the JVM that holds them.
     */
    public static boolean hasRdbForm(ValueType type) {
        return type != ValueType.OBJECT;
    }

    /** A value read back, with the encoding Redis would give it under the current settings. */
    public record Loaded(ValueType type, Object value, Encoding encoding) {
    }

    private RdbValues() {
    }

    // ------------------------------------------------------------------ writing

    /** Writes the type byte and the value (rdbSaveObjectType + rdbSaveObject), as in a DUMP payload. */
    public static void write(RdbOutput out, ValueType type, Object value, Settings settings) {
        write(out, type, value, settings, null);
    }

    /** Writes the type byte, {@code key} when not null (an RDB file's key), and the value. */
    public static void write(RdbOutput out, ValueType type, Object value, Settings settings, byte[] key) {
        switch (type) {
            case STRING:
                typeAndKey(out, TYPE_STRING, key);
                out.writeString(value instanceof io.cachalot.core.types.InPlaceString
                        ? ((io.cachalot.core.types.InPlaceString) value).toBytes() : (byte[]) value);
                break;
            case LIST:
                writeList(out, (QuickList) value, settings.listMaxListpackSize.intValue(), key);
                break;
            case SET:
                writeSet(out, (SetValue) value, key);
                break;
            case HASH:
                writeHash(out, (HashValue) value, key);
                break;
            case ZSET:
                writeZset(out, (ZSetValue) value, key);
                break;
            case STREAM:
                typeAndKey(out, TYPE_STREAM_LISTPACKS_2, key);
                RdbStreams.write(out, (io.cachalot.core.types.stream.StreamValue) value);
                break;
            default:
                throw new IllegalArgumentException("no RDB form for " + type);
        }
    }

    private static void typeAndKey(RdbOutput out, int type, byte[] key) {
        out.writeByte(type);
        if (key != null) {
            out.writeString(key);
        }
    }

    private static void writeList(RdbOutput out, QuickList q, int fill, byte[] key) {
        typeAndKey(out, TYPE_LIST_QUICKLIST_2, key);
        // nodes as Redis fills them: a count of elements (fill > 0) or a size in bytes (-1: 4 KB … -5: 64 KB)
        long maxBytes = fill < 0 ? 4096L << Math.min(4, -fill - 1) : 8192;
        int maxCount = fill > 0 ? fill : Integer.MAX_VALUE;
        java.util.ArrayList<byte[]> nodes = new java.util.ArrayList<>();
        Packed.ListpackWriter node = null;
        int inNode = 0;
        long nodeBytes = 0;
        QuickList.Cursor c = q.at(0);
        do {
            int len = c.length();
            if (node != null && (inNode >= maxCount || nodeBytes + len + 11 > maxBytes)) {
                nodes.add(node.toByteArray());
                node = null;
            }
            if (node == null) {
                node = new Packed.ListpackWriter();
                inNode = 0;
                nodeBytes = 7;
            }
            node.add(c.array(), c.offset(), len);
            inNode++;
            nodeBytes += len + 11;
        } while (c.next());
        nodes.add(node.toByteArray());
        out.writeLength(nodes.size());
        for (byte[] lp : nodes) {
            out.writeLength(QUICKLIST_NODE_PACKED);
            out.writeString(lp);
        }
    }

    private static void writeSet(RdbOutput out, SetValue s, byte[] key) {
        SetValue.Cursor c = s.cursor();
        if (s.isIntset()) {
            long[] values = new long[s.size()];
            int i = 0;
            while (c.next()) {
                values[i++] = io.cachalot.core.util.Numbers.parseLong(c.array(), 0, c.length());
            }
            Arrays.sort(values);
            typeAndKey(out, TYPE_SET_INTSET, key);
            out.writeString(Packed.writeIntset(values));
            return;
        }
        typeAndKey(out, TYPE_SET, key);
        out.writeLength(s.size());
        while (c.next()) {
            out.writeString(c.array(), 0, c.length());
        }
    }

    private static void writeHash(RdbOutput out, HashValue h, byte[] key) {
        HashValue.Cursor c = h.cursor();
        if (h.isPacked()) {
            Packed.ListpackWriter lp = new Packed.ListpackWriter();
            while (c.next()) {
                lp.add(c.fieldArray(), c.fieldOffset(), c.fieldLength());
                lp.add(c.valueArray(), c.valueOffset(), c.valueLength());
            }
            typeAndKey(out, TYPE_HASH_LISTPACK, key);
            out.writeString(lp.toByteArray());
            return;
        }
        typeAndKey(out, TYPE_HASH, key);
        out.writeLength(h.size());
        while (c.next()) {
            out.writeString(c.fieldArray(), c.fieldOffset(), c.fieldLength());
            out.writeString(c.valueArray(), c.valueOffset(), c.valueLength());
        }
    }

    private static void writeZset(RdbOutput out, ZSetValue z, byte[] key) {
        ZSetValue.Cursor c = z.cursor();
        if (z.isPacked()) {
            Packed.ListpackWriter lp = new Packed.ListpackWriter();
            if (z.size() > 0) {
                c.seek(0);
                do {
                    lp.add(c.memberArray(), c.memberOffset(), c.memberLength());
                    lp.add(io.cachalot.core.util.Doubles.format17gBytes(c.score()));
                } while (c.next());
            }
            typeAndKey(out, TYPE_ZSET_LISTPACK, key);
            out.writeString(lp.toByteArray());
            return;
        }
        typeAndKey(out, TYPE_ZSET_2, key);
        out.writeLength(z.size());
        // from the greatest to the smallest, as Redis: each insert on load then lands at the head
        c.seek(z.size() - 1);
        do {
            out.writeString(c.memberArray(), c.memberOffset(), c.memberLength());
            out.writeBinaryDouble(c.score());
        } while (c.prev());
    }

    // ------------------------------------------------------------------ reading

    /** Reads the type byte and the value that follows (rdbLoadObjectType + rdbLoadObject). */
    public static Loaded read(RdbInput in, Settings settings) throws RdbFormatException {
        return readValue(in.readByte(), in, settings);
    }

    /** Reads a value of RDB type {@code type} (whose byte, and in a file the key, were read already). */
    public static Loaded readValue(int type, RdbInput in, Settings settings) throws RdbFormatException {
        switch (type) {
            case TYPE_STRING: {
                byte[] s = in.readString();
                return new Loaded(ValueType.STRING, s, StringEncoding.of(s));
            }
            case TYPE_LIST:
                return list(strings(in, in.readCount()), settings);
            case TYPE_LIST_ZIPLIST:
                return list(Packed.readZiplist(in.readString()), settings);
            case TYPE_LIST_QUICKLIST:
            case TYPE_LIST_QUICKLIST_2: {
                int nodes = in.readCount();
                java.util.ArrayList<byte[]> all = new java.util.ArrayList<>();
                for (int i = 0; i < nodes; i++) {
                    int container = type == TYPE_LIST_QUICKLIST ? QUICKLIST_NODE_PACKED : in.readCount();
                    byte[] blob = in.readString();
                    if (container == QUICKLIST_NODE_PLAIN && type == TYPE_LIST_QUICKLIST_2) {
                        all.add(blob);
                        continue;
                    }
                    if (container != QUICKLIST_NODE_PACKED) {
                        throw new RdbFormatException("unknown quicklist container " + container);
                    }
                    List<byte[]> elements = type == TYPE_LIST_QUICKLIST ? Packed.readZiplist(blob) : Packed.readListpack(blob);
                    if (elements.isEmpty()) {
                        throw new RdbFormatException("empty quicklist node");
                    }
                    all.addAll(elements);
                }
                return list(all, settings);
            }
            case TYPE_SET:
                return set(strings(in, in.readCount()), settings);
            case TYPE_SET_INTSET:
                return set(Packed.readIntset(in.readString()), settings);
            case TYPE_SET_LISTPACK:
                return set(Packed.readListpack(in.readString()), settings);
            case TYPE_HASH:
                return hash(strings(in, checkedPairs(in.readCount())), settings);
            case TYPE_HASH_ZIPMAP:
                return hash(Packed.readZipmap(in.readString()), settings);
            case TYPE_HASH_ZIPLIST:
                return hash(Packed.readZiplist(in.readString()), settings);
            case TYPE_HASH_LISTPACK:
                return hash(Packed.readListpack(in.readString()), settings);
            case TYPE_ZSET:
            case TYPE_ZSET_2: {
                int n = in.readCount();
                // grown as elements arrive: a count the data cannot back allocates nothing
                java.util.ArrayList<byte[]> members = new java.util.ArrayList<>(Math.min(n, 1 << 16));
                double[] scores = new double[Math.min(n, 1 << 16)];
                for (int i = 0; i < n; i++) {
                    members.add(in.readString());
                    if (i == scores.length) {
                        scores = Arrays.copyOf(scores, Math.min(n, scores.length << 1));
                    }
                    scores[i] = type == TYPE_ZSET ? in.readStringDouble() : in.readBinaryDouble();
                }
                return zset(members.toArray(new byte[0][]), scores, settings);
            }
            case TYPE_ZSET_ZIPLIST:
            case TYPE_ZSET_LISTPACK: {
                byte[] blob = in.readString();
                List<byte[]> pairs = type == TYPE_ZSET_ZIPLIST ? Packed.readZiplist(blob) : Packed.readListpack(blob);
                if ((pairs.size() & 1) != 0) {
                    throw new RdbFormatException("odd number of sorted set entries");
                }
                int n = pairs.size() / 2;
                byte[][] members = new byte[n][];
                double[] scores = new double[n];
                for (int i = 0; i < n; i++) {
                    members[i] = pairs.get(2 * i);
                    scores[i] = parseScore(pairs.get(2 * i + 1));
                }
                return zset(members, scores, settings);
            }
            case TYPE_STREAM_LISTPACKS:
            case TYPE_STREAM_LISTPACKS_2:
                return new Loaded(ValueType.STREAM, RdbStreams.read(in, type == TYPE_STREAM_LISTPACKS_2),
                        Encoding.STREAM);
            default:
                throw new RdbFormatException("unknown RDB type " + type);
        }
    }

    private static int checkedPairs(int n) throws RdbFormatException {
        if (n > (Integer.MAX_VALUE - 16) / 2) {
            throw new RdbFormatException("hash too large");
        }
        return n * 2;
    }

    private static List<byte[]> strings(RdbInput in, int n) throws RdbFormatException {
        java.util.ArrayList<byte[]> out = new java.util.ArrayList<>(Math.min(n, 1 << 16));
        for (int i = 0; i < n; i++) {
            out.add(in.readString());
        }
        return out;
    }

    private static Loaded list(List<byte[]> elements, Settings settings) throws RdbFormatException {
        if (elements.isEmpty()) {
            throw new RdbFormatException("empty list");
        }
        QuickList q = new QuickList(settings.listMaxListpackSize.intValue());
        for (byte[] e : elements) {
            q.pushTail(e);
        }
        return new Loaded(ValueType.LIST, q, Encoding.QUICKLIST);
    }

    private static Loaded set(List<byte[]> members, Settings settings) throws RdbFormatException {
        if (members.isEmpty()) {
            throw new RdbFormatException("empty set");
        }
        long maxIntset = settings.setMaxIntsetEntries.value();
        SetValue s = members.size() > maxIntset ? SetValue.hashtable(members.size()) : SetValue.intset();
        for (byte[] m : members) {
            if (!s.add(m, maxIntset)) {
                throw new RdbFormatException("duplicate set member");
            }
        }
        return new Loaded(ValueType.SET, s, s.encoding());
    }

    private static Loaded hash(List<byte[]> pairs, Settings settings) throws RdbFormatException {
        if (pairs.isEmpty() || (pairs.size() & 1) != 0) {
            throw new RdbFormatException("empty hash or a field without a value");
        }
        HashValue h = new HashValue();
        long maxValue = settings.hashMaxListpackValue.value();
        if (pairs.size() / 2 > settings.hashMaxListpackEntries.value()) {
            h.toTable();
        }
        for (int i = 0; i < pairs.size(); i += 2) {
            byte[] f = pairs.get(i);
            byte[] v = pairs.get(i + 1);
            if (h.isPacked() && (f.length > maxValue || v.length > maxValue)) {
                h.toTable();
            }
            if (!h.put(f, v)) {
                throw new RdbFormatException("duplicate hash field");
            }
        }
        return new Loaded(ValueType.HASH, h, h.encoding());
    }

    private static Loaded zset(byte[][] members, double[] scores, Settings settings) throws RdbFormatException {
        if (members.length == 0) {
            throw new RdbFormatException("empty sorted set");
        }
        ZSetValue z = members.length > settings.zsetMaxListpackEntries.value() ? ZSetValue.tree() : ZSetValue.packed();
        long maxValue = settings.zsetMaxListpackValue.value();
        for (int i = 0; i < members.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new RdbFormatException("sorted set score is NaN");
            }
            if (!Double.isNaN(z.score(members[i]))) {
                throw new RdbFormatException("duplicate sorted set member");
            }
            if (z.isPacked() && members[i].length > maxValue) {
                z.toTree();
            }
            z.insert(members[i], scores[i]);
        }
        return new Loaded(ValueType.ZSET, z, z.encoding());
    }

    private static double parseScore(byte[] b) throws RdbFormatException {
        String s = new String(b, java.nio.charset.StandardCharsets.US_ASCII);
        switch (s) {
            case "inf":
            case "+inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new RdbFormatException("bad sorted set score " + s);
                }
        }
    }
}
