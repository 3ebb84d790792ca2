package io.cachalot.core.types.stream;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stream consumer group (Redis' streamCG): the last id delivered, the logical read counter
 * Redis 7.0 keeps for the lag (-1: unknown), the pending entries list of the whole group and
 * the consumers, each with the part of that list it owns. Names order as Redis' radix tree orders
 * them (unsigned bytes), pending entries by id.
 */
public final class ConsumerGroup {
    /** entries_read when it cannot be known (SCG_INVALID_ENTRIES_READ). */
    public static final long INVALID_ENTRIES_READ = -1;

    final byte[] name;
    public long lastMs;
    public long lastSeq;
    public long entriesRead;
    final TreeMap<StreamId, PendingEntry> pending = new TreeMap<>();
    final TreeMap<byte[], Consumer> consumers = new TreeMap<>(Arrays::compareUnsigned);
    /** The consumers' estimated sizes, kept as they come and go (MEMORY USAGE runs around every write). */
    private long consumerBytes;

    ConsumerGroup(byte[] name, long lastMs, long lastSeq, long entriesRead) {
        this.name = name;
        this.lastMs = lastMs;
        this.lastSeq = lastSeq;
        this.entriesRead = entriesRead;
    }

    public byte[] name() {
        return name;
    }

    public StreamId lastId() {
        return new StreamId(lastMs, lastSeq);
    }

    public void setLastId(long ms, long seq) {
        lastMs = ms;
        lastSeq = seq;
    }

    /** The group's pending entries in id order (read-only to callers). */
    public TreeMap<StreamId, PendingEntry> pending() {
        return pending;
    }

    /** The consumers in name order (read-only to callers). */
    public TreeMap<byte[], Consumer> consumers() {
        return consumers;
    }

    public Consumer consumer(byte[] name) {
        return consumers.get(name);
    }

    /** A new consumer seen at {@code now}; null when the name exists (streamCreateConsumer). */
    public Consumer createConsumer(byte[] name, long now) {
        if (consumers.containsKey(name)) {
            return null;
        }
        Consumer c = new Consumer(name, now);
        consumers.put(name, c);
        consumerBytes += consumerSize(c);
        return c;
    }

    /** Deletes a consumer and the entries it owned from the group's list; returns how many it owned. */
    public long deleteConsumer(Consumer c) {
        long n = c.pending.size();
        for (StreamId id : c.pending.keySet()) {
            pending.remove(id);
        }
        consumers.remove(c.name);
        consumerBytes -= consumerSize(c);
        return n;
    }

    /**
     * Records the delivery of {@code id} to {@code c} at {@code now} (streamReplyWithRange with a
     * group): a new pending entry, or one another consumer had, moved to {@code c} and counted
     * as a first delivery again (the group's last id may have been set back). Returns it.
     */
    public PendingEntry deliver(StreamId id, Consumer c, long now) {
        PendingEntry p = pending.get(id);
        if (p == null) {
            p = new PendingEntry(c, now, 1);
            pending.put(id, p);
            c.pending.put(id, p);
            return p;
        }
        p.consumer.pending.remove(id);
        p.consumer = c;
        p.deliveryTime = now;
        p.deliveryCount = 1;
        c.pending.put(id, p);
        return p;
    }

    /** Acknowledges {@code id}: true when it was pending. */
    public boolean ack(StreamId id) {
        PendingEntry p = pending.remove(id);
        if (p == null) {
            return false;
        }
        if (p.consumer != null) {
            p.consumer.pending.remove(id);
        }
        return true;
    }

    /** XCLAIM FORCE: a pending entry with no owner yet (delivered once, now: streamCreateNACK), for {@link #transfer} to give one. */
    public PendingEntry createUnowned(StreamId id, long now) {
        PendingEntry p = new PendingEntry(null, now, 1);
        pending.put(id, p);
        return p;
    }

    /** Gives pending entry {@code p} (id {@code id}) to {@code c}. */
    public void transfer(StreamId id, PendingEntry p, Consumer c) {
        if (p.consumer != c) {
            if (p.consumer != null) {
                p.consumer.pending.remove(id);
            }
            c.pending.put(id, p);
            p.consumer = c;
        }
    }

    /** Loading: a pending entry whose owner comes later ({@link #loadOwned}); false when the id is there already. */
    public boolean loadPending(StreamId id, long deliveryTime, long deliveryCount) {
        return pending.putIfAbsent(id, new PendingEntry(null, deliveryTime, deliveryCount)) == null;
    }

    /** Loading: {@code c} owns the group's pending entry {@code id}; false when there is none or it has an owner. */
    public boolean loadOwned(Consumer c, StreamId id) {
        PendingEntry p = pending.get(id);
        if (p == null || p.consumer != null) {
            return false;
        }
        p.consumer = c;
        c.pending.put(id, p);
        return true;
    }

    /** Loading: whether every pending entry got its owner. */
    public boolean allOwned() {
        for (PendingEntry p : pending.values()) {
            if (p.consumer == null) {
                return false;
            }
        }
        return true;
    }

    /** A deep copy (COPY, RESTORE's streamDup), the pending entries shared as in the original. */
    ConsumerGroup copy() {
        ConsumerGroup g = new ConsumerGroup(name, lastMs, lastSeq, entriesRead);
        for (Map.Entry<byte[], Consumer> ce : consumers.entrySet()) {
            Consumer src = ce.getValue();
            Consumer c = new Consumer(src.name, src.seenTime);
            g.consumers.put(c.name, c);
            g.consumerBytes += consumerSize(c);
            for (Map.Entry<StreamId, PendingEntry> pe : src.pending.entrySet()) {
                PendingEntry p = new PendingEntry(c, pe.getValue().deliveryTime, pe.getValue().deliveryCount);
                c.pending.put(pe.getKey(), p);
                g.pending.put(pe.getKey(), p);
            }
        }
        return g;
    }

    /** An estimate of the heap this group takes, for MEMORY USAGE and maxmemory. */
    long memoryUsage() {
        return 160 + name.length + pending.size() * 152L + consumerBytes;
    }

    private static long consumerSize(Consumer c) {
        return 120 + c.name.length;
    }
}
