package io.cachalot.core.types.listpack;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ListpackTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void encodesAsRedisDoes() {
        Listpack lp = new Listpack(16);
        lp.append(b("1"));      // 7-bit uint
        lp.append(b("-1"));     // 13-bit int
        lp.append(b("a"));      // 6-bit string
        lp.append(b("01"));     // not canonical: a string
        byte[] bytes = lp.toByteArray();
        // total 19, count 4 | 01 01 | df ff 02 | 81 61 02 | 82 30 31 03 | ff
        assertThat(bytes).containsExactly(
                19, 0, 0, 0, 4, 0,
                0x01, 0x01,
                (byte) 0xDF, (byte) 0xFF, 0x02,
                (byte) 0x81, 'a', 0x02,
                (byte) 0x82, '0', '1', 0x03,
                (byte) 0xFF);
        assertThat(lp.bytes()).isEqualTo(bytes.length);
    }

    @Test
    void walksBothWaysAndReplacesIntegers() {
        Random rnd = new Random(5);
        Listpack lp = new Listpack(8);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String s;
            switch (rnd.nextInt(6)) {
                case 0: s = Long.toString(rnd.nextLong()); break;
                case 1: s = Integer.toString(rnd.nextInt(100000) - 50000); break;
                case 2: s = "x".repeat(rnd.nextInt(70)); break;
                case 3: s = "y".repeat(60 + rnd.nextInt(5000)); break;
                case 4: s = Integer.toString(rnd.nextInt(128)); break;
                default: s = "s" + rnd.nextInt(); break;
            }
            expected.add(s);
            lp.append(b(s));
        }
        assertThat(lp.count()).isEqualTo(expected.size());
        List<String> forward = new ArrayList<>();
        for (int p = lp.first(); p >= 0; p = lp.next(p)) {
            forward.add(new String(lp.bytesAt(p), StandardCharsets.ISO_8859_1));
        }
        assertThat(forward).isEqualTo(expected);
        List<String> backward = new ArrayList<>();
        for (int p = lp.last(); p >= 0; p = lp.prev(p)) {
            backward.add(0, new String(lp.bytesAt(p), StandardCharsets.ISO_8859_1));
        }
        assertThat(backward).isEqualTo(expected);
        // Redis' bytes read back, and an integer replaced by longer and shorter encodings
        Listpack again = Listpack.of(lp.toByteArray());
        assertThat(again).isNotNull();
        assertThat(again.count()).isEqualTo(expected.size());
        int p = again.first();
        again.replaceInteger(p, 1L << 40);
        assertThat(again.integer(again.first())).isEqualTo(1L << 40);
        again.replaceInteger(again.first(), 3);
        assertThat(again.integer(again.first())).isEqualTo(3);
        assertThat(again.bytes()).isEqualTo(again.toByteArray().length);
        assertThat(Listpack.of(again.toByteArray())).isNotNull();
        int q = again.next(again.first());
        assertThat(new String(again.bytesAt(q), StandardCharsets.ISO_8859_1)).isEqualTo(expected.get(1));
    }

    @Test
    void refusesCorruptBytes() {
        Listpack lp = new Listpack(8);
        lp.append(b("hello"));
        lp.appendInteger(1000);
        byte[] good = lp.toByteArray();
        assertThat(Listpack.of(good)).isNotNull();
        byte[] badBacklen = good.clone();
        badBacklen[6 + 6] = 9;
        assertThat(Listpack.of(badBacklen)).isNull();
        byte[] badCount = good.clone();
        badCount[4] = 3;
        assertThat(Listpack.of(badCount)).isNull();
        byte[] badTotal = good.clone();
        badTotal[0]++;
        assertThat(Listpack.of(badTotal)).isNull();
        byte[] badEncoding = good.clone();
        badEncoding[6] = (byte) 0xF5;
        assertThat(Listpack.of(badEncoding)).isNull();
    }
}
