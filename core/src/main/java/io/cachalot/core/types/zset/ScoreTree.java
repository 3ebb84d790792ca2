package io.cachalot.core.types.zset;

import io.cachalot.core.types.MemorySize;

import java.util.Arrays;

/**
 * The ordered half of a large sorted set: an order-statistic B+tree of (score, member) pairs,
 * ordered by score then by member bytes (unsigned), as Redis' skiplist. Leaves hold up to 64
 * pairs in parallel arrays and are linked both ways; inner nodes hold, per child, the size of its
 * subtree (so ranks are O(log n)) and a lower bound of its keys. Compared with a skiplist this
 * needs no object per element, which halves the memory and the work of the garbage collector.
 *
 * <p>Scores compare with {@code <} and {@code ==} as in Redis (so -0 equals 0); NaN is never stored.
 * Separators may be keys that have since been deleted: they remain valid bounds.
 */
final class ScoreTree {
    static final int LEAF_CAP = 64;
    static final int INNER_CAP = 64;

    /** Predicates for {@link #countBelow}: which elements lie before a bound. */
    static final int SCORE_LT = 0;
    static final int SCORE_LE = 1;
    static final int KEY_LT = 2;
    static final int KEY_LE = 3;
    static final int LEX_LT = 4;
    static final int LEX_LE = 5;

    static final class Leaf {
        final double[] scores = new double[LEAF_CAP];
        final byte[][] members = new byte[LEAF_CAP][];
        int n;
        Leaf prev;
        Leaf next;
    }

    static final class Inner {
        final Object[] kids = new Object[INNER_CAP];
        final int[] counts = new int[INNER_CAP];
        /** Lower bound of kid i's keys, for i &gt;= 1 (slot 0 unused). */
        final double[] sepScores = new double[INNER_CAP];
        final byte[][] sepMembers = new byte[INNER_CAP][];
        int n;
    }

    private static final long LEAF_BYTES = 32 + MemorySize.array(8 * LEAF_CAP) + MemorySize.array(4 * LEAF_CAP);
    private static final long INNER_BYTES = 32 + MemorySize.array(4 * INNER_CAP) * 3 + MemorySize.array(8 * INNER_CAP);

    private Object root;
    /** Number of inner levels above the leaves (0: the root is a leaf). */
    private int height;
    private int size;
    private Leaf first;
    private Leaf last;
    private int leaves;
    private int inners;
    /** Scratch for the descent path of insert/delete (the owner's lock serialises access). */
    private Inner[] pathNodes = new Inner[4];
    private int[] pathIdx = new int[4];

    ScoreTree() {
        Leaf l = new Leaf();
        root = l;
        first = last = l;
        leaves = 1;
    }

    int size() {
        return size;
    }

    long memoryUsage() {
        return 48 + leaves * LEAF_BYTES + inners * INNER_BYTES;
    }

    Leaf firstLeaf() {
        return first;
    }

    Leaf lastLeaf() {
        return last;
    }

    // ------------------------------------------------------------------ comparisons

    static int compare(double s1, byte[] m1, double s2, byte[] m2) {
        if (s1 < s2) {
            return -1;
        }
        if (s1 > s2) {
            return 1;
        }
        return Arrays.compareUnsigned(m1, m2);
    }

    private static boolean below(int mode, double ks, byte[] km, double s, byte[] m) {
        switch (mode) {
            case SCORE_LT:
                return ks < s;
            case SCORE_LE:
                return ks <= s;
            case KEY_LT:
                return compare(ks, km, s, m) < 0;
            case KEY_LE:
                return compare(ks, km, s, m) <= 0;
            case LEX_LT:
                return Arrays.compareUnsigned(km, m) < 0;
            default:
                return Arrays.compareUnsigned(km, m) <= 0;
        }
    }

