package io.cachalot.core.persist.rdb;

import io.cachalot.core.types.listpack.Listpack;
import io.cachalot.core.types.stream.Consumer;
import io.cachalot.core.types.stream.ConsumerGroup;
import io.cachalot.core.types.stream.PendingEntry;
import io.cachalot.core.types.stream.StreamId;
import io.cachalot.core.types.stream.StreamValue;

/**
 * A stream in RDB (RDB_TYPE_STREAM_LISTPACKS_2, Redis 7.0; the older RDB_TYPE_STREAM_LISTPACKS
 * read too): the nodes as (16-byte big-endian master id, listpack) pairs, then the length, the
 * last and first ids, the largest deleted id, the number of entries ever added and the consumer
 * groups: per group its name, last id, read counter (v2), the pending entries (16-byte id,
 * delivery time as 8 little-endian bytes, delivery count), then the consumers (name, seen time,
 * the ids they own, which must be pending in the group).
 */
import java.util.Map;

final class RdbStreams {
    private RdbStreams() {
    }

    static void write(RdbOutput out, StreamValue s) {
        // also the scratch buffer of the raw ids below
        out.writeLength(s.nodeCount());
        byte[] key = new byte[16];
        for (int i = 0; i < s.nodeCount(); i++) {
            putBigEndian(key, 0, s.nodeMasterMs(i));
            putBigEndian(key, 8, s.nodeMasterSeq(i));
            out.writeString(key);
            Listpack lp = s.node(i);
            out.writeString(lp.array(), 0, lp.bytes());
        }
        out.writeLength(s.length());
        StreamId last = s.lastId();
        out.writeLength(last.ms);
        out.writeLength(last.seq);
        StreamId first = s.firstId();
        out.writeLength(first.ms);
        out.writeLength(first.seq);
        StreamId deleted = s.maxDeletedId();
        out.writeLength(deleted.ms);
        out.writeLength(deleted.seq);
        out.writeLength(s.entriesAdded());
        out.writeLength(s.groupCount());
        for (ConsumerGroup g : s.groups()) {
            out.writeString(g.name());
            StreamId gl = g.lastId();
            out.writeLength(gl.ms);
            out.writeLength(gl.seq);
            out.writeLength(g.entriesRead);
            out.writeLength(g.pending().size());
            for (Map.Entry<StreamId, PendingEntry> pe : g.pending().entrySet()) {
                writeRawId(out, key, pe.getKey());
                out.writeLittleEndian(pe.getValue().deliveryTime, 8);
                out.writeLength(pe.getValue().deliveryCount);
            }
            out.writeLength(g.consumers().size());
            for (Consumer c : g.consumers().values()) {
                out.writeString(c.name());
                out.writeLittleEndian(c.seenTime, 8);
                out.writeLength(c.pending().size());
                for (StreamId id : c.pending().keySet()) {
                    writeRawId(out, key, id);
                }
            }
        }
    }

    private static void writeRawId(RdbOutput out, byte[] buf, StreamId id) {
        putBigEndian(buf, 0, id.ms);
        putBigEndian(buf, 8, id.seq);
        out.writeBytes(buf, 0, 16);
    }

    private static StreamId readRawId(RdbInput in) throws RdbFormatException {
        long ms = in.readBigEndian(8);
        return new StreamId(ms, in.readBigEndian(8));
    }

    static StreamValue read(RdbInput in, boolean v2) throws RdbFormatException {
        StreamValue s = new StreamValue();
        long nodes = in.readLength();
        long lastMs = 0;
        long lastSeq = 0;
        for (long i = 0; i < nodes; i++) {
            byte[] key = in.readString();
            if (key.length != 16) {
                throw new RdbFormatException("stream node key is not 128 bits");
            }
            byte[] bytes = in.readString();
            Listpack lp = Listpack.of(bytes);
            if (lp == null) {
                throw new RdbFormatException("stream listpack integrity check failed");
            }
            if (lp.first() < 0) {
                throw new RdbFormatException("empty listpack inside stream");
            }
            long ms = getBigEndian(key, 0);
            long seq = getBigEndian(key, 8);
            if (i > 0 && StreamId.compare(ms, seq, lastMs, lastSeq) <= 0) {
                throw new RdbFormatException("stream nodes out of order");
            }
            lastMs = ms;
            lastSeq = seq;
            s.addLoadedNode(ms, seq, lp);
        }
        long length = in.readLength();
        long lMs = in.readUnsignedLength();
        long lSeq = in.readUnsignedLength();
        long fMs = 0;
        long fSeq = 0;
        long dMs = 0;
        long dSeq = 0;
        long added = length;
        if (v2) {
            fMs = in.readUnsignedLength();
            fSeq = in.readUnsignedLength();
            dMs = in.readUnsignedLength();
            dSeq = in.readUnsignedLength();
            added = in.readLength();
        }
        s.setLoadedCounters(length, lMs, lSeq, dMs, dSeq, added);
        if (v2) {
            s.setFirstId(fMs, fSeq);
        } else {
            s.refreshFirstId();
        }
        if (s.countLive() != length) {
            throw new RdbFormatException("stream length does not match its entries");
        }
        long groups = in.readLength();
        for (long i = 0; i < groups; i++) {
            byte[] name = in.readString();
            long ms = in.readUnsignedLength();
            long seq = in.readUnsignedLength();
            long read = v2 ? in.readUnsignedLength() : s.estimateDistance(ms, seq);
            ConsumerGroup g = s.createGroup(name, ms, seq, read);
            if (g == null) {
                throw new RdbFormatException("duplicated consumer group name");
            }
            long pending = in.readLength();
            for (long j = 0; j < pending; j++) {
                StreamId id = readRawId(in);
                long time = in.readLittleEndian(8);
                long count = in.readUnsignedLength();
                if (!g.loadPending(id, time, count)) {
                    throw new RdbFormatException("duplicated global PEL entry loading stream consumer group");
                }
            }
            long consumers = in.readLength();
            for (long j = 0; j < consumers; j++) {
                byte[] cname = in.readString();
                Consumer c = g.createConsumer(cname, 0);
                if (c == null) {
                    throw new RdbFormatException("duplicate stream consumer detected");
                }
                c.seenTime = in.readLittleEndian(8);
                long owned = in.readLength();
                for (long k = 0; k < owned; k++) {
                    if (!g.loadOwned(c, readRawId(in))) {
                        throw new RdbFormatException("consumer entry not found in group global PEL");
                    }
                }
            }
            if (!g.allOwned()) {
                throw new RdbFormatException("stream CG PEL entry without consumer");
            }
        }
        return s;
    }

    private static void putBigEndian(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    private static long getBigEndian(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }
}
