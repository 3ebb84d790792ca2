package io.cachalot.core.types.stream;

import io.cachalot.core.types.listpack.Listpack;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The stream's nodes against a plain ordered map: appends, ranges both ways, deletes and trims. */
class StreamValueTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String entry(StreamValue.Cursor c) {
        Listpack lp = c.listpack();
        StringBuilder sb = new StringBuilder(c.id().toString());
        for (int i = 0; i < c.fieldCount(); i++) {
            sb.append(' ').append(new String(lp.bytesAt(c.fieldAt()), StandardCharsets.ISO_8859_1))
                    .append('=').append(new String(lp.bytesAt(c.valueAt()), StandardCharsets.ISO_8859_1));
            c.advanceField();
        }
        return sb.toString();
    }

    private static List<String> range(StreamValue s, StreamId from, StreamId to, boolean reverse) {
        List<String> out = new ArrayList<>();
        StreamValue.Cursor c = s.cursor(from.ms, from.seq, to.ms, to.seq, reverse);
        while (c.next()) {
            out.add(entry(c));
        }
        return out;
    }

    private static List<String> model(TreeMap<StreamId, String> m, StreamId from, StreamId to, boolean reverse) {
        if (from.compareTo(to) > 0) {
            return List.of();
        }
        List<String> out = new ArrayList<>(m.subMap(from, true, to, true).values());
        if (reverse) {
            java.util.Collections.reverse(out);
        }
        return out;
    }

    @Test
    void matchesAnOrderedMapThroughAppendsDeletesAndTrims() {
        Random rnd = new Random(11);
        for (int round = 0; round < 20; round++) {
            StreamValue s = new StreamValue();
            TreeMap<StreamId, String> m = new TreeMap<>();
            long ms = 1;
            long seq = 0;
            int maxEntries = 1 + rnd.nextInt(120);
            int maxBytes = rnd.nextBoolean() ? 4096 : 200 + rnd.nextInt(2000);
            for (int step = 0; step < 3000; step++) {
                int op = rnd.nextInt(20);
                if (op < 12) {
                    if (rnd.nextInt(3) == 0) {
                        ms += 1 + rnd.nextInt(1000);
                        seq = 0;
                    } else {
                        seq++;
                    }
                    int n = 1 + rnd.nextInt(3);
                    byte[][] argv = new byte[2 * n][];
                    StringBuilder sb = new StringBuilder(ms + "-" + seq);
                    for (int i = 0; i < n; i++) {
                        String f = rnd.nextInt(4) == 0 ? "f" + rnd.nextInt(5) : "f" + i;
                        String v = rnd.nextInt(3) == 0 ? Integer.toString(rnd.nextInt(2000) - 1000)
                                : "v".repeat(rnd.nextInt(30));
                        argv[2 * i] = b(f);
                        argv[2 * i + 1] = b(v);
                        sb.append(' ').append(f).append('=').append(v);
                    }
                    s.append(ms, seq, argv, 0, n, maxBytes, maxEntries);
                    m.put(new StreamId(ms, seq), sb.toString());
                } else if (op < 15 && !m.isEmpty()) {
                    StreamId victim = pick(rnd, m);
                    boolean present = m.remove(victim) != null;
                    assertThat(s.delete(victim.ms, victim.seq)).isEqualTo(present);
                    assertThat(s.delete(victim.ms, victim.seq)).isFalse();
                    s.refreshFirstId(); // as XDEL does once per command
                } else if (op == 15) {
                    long maxLen = rnd.nextInt(Math.max(1, m.size() + 5));
                    boolean approx = rnd.nextBoolean();
                    long removed = s.trim(true, maxLen, 0, 0, approx, approx ? 100L * maxEntries : 0);
                    for (long i = 0; i < removed; i++) {
                        m.pollFirstEntry();
                    }
                    if (!approx) {
                        assertThat(s.length()).isLessThanOrEqualTo(Math.max(maxLen, 0));
                    }
                } else if (op == 16 && !m.isEmpty()) {
                    StreamId min = pick(rnd, m);
                    boolean approx = rnd.nextBoolean();
                    long removed = s.trim(false, 0, min.ms, min.seq, approx, 0);
                    long below = m.headMap(min).size();
                    if (!approx) {
                        assertThat(removed).isEqualTo(below);
                    }
                    for (long i = 0; i < removed; i++) {
                        m.pollFirstEntry();
                    }
                } else {
                    StreamId a = m.isEmpty() ? StreamId.MIN : pick(rnd, m);
                    StreamId z = m.isEmpty() ? StreamId.MAX : pick(rnd, m);
                    boolean rev = rnd.nextBoolean();
                    assertThat(range(s, a, z, rev)).isEqualTo(model(m, a, z, rev));
                }
                assertThat(s.length()).isEqualTo(m.size());
                StreamId first = m.isEmpty() ? StreamId.MIN : m.firstKey();
                assertThat(s.firstId()).isEqualTo(first);
            }
            assertThat(range(s, StreamId.MIN, StreamId.MAX, false)).isEqualTo(model(m, StreamId.MIN, StreamId.MAX, false));
            assertThat(range(s, StreamId.MIN, StreamId.MAX, true)).isEqualTo(model(m, StreamId.MIN, StreamId.MAX, true));
            // every node is a valid listpack whose counters add up
            long live = 0;
            for (int i = 0; i < s.nodeCount(); i++) {
                Listpack lp = s.node(i);
                assertThat(Listpack.of(lp.toByteArray())).isNotNull();
                live += lp.integer(lp.first());
                assertThat(lp.integer(lp.first())).isPositive();
            }
            assertThat(live).isEqualTo(m.size());
            long capacities = 0;
            for (int i = 0; i < s.nodeCount(); i++) {
                capacities += s.node(i).capacity();
            }
            // the running total MEMORY USAGE reads agrees with the nodes
            assertThat(s.nodeBytes()).isEqualTo(capacities);
            StreamValue copy = s.copy();
            assertThat(range(copy, StreamId.MIN, StreamId.MAX, false)).isEqualTo(model(m, StreamId.MIN, StreamId.MAX, false));
        }
    }

    private static StreamId pick(Random rnd, TreeMap<StreamId, String> m) {
        int i = rnd.nextInt(m.size());
        for (Map.Entry<StreamId, String> e : m.entrySet()) {
            if (i-- == 0) {
                return rnd.nextInt(4) == 0 ? e.getKey().next() : e.getKey();
            }
        }
        throw new AssertionError();
    }
}
