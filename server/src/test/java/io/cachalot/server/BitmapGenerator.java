package io.cachalot.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random bitmap and bitfield commands for the differential test: a few keys that start as
 * plain strings, integers or nothing and are then changed bit by bit (so both the stored-array
 * and the changed-in-place forms meet every command), with offsets near byte and word edges,
 * every BITFIELD type width and overflow mode, and some invalid arguments.
 */
final class BitmapGenerator extends CommandGenerator {
    private static final String[] KEYS = {"b0", "b1", "b2", "{b}3", "n"};
    private static final String[] TYPES = {"i1", "u1", "i5", "u7", "i8", "u8", "i13", "u16", "i31", "u32", "i63",
        "u63", "i64", "u64", "i0", "x8"};

    BitmapGenerator(Random rnd) {
        super(rnd);
    }

    private String key() {
        return KEYS[rnd.nextInt(KEYS.length)];
    }

    /** Bit offsets mostly within the first 300 bits, sometimes far (growing the string) or invalid. */
    private String offset() {
        switch (rnd.nextInt(20)) {
            case 0: return Integer.toString(rnd.nextInt(100_000));
            case 1: return pick("-1", "abc", "4294967296", "1.5", "");
            case 2: return Integer.toString(8 * rnd.nextInt(40) + new int[] {0, 7, 63, 64}[rnd.nextInt(4)]);
            default: return Integer.toString(rnd.nextInt(300));
        }
    }

    private String index() {
        return Integer.toString(rnd.nextInt(80) - 40);
    }

    private String value() {
        switch (rnd.nextInt(6)) {
            case 0: return Long.toString(rnd.nextLong());
            case 1: return pick("9223372036854775807", "-9223372036854775808", "0", "-1", "abc");
            default: return Integer.toString(rnd.nextInt(600) - 300);
        }
    }

    @Override
    List<List<byte[]>> setup() {
        List<List<byte[]>> s = new ArrayList<>();
        s.add(cmd("SET", "b0", "foobar"));
        s.add(cmd("SET", "n", "12345"));
        return s;
    }

    @Override
    List<byte[]> next() {
        switch (rnd.nextInt(16)) {
            case 0: case 1: case 2: return cmd("SETBIT", key(), offset(), pick("0", "1", "1", "2"));
            case 3: case 4: return cmd("GETBIT", key(), offset());
            case 5: return bitcount();
            case 6: return bitpos();
            case 7: return bitop();
            case 8: case 9: case 10: return bitfield("BITFIELD");
            case 11: return bitfield("BITFIELD_RO");
            case 12: return cmd("GET", key());
            case 13: return cmd(pick("APPEND", "SET"), key(), pick("x", "\u00ff\u0001", "0", "hello world"));
            case 14: return cmd("SETRANGE", key(), Integer.toString(rnd.nextInt(40)), pick("ab", "\u0000"));
            default: return cmd(pick("STRLEN", "DEL", "GETRANGE"), key(), index(), index());
        }
    }

    private List<byte[]> bitcount() {
        switch (rnd.nextInt(4)) {
            case 0: return cmd("BITCOUNT", key());
            case 1: return cmd("BITCOUNT", key(), index(), index());
            default: return cmd("BITCOUNT", key(), index(), index(), pick("BIT", "BYTE", "bit", "BITS"));
        }
    }

    private List<byte[]> bitpos() {
        String bit = pick("0", "1", "1", "0", "2");
        switch (rnd.nextInt(4)) {
            case 0: return cmd("BITPOS", key(), bit);
            case 1: return cmd("BITPOS", key(), bit, index());
            case 2: return cmd("BITPOS", key(), bit, index(), index());
            default: return cmd("BITPOS", key(), bit, index(), index(), pick("BIT", "BYTE", "BIT", "NO"));
        }
    }

    private List<byte[]> bitop() {
        String op = pick("AND", "OR", "XOR", "NOT", "and", "nand");
        List<String> w = new ArrayList<>(List.of("BITOP", op, key(), key()));
        int more = op.equalsIgnoreCase("not") && rnd.nextInt(5) != 0 ? 0 : rnd.nextInt(3);
        for (int i = 0; i < more; i++) {
            w.add(key());
        }
        return cmd(w.toArray(new String[0]));
    }

    private List<byte[]> bitfield(String name) {
        List<String> w = new ArrayList<>(List.of(name, key()));
        int ops = 1 + rnd.nextInt(4);
        for (int i = 0; i < ops; i++) {
            String type = rnd.nextInt(12) == 0 ? TYPES[rnd.nextInt(TYPES.length)] : TYPES[rnd.nextInt(TYPES.length - 3)];
            String off = rnd.nextInt(4) == 0 ? "#" + rnd.nextInt(8) : offset();
            switch (rnd.nextInt(5)) {
                case 0: w.addAll(List.of("OVERFLOW", pick("WRAP", "SAT", "FAIL", "sat", "BAD"))); break;
                case 1: w.addAll(List.of("SET", type, off, value())); break;
                case 2: w.addAll(List.of("INCRBY", type, off, value())); break;
                default: w.addAll(List.of("GET", type, off)); break;
            }
        }
        return cmd(w.toArray(new String[0]));
    }
}
