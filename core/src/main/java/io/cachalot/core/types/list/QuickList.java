package io.cachalot.core.types.list;

import io.cachalot.core.types.MemorySize;
import io.cachalot.core.types.MutableValue;
import io.cachalot.core.types.Varint;

import java.util.Arrays;

/**
 * A list as Redis' quicklist: a deque of nodes, each a byte array packing many elements
 * ({@code [len][bytes][len]}, lengths as varints so a node is walkable both ways). Few objects per
 * list (one per node of up to ~8 KB by default), so large lists are cheap for the collector and
 * close to Redis in memory. Pushing and popping at either end is O(1); access by index walks the
 * nodes (skipping whole nodes by their counts) then one node.
 */
public final class QuickList implements MutableValue {
    /** Bytes above which Redis stops adding to a count-limited node (SIZE_SAFETY_LIMIT). */
    private static final int SIZE_SAFETY_LIMIT = 8192;

    private static final byte[] EMPTY = new byte[0];

    /** One node: elements packed in {@code buf[start, end)}, with free space on both sides. */
    static final class Node {
        byte[] buf = EMPTY;
        int start;
        int end;
        int count;

        Node(int capacity, boolean roomAtFront) {
            buf = new byte[capacity];
            start = end = roomAtFront ? capacity : 0;
        }

        Node(Node o) {
            buf = Arrays.copyOfRange(o.buf, o.start, o.end);
            start = 0;
            end = buf.length;
            count = o.count;
        }

        int bytes() {
            return end - start;
        }
    }

    /** Node size rule, as list-max-listpack-size: negative = byte limit class, positive = element count. */
    private final int fill;
    private Node[] nodes = new Node[4];
    private int first;
    private int nodeCount;
    private long size;
    private long packedBytes;
    /** Sum of the node arrays' lengths, for the memory estimate (kept in O(1)). */
    private long capacityBytes;

    public QuickList(int fill) {
        this.fill = fill == 0 ? -2 : fill;
    }

    private QuickList(QuickList o) {
        this.fill = o.fill;
        this.nodes = new Node[Math.max(4, Integer.highestOneBit(Math.max(1, o.nodeCount)) << 1)];
        for (int i = 0; i < o.nodeCount; i++) {
            nodes[i] = new Node(o.node(i));
        }
        this.nodeCount = o.nodeCount;
        this.size = o.size;
        this.packedBytes = o.packedBytes;
        this.capacityBytes = o.packedBytes;
    }

    @Override
    public QuickList copy() {
        return new QuickList(this);
    }

    @Override
    public long length() {
        return size();
    }

    public long size() {
        return size;
    }

    @Override
    public long memoryUsage() {
        return 40 + MemorySize.array(nodes.length * 4) + nodeCount * (24L + 16) + capacityBytes;
    }

    // ------------------------------------------------------------------ node deque

    Node node(int i) {
        return nodes[(first + i) & (nodes.length - 1)];
    }

    private void growNodes() {
        Node[] n = new Node[nodes.length << 1];
        for (int i = 0; i < nodeCount; i++) {
            n[i] = node(i);
        }
        nodes = n;
        first = 0;
    }

    /** Inserts a node at position {@code at} (0..nodeCount). */
    private void insertNode(int at, Node n) {
        if (nodeCount == nodes.length) {
            growNodes();
        }
        int mask = nodes.length - 1;
        if (at == 0) {
            first = (first - 1) & mask;
            nodes[first] = n;
        } else {
            for (int i = nodeCount; i > at; i--) {
                nodes[(first + i) & mask] = nodes[(first + i - 1) & mask];
            }
            nodes[(first + at) & mask] = n;
        }
        nodeCount++;
    }

