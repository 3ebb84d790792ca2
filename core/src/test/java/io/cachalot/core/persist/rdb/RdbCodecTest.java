package io.cachalot.core.persist.rdb;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The RDB building blocks on their own; DumpRestoreTest (server) checks them against redis-server. */
class RdbCodecTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void crc64IsRedisJones() {
        byte[] check = ascii("123456789");
        assertThat(Crc64.update(0, check, 0, check.length)).isEqualTo(0xe9c6d914c4b8d9caL);
    }

    @Test
    void lzfRoundTripsWhateverItCompresses() throws Exception {
        Random rnd = new Random(7);
        int[] table = Lzf.newTable(); // reused across inputs, never cleared: stale entries must not corrupt
        for (int n : new int[] {21, 64, 1000, 70_000, 64, 21}) {
            byte[] repetitive = new byte[n];
            for (int i = 0; i < n; i++) {
                repetitive[i] = (byte) ("abcabcabd".charAt(i % 9) + (i / 500));
            }
            byte[] c = Lzf.compress(repetitive, n - 4, table);
            assertThat(c).as("compressible, %d bytes", n).isNotNull();
            assertThat(c.length).isLessThan(n);
            assertThat(Lzf.decompress(c, n)).isEqualTo(repetitive);

            byte[] noise = new byte[n];
            rnd.nextBytes(noise);
            assertThat(Lzf.compress(noise, n - 4, table)).as("random bytes do not compress").isNull();
        }
        assertThatThrownBy(() -> Lzf.decompress(new byte[] {(byte) 0x20, 0}, 5)).isInstanceOf(RdbFormatException.class);
        assertThatThrownBy(() -> Lzf.decompress(new byte[] {3, 'a', 'b'}, 4)).isInstanceOf(RdbFormatException.class);
    }

    @Test
    void listpackIntegersAtEveryWidthAndStringsAtEveryLength() throws Exception {
        List<byte[]> in = new ArrayList<>();
        for (long v : new long[] {0, 127, 128, -1, -4096, 4095, 4096, -4097, 32767, -32768, 32768, 8388607, -8388608,
                8388608, Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 40, Long.MAX_VALUE, -(1L << 40)}) {
            in.add(ascii(Long.toString(v)));
        }
        for (int len : new int[] {0, 1, 63, 64, 4095, 4096, 20_000}) {
            in.add(ascii("x".repeat(len)));
        }
        in.add(ascii("007"));
        in.add(ascii("-0"));
        in.add(ascii("+1"));
        Packed.ListpackWriter w = new Packed.ListpackWriter();
        for (byte[] b : in) {
            w.add(b);
        }
        List<byte[]> out = Packed.readListpack(w.toByteArray());
        assertThat(out).hasSameSizeAs(in);
        for (int i = 0; i < in.size(); i++) {
            assertThat(new String(out.get(i), StandardCharsets.US_ASCII)).isEqualTo(new String(in.get(i), StandardCharsets.US_ASCII));
        }
        byte[] lp = w.toByteArray();
        lp[lp.length - 1] = 0;
        assertThatThrownBy(() -> Packed.readListpack(lp)).isInstanceOf(RdbFormatException.class);
    }

    @Test
    void stringsAsRdbWritesThem() throws Exception {
        RdbOutput out = new RdbOutput(16, true);
        String[] values = {"0", "-1", "127", "-128", "128", "32767", "-32769", "2147483647", "2147483648", "007", "",
                "a".repeat(100), "hello", "x".repeat(70_000)};
        for (String v : values) {
            out.writeString(ascii(v));
        }
        byte[] b = out.toByteArray();
        RdbInput in = new RdbInput(b, 0, b.length);
        for (String v : values) {
            assertThat(new String(in.readString(), StandardCharsets.US_ASCII)).isEqualTo(v);
        }
        assertThat(in.atEnd()).isTrue();
        assertThat(b[0] & 0xff).as("\"0\" as an 8-bit integer").isEqualTo(0xC0);
        for (long len : new long[] {0, 63, 64, 16383, 16384, 0xffffffffL, 1L << 33}) {
            RdbOutput o = new RdbOutput(8, false);
            o.writeLength(len);
            byte[] lb = o.toByteArray();
            assertThat(new RdbInput(lb, 0, lb.length).readLength()).isEqualTo(len);
        }
    }

    /** Lengths a payload cannot back are refused before anything that size is allocated. */
    @Test
    void impossibleLengthsAreRefusedNotAllocated() {
        // an LZF string claiming 2 GB decompressed from 3 bytes
        byte[] lzf = {(byte) 0xC3, 3, (byte) 0x80, 0x7f, (byte) 0xff, (byte) 0xff, 0, 'a', 'b', 'c'};
        assertThatThrownBy(() -> new RdbInput(lzf, 0, lzf.length).readString()).isInstanceOf(RdbFormatException.class)
                .hasMessageContaining("impossible");
        // a sorted set claiming 2^31 - 17 members in 6 bytes
        byte[] zset = {5, (byte) 0x80, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xef};
        assertThatThrownBy(() -> RdbValues.read(new RdbInput(zset, 0, zset.length), new io.cachalot.core.config.Settings()))
                .isInstanceOf(RdbFormatException.class);
                // a plain string claiming 1 GB in a 10-byte file
        byte[] big = {(byte) 0x80, 0x40, 0, 0, 0, 'x', 'y', 'z', 'w', 'v'};
        assertThatThrownBy(() -> new RdbInput(new java.io.ByteArrayInputStream(big), big.length).readString())
                .isInstanceOf(RdbFormatException.class);
    }
}
