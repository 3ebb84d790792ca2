package io.cachalot.core.types.zset;

import io.cachalot.core.types.Encoding;
import io.cachalot.core.types.MemorySize;
import io.cachalot.core.types.MutableValue;
import io.cachalot.core.types.BytesMap;
import io.cachalot.core.types.Varint;

import java.util.Arrays;

/**
 * A sorted set. Small ones are <em>packed</em> like Redis' listpack: one byte array of
 * {@code [length][member][score: 8 bytes][length, mirrored]} entries kept in (score, member)
 * order, walked both ways. Large ones ("skiplist", as OBJECT ENCODING calls it) pair a
 * {@link ScoreTree} for order and ranks with a {@link BytesMap} member → score for O(1) look-ups;
 * both share the member arrays.
 *
 * <p>Everything positional is expressed in ranks (0 = lowest score), so the commands work the
 * same on both forms: score and lex bounds become ranks through {@link #countBelowScore} and
 * {@link #countBelowLex}, then a {@link Cursor} walks from a rank.
 */
public final class ZSetValue implements MutableValue {
    private static final byte[] EMPTY = new byte[0];

    // packed form (tree == null)
    private byte[] buf;
    private int used;
    private int count;

    // tree form
    private ScoreTree tree;
    private BytesMap dict;

    private ZSetValue(boolean packed) {
        if (packed) {
            buf = EMPTY;
        } else {
            tree = new ScoreTree();
            dict = new BytesMap(false, true);
        }
    }

    /** An empty packed (listpack) sorted set. */
    public static ZSetValue packed() {
        return new ZSetValue(true);
    }

    /** An empty tree (skiplist) sorted set. */
    public static ZSetValue tree() {
        return new ZSetValue(false);
    }

    @Override
    public ZSetValue copy() {
        ZSetValue z = new ZSetValue(tree == null);
        if (tree == null) {
            z.buf = Arrays.copyOf(buf, used);
            z.used = used;
            z.count = count;
        } else {
            z.tree = tree.copy();
            z.dict = dict.copy();
        }
        return z;
    }

    @Override
    public long length() {
        return size();
    }

    public int size() {
        return tree == null ? count : tree.size();
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    public boolean isPacked() {
        return tree == null;
    }

    public Encoding encoding() {
        return tree == null ? Encoding.LISTPACK : Encoding.SKIPLIST;
    }

    @Override
    public long memoryUsage() {
        if (tree == null) {
            return 32 + MemorySize.array(buf.length);
        }
        return 32 + tree.memoryUsage() + dict.memoryUsage(); // the dict counts the member arrays
    }

    // ------------------------------------------------------------------ packed primitives

    private static final int SCORE_BYTES = 8;

    private static int entrySize(int len) {
        return 2 * Varint.size(len) + len + SCORE_BYTES;
    }

    private int memberLen(int off) {
        return Varint.read(buf, off);
    }

    private int memberOff(int off) {
        return off + Varint.size(Varint.read(buf, off));
    }

    private double scoreAt(int off) {
        int len = Varint.read(buf, off);
        int p = off + Varint.size(len) + len;
        long bits = 0;
        for (int k = 0; k < 8; k++) {
            bits = bits << 8 | (buf[p + k] & 0xFF);
        }
        return Double.longBitsToDouble(bits);
    }

    private int nextOff(int off) {
        int len = Varint.read(buf, off);
        return off + entrySize(len);
    }

    /** The start of the entry that ends at {@code end}. */
    private int prevOff(int end) {
        int len = Varint.readBack(buf, end);
        return end - entrySize(len);
    }

    private int offsetOfRank(int rank) {
        int off = 0;
        if (rank > count / 2) {
            off = used;
            for (int i = count; i > rank; i--) {
                off = prevOff(off);
            }
            return off;
        }
        for (int i = 0; i < rank; i++) {
            off = nextOff(off);
        }
        return off;
    }

    private boolean memberEquals(int off, byte[] m) {
        int len = Varint.read(buf, off);
        if (len != m.length) {
            return false;
        }
        int p = off + Varint.size(len);
        return Arrays.equals(buf, p, p + len, m, 0, len);
    }

    private int compareMember(int off, byte[] m) {
        int len = Varint.read(buf, off);
        int p = off + Varint.size(len);
        return Arrays.compareUnsigned(buf, p, p + len, m, 0, m.length);
    }

    /** Offset of {@code m}'s entry, or -1. */
    private int packedFind(byte[] m) {
        int off = 0;
        for (int i = 0; i < count; i++) {
            if (memberEquals(off, m)) {
                return off;
            }
            off = nextOff(off);
        }
        return -1;
    }

    private void packedInsertAt(int off, byte[] m, double score) {
        if (score == 0) {
            score = 0.0; // a listpack stores -0 as the integer 0, as Redis does
        }
        int size = entrySize(m.length);
        if (used + size > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(used + size, Math.max(32, buf.length + (buf.length >> 1))));
        }
        System.arraycopy(buf, off, buf, off + size, used - off);
        int p = Varint.write(buf, off, m.length);
        System.arraycopy(m, 0, buf, p, m.length);
        p += m.length;
        long bits = Double.doubleToRawLongBits(score);
        for (int k = 7; k >= 0; k--) {
            buf[p + k] = (byte) bits;
            bits >>>= 8;
        }
        Varint.writeBack(buf, p + SCORE_BYTES, m.length);
        used += size;
        count++;
    }