    private void removeNode(int at) {
        int mask = nodes.length - 1;
        if (at == 0) {
            nodes[first] = null;
            first = (first + 1) & mask;
        } else {
            for (int i = at; i < nodeCount - 1; i++) {
                nodes[(first + i) & mask] = nodes[(first + i + 1) & mask];
            }
            nodes[(first + nodeCount - 1) & mask] = null;
        }
        nodeCount--;
        if (nodeCount == 0) {
            first = 0;
        }
    }

    // ------------------------------------------------------------------ sizing rules

    private static int entrySize(int len) {
        return 2 * Varint.size(len) + len;
    }

    private int byteLimit() {
        switch (fill) {
            case -1: return 4096;
            case -3: return 16384;
            case -4: return 32768;
            case -5: return 65536;
            default: return fill < 0 ? 8192 : SIZE_SAFETY_LIMIT;
        }
    }

    /** Whether a node may take one more element of {@code len} bytes. */
    private boolean fits(Node n, int len) {
        int newBytes = n.bytes() + entrySize(len);
        if (fill < 0) {
            return newBytes <= byteLimit();
        }
        return n.count < fill && newBytes <= SIZE_SAFETY_LIMIT;
    }

    private Node newNode(int len, boolean roomAtFront) {
        Node n = new Node(Math.max(128, entrySize(len)), roomAtFront);
        capacityBytes += n.buf.length;
        return n;
    }

    /** Gives a node a new array, keeping the capacity total right. */
    private void setBuf(Node n, byte[] b, int start, int end) {
        capacityBytes += b.length - n.buf.length;
        n.buf = b;
        n.start = start;
        n.end = end;
    }

    // ------------------------------------------------------------------ entry primitives

    /** Makes room for {@code need} bytes before {@code n.start} (doubling, as an ArrayList grows). */
    private void reserveFront(Node n, int need) {
        if (n.start >= need) {
            return;
        }
        int bytes = n.bytes();
        int cap = Math.max(n.buf.length * 2, bytes + need + 16);
        byte[] b = new byte[cap];
        int newStart = cap - bytes;
        System.arraycopy(n.buf, n.start, b, newStart, bytes);
        setBuf(n, b, newStart, newStart + bytes);
    }

    /** Makes room for {@code need} bytes after {@code n.end}. */
    private void reserveBack(Node n, int need) {
        if (n.buf.length - n.end >= need) {
            return;
        }
        int bytes = n.bytes();
        int cap = Math.max(n.buf.length * 2, bytes + need + 16);
        byte[] b = new byte[cap];
        System.arraycopy(n.buf, n.start, b, 0, bytes);
        setBuf(n, b, 0, bytes);
    }

    private static int writeEntry(byte[] b, int pos, byte[] v, int off, int len) {
        pos = Varint.write(b, pos, len);
        System.arraycopy(v, off, b, pos, len);
        return Varint.writeBack(b, pos + len, len);
    }

    /** Offset of the data of the entry starting at {@code pos}. */
    static int dataAt(byte[] b, int pos) {
        return pos + Varint.size(Varint.read(b, pos));
    }

    /** Offset just after the entry starting at {@code pos}. */
    static int nextEntry(byte[] b, int pos) {
        int len = Varint.read(b, pos);
        return pos + entrySize(len);
    }

    /** Offset of the entry that ends at {@code end}. */
    static int prevEntry(byte[] b, int end) {
        int len = Varint.readBack(b, end);
        return end - entrySize(len);
    }

    static byte[] entryBytes(byte[] b, int pos) {
        int len = Varint.read(b, pos);
        int d = pos + Varint.size(len);
        return Arrays.copyOfRange(b, d, d + len);
    }

    // ------------------------------------------------------------------ pushes and pops

    public void pushHead(byte[] v) {
        Node h = nodeCount == 0 ? null : node(0);
        if (h == null || !fits(h, v.length)) {
            h = newNode(v.length, true);
            insertNode(0, h);
        }
        int es = entrySize(v.length);
        reserveFront(h, es);
        h.start -= es;
        writeEntry(h.buf, h.start, v, 0, v.length);
        h.count++;
        size++;
        packedBytes += es;
    }

