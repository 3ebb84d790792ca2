package io.cachalot.core.types.stream;

import io.cachalot.core.types.MutableValue;
import io.cachalot.core.types.listpack.Listpack;

import java.util.Arrays;

/**
 * A stream's entries as Redis keeps them: nodes ordered by their master id, each a
 * {@link Listpack} laid out exactly as Redis' (master entry: live count, deleted count, the
 * master fields, 0; then per entry: flags, ms and seq deltas to the master id, the field count and
 * fields unless they are the master's, the values, and the element count for walking back). Node
 * boundaries follow stream-node-max-bytes and stream-node-max-entries as in Redis, so that the
 * nodes, XTRIM ~ and the RDB form are the same; deleted entries stay as flagged tombstones until
 * their node empties.
 *
 * <p>Also the stream's counters: length, last id, first id, the largest deleted id and the
 * number of entries ever added (Redis 7.0's consumer-group lag needs them).
 */
public final class StreamValue implements MutableValue {
    static final int FLAG_DELETED = 1;
    static final int FLAG_SAMEFIELDS = 2;
    /** Listpack pre-allocation of a new node (STREAM_LISTPACK_MAX_PRE_ALLOCATE). */
    private static final int MAX_PREALLOCATE = 4096;
    /** Redis' ceiling for one listpack whatever the settings (STREAM_LISTPACK_MAX_SIZE). */
    private static final long MAX_LISTPACK = 1L << 30;

    // nodes live in [head, tail) of these arrays, ordered by master id
    private long[] masterMs = new long[4];
    private long[] masterSeq = new long[4];
    private Listpack[] nodes = new Listpack[4];
    private int head;
    private int tail;

    /** The nodes' listpack capacities, kept as they change (MEMORY USAGE must not walk the nodes). */
    private long nodeBytes;

    private long length;
    private long lastMs;
    private long lastSeq;
    private long firstMs;
    private long firstSeq;
    private long maxDeletedMs;
    private long maxDeletedSeq;
    private long entriesAdded;
    /** The consumer groups by name (unsigned byte order, as Redis' radix tree); null until the first. */
    private java.util.TreeMap<byte[], ConsumerGroup> groups;

    @Override
    public long length() {
        return length;
    }

    @Override
    public boolean isEmpty() {
        // an empty stream is still a key (XADD MAXLEN 0, XDEL of everything)
        return false;
    }

    public StreamId lastId() {
        return new StreamId(lastMs, lastSeq);
    }

    public StreamId firstId() {
        return new StreamId(firstMs, firstSeq);
    }

    public StreamId maxDeletedId() {
        return new StreamId(maxDeletedMs, maxDeletedSeq);
    }

    public long entriesAdded() {
        return entriesAdded;
    }

    public int nodeCount() {
        return tail - head;
    }

    /** Node {@code i} (0-based, in id order): its master id and Redis' listpack. */
    public long nodeMasterMs(int i) {
        return masterMs[head + i];
    }

    public long nodeMasterSeq(int i) {
        return masterSeq[head + i];
    }

    public Listpack node(int i) {
        return nodes[head + i];
    }

    // ------------------------------------------------------------------ adding