    private void packedRemoveAt(int off) {
        int end = nextOff(off);
        System.arraycopy(buf, end, buf, off, used - end);
        used -= end - off;
        count--;
        if (count == 0) {
            buf = EMPTY;
            used = 0;
        } else if (buf.length > 64 && used < buf.length / 4) {
            buf = Arrays.copyOf(buf, used * 2);
        }
    }

    /** Where (score, m) goes in the packed order. */
    private int packedInsertionOffset(double s, byte[] m) {
        int off = 0;
        for (int i = 0; i < count; i++) {
            double k = scoreAt(off);
            if (k > s || (k == s && compareMember(off, m) > 0)) {
                return off;
            }
            off = nextOff(off);
        }
        return off;
    }

    // ------------------------------------------------------------------ member operations

    /** The score of {@code m}, or NaN when absent (NaN is never a stored score). */
    public double score(byte[] m) {
        if (tree == null) {
            int off = packedFind(m);
            return off < 0 ? Double.NaN : scoreAt(off);
        }
        int s = dict.find(m);
        return s < 0 ? Double.NaN : Double.longBitsToDouble(dict.longAt(s));
    }

    /** Adds a member known to be absent (the array is kept, not copied). */
    public void insert(byte[] m, double score) {
        if (tree == null) {
            packedInsertAt(packedInsertionOffset(score, m), m, score);
            return;
        }
        int s = dict.add(m, null);
        dict.setLongAt(s, Double.doubleToRawLongBits(score));
        tree.insert(score, m);
    }

    /** Changes the score of a present member from {@code old}. */
    public void updateScore(byte[] m, double old, double score) {
        if (tree == null) {
            int off = packedFind(m);
            byte[] member = Arrays.copyOfRange(buf, memberOff(off), memberOff(off) + memberLen(off));
            packedRemoveAt(off);
            packedInsertAt(packedInsertionOffset(score, member), member, score);
            return;
        }
        int s = dict.find(m);
        byte[] member = dict.keyAt(s);
        dict.setLongAt(s, Double.doubleToRawLongBits(score));
        tree.delete(old, member);
        tree.insert(score, member);
    }

