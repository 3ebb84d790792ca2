package io.cachalot.core.types.zset;

import io.cachalot.core.util.Bytes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Both forms of sorted sets against a model: a TreeSet ordered by (score, member bytes). */
class ZSetValueTest {
    private record Pair(double score, byte[] member) {
    }

    private static int compare(Pair a, Pair b) {
        return ScoreTree.compare(a.score, a.member, b.score, b.member);
    }

    private static byte[] member(Random rnd, int universe) {
        return Bytes.ascii("m" + rnd.nextInt(universe));
    }

    private static List<Pair> contents(ZSetValue z) {
        List<Pair> out = new ArrayList<>();
        if (z.size() == 0) {
            return out;
        }
        ZSetValue.Cursor c = z.cursor();
        c.seek(0);
        do {
            out.add(new Pair(c.score(), c.member()));
        } while (c.next());
        return out;
    }

    private static void assertSame(ZSetValue z, TreeSet<Pair> model) {
        List<Pair> got = contents(z);
        assertThat(got).hasSize(model.size());
        int i = 0;
        for (Pair p : model) {
            assertThat(got.get(i).score).isEqualTo(p.score);
            assertThat(got.get(i).member).isEqualTo(p.member);
            i++;
        }
        // backwards too
        if (z.size() > 0) {
            ZSetValue.Cursor c = z.cursor();
            c.seek(z.size() - 1);
            int k = z.size() - 1;
            do {
                assertThat(c.member()).isEqualTo(got.get(k).member);
                assertThat(c.rank()).isEqualTo(k);
                k--;
            } while (c.prev());
            assertThat(k).isEqualTo(-1);
        }
    }

    @Test
    void randomOperationsAgreeWithTheModelInBothForms() {
        for (long seed = 1; seed <= 12; seed++) {
            Random rnd = new Random(seed);
            boolean packed = seed % 3 == 0;
            int universe = packed ? 100 : 3000;
            ZSetValue z = packed ? ZSetValue.packed() : ZSetValue.tree();
            TreeSet<Pair> model = new TreeSet<>(ZSetValueTest::compare);
            Map<String, Double> scores = new HashMap<>();
            for (int step = 0; step < (packed ? 3000 : 30_000); step++) {
                byte[] m = member(rnd, universe);
                String key = Bytes.latin1(m);
                double s = rnd.nextInt(4) == 0 ? rnd.nextInt(5) : rnd.nextGaussian() * 100;
                int op = rnd.nextInt(10);
                Double old = scores.get(key);
                if (op < 4) {
                    if (old == null) {
                        z.insert(m, s);
                        model.add(new Pair(s, m));
                        scores.put(key, s);
                    } else {
                        z.updateScore(m, old, s);
                        model.remove(new Pair(old, m));
                        model.add(new Pair(s, m));
                        scores.put(key, s);
                    }
                } else if (op < 6) {
                    assertThat(z.remove(m)).isEqualTo(old != null);
                    if (old != null) {
                        model.remove(new Pair(old, m));
                        scores.remove(key);
                    }
                } else if (op < 8) {
                    assertThat((Double) z.score(m)).isEqualTo(old == null ? (Double) Double.NaN : old);
                    int expected = old == null ? -1 : model.headSet(new Pair(old, m)).size();
                    assertThat(z.rank(m)).isEqualTo(expected);
                    assertThat(z.countBelowScore(s, false)).isEqualTo(model.headSet(new Pair(s, new byte[0])).size());
                    long le = model.stream().filter(p -> p.score <= s).count();
                    assertThat(z.countBelowScore(s, true)).isEqualTo((int) le);
                } else if (op == 8 && z.size() > 0) {
                    int from = rnd.nextInt(z.size());
                    int to = Math.min(z.size() - 1, from + rnd.nextInt(packed ? 5 : 200));
                    List<Pair> all = new ArrayList<>(model);
                    assertThat(z.removeRange(from, to)).isEqualTo(to - from + 1);
                    for (int k = from; k <= to; k++) {
                        model.remove(all.get(k));
                        scores.remove(Bytes.latin1(all.get(k).member));
                    }
                } else if (z.size() > 0) {
                    int r = rnd.nextInt(z.size());
                    ZSetValue.Cursor c = z.cursor();
                    c.seek(r);
                    Pair p = new ArrayList<>(model).get(r);
                    assertThat(c.member()).isEqualTo(p.member);
                }
                assertThat(z.size()).isEqualTo(model.size());
                if (step % 997 == 0) {
                    z.verify();
                    assertSame(z, model);
                    ZSetValue copy = z.copy();
                    copy.verify();
                    assertSame(copy, model);
                }
            }
            z.verify();
            assertSame(z, model);
            if (packed) {
                z.toTree();
            } else {
                z.toPacked();
            }
            z.verify();
            assertSame(z, model);
        }
    }

    @Test
    void deepTreeSurvivesBulkInsertAndRandomDeletion() {
        Random rnd = new Random(42);
        ZSetValue z = ZSetValue.tree();
        int n = 400_000; // three inner levels at 64 per node
        List<byte[]> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] m = Bytes.ascii("e" + i);
            members.add(m);
            z.insert(m, rnd.nextInt(1000));
        }
        z.verify();
        java.util.Collections.shuffle(members, rnd);
        for (int i = 0; i < n - 10; i++) {
            assertThat(z.remove(members.get(i))).isTrue();
            if (i % 100_000 == 0) {
                z.verify();
            }
        }
        z.verify();
        assertThat(z.size()).isEqualTo(10);
        double prev = Double.NEGATIVE_INFINITY;
        for (Pair p : contents(z)) {
            assertThat(p.score).isGreaterThanOrEqualTo(prev);
            prev = p.score;
        }
    }

    @Test
    void lexCountsWhenAllScoresAreEqual() {
        for (ZSetValue z : new ZSetValue[] {ZSetValue.packed(), ZSetValue.tree()}) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                names.add(String.format("k%04d", i * 3));
            }
            for (String n : names) {
                z.insert(Bytes.ascii(n), 0);
            }
            assertThat(z.countBelowLex(Bytes.ascii("k0003"), false)).isEqualTo(1);
            assertThat(z.countBelowLex(Bytes.ascii("k0003"), true)).isEqualTo(2);
            assertThat(z.countBelowLex(Bytes.ascii("k0004"), true)).isEqualTo(2);
            assertThat(z.countBelowLex(Bytes.ascii("a"), true)).isZero();
            assertThat(z.countBelowLex(Bytes.ascii("z"), false)).isEqualTo(500);
        }
    }

    @Test
    void negativeZeroEqualsZeroAndMembersOrderUnsigned() {
        ZSetValue z = ZSetValue.tree();
        z.insert(new byte[] {(byte) 0xff}, 0.0);
        z.insert(new byte[] {1}, -0.0);
        z.insert(new byte[] {}, 0.0);
        List<Pair> c = contents(z);
        assertThat(c).extracting(p -> Arrays.toString(p.member)).containsExactly("[]", "[1]", "[-1]");
        assertThat(z.countBelowScore(0.0, false)).isZero();
        assertThat(z.countBelowScore(-0.0, true)).isEqualTo(3);
    }
}
