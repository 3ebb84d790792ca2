package io.cachalot.core.persist.rdb;

import io.cachalot.core.types.listpack.Listpack;
import io.cachalot.core.types.stream.StreamId;
import io.cachalot.core.types.stream.StreamValue;

/**
 * A stream in RDB (RDB_TYPE_STREAM_LISTPACKS_2, Redis 7.0; the older RDB_TYPE_STREAM_LISTPACKS
 * read too): the nodes as (16-byte big-endian master id, listpack) pairs, then the length, the
 * last and first ids, the largest deleted id, the number of entries ever added and the consumer
 * groups. Consumer groups are not built yet: a value that has some is refused rather than loaded
 * without them.
 */
final class RdbStreams {
    private RdbStreams() {
    }

    static void write(RdbOutput out, StreamValue s) {
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
        out.writeLength(0); // consumer groups
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
        if (groups != 0) {
            throw new RdbFormatException("stream consumer groups are not supported yet");
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