    public void pushTail(byte[] v) {
        Node t = nodeCount == 0 ? null : node(nodeCount - 1);
        if (t == null || !fits(t, v.length)) {
            t = newNode(v.length, false);
            insertNode(nodeCount, t);
        }
        int es = entrySize(v.length);
        reserveBack(t, es);
        t.end = writeEntry(t.buf, t.end, v, 0, v.length);
        t.count++;
        size++;
        packedBytes += es;
    }

    public void push(byte[] v, boolean head) {
        if (head) {
            pushHead(v);
        } else {
            pushTail(v);
        }
    }

    /** Removes and returns the first element, or null when empty. */
    public byte[] popHead() {
        if (size == 0) {
            return null;
        }
        Node h = node(0);
        byte[] v = entryBytes(h.buf, h.start);
        discardHead();
        return v;
    }

    /** Removes and returns the last element, or null when empty. */
    public byte[] popTail() {
        if (size == 0) {
            return null;
        }
        Node t = node(nodeCount - 1);
        byte[] v = entryBytes(t.buf, prevEntry(t.buf, t.end));
        discardTail();
        return v;
    }

    private void discardHead() {
        Node h = node(0);
        int next = nextEntry(h.buf, h.start);
        packedBytes -= next - h.start;
        h.start = next;
        afterRemove(0, h);
    }

    private void discardTail() {
        Node t = node(nodeCount - 1);
        int p = prevEntry(t.buf, t.end);
        packedBytes -= t.end - p;
        t.end = p;
        afterRemove(nodeCount - 1, t);
    }

    public byte[] pop(boolean head) {
        return head ? popHead() : popTail();
    }

    private void afterRemove(int nodeIndex, Node n) {
        n.count--;
        size--;
        if (n.count == 0) {
            capacityBytes -= n.buf.length;
            removeNode(nodeIndex);
        } else if (n.buf.length > 256 && n.bytes() < n.buf.length / 4) {
            // give back memory of nodes that were drained from one side
            byte[] b = Arrays.copyOfRange(n.buf, n.start, n.end);
            setBuf(n, b, 0, b.length);
        }
    }

    // ------------------------------------------------------------------ positions

    /** A position: node index and byte offset of an element within that node. */
    public final class Cursor {
        int nodeIndex;
        int pos;

        Cursor(int nodeIndex, int pos) {
            this.nodeIndex = nodeIndex;
            this.pos = pos;
        }

        public byte[] bytes() {
            return entryBytes(node(nodeIndex).buf, pos);
        }

        /** The backing array and range of the current element (do not modify). */
        public byte[] array() {
            return node(nodeIndex).buf;
        }

        public int offset() {
            return dataAt(node(nodeIndex).buf, pos);
        }

        public int length() {
            return Varint.read(node(nodeIndex).buf, pos);
        }

        public boolean equalsBytes(byte[] v) {
            byte[] b = node(nodeIndex).buf;
            int len = Varint.read(b, pos);
            if (len != v.length) {
                return false;
            }
            int d = pos + Varint.size(len);
            return Arrays.equals(b, d, d + len, v, 0, len);
        }

        /** Moves to the next element; false at the end of the list. */
        public boolean next() {
            Node n = node(nodeIndex);
            int p = nextEntry(n.buf, pos);
            if (p < n.end) {
                pos = p;
                return true;
            }
            if (nodeIndex + 1 >= nodeCount) {
                return false;
            }
            nodeIndex++;
            pos = node(nodeIndex).start;
            return true;
        }

        /** Moves to the previous element; false at the start of the list. */
        public boolean prev() {
            Node n = node(nodeIndex);
            if (pos > n.start) {
                pos = prevEntry(n.buf, pos);
                return true;
            }
            if (nodeIndex == 0) {
                return false;
            }
            nodeIndex--;
            Node m = node(nodeIndex);
            pos = prevEntry(m.buf, m.end);
            return true;
        }
    }

