package io.cachalot.core.types;

import io.cachalot.core.types.list.QuickList;
import io.cachalot.core.util.Bytes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** QuickList against java.util.ArrayList under random operations, for several node sizes. */
class QuickListTest {
    private static byte[] value(Random r) {
        int len = r.nextInt(10) == 0 ? r.nextInt(20_000) : r.nextInt(12);
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) ('a' + r.nextInt(3));
        }
        return b;
    }

    private static void check(QuickList q, List<byte[]> model) {
        assertThat(q.size()).isEqualTo(model.size());
        if (model.isEmpty()) {
            return;
        }
        QuickList.Cursor c = q.at(0);
        for (int i = 0; i < model.size(); i++) {
            assertThat(c.bytes()).as("index %d", i).isEqualTo(model.get(i));
            assertThat(c.next()).isEqualTo(i < model.size() - 1);
        }
        c = q.at(model.size() - 1);
        for (int i = model.size() - 1; i >= 0; i--) {
            assertThat(c.bytes()).isEqualTo(model.get(i));
            assertThat(c.prev()).isEqualTo(i > 0);
        }
        assertThat(q.memoryUsage()).isPositive();
    }

    @Test
    void randomOperationsMatchAModel() {
        for (int fill : new int[] {-2, -1, -5, 1, 2, 4, 128}) {
            Random r = new Random(fill + 1000);
            QuickList q = new QuickList(fill);
            List<byte[]> model = new ArrayList<>();
            for (int step = 0; step < 6000; step++) {
                int op = r.nextInt(12);
                if (op <= 2) {
                    byte[] v = value(r);
                    q.pushHead(v);
                    model.add(0, v);
                } else if (op <= 5) {
                    byte[] v = value(r);
                    q.pushTail(v);
                    model.add(v);
                } else if (op == 6 && !model.isEmpty()) {
                    assertThat(q.popHead()).isEqualTo(model.remove(0));
                } else if (op == 7 && !model.isEmpty()) {
                    assertThat(q.popTail()).isEqualTo(model.remove(model.size() - 1));
                } else if (op == 8 && !model.isEmpty()) {
                    int i = r.nextInt(model.size());
                    byte[] v = value(r);
                    q.replace(q.at(i), v);
                    model.set(i, v);
                } else if (op == 9 && !model.isEmpty()) {
                    int i = r.nextInt(model.size());
                    byte[] v = value(r);
                    boolean after = r.nextBoolean();
                    q.insert(q.at(i), v, after);
                    model.add(after ? i + 1 : i, v);
                } else if (op == 10 && !model.isEmpty()) {
                    byte[] v = new byte[] {(byte) ('a' + r.nextInt(3))};
                    long count = r.nextInt(5) - 2;
                    long removed = q.removeMatching(v, count);
                    long expect = 0;
                    if (count >= 0) {
                        for (int i = 0; i < model.size() && (count == 0 || expect < count); ) {
                            if (java.util.Arrays.equals(model.get(i), v)) {
                                model.remove(i);
                                expect++;
                            } else {
                                i++;
                            }
                        }
                    } else {
                        for (int i = model.size() - 1; i >= 0 && expect < -count; i--) {
                            if (java.util.Arrays.equals(model.get(i), v)) {
                                model.remove(i);
                                expect++;
                            }
                        }
                    }
                    assertThat(removed).isEqualTo(expect);
                } else if (op == 11 && model.size() > 2 && r.nextInt(10) == 0) {
                    int from = r.nextInt(model.size());
                    int to = r.nextInt(model.size());
                    q.trim(from, to);
                    List<byte[]> kept = from > to ? new ArrayList<>() : new ArrayList<>(model.subList(from, to + 1));
                    model.clear();
                    model.addAll(kept);
                }
                if (step % 500 == 0) {
                    check(q, model);
                }
            }
            check(q, model);
            QuickList copy = q.copy();
            check(copy, model);
            while (q.size() > 0) {
                q.popTail();
            }
            check(copy, model);
            assertThat(Bytes.latin1(new byte[0])).isEmpty();
        }
    }
}