    /** Removes {@code m}; false when absent. */
    public boolean remove(byte[] m) {
        if (tree == null) {
            int off = packedFind(m);
            if (off < 0) {
                return false;
            }
            packedRemoveAt(off);
            return true;
        }
        int s = dict.find(m);
        if (s < 0) {
            return false;
        }
        double score = Double.longBitsToDouble(dict.longAt(s));
        byte[] member = dict.keyAt(s);
        dict.removeAt(s);
        tree.delete(score, member);
        return true;
    }

    /** The rank (0 = lowest) of {@code m}, or -1 when absent. */
    public int rank(byte[] m) {
        if (tree == null) {
            int off = 0;
            for (int i = 0; i < count; i++) {
                if (memberEquals(off, m)) {
                    return i;
                }
                off = nextOff(off);
            }
            return -1;
        }
        int s = dict.find(m);
        if (s < 0) {
            return -1;
        }
        return tree.countBelow(ScoreTree.KEY_LT, Double.longBitsToDouble(dict.longAt(s)), dict.keyAt(s));
    }

    /** Number of members with a score below {@code s} (or at most {@code s} when {@code inclusive}). */
    public int countBelowScore(double s, boolean inclusive) {
        if (tree == null) {
            int off = 0;
            int i = 0;
            for (; i < count; i++) {
                double k = scoreAt(off);
                if (inclusive ? k > s : k >= s) {
                    break;
                }
                off = nextOff(off);
            }
            return i;
        }
        return tree.countBelow(inclusive ? ScoreTree.SCORE_LE : ScoreTree.SCORE_LT, s, null);
    }

    /**
     * Number of leading members ordered below {@code m} (or at most {@code m}) by bytes. Meaningful
     * when all scores are equal, as Redis' lex ranges.
     */
    public int countBelowLex(byte[] m, boolean inclusive) {
        if (tree == null) {
            int off = 0;
            int i = 0;
            for (; i < count; i++) {
                int c = compareMember(off, m);
                if (inclusive ? c > 0 : c >= 0) {
                    break;
                }
                off = nextOff(off);
            }
            return i;
        }
        return tree.countBelow(inclusive ? ScoreTree.LEX_LE : ScoreTree.LEX_LT, 0, m);
    }

    /** Removes the member of rank {@code rank}. */
    public void removeAt(int rank) {
        if (tree == null) {
            packedRemoveAt(offsetOfRank(rank));
            return;
        }
        ScoreTree.Position p = new ScoreTree.Position();
        tree.seek(p, rank);
        byte[] member = p.leaf.members[p.index];
        double score = p.leaf.scores[p.index];
        dict.remove(member);
        tree.delete(score, member);
    }

