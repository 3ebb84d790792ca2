package io.cachalot.core.types.stream;

/**
 * A stream entry id: milliseconds and sequence, both unsigned 64-bit as in Redis, ordered as
 * one 128-bit number.
 */
public final class StreamId implements Comparable<StreamId> {
    public static final StreamId MIN = new StreamId(0, 0);
    public static final StreamId MAX = new StreamId(-1L, -1L);

    public final long ms;
    public final long seq;

    public StreamId(long ms, long seq) {
        this.ms = ms;
        this.seq = seq;
    }

    public static int compare(long ms1, long seq1, long ms2, long seq2) {
        int c = Long.compareUnsigned(ms1, ms2);
        return c != 0 ? c : Long.compareUnsigned(seq1, seq2);
    }

    @Override
    public int compareTo(StreamId o) {
        return compare(ms, seq, o.ms, o.seq);
    }

    /** The next id (streamIncrID); null after the largest. */
    public StreamId next() {
        if (seq == -1L) {
            return ms == -1L ? null : new StreamId(ms + 1, 0);
        }
        return new StreamId(ms, seq + 1);
    }

    /** The previous id (streamDecrID); null before 0-0. */
    public StreamId previous() {
        if (seq == 0) {
            return ms == 0 ? null : new StreamId(ms - 1, -1L);
        }
        return new StreamId(ms, seq - 1);
    }

    public boolean isZero() {
        return ms == 0 && seq == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamId && ((StreamId) o).ms == ms && ((StreamId) o).seq == seq;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(ms) * 31 + Long.hashCode(seq);
    }

    /** "ms-seq" as bytes, as replies and propagated commands carry it. */
    public static byte[] bytes(long ms, long seq) {
        if (ms < 0 || seq < 0) {
            // above 2^63: the unsigned text (rare; the formatter below is for signed values)
            return (Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        // every entry of a range reply has one: straight into the array, no String on the way
        int a = io.cachalot.core.util.Numbers.length(ms);
        int b = io.cachalot.core.util.Numbers.length(seq);
        byte[] out = new byte[a + 1 + b];
        io.cachalot.core.util.Numbers.write(ms, out, 0, a);
        out[a] = '-';
        io.cachalot.core.util.Numbers.write(seq, out, a + 1, b);
        return out;
    }

    /** "ms-seq" in decimal, as replies show it. */
    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }
}
