package io.cachalot.core.types.set;

import io.cachalot.core.types.Encoding;
import io.cachalot.core.util.Bytes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class SetValueTest {
    @Test
    void intsetStaysSortedAcrossWidthsAndAgreesWithAModel() {
        Random rnd = new Random(7);
        long[] scales = {100, 40_000, 3_000_000_000L, Long.MAX_VALUE};
        for (int round = 0; round < 20; round++) {
            IntSet s = new IntSet();
            TreeSet<Long> model = new TreeSet<>();
            for (int step = 0; step < 3000; step++) {
                long scale = scales[Math.min(3, step / 700)];
                long v = scale == Long.MAX_VALUE ? rnd.nextLong() : (long) (rnd.nextDouble() * 2 * scale) - scale;
                if (rnd.nextInt(3) == 0 && !model.isEmpty()) {
                    v = rnd.nextBoolean() ? model.first() : model.last();
                }
                if (rnd.nextInt(4) == 0) {
                    assertThat(s.remove(v)).isEqualTo(model.remove(v));
                } else {
                    assertThat(s.add(v)).isEqualTo(model.add(v));
                }
                assertThat(s.contains(v)).isEqualTo(model.contains(v));
                assertThat(s.size()).isEqualTo(model.size());
            }
            List<Long> got = new ArrayList<>();
            for (int i = 0; i < s.size(); i++) {
                got.add(s.get(i));
            }
            assertThat(got).containsExactlyElementsOf(model);
            IntSet c = s.copy();
            assertThat(c.size()).isEqualTo(s.size());
        }
    }

    @Test
    void convertsToATableForNonIntegersAndPastTheLimit() {
        SetValue s = SetValue.forFirstMember(Bytes.ascii("1"));
        assertThat(s.encoding()).isEqualTo(Encoding.INTSET);
        for (int i = 0; i < 4; i++) {
            assertThat(s.add(Bytes.ascii(Integer.toString(i)), 4)).isTrue();
        }
        assertThat(s.encoding()).isEqualTo(Encoding.INTSET);
        s.add(Bytes.ascii("9"), 4);
        assertThat(s.encoding()).isEqualTo(Encoding.HASHTABLE);
        assertThat(s.contains(Bytes.ascii("3"))).isTrue();
        SetValue t = SetValue.forFirstMember(Bytes.ascii("1"));
        t.add(Bytes.ascii("1"), 512);
        t.add(Bytes.ascii("01"), 512);
        assertThat(t.encoding()).isEqualTo(Encoding.HASHTABLE);
        Set<String> members = new HashSet<>();
        SetValue.Cursor c = t.cursor();
        while (c.next()) {
            members.add(Bytes.latin1(c.member()));
        }
        assertThat(members).containsExactlyInAnyOrder("1", "01");
    }
}