    /**
     * Appends an entry with id {@code ms-seq}, which must be above the last id (the caller made
     * it, as XADD does); its {@code numFields} field/value pairs are
     * {@code argv[from], argv[from + 1], ...} (streamAppendItem).
     */
    public void append(long ms, long seq, byte[][] argv, int from, int numFields, long nodeMaxBytes,
                       long nodeMaxEntries) {
        long fieldBytes = 0;
        for (int i = 0; i < numFields * 2; i++) {
            fieldBytes += argv[from + i].length;
        }
        Listpack lp = tail > head ? nodes[tail - 1] : null;
        Listpack old = lp;
        int oldCapacity = old == null ? 0 : old.capacity();
        if (lp != null) {
            long maxBytes = nodeMaxBytes == 0 || nodeMaxBytes > MAX_LISTPACK ? MAX_LISTPACK : nodeMaxBytes;
            boolean full = lp.bytes() + fieldBytes >= maxBytes;
            if (!full && nodeMaxEntries != 0) {
                int p = lp.first();
                long entries = lp.integer(p) + lp.integer(lp.next(p));
                full = entries >= nodeMaxEntries;
            }
            if (full) {
                lp.shrink();
                lp = null;
            }
        }
        int flags = 0;
        long mMs;
        long mSeq;
        if (lp == null) {
            mMs = ms;
            mSeq = seq;
            long prealloc = MAX_PREALLOCATE;
            if (nodeMaxBytes > 0 && nodeMaxBytes < prealloc) {
                prealloc = nodeMaxBytes;
            }
            lp = new Listpack((int) prealloc);
            lp.appendInteger(1);
            lp.appendInteger(0);
            lp.appendInteger(numFields);
            for (int i = 0; i < numFields; i++) {
                lp.append(argv[from + 2 * i]);
            }
            lp.appendInteger(0);
            addNode(ms, seq, lp);
            flags |= FLAG_SAMEFIELDS;
        } else {
            mMs = masterMs[tail - 1];
            mSeq = masterSeq[tail - 1];
            int p = lp.first();
            lp.replaceInteger(p, lp.integer(p) + 1);
            p = lp.next(lp.next(p));
            long masterFields = lp.integer(p);
            if (masterFields == numFields) {
                int i = 0;
                for (; i < masterFields; i++) {
                    p = lp.next(p);
                    byte[] f = argv[from + 2 * i];
                    if (!lp.equalsAt(p, f, 0, f.length)) {
                        break;
                    }
                }
                if (i == masterFields) {
                    flags |= FLAG_SAMEFIELDS;
                }
            }
        }
        boolean same = (flags & FLAG_SAMEFIELDS) != 0;
        lp.appendInteger(flags);
        lp.appendInteger(ms - mMs);
        lp.appendInteger(seq - mSeq);
        if (!same) {
            lp.appendInteger(numFields);
        }
        for (int i = 0; i < numFields; i++) {
            if (!same) {
                lp.append(argv[from + 2 * i]);
            }
            lp.append(argv[from + 2 * i + 1]);
        }
        lp.appendInteger(numFields + 3 + (same ? 0 : numFields + 1));
        if (old != null) {
            nodeBytes += old.capacity() - oldCapacity;
        }
        if (lp != old) {
            nodeBytes += lp.capacity();
        }
        length++;
        entriesAdded++;
        lastMs = ms;
        lastSeq = seq;
        if (length == 1) {
            firstMs = ms;
            firstSeq = seq;
        }
    }

    private void addNode(long ms, long seq, Listpack lp) {
        if (tail == nodes.length) {
            // compact to the front (trimming leaves room there), growing when over half full
            int live = tail - head;
            int cap = live >= nodes.length / 2 ? nodes.length * 2 : nodes.length;
            long[] ms2 = new long[cap];
            long[] seq2 = new long[cap];
            Listpack[] nodes2 = new Listpack[cap];
            System.arraycopy(masterMs, head, ms2, 0, live);
            System.arraycopy(masterSeq, head, seq2, 0, live);
            System.arraycopy(nodes, head, nodes2, 0, live);
            masterMs = ms2;
            masterSeq = seq2;
            nodes = nodes2;
            head = 0;
            tail = live;
        }
        masterMs[tail] = ms;
        masterSeq[tail] = seq;
        nodes[tail] = lp;
        tail++;
    }

    private void removeNode(int index) {
        nodeBytes -= nodes[index].capacity();
        if (index == head) {
            nodes[head++] = null;
        } else {
            System.arraycopy(masterMs, index + 1, masterMs, index, tail - index - 1);
            System.arraycopy(masterSeq, index + 1, masterSeq, index, tail - index - 1);
            System.arraycopy(nodes, index + 1, nodes, index, tail - index - 1);
            nodes[--tail] = null;
        }
        if (head == tail) {
            head = 0;
            tail = 0;
        }
    }

