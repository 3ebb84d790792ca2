package io.cachalot.core.types.hash;

import io.cachalot.core.types.Encoding;
import io.cachalot.core.util.Bytes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class HashValueTest {
    private static byte[] b(String s) {
        return Bytes.utf8(s);
    }

    private static Map<String, String> contents(HashValue h) {
        Map<String, String> m = new LinkedHashMap<>();
        HashValue.Cursor c = h.cursor();
        while (c.next()) {
            m.put(Bytes.latin1(c.field()), Bytes.latin1(c.value()));
        }
        return m;
    }

    private static List<String> order(HashValue h) {
        return new ArrayList<>(contents(h).keySet());
    }

    @Test
    void randomOperationsAgreeWithAModelInBothForms() {
        for (long seed = 1; seed <= 40; seed++) {
            Random rnd = new Random(seed);
            HashValue h = new HashValue();
            Map<String, String> model = new HashMap<>();
            Map<String, Long> ttls = new HashMap<>();
            int convertAt = rnd.nextInt(300);
            for (int step = 0; step < 2000; step++) {
                String f = "f" + rnd.nextInt(60);
                int op = rnd.nextInt(10);
                if (step == convertAt) {
                    h.toTable();
                }
                if (op < 4) {
                    String v = "v".repeat(rnd.nextInt(200)) + step;
                    boolean keep = rnd.nextBoolean();
                    boolean created = h.put(b(f), b(v), keep);
                    assertThat(created).isEqualTo(!model.containsKey(f));
                    model.put(f, v);
                    if (!keep) {
                        ttls.remove(f);
                    }
                } else if (op < 6) {
                    assertThat(h.remove(b(f))).isEqualTo(model.remove(f) != null);
                    ttls.remove(f);
                } else if (op < 8) {
                    long t = rnd.nextBoolean() ? HashValue.NO_TTL : 1000 + rnd.nextInt(50);
                    assertThat(h.setTtl(b(f), t)).isEqualTo(model.containsKey(f));
                    if (model.containsKey(f)) {
                        if (t == HashValue.NO_TTL) {
                            ttls.remove(f);
                        } else {
                            ttls.put(f, t);
                        }
                    }
                } else if (op == 8) {
                    long now = 1000 + rnd.nextInt(60);
                    int removed = h.removeExpired(now, null);
                    int expected = 0;
                    for (var it = ttls.entrySet().iterator(); it.hasNext(); ) {
                        var e = it.next();
                        if (e.getValue() <= now) {
                            model.remove(e.getKey());
                            it.remove();
                            expected++;
                        }
                    }
                    assertThat(removed).isEqualTo(expected);
                } else {
                    String v = model.get(f);
                    assertThat(h.get(b(f)) == null ? null : Bytes.latin1(h.get(b(f)))).isEqualTo(v);
                    assertThat(h.valueLength(b(f))).isEqualTo(v == null ? -1 : v.length());
                    long t = h.ttl(b(f));
                    assertThat(t).isEqualTo(v == null ? -1 : ttls.getOrDefault(f, HashValue.NO_TTL));
                }
                assertThat(h.size()).isEqualTo(model.size());
                assertThat(h.ttlCount()).isEqualTo(ttls.size());
                if (step % 50 == 0) {
                    assertThat(contents(h)).isEqualTo(model);
                    assertThat(contents(h.copy())).isEqualTo(model);
                }
            }
        }
    }

    @Test
    void packedFieldsWithExpiryComeFirstInExpiryOrderAsListpackex() {
        HashValue h = new HashValue();
        h.put(b("f1"), b("v1"));
        h.put(b("f2"), b("v2"));
        h.put(b("f3"), b("v3"));
        assertThat(h.encoding()).isEqualTo(Encoding.LISTPACK);
        h.markExpiryAware();
        assertThat(h.encoding()).isEqualTo(Encoding.LISTPACKEX);
        // Redis 7.4's own example: equal times, the latest set goes first
        h.setTtl(b("f2"), 10_000);
        assertThat(order(h)).containsExactly("f2", "f1", "f3");
        h.setTtl(b("f3"), 10_000);
        assertThat(order(h)).containsExactly("f3", "f2", "f1");
        h.setTtl(b("f1"), 5_000);
        assertThat(order(h)).containsExactly("f1", "f3", "f2");
        // HSET on a field with expiry: it loses it and moves to the end
        h.put(b("f3"), b("x"));
        assertThat(order(h)).containsExactly("f1", "f2", "f3");
        // HINCRBY-style update keeps expiry and place
        h.put(b("f1"), b("y"), true);
        assertThat(order(h)).containsExactly("f1", "f2", "f3");
        assertThat(h.ttl(b("f1"))).isEqualTo(5_000);
        // persisting moves to the end
        h.setTtl(b("f1"), HashValue.NO_TTL);
        assertThat(order(h)).containsExactly("f2", "f3", "f1");
        assertThat(h.minTtl()).isEqualTo(10_000);
        assertThat(h.removeExpired(10_000, null)).isEqualTo(1);
        assertThat(order(h)).containsExactly("f3", "f1");
        assertThat(h.hasSubExpiry()).isFalse();
        assertThat(h.encoding()).isEqualTo(Encoding.LISTPACKEX);
    }

    @Test
    void tableKeepsExpiryTimesAndReclaimsThem() {
        HashValue h = new HashValue();
        for (int i = 0; i < 1000; i++) {
            h.put(b("f" + i), b("v" + i));
            if (i % 3 == 0) {
                h.setTtl(b("f" + i), 100 + i);
            }
        }
        h.toTable();
        assertThat(h.encoding()).isEqualTo(Encoding.HASHTABLE);
        assertThat(h.ttl(b("f3"))).isEqualTo(103);
        assertThat(h.minTtl()).isEqualTo(100);
        List<String> removed = new ArrayList<>();
        assertThat(h.removeExpired(600, f -> removed.add(Bytes.latin1(f)))).isEqualTo(167);
        assertThat(removed).hasSize(167).contains("f0", "f498").doesNotContain("f501");
        assertThat(h.size()).isEqualTo(833);
        assertThat(h.minTtl()).isEqualTo(601);
        assertThat(h.removeExpired(Long.MAX_VALUE - 1, null)).isEqualTo(167);
        assertThat(h.size()).isEqualTo(666);
        assertThat(h.hasSubExpiry()).isFalse();
    }
}
