package io.cachalot.core.types;

import io.cachalot.core.util.Bytes;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class BytesMapTest {
    @Test
    void randomOperationsMatchHashMap() {
        Random r = new Random(3);
        BytesMap m = new BytesMap(true, true);
        Map<String, String> model = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            String k = "k" + r.nextInt(5000);
            int op = r.nextInt(3);
            int slot = m.find(Bytes.ascii(k));
            if (op == 0) {
                int s = m.findOrAdd(Bytes.ascii(k), "v" + step);
                assertThat(s < 0).isEqualTo(slot < 0);
                s = s < 0 ? -s - 1 : s;
                m.setValueAt(s, "v" + step);
                m.setLongAt(s, step);
                model.put(k, "v" + step);
            } else if (op < 2) {
                if (slot < 0) {
                    int s = m.add(Bytes.ascii(k), "v" + step);
                    m.setLongAt(s, step);
                } else {
                    m.setValueAt(slot, "v" + step);
                    m.setLongAt(slot, step);
                }
                model.put(k, "v" + step);
            } else if (slot >= 0) {
                m.removeAt(slot);
                model.remove(k);
            }
            if (step % 20_000 == 0 || step == 199_999) {
                assertThat(m.size()).isEqualTo(model.size());
                for (Map.Entry<String, String> e : model.entrySet()) {
                    int s = m.find(Bytes.ascii(e.getKey()));
                    assertThat(s).isNotNegative();
                    assertThat(m.valueAt(s)).isEqualTo(e.getValue());
                    assertThat("v" + m.longAt(s)).isEqualTo(e.getValue());
                }
            }
        }
        // shrink back to nothing
        for (String k : model.keySet()) {
            assertThat(m.remove(Bytes.ascii(k))).isTrue();
        }
        assertThat(m.size()).isZero();
        assertThat(m.capacity()).isLessThanOrEqualTo(8);
    }

    @Test
    void scanSurvivesResizes() {
        Random r = new Random(9);
        BytesMap m = new BytesMap(false, false);
        Set<String> stable = new HashSet<>();
        for (int i = 0; i < 3000; i++) {
            m.add(Bytes.ascii("s" + i), null);
            stable.add("s" + i);
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int round = 0;
        do {
            for (int k = 0; k < 5; k++) {
                cursor = m.scan(cursor, slot -> seen.add(Bytes.latin1(m.keyAt(slot))));
                if (cursor == 0) {
                    break;
                }
            }
            if (round % 2 == 0) {
                for (int i = 0; i < 4000; i++) {
                    byte[] k = Bytes.ascii("c" + r.nextInt(100_000));
                    if (!m.contains(k)) {
                        m.add(k, null);
                    }
                }
            } else {
                for (int i = 0; i < 100_000; i++) {
                    m.remove(Bytes.ascii("c" + i));
                }
            }
            round++;
        } while (cursor != 0);
        assertThat(seen).containsAll(stable);
    }
}