    /** A cursor at element {@code index} (0 ≤ index &lt; size). */
    public Cursor at(long index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException();
        }
        if (index < size / 2) {
            long remaining = index;
            for (int i = 0; i < nodeCount; i++) {
                Node n = node(i);
                if (remaining < n.count) {
                    int p = n.start;
                    for (long k = 0; k < remaining; k++) {
                        p = nextEntry(n.buf, p);
                    }
                    return new Cursor(i, p);
                }
                remaining -= n.count;
            }
        } else {
            long fromEnd = size - 1 - index;
            for (int i = nodeCount - 1; i >= 0; i--) {
                Node n = node(i);
                if (fromEnd < n.count) {
                    int p = prevEntry(n.buf, n.end);
                    for (long k = 0; k < fromEnd; k++) {
                        p = prevEntry(n.buf, p);
                    }
                    return new Cursor(i, p);
                }
                fromEnd -= n.count;
            }
        }
        throw new IllegalStateException("counts out of sync");
    }

    public byte[] get(long index) {
        return at(index).bytes();
    }

    // ------------------------------------------------------------------ changes in the middle

    /** Replaces the element at the cursor. */
    public void replace(Cursor c, byte[] v) {
        Node n = node(c.nodeIndex);
        int oldEnd = nextEntry(n.buf, c.pos);
        int oldSize = oldEnd - c.pos;
        int newSize = entrySize(v.length);
        byte[] nb = new byte[n.bytes() - oldSize + newSize];
        int p = c.pos - n.start;
        System.arraycopy(n.buf, n.start, nb, 0, p);
        p = writeEntry(nb, p, v, 0, v.length);
        System.arraycopy(n.buf, oldEnd, nb, p, n.end - oldEnd);
        setBuf(n, nb, 0, nb.length);
        packedBytes += newSize - oldSize;
        splitIfLarge(c.nodeIndex);
    }

    /** Inserts {@code v} before (or after) the element at the cursor. */
    public void insert(Cursor c, byte[] v, boolean after) {
        Node n = node(c.nodeIndex);
        int at = after ? nextEntry(n.buf, c.pos) : c.pos;
        int es = entrySize(v.length);
        byte[] nb = new byte[n.bytes() + es];
        int p = at - n.start;
        System.arraycopy(n.buf, n.start, nb, 0, p);
        int q = writeEntry(nb, p, v, 0, v.length);
        System.arraycopy(n.buf, at, nb, q, n.end - at);
        setBuf(n, nb, 0, nb.length);
        n.count++;
        size++;
        packedBytes += es;
        splitIfLarge(c.nodeIndex);
    }

    /** Splits a node that grew past the size rule into two halves. */
    private void splitIfLarge(int nodeIndex) {
        Node n = node(nodeIndex);
        boolean tooBig = fill < 0 ? n.bytes() > byteLimit() : n.count > fill || n.bytes() > SIZE_SAFETY_LIMIT;
        if (!tooBig || n.count < 2) {
            return;
        }
        int half = n.count / 2;
        int p = n.start;
        for (int i = 0; i < half; i++) {
            p = nextEntry(n.buf, p);
        }
        Node right = new Node(0, false);
        byte[] rb = Arrays.copyOfRange(n.buf, p, n.end);
        setBuf(right, rb, 0, rb.length);
        right.count = n.count - half;
        byte[] lb = Arrays.copyOfRange(n.buf, n.start, p);
        setBuf(n, lb, 0, lb.length);
        n.count = half;
        insertNode(nodeIndex + 1, right);
    }

    /** Removes the element at the cursor; the cursor is left invalid. */
    public void remove(Cursor c) {
        Node n = node(c.nodeIndex);
        int e = nextEntry(n.buf, c.pos);
        int es = e - c.pos;
        if (c.pos == n.start) {
            n.start = e;
        } else if (e == n.end) {
            n.end = c.pos;
        } else {
            System.arraycopy(n.buf, e, n.buf, c.pos, n.end - e);
            n.end -= es;
        }
        packedBytes -= es;
        afterRemove(c.nodeIndex, n);
    }

    private void dropWholeNode(int index, Node n) {
        size -= n.count;
        packedBytes -= n.bytes();
        capacityBytes -= n.buf.length;
        removeNode(index);
    }

    /**
     * Removes elements equal to {@code v}: the first {@code count} from the head (count &gt; 0),
     * from the tail (count &lt; 0), or all (count = 0), as LREM. Returns how many were removed.
     */
    public long removeMatching(byte[] v, long count) {
        if (size == 0) {
            return 0;
        }
        long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count);
        long removed = 0;
        if (count >= 0) {
            Cursor c = at(0);
            while (removed < limit) {
                if (c.equalsBytes(v)) {
                    removed++;
                    if (!removeAndAdvance(c)) {
                        break;
                    }
                } else if (!c.next()) {
                    break;
                }
            }
        } else {
            Cursor c = at(size - 1);
            while (removed < limit) {
                if (c.equalsBytes(v)) {
                    removed++;
                    if (!removeAndRetreat(c)) {
                        break;
                    }
                } else if (!c.prev()) {
                    break;
                }
            }
        }
        return removed;
    }

    /** Removes the element at the cursor and moves it to the following one; false when none follows. */
    public boolean removeAndAdvance(Cursor c) {
        int nodesBefore = nodeCount;
        Node n = node(c.nodeIndex);
        int rel = c.pos - n.start;
        boolean lastInNode = nextEntry(n.buf, c.pos) == n.end;
        remove(c);
        if (nodeCount < nodesBefore || lastInNode) {
            // the node is gone (the next node took its index) or the cursor was on its last element
            int next = nodeCount < nodesBefore ? c.nodeIndex : c.nodeIndex + 1;
            if (next >= nodeCount) {
                return false;
            }
            c.nodeIndex = next;
            c.pos = node(next).start;
            return true;
        }
        Node m = node(c.nodeIndex);
        c.pos = m.start + rel;
        return true;
    }

    /** Removes the element at the cursor and moves it to the preceding one; false when none precedes. */
    public boolean removeAndRetreat(Cursor c) {
        Node n = node(c.nodeIndex);
        boolean firstInNode = c.pos == n.start;
        int prevRel = firstInNode ? -1 : prevEntry(n.buf, c.pos) - n.start;
        int nodeIndex = c.nodeIndex;
        remove(c);
        if (firstInNode) {
            if (nodeIndex == 0) {
                return false;
            }
            c.nodeIndex = nodeIndex - 1;
            Node m = node(c.nodeIndex);
            c.pos = prevEntry(m.buf, m.end);
            return true;
        }
        Node m = node(nodeIndex);
        c.nodeIndex = nodeIndex;
        c.pos = m.start + prevRel;
        return true;
    }

    /** Keeps only elements [from, to] (inclusive, valid indexes); removes everything when from &gt; to. */
    public void trim(long from, long to) {
        long keep = from > to ? 0 : to - from + 1;
        long dropHead = from > to ? size : from;
        long dropTail = from > to ? 0 : size - 1 - to;
        // whole nodes first, then single elements
        while (dropHead > 0 && nodeCount > 0 && node(0).count <= dropHead) {
            Node n = node(0);
            dropHead -= n.count;
            dropWholeNode(0, n);
        }
        while (dropHead-- > 0) {
            discardHead();
        }
        while (dropTail > 0 && nodeCount > 0 && node(nodeCount - 1).count <= dropTail) {
            Node n = node(nodeCount - 1);
            dropTail -= n.count;
            dropWholeNode(nodeCount - 1, n);
        }
        while (dropTail-- > 0) {
            discardTail();
        }
        assert size == keep;
    }
}