    /** Index of the last node whose master id is at most {@code ms-seq}, or -1 (raxSeek "<="). */
    private int nodeAtOrBefore(long ms, long seq) {
        int lo = head;
        int hi = tail - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (StreamId.compare(masterMs[mid], masterSeq[mid], ms, seq) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    // ------------------------------------------------------------------ loading (RDB)

    /** Appends a node read from a file (in id order, checked by the reader). */
    public void addLoadedNode(long ms, long seq, Listpack lp) {
        addNode(ms, seq, lp);
        nodeBytes += lp.capacity();
    }

    /** The counters a file carries. */
    public void setLoadedCounters(long length, long lastMs, long lastSeq, long maxDeletedMs, long maxDeletedSeq,
                                  long entriesAdded) {
        this.length = length;
        this.lastMs = lastMs;
        this.lastSeq = lastSeq;
        this.maxDeletedMs = maxDeletedMs;
        this.maxDeletedSeq = maxDeletedSeq;
        this.entriesAdded = entriesAdded;
    }

    public void setFirstId(long ms, long seq) {
        firstMs = ms;
        firstSeq = seq;
    }

    /** The live entries the nodes' headers count (a loaded value's length is checked against it). */
    public long countLive() {
        long n = 0;
        for (int i = head; i < tail; i++) {
            n += nodes[i].integer(nodes[i].first());
        }
        return n;
    }

    // ------------------------------------------------------------------ the counters XADD/XDEL/XSETID keep

    public void setLastId(long ms, long seq) {
        lastMs = ms;
        lastSeq = seq;
    }

    public void setMaxDeletedId(long ms, long seq) {
        maxDeletedMs = ms;
        maxDeletedSeq = seq;
    }

    public void setEntriesAdded(long n) {
        entriesAdded = n;
    }

    /** Recomputes the first id from the first live entry (0-0 when empty), as Redis after trims and deletes. */
    public void refreshFirstId() {
        if (length == 0) {
            firstMs = 0;
            firstSeq = 0;
            return;
        }
        Cursor c = cursor(0, 0, -1L, -1L, false);
        if (c.next()) {
            firstMs = c.ms();
            firstSeq = c.seq();
        } else {
            firstMs = -1L;
            firstSeq = -1L;
        }
    }

    /**
     * The first entry's id, deleted ones included (streamGetEdgeID without skipping tombstones);
     * the largest id when there are none.
     */
    public StreamId firstIdWithTombstones() {
        if (tail == head) {
            return StreamId.MAX;
        }
        Listpack lp = nodes[head];
        int p = lp.next(lp.next(lp.first()));
        long masterFields = lp.integer(p);
        for (long i = 0; i <= masterFields; i++) {
            p = lp.next(p);
        }
        p = lp.next(p); // past the master terminator: the first entry's flags
        int msAt = lp.next(p);
        return new StreamId(masterMs[head] + lp.integer(msAt), masterSeq[head] + lp.integer(lp.next(msAt)));
    }

    // ------------------------------------------------------------------ deleting and trimming

    /**
     * Deletes the live entry {@code ms-seq} (a tombstone; the node goes when it empties); false
     * when absent. The first id is the caller's to refresh ({@link #refreshFirstId}), once per XDEL.
     */
    public boolean delete(long ms, long seq) {
        Cursor c = cursor(ms, seq, ms, seq, false);
        if (!c.next()) {
            return false;
        }
        c.remove();
        return true;
    }

    /**
     * Trims from the oldest entries (streamTrim): {@code byLength} to at most {@code maxLen}
     * entries, otherwise everything below {@code minMs-minSeq}; {@code approx} removes whole nodes
     * only; {@code limit} (0: none) bounds the entries removed. Returns how many were.
     */
    public long trim(boolean byLength, long maxLen, long minMs, long minSeq, boolean approx, long limit) {
        long deleted = 0;
        while (tail > head) {
            if (byLength && length <= maxLen) {
                break;
            }
            Listpack lp = nodes[head];
            int p = lp.first();
            long entries = lp.integer(p);
            if (limit != 0 && deleted + entries > limit) {
                break;
            }
            boolean removeNode;
            long mMs = masterMs[head];
            long mSeq = masterSeq[head];
            if (byLength) {
                removeNode = length - entries >= maxLen;
            } else {
                // the node's last id (tombstones included)
                int lastCount = lp.last();
                int flagsAt = back(lp, lastCount, (int) lp.integer(lastCount));
                int msAt = lp.next(flagsAt);
                long lMs = mMs + lp.integer(msAt);
                long lSeq = mSeq + lp.integer(lp.next(msAt));
                removeNode = StreamId.compare(lMs, lSeq, minMs, minSeq) < 0;
            }
            if (removeNode) {
                removeNode(head);
                length -= entries;
                deleted += entries;
                continue;
            }
            if (approx) {
                break;
            }
            long deletedHere = 0;
            int capacityBefore = lp.capacity();
            int q = lp.next(lp.next(p));
            long masterFields = lp.integer(q);
            q = lp.next(q);
            for (long j = 0; j < masterFields; j++) {
                q = lp.next(q);
            }
            // q: the master terminator; entries follow
            q = lp.next(q);
            while (q >= 0) {
                int flagsAt = q;
                long flags = lp.integer(q);
                q = lp.next(q);
                long eMs = mMs + lp.integer(q);
                q = lp.next(q);
                long eSeq = mSeq + lp.integer(q);
                q = lp.next(q);
                boolean stop = byLength ? length <= maxLen : StreamId.compare(eMs, eSeq, minMs, minSeq) >= 0;
                if (stop) {
                    break;
                }
                long skip;
                if ((flags & FLAG_SAMEFIELDS) != 0) {
                    skip = masterFields;
                } else {
                    skip = lp.integer(q) * 2;
                    q = lp.next(q);
                }
                for (long j = 0; j < skip; j++) {
                    q = lp.next(q);
                }
                q = lp.next(q); // past the element count
                if ((flags & FLAG_DELETED) == 0) {
                    // flags stay one byte: nothing moves
                    lp.replaceInteger(flagsAt, flags | FLAG_DELETED);
                    deletedHere++;
                    length--;
                }
            }
            deleted += deletedHere;
            int c = lp.first();
            lp.replaceInteger(c, entries - deletedHere);
            int d = lp.next(c);
            lp.replaceInteger(d, lp.integer(d) + deletedHere);
            nodeBytes += lp.capacity() - capacityBefore;
            break;
        }
        if (length == 0) {
            firstMs = 0;
            firstSeq = 0;
        } else if (deleted > 0) {
            refreshFirstId();
        }
        return deleted;
    }

    /** From the element at {@code p}, {@code n} elements back. */
    private static int back(Listpack lp, int p, int n) {
        for (int i = 0; i < n; i++) {
            p = lp.prev(p);
        }
        return p;
    }

    // ------------------------------------------------------------------ iteration

    /**
     * A walk over the live entries from {@code start} to {@code end} inclusive, forward or
     * {@code reverse} (streamIteratorStart); read each entry's id and fields after {@link Cursor#next}.
     */
    public Cursor cursor(long startMs, long startSeq, long endMs, long endSeq, boolean reverse) {
        return new Cursor(startMs, startSeq, endMs, endSeq, reverse);
    }

    /** See {@link #cursor}. */
    public final class Cursor {
        private long startMs;
        private long startSeq;
        private long endMs;
        private long endSeq;
        private final boolean reverse;
        /** Node index (absolute in the arrays) and position; -1 element: node not entered. */
        private int node;
        private Listpack lp;
        private int ele = -1;
        private long mMs;
        private long mSeq;
        private long masterFields;
        private int masterFieldsStart;
        private int masterEnd;
        // the current entry
        private long ms;
        private long seq;
        private int flagsAt;
        private long flags;
        private long numFields;
        private int fieldsAt;
        private int fieldPtr;
        private int masterPtr;

        Cursor(long startMs, long startSeq, long endMs, long endSeq, boolean reverse) {
            this.startMs = startMs;
            this.startSeq = startSeq;
            this.endMs = endMs;
            this.endSeq = endSeq;
            this.reverse = reverse;
            seek();
        }

        private void seek() {
            if (!reverse) {
                int n = (startMs != 0 || startSeq != 0) ? nodeAtOrBefore(startMs, startSeq) : -1;
                node = (n < 0 ? head : n) - 1;
            } else {
                int n = (endMs != 0 || endSeq != 0) ? nodeAtOrBefore(endMs, endSeq) : -1;
                node = (n < 0 ? tail - 1 : n) + 1;
            }
            lp = null;
            ele = -1;
        }

        /** Moves to the next live entry in range; false at the end. */
        public boolean next() {
            while (true) {
                if (lp == null || ele < 0) {
                    node += reverse ? -1 : 1;
                    if (node < head || node >= tail) {
                        return false;
                    }
                    lp = nodes[node];
                    mMs = masterMs[node];
                    mSeq = masterSeq[node];
                    int p = lp.next(lp.next(lp.first()));
                    masterFields = lp.integer(p);
                    masterFieldsStart = lp.next(p);
                    int q = p;
                    for (long i = 0; i < masterFields; i++) {
                        q = lp.next(q);
                    }
                    masterEnd = lp.next(q);
                    if (!reverse) {
                        ele = lp.next(masterEnd);
                    } else {
                        int last = lp.last();
                        ele = last == masterEnd ? -1 : back(lp, last, (int) lp.integer(last));
                    }
                    continue;
                }
                flagsAt = ele;
                flags = lp.integer(ele);
                int p = lp.next(ele);
                ms = mMs + lp.integer(p);
                p = lp.next(p);
                seq = mSeq + lp.integer(p);
                p = lp.next(p);
                if ((flags & FLAG_SAMEFIELDS) != 0) {
                    numFields = masterFields;
                    fieldsAt = p;
                } else {
                    numFields = lp.integer(p);
                    fieldsAt = lp.next(p);
                }
                // the values (and fields) run from fieldsAt to the element count
                int countAt = fieldsAt;
                long elements = (flags & FLAG_SAMEFIELDS) != 0 ? numFields : numFields * 2;
                for (long i = 0; i < elements; i++) {
                    countAt = lp.next(countAt);
                }
                if (!reverse) {
                    ele = lp.next(countAt);
                } else {
                    int prevCount = lp.prev(flagsAt);
                    ele = prevCount == masterEnd ? -1 : back(lp, prevCount, (int) lp.integer(prevCount));
                }
                if ((flags & FLAG_DELETED) != 0) {
                    continue;
                }
                if (!reverse) {
                    if (StreamId.compare(ms, seq, startMs, startSeq) >= 0) {
                        if (StreamId.compare(ms, seq, endMs, endSeq) > 0) {
                            return false;
                        }
                        startFields();
                        return true;
                    }
                } else {
                    if (StreamId.compare(ms, seq, endMs, endSeq) <= 0) {
                        if (StreamId.compare(ms, seq, startMs, startSeq) < 0) {
                            return false;
                        }
                        startFields();
                        return true;
                    }
                }
            }
        }

        private void startFields() {
            fieldPtr = fieldsAt;
            masterPtr = masterFieldsStart;
        }

        public long ms() {
            return ms;
        }

        public long seq() {
            return seq;
        }

        public StreamId id() {
            return new StreamId(ms, seq);
        }

        /** Field/value pairs of the current entry. */
        public int fieldCount() {
            return (int) numFields;
        }

        /** The listpack holding the current entry's fields ({@link #fieldAt}, {@link #valueAt} are offsets in it). */
        public Listpack listpack() {
            return lp;
        }

        /** Offset of the current field; call {@link #advanceField} after reading it and its value. */
        public int fieldAt() {
            return (flags & FLAG_SAMEFIELDS) != 0 ? masterPtr : fieldPtr;
        }

        public int valueAt() {
            return (flags & FLAG_SAMEFIELDS) != 0 ? fieldPtr : lp.next(fieldPtr);
        }

        public void advanceField() {
            if ((flags & FLAG_SAMEFIELDS) != 0) {
                masterPtr = lp.next(masterPtr);
                fieldPtr = lp.next(fieldPtr);
            } else {
                fieldPtr = lp.next(lp.next(fieldPtr));
            }
        }

        /**
         * Deletes the current entry (streamIteratorRemoveEntry): it becomes a tombstone, its node
         * goes when nothing live is left in it; the walk continues after it.
         */
        public void remove() {
            int capacityBefore = lp.capacity();
            lp.replaceInteger(flagsAt, flags | FLAG_DELETED);
            int p = lp.first();
            long live = lp.integer(p);
            if (live == 1) {
                nodeBytes += lp.capacity() - capacityBefore;
                removeNode(node);
            } else {
                lp.replaceInteger(p, live - 1);
                int d = lp.next(p);
                lp.replaceInteger(d, lp.integer(d) + 1);
                nodeBytes += lp.capacity() - capacityBefore;
            }
            length--;
            // start again from the removed entry (now a tombstone), as Redis does
            if (reverse) {
                endMs = ms;
                endSeq = seq;
            } else {
                startMs = ms;
                startSeq = seq;
            }
            seek();
        }
    }

    // ------------------------------------------------------------------ consumer groups

    /** The group named {@code name}, or null (streamLookupCG). */
    public ConsumerGroup group(byte[] name) {
        return groups == null ? null : groups.get(name);
    }

    /** A new group; null when the name exists (streamCreateCG). */
    public ConsumerGroup createGroup(byte[] name, long lastMs, long lastSeq, long entriesRead) {
        if (groups == null) {
            groups = new java.util.TreeMap<>(Arrays::compareUnsigned);
        } else if (groups.containsKey(name)) {
            return null;
        }
        ConsumerGroup g = new ConsumerGroup(name, lastMs, lastSeq, entriesRead);
        groups.put(name, g);
        return g;
    }

    /** Removes a group; false when there was none. */
    public boolean destroyGroup(byte[] name) {
        return groups != null && groups.remove(name) != null;
    }

    public int groupCount() {
        return groups == null ? 0 : groups.size();
    }

    /** The groups in name order (empty when none). */
    public java.util.Collection<ConsumerGroup> groups() {
        return groups == null ? java.util.List.of() : groups.values();
    }

    /** Whether {@code ms-seq} is a live entry (streamEntryExists). */
    public boolean contains(long ms, long seq) {
        Cursor c = cursor(ms, seq, ms, seq, false);
        return c.next();
    }

    /**
     * Whether a deleted entry may lie in [start, end] (streamRangeHasTombstones: only the largest
     * deleted id is known); {@code start}/{@code end} null for open ends.
     */
    public boolean rangeHasTombstones(StreamId start, StreamId end) {
        if (length == 0 || (maxDeletedMs == 0 && maxDeletedSeq == 0)) {
            return false;
        }
        if (StreamId.compare(firstMs, firstSeq, maxDeletedMs, maxDeletedSeq) > 0) {
            return false;
        }
        long sm = start == null ? 0 : start.ms;
        long ss = start == null ? 0 : start.seq;
        long em = end == null ? -1L : end.ms;
        long es = end == null ? -1L : end.seq;
        return StreamId.compare(sm, ss, maxDeletedMs, maxDeletedSeq) <= 0
                && StreamId.compare(maxDeletedMs, maxDeletedSeq, em, es) <= 0;
    }

    /**
     * The logical read counter of id {@code ms-seq}: its distance from the first entry ever
     * added, or -1 when it cannot be known (streamEstimateDistanceFromFirstEverEntry).
     */
    public long estimateDistance(long ms, long seq) {
        if (entriesAdded == 0) {
            return 0;
        }
        int cmpLast = StreamId.compare(ms, seq, lastMs, lastSeq);
        if (length == 0 && cmpLast < 1) {
            return entriesAdded;
        }
        if (cmpLast == 0) {
            return entriesAdded;
        } else if (cmpLast > 0) {
            return ConsumerGroup.INVALID_ENTRIES_READ;
        }
        int cmpFirst = StreamId.compare(ms, seq, firstMs, firstSeq);
        boolean noTombstones = (maxDeletedMs == 0 && maxDeletedSeq == 0)
                || StreamId.compare(maxDeletedMs, maxDeletedSeq, firstMs, firstSeq) < 0;
        if (noTombstones) {
            if (cmpFirst < 0) {
                return entriesAdded - length;
            } else if (cmpFirst == 0) {
                return entriesAdded - length + 1;
            }
        }
        return ConsumerGroup.INVALID_ENTRIES_READ;
    }

    /** A group's lag, entries not yet delivered to it, or {@link Long#MIN_VALUE} when unknown (streamReplyWithCGLag). */
    public long lag(ConsumerGroup g) {
        if (entriesAdded == 0) {
            return 0;
        }
        if (g.entriesRead != ConsumerGroup.INVALID_ENTRIES_READ && !rangeHasTombstones(g.lastId(), null)) {
            return entriesAdded - g.entriesRead;
        }
        long read = estimateDistance(g.lastMs, g.lastSeq);
        return read == ConsumerGroup.INVALID_ENTRIES_READ ? Long.MIN_VALUE : entriesAdded - read;
    }

    /**
     * A delivery of entry {@code ms-seq} to group {@code g} moves its last id forward, keeping
     * its read counter when it can (the first half of streamReplyWithRange with a group). Returns
     * whether the last id moved.
     */
    public boolean advanceGroup(ConsumerGroup g, long ms, long seq) {
        if (StreamId.compare(ms, seq, g.lastMs, g.lastSeq) <= 0) {
            return false;
        }
        if (g.entriesRead != ConsumerGroup.INVALID_ENTRIES_READ && !rangeHasTombstones(new StreamId(ms, seq), null)) {
            g.entriesRead++;
        } else if (entriesAdded != 0) {
            g.entriesRead = estimateDistance(ms, seq);
        }
        g.lastMs = ms;
        g.lastSeq = seq;
        return true;
    }

    /**
     * The number of radix-tree nodes Redis would hold for these nodes' master ids (XINFO STREAM's
     * radix-tree-nodes): the compressed trie of the 16-byte big-endian keys, one node per branch,
     * per run of single-child bytes, per key, plus the root.
     */
    public long radixTreeNodes() {
        int n = tail - head;
        if (n == 0) {
            return 1;
        }
        byte[][] keys = new byte[n][];
        for (int i = 0; i < n; i++) {
            byte[] k = new byte[16];
            long ms = masterMs[head + i];
            long seq = masterSeq[head + i];
            for (int b = 0; b < 8; b++) {
                k[b] = (byte) (ms >>> (56 - 8 * b));
                k[8 + b] = (byte) (seq >>> (56 - 8 * b));
            }
            keys[i] = k;
        }
        return raxNodes(keys, 0, n, 0);
    }

    /** Nodes of the compressed trie of sorted {@code keys[lo, hi)}, which share {@code depth} bytes, from a node at {@code depth}. */
    private static long raxNodes(byte[][] keys, int lo, int hi, int depth) {
        if (depth == 16) {
            return 1;
        }
        int d = depth;
        while (d < 16 && keys[lo][d] == keys[hi - 1][d]) {
            d++;
        }
        if (d > depth) {
            // a compressed node, then the node where the keys part (or end)
            return 1 + raxNodes(keys, lo, hi, d);
        }
        long total = 1;
        int i = lo;
        while (i < hi) {
            int j = i + 1;
            while (j < hi && keys[j][d] == keys[i][d]) {
                j++;
            }
            total += raxNodes(keys, i, j, d + 1);
            i = j;
        }
        return total;
    }

    // ------------------------------------------------------------------ MutableValue

    @Override
    public StreamValue copy() {
        StreamValue c = new StreamValue();
        int n = tail - head;
        c.masterMs = Arrays.copyOfRange(masterMs, head, head + Math.max(n, 1));
        c.masterSeq = Arrays.copyOfRange(masterSeq, head, head + Math.max(n, 1));
        c.nodes = new Listpack[Math.max(n, 1)];
        for (int i = 0; i < n; i++) {
            c.nodes[i] = nodes[head + i].copy();
            c.nodeBytes += c.nodes[i].capacity();
        }
        c.head = 0;
        c.tail = n;
        c.length = length;
        c.lastMs = lastMs;
        c.lastSeq = lastSeq;
        c.firstMs = firstMs;
        c.firstSeq = firstSeq;
        c.maxDeletedMs = maxDeletedMs;
        c.maxDeletedSeq = maxDeletedSeq;
        c.entriesAdded = entriesAdded;
        if (groups != null) {
            c.groups = new java.util.TreeMap<>(Arrays::compareUnsigned);
            for (ConsumerGroup g : groups.values()) {
                c.groups.put(g.name, g.copy());
            }
        }
        return c;
    }

    /** The running total of the nodes' capacities (tests check it against the nodes). */
    long nodeBytes() {
        return nodeBytes;
    }

    @Override
    public long memoryUsage() {
        long m = 96 + 24L * nodes.length + 48L * (tail - head) + nodeBytes;
        if (groups != null) {
            for (ConsumerGroup g : groups.values()) {
                m += g.memoryUsage();
            }
        }
        return m;
    }
}