    /** Removes the members of ranks {@code from..to} (inclusive); returns how many. */
    public int removeRange(int from, int to) {
        int n = to - from + 1;
        if (n <= 0) {
            return 0;
        }
        if (tree == null) {
            int start = offsetOfRank(from);
            int end = start;
            for (int i = 0; i < n; i++) {
                end = nextOff(end);
            }
            System.arraycopy(buf, end, buf, start, used - end);
            used -= end - start;
            count -= n;
            if (count == 0) {
                buf = EMPTY;
                used = 0;
            }
            return n;
        }
        Cursor c = cursor();
        c.seek(from);
        byte[][] members = new byte[n][];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            members[i] = c.member();
            scores[i] = c.score();
            c.next();
        }
        for (int i = 0; i < n; i++) {
            dict.remove(members[i]);
            tree.delete(scores[i], members[i]);
        }
        return n;
    }

    // ------------------------------------------------------------------ encodings

    /** The longest member (for deciding the encoding of a computed result). */
    public int maxMemberLength() {
        int max = 0;
        Cursor c = cursor();
        if (size() > 0) {
            c.seek(0);
            do {
                max = Math.max(max, c.memberLength());
            } while (c.next());
        }
        return max;
    }

    /** Converts the packed form to the tree form. */
    public void toTree() {
        if (tree != null) {
            return;
        }
        ScoreTree t = new ScoreTree();
        BytesMap d = new BytesMap(false, true, count);
        int off = 0;
        for (int i = 0; i < count; i++) {
            int len = memberLen(off);
            int p = memberOff(off);
            byte[] m = Arrays.copyOfRange(buf, p, p + len);
            double s = scoreAt(off);
            int slot = d.add(m, null);
            d.setLongAt(slot, Double.doubleToRawLongBits(s));
            t.insert(s, m);
            off = nextOff(off);
        }
        tree = t;
        dict = d;
        buf = null;
        used = 0;
        count = 0;
    }

    /** Converts the tree form to the packed form (for small computed results, as Redis). */
    public void toPacked() {
        if (tree == null) {
            return;
        }
        ZSetValue p = packed();
        Cursor c = cursor();
        if (size() > 0) {
            c.seek(0);
            do {
                p.packedInsertAt(p.used, c.member(), c.score());
            } while (c.next());
        }
        buf = p.buf;
        used = p.used;
        count = p.count;
        tree = null;
        dict = null;
    }

    // ------------------------------------------------------------------ iteration

    public Cursor cursor() {
        return new Cursor(this);
    }

    /** Walks members by rank, both ways: {@code seek(rank)}, then {@code next()} or {@code prev()}. */
    public static final class Cursor {
        private final ZSetValue z;
        private final ScoreTree.Position pos = new ScoreTree.Position();
        private int off;
        private int rank;

        Cursor(ZSetValue z) {
            this.z = z;
        }

        /** Points at rank {@code r} (0 &lt;= r &lt; size). */
        public void seek(int r) {
            rank = r;
            if (z.tree == null) {
                off = z.offsetOfRank(r);
            } else {
                z.tree.seek(pos, r);
            }
        }

        /** Moves to the next rank; false past the end. */
        public boolean next() {
            if (++rank >= z.size()) {
                return false;
            }
            if (z.tree == null) {
                off = z.nextOff(off);
            } else if (++pos.index >= pos.leaf.n) {
                pos.leaf = pos.leaf.next;
                pos.index = 0;
            }
            return true;
        }

        /** Moves to the previous rank; false before the start. */
        public boolean prev() {
            if (--rank < 0) {
                return false;
            }
            if (z.tree == null) {
                off = z.prevOff(off);
            } else if (--pos.index < 0) {
                pos.leaf = pos.leaf.prev;
                pos.index = pos.leaf.n - 1;
            }
            return true;
        }

        public int rank() {
            return rank;
        }

        public double score() {
            return z.tree == null ? z.scoreAt(off) : pos.leaf.scores[pos.index];
        }

        /** The member's bytes: {@link #memberArray} from {@link #memberOffset}, {@link #memberLength} long. */
        public byte[] memberArray() {
            return z.tree == null ? z.buf : pos.leaf.members[pos.index];
        }

        public int memberOffset() {
            return z.tree == null ? z.memberOff(off) : 0;
        }

        public int memberLength() {
            return z.tree == null ? z.memberLen(off) : pos.leaf.members[pos.index].length;
        }

        /** The member as its own array (shared with the set in the tree form: do not modify). */
        public byte[] member() {
            if (z.tree != null) {
                return pos.leaf.members[pos.index];
            }
            int p = z.memberOff(off);
            return Arrays.copyOfRange(z.buf, p, p + z.memberLen(off));
        }
    }

    /** SCAN over the tree form's dict; packed sets are returned whole by the caller. */
    public long scan(long cursor, BytesMap.SlotVisitor visitor) {
        return dict.scan(cursor, visitor);
    }

    /** The member in a dict slot visited by {@link #scan}. */
    public byte[] slotMember(int slot) {
        return dict.keyAt(slot);
    }

    public double slotScore(int slot) {
        return Double.longBitsToDouble(dict.longAt(slot));
    }

    void verify() {
        if (tree != null) {
            tree.verify();
            if (dict.size() != tree.size()) {
                throw new IllegalStateException("dict " + dict.size() + " tree " + tree.size());
            }
        }
    }
}