    /** The largest kid index i &gt;= 1 whose separator is below the bound, else 0. */
    private static int lastKidBelow(Inner in, int mode, double s, byte[] m) {
        int lo = 1;
        int hi = in.n - 1;
        int found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (below(mode, in.sepScores[mid], in.sepMembers[mid], s, m)) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Number of elements of a leaf that are below the bound. */
    private static int countInLeaf(Leaf l, int mode, double s, byte[] m) {
        int lo = 0;
        int hi = l.n - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (below(mode, l.scores[mid], l.members[mid], s, m)) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** How many elements lie before the bound: a rank. */
    int countBelow(int mode, double s, byte[] m) {
        int rank = 0;
        Object node = root;
        for (int h = height; h > 0; h--) {
            Inner in = (Inner) node;
            int i = lastKidBelow(in, mode, s, m);
            for (int j = 0; j < i; j++) {
                rank += in.counts[j];
            }
            node = in.kids[i];
        }
        return rank + countInLeaf((Leaf) node, mode, s, m);
    }

    // ------------------------------------------------------------------ positions

    /** A place in the leaves: leaf and index. */
    static final class Position {
        Leaf leaf;
        int index;
    }

    /** Points {@code p} at the element of rank {@code rank} (0 &lt;= rank &lt; size). */
    void seek(Position p, int rank) {
        if (rank == 0) {
            p.leaf = first;
            p.index = 0;
            return;
        }
        if (rank == size - 1) {
            p.leaf = last;
            p.index = last.n - 1;
            return;
        }
        Object node = root;
        for (int h = height; h > 0; h--) {
            Inner in = (Inner) node;
            int j = 0;
            while (rank >= in.counts[j]) {
                rank -= in.counts[j];
                j++;
            }
            node = in.kids[j];
        }
        p.leaf = (Leaf) node;
        p.index = rank;
    }

    // ------------------------------------------------------------------ insertion

    /** Adds a pair whose member is not in the tree. */
    void insert(double s, byte[] m) {
        ensurePath();
        Inner[] path = pathNodes;
        int[] idx = pathIdx;
        Object node = root;
        for (int d = 0; d < height; d++) {
            Inner in = (Inner) node;
            int i = lastKidBelow(in, KEY_LE, s, m);
            path[d] = in;
            idx[d] = i;
            in.counts[i]++;
            node = in.kids[i];
        }
        Leaf leaf = (Leaf) node;
        int pos = countInLeaf(leaf, KEY_LT, s, m);
        size++;
        if (leaf.n < LEAF_CAP) {
            insertInLeaf(leaf, pos, s, m);
            return;
        }
        // split the full leaf, insert in the proper half, then register the right half upwards
        Leaf right = splitLeaf(leaf);
        if (pos <= leaf.n) {
            insertInLeaf(leaf, pos, s, m);
        } else {
            insertInLeaf(right, pos - leaf.n, s, m);
        }
        Object newKid = right;
        double sepS = right.scores[0];
        byte[] sepM = right.members[0];
        int leftCount = leaf.n;
        int rightCount = right.n;
        for (int d = height - 1; d >= 0; d--) {
            Inner in = path[d];
            int i = idx[d];
            in.counts[i] = leftCount;
            if (in.n < INNER_CAP) {
                insertKid(in, i + 1, newKid, rightCount, sepS, sepM);
                return;
            }
            Inner r = splitInner(in);
            if (i + 1 <= in.n) {
                insertKid(in, i + 1, newKid, rightCount, sepS, sepM);
            } else {
                insertKid(r, i + 1 - in.n, newKid, rightCount, sepS, sepM);
            }
            // r's first separator (slot 0) is its lower bound in the parent
            sepS = r.sepScores[0];
            sepM = r.sepMembers[0];
            r.sepMembers[0] = null;
            leftCount = sum(in);
            rightCount = sum(r);
            newKid = r;
        }
        Inner top = new Inner();
        inners++;
        top.kids[0] = root;
        top.counts[0] = leftCount;
        top.kids[1] = newKid;
        top.counts[1] = rightCount;
        top.sepScores[1] = sepS;
        top.sepMembers[1] = sepM;
        top.n = 2;
        root = top;
        height++;
    }

    private void ensurePath() {
        if (pathNodes.length < height) {
            pathNodes = new Inner[height + 2];
            pathIdx = new int[height + 2];
        }
    }

    private static int sum(Inner in) {
        int t = 0;
        for (int j = 0; j < in.n; j++) {
            t += in.counts[j];
        }
        return t;
    }

    private static void insertInLeaf(Leaf l, int pos, double s, byte[] m) {
        System.arraycopy(l.scores, pos, l.scores, pos + 1, l.n - pos);
        System.arraycopy(l.members, pos, l.members, pos + 1, l.n - pos);
        l.scores[pos] = s;
        l.members[pos] = m;
        l.n++;
    }

    private Leaf splitLeaf(Leaf l) {
        Leaf r = new Leaf();
        leaves++;
        int half = l.n / 2;
        int moved = l.n - half;
        System.arraycopy(l.scores, half, r.scores, 0, moved);
        System.arraycopy(l.members, half, r.members, 0, moved);
        Arrays.fill(l.members, half, l.n, null);
        r.n = moved;
        l.n = half;
        r.next = l.next;
        r.prev = l;
        if (l.next != null) {
            l.next.prev = r;
        } else {
            last = r;
        }
        l.next = r;
        return r;
    }

    /** Moves the upper half of a full inner node to a new one; the new one's slot-0 separator is set. */
    private Inner splitInner(Inner in) {
        Inner r = new Inner();
        inners++;
        int half = in.n / 2;
        int moved = in.n - half;
        System.arraycopy(in.kids, half, r.kids, 0, moved);
        System.arraycopy(in.counts, half, r.counts, 0, moved);
        System.arraycopy(in.sepScores, half, r.sepScores, 0, moved);
        System.arraycopy(in.sepMembers, half, r.sepMembers, 0, moved);
        Arrays.fill(in.kids, half, in.n, null);
        Arrays.fill(in.sepMembers, half, in.n, null);
        r.n = moved;
        in.n = half;
        return r;
    }

    private static void insertKid(Inner in, int at, Object kid, int count, double sepS, byte[] sepM) {
        int tail = in.n - at;
        System.arraycopy(in.kids, at, in.kids, at + 1, tail);
        System.arraycopy(in.counts, at, in.counts, at + 1, tail);
        System.arraycopy(in.sepScores, at, in.sepScores, at + 1, tail);
        System.arraycopy(in.sepMembers, at, in.sepMembers, at + 1, tail);
        in.kids[at] = kid;
        in.counts[at] = count;
        in.sepScores[at] = sepS;
        in.sepMembers[at] = sepM;
        in.n++;
    }

    // ------------------------------------------------------------------ deletion

    /** Removes a pair that is in the tree; false (and nothing changed) if it is not. */
    boolean delete(double s, byte[] m) {
        ensurePath();
        Inner[] path = pathNodes;
        int[] idx = pathIdx;
        Object node = root;
        for (int d = 0; d < height; d++) {
            Inner in = (Inner) node;
            int i = lastKidBelow(in, KEY_LE, s, m);
            path[d] = in;
            idx[d] = i;
            node = in.kids[i];
        }
        Leaf leaf = (Leaf) node;
        int pos = countInLeaf(leaf, KEY_LT, s, m);
        if (pos >= leaf.n || compare(leaf.scores[pos], leaf.members[pos], s, m) != 0) {
            return false;
        }
        for (int d = 0; d < height; d++) {
            path[d].counts[idx[d]]--;
        }
        System.arraycopy(leaf.scores, pos + 1, leaf.scores, pos, leaf.n - pos - 1);
        System.arraycopy(leaf.members, pos + 1, leaf.members, pos, leaf.n - pos - 1);
        leaf.members[--leaf.n] = null;
        size--;
        rebalance(path, idx, leaf);
        return true;
    }

    /** After a deletion: drops empty nodes and merges small neighbours, bottom-up. */
    private void rebalance(Inner[] path, int[] idx, Leaf leaf) {
        if (height == 0) {
            return;
        }
        Inner parent = path[height - 1];
        int i = idx[height - 1];
        if (leaf.n == 0) {
            unlinkLeaf(leaf);
            removeKid(parent, i);
        } else if (leaf.n < LEAF_CAP / 4) {
            mergeLeaf(parent, i);
        }
        for (int d = height - 1; d >= 1; d--) {
            Inner in = path[d];
            Inner up = path[d - 1];
            int ui = idx[d - 1];
            if (in.n == 0) {
                removeKid(up, ui);
                inners--;
            } else if (in.n < INNER_CAP / 4) {
                mergeInner(up, ui);
            }
        }
        // collapse a root with a single child
        while (height > 0 && ((Inner) root).n == 1) {
            root = ((Inner) root).kids[0];
            height--;
            inners--;
        }
        if (height > 0 && ((Inner) root).n == 0) {
            Leaf l = new Leaf();
            root = first = last = l;
            leaves = 1;
            inners = 0;
            height = 0;
        }
    }

    private void unlinkLeaf(Leaf l) {
        if (l.prev != null) {
            l.prev.next = l.next;
        } else {
            first = l.next;
        }
        if (l.next != null) {
            l.next.prev = l.prev;
        } else {
            last = l.prev;
        }
        leaves--;
        if (first == null) {
            // the tree became empty: keep one empty leaf as the root will be reset
            first = last = l;
            l.prev = l.next = null;
            leaves = 1;
        }
    }

    private static void removeKid(Inner in, int at) {
        int tail = in.n - at - 1;
        System.arraycopy(in.kids, at + 1, in.kids, at, tail);
        System.arraycopy(in.counts, at + 1, in.counts, at, tail);
        System.arraycopy(in.sepScores, at + 1, in.sepScores, at, tail);
        System.arraycopy(in.sepMembers, at + 1, in.sepMembers, at, tail);
        in.n--;
        in.kids[in.n] = null;
        in.sepMembers[in.n] = null;
        in.counts[in.n] = 0;
    }

    /** Merges the small leaf at {@code i} with a neighbour under the same parent when both fit. */
    private void mergeLeaf(Inner parent, int i) {
        int li;
        if (i + 1 < parent.n && ((Leaf) parent.kids[i]).n + ((Leaf) parent.kids[i + 1]).n <= LEAF_CAP * 3 / 4) {
            li = i;
        } else if (i > 0 && ((Leaf) parent.kids[i - 1]).n + ((Leaf) parent.kids[i]).n <= LEAF_CAP * 3 / 4) {
            li = i - 1;
        } else {
            return;
        }
        Leaf l = (Leaf) parent.kids[li];
        Leaf r = (Leaf) parent.kids[li + 1];
        System.arraycopy(r.scores, 0, l.scores, l.n, r.n);
        System.arraycopy(r.members, 0, l.members, l.n, r.n);
        l.n += r.n;
        parent.counts[li] += parent.counts[li + 1];
        unlinkLeaf(r);
        removeKid(parent, li + 1);
    }

    /** Merges the small inner node at {@code i} of {@code up} with a neighbour when both fit. */
    private void mergeInner(Inner up, int i) {
        int li;
        if (i + 1 < up.n && ((Inner) up.kids[i]).n + ((Inner) up.kids[i + 1]).n <= INNER_CAP * 3 / 4) {
            li = i;
        } else if (i > 0 && ((Inner) up.kids[i - 1]).n + ((Inner) up.kids[i]).n <= INNER_CAP * 3 / 4) {
            li = i - 1;
        } else {
            return;
        }
        Inner l = (Inner) up.kids[li];
        Inner r = (Inner) up.kids[li + 1];
        int base = l.n;
        System.arraycopy(r.kids, 0, l.kids, base, r.n);
        System.arraycopy(r.counts, 0, l.counts, base, r.n);
        System.arraycopy(r.sepScores, 0, l.sepScores, base, r.n);
        System.arraycopy(r.sepMembers, 0, l.sepMembers, base, r.n);
        // r's own lower bound separates its first kid from l's last
        l.sepScores[base] = up.sepScores[li + 1];
        l.sepMembers[base] = up.sepMembers[li + 1];
        l.n += r.n;
        up.counts[li] += up.counts[li + 1];
        removeKid(up, li + 1);
        inners--;
    }

    // ------------------------------------------------------------------ copying

    ScoreTree copy() {
        ScoreTree t = new ScoreTree();
        t.height = height;
        t.size = size;
        t.leaves = leaves;
        t.inners = inners;
        Leaf[] prev = new Leaf[1];
        t.root = copyNode(root, height, t, prev);
        t.last = prev[0];
        return t;
    }

    private static Object copyNode(Object node, int h, ScoreTree t, Leaf[] prev) {
        if (h == 0) {
            Leaf o = (Leaf) node;
            Leaf l = new Leaf();
            System.arraycopy(o.scores, 0, l.scores, 0, o.n);
            System.arraycopy(o.members, 0, l.members, 0, o.n);
            l.n = o.n;
            l.prev = prev[0];
            if (prev[0] == null) {
                t.first = l;
            } else {
                prev[0].next = l;
            }
            prev[0] = l;
            return l;
        }
        Inner o = (Inner) node;
        Inner in = new Inner();
        in.n = o.n;
        System.arraycopy(o.counts, 0, in.counts, 0, o.n);
        System.arraycopy(o.sepScores, 0, in.sepScores, 0, o.n);
        System.arraycopy(o.sepMembers, 0, in.sepMembers, 0, o.n);
        for (int j = 0; j < o.n; j++) {
            in.kids[j] = copyNode(o.kids[j], h - 1, t, prev);
        }
        return in;
    }

    /** Checks the structure (tests): ordering, counts, separators and links. */
    void verify() {
        int[] seen = {0};
        verifyNode(root, height, null, null, Double.NaN, Double.NaN, seen);
        if (seen[0] != size) {
            throw new IllegalStateException("size " + size + " but " + seen[0] + " elements");
        }
        int n = 0;
        Leaf p = null;
        for (Leaf l = first; l != null; l = l.next) {
            if (l.prev != p) {
                throw new IllegalStateException("broken prev link");
            }
            for (int i = 0; i < l.n; i++) {
                n++;
            }
            p = l;
        }
        if (p != last || n != size) {
            throw new IllegalStateException("leaf chain holds " + n + " of " + size);
        }
    }

    private int verifyNode(Object node, int h, byte[] loM, byte[] hiM, double loS, double hiS, int[] seen) {
        if (h == 0) {
            Leaf l = (Leaf) node;
            for (int i = 0; i < l.n; i++) {
                if (i > 0 && compare(l.scores[i - 1], l.members[i - 1], l.scores[i], l.members[i]) >= 0) {
                    throw new IllegalStateException("leaf out of order");
                }
                if (loM != null && compare(l.scores[i], l.members[i], loS, loM) < 0) {
                    throw new IllegalStateException("element under its separator");
                }
                if (hiM != null && compare(l.scores[i], l.members[i], hiS, hiM) >= 0) {
                    throw new IllegalStateException("element over the next separator");
                }
            }
            seen[0] += l.n;
            return l.n;
        }
        Inner in = (Inner) node;
        int total = 0;
        for (int j = 0; j < in.n; j++) {
            byte[] lo = j == 0 ? loM : in.sepMembers[j];
            double los = j == 0 ? loS : in.sepScores[j];
            byte[] hi = j + 1 < in.n ? in.sepMembers[j + 1] : hiM;
            double his = j + 1 < in.n ? in.sepScores[j + 1] : hiS;
            int c = verifyNode(in.kids[j], h - 1, lo, hi, los, his, seen);
            if (c != in.counts[j]) {
                throw new IllegalStateException("count " + in.counts[j] + " but subtree holds " + c);
            }
            total += c;
        }
        return total;
    }
}
