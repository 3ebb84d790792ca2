package io.cachalot.server;

import java.util.List;
import java.util.Random;

/**
 * Random string and key commands for the differential test: a few keys, values that hit the
 * interesting encodings (integers, floats, long strings, binary), valid options most of the time
 * and invalid ones sometimes. Only commands whose replies are deterministic: no RANDOMKEY, no SCAN
 * cursors, no short TTLs (expiry moments would differ between the two servers).
 */
final class StringKeyGenerator extends CommandGenerator {
    private static final String[] KEYS = {"k0", "k1", "k2", "k3", "k4", "{k}5"};
    private static final String[] VALUES = {"", "0", "1", "-1", "42", "007", "3.5", "-0.25", "1e3", "abc",
        "hello world", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "12345678901234567890",
        "0x10", "inf", " 1", "a\u0000b", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"};
    private static final String[] INCRS = {"1", "-1", "0", "100", "-100", "9223372036854775807",
        "-9223372036854775808", "abc", "1.5", ""};
    private static final String[] FLOATS = {"0.1", "-0.1", "1", "1e10", "-3.25", "abc", "0x1p3", "1e400", ".5", "5."};
    private static final String[] OFFSETS = {"0", "1", "3", "-1", "-3", "10", "-100", "100", "abc"};

    StringKeyGenerator(Random rnd) {
        super(rnd);
    }

    private String key() {
        return KEYS[rnd.nextInt(KEYS.length)];
    }

    private String value() {
        if (rnd.nextInt(10) == 0) {
            return Integer.toString(rnd.nextInt(20000) - 10000);
        }
        return VALUES[rnd.nextInt(VALUES.length)];
    }

    /** A far-future absolute time (seconds), so both servers see the same TTL decisions. */
    private String futureSeconds() {
        return Long.toString(4102444800L + rnd.nextInt(1000));
    }

    @Override
    List<byte[]> next() {
        switch (rnd.nextInt(36)) {
            case 0: return cmd("GET", key());
            case 1: return set();
            case 2: return cmd("SETNX", key(), value());
            case 3: return cmd("SETEX", key(), pick("100", "200", "0", "-1", "abc"), value());
            case 4: return cmd("GETSET", key(), value());
            case 5: return cmd("GETDEL", key());
            case 6: return getex();
            case 7: return cmd("MGET", key(), key(), key());
            case 8: return cmd("MSET", key(), value(), key(), value());
            case 9: return cmd("MSETNX", key(), value(), key(), value());
            case 10: return cmd("APPEND", key(), value());
            case 11: return cmd("STRLEN", key());
            case 12: return cmd(pick("INCR", "DECR"), key());
            case 13: return cmd(pick("INCRBY", "DECRBY"), key(), INCRS[rnd.nextInt(INCRS.length)]);
            case 14: return cmd("INCRBYFLOAT", key(), FLOATS[rnd.nextInt(FLOATS.length)]);
            case 15: return cmd(pick("GETRANGE", "SUBSTR"), key(), OFFSETS[rnd.nextInt(OFFSETS.length)],
                    OFFSETS[rnd.nextInt(OFFSETS.length)]);
            case 16: return cmd("SETRANGE", key(), pick("0", "1", "5", "-1", "abc"), value());
            case 17: return lcs();
            case 18: return cmd(pick("DEL", "UNLINK"), key(), key());
            case 19: return cmd("EXISTS", key(), key(), key());
            case 20: return cmd("TYPE", key());
            case 21: return expire();
            // Relative TTLs are turned into absolute times by each server's own clock: only TTL's
            // rounding to seconds hides the millisecond between the two servers.
            case 22: return cmd("TTL", key());
            case 23: return cmd("PERSIST", key());
            case 24: return cmd(pick("RENAME", "RENAMENX"), key(), key());
            case 25: return cmd("MOVE", key(), pick("0", "1", "2", "16", "-1"));
            case 26: return copy();
            case 27: return cmd("SELECT", pick("0", "0", "0", "1", "2"));
            case 28: return cmd("DBSIZE");
            case 29: return cmd("OBJECT", pick("ENCODING", "REFCOUNT"), key());
            case 30: return cmd("TOUCH", key(), key());
            case 31: return cmd("SWAPDB", pick("0", "1", "2"), pick("0", "1", "2"));
            case 32: return rnd.nextInt(20) == 0 ? cmd("FLUSHDB") : cmd("GET", key());
            case 33: return cmd("DEBUG", "DIGEST-VALUE", key(), key());
            case 34: return cmd("EXPIREAT", key(), rnd.nextBoolean() ? futureSeconds() : "1");
            default: return cmd("ECHO", value());
        }
    }

    private List<byte[]> set() {
        List<byte[]> c = cmd("SET", key(), value());
        int opts = rnd.nextInt(4);
        for (int i = 0; i < opts; i++) {
            switch (rnd.nextInt(9)) {
                case 0: c.add(b("NX")); break;
                case 1: c.add(b("XX")); break;
                case 2: c.add(b("GET")); break;
                case 3: c.add(b("KEEPTTL")); break;
                case 4: c.add(b("EX")); c.add(b(pick("100", "500", "0", "abc"))); break;
                case 5: c.add(b("PX")); c.add(b(pick("100000", "-5"))); break;
                case 6: c.add(b("EXAT")); c.add(b(rnd.nextBoolean() ? futureSeconds() : "1")); break;
                case 7: c.add(b("PXAT")); c.add(b(futureSeconds() + "000")); break;
                default: c.add(b(pick("FOO", "nx", "get"))); break;
            }
        }
        return c;
    }

    private List<byte[]> getex() {
        List<byte[]> c = cmd("GETEX", key());
        switch (rnd.nextInt(7)) {
            case 0: break;
            case 1: c.add(b("EX")); c.add(b(pick("100", "0", "abc"))); break;
            case 2: c.add(b("PX")); c.add(b("200000")); break;
            case 3: c.add(b("EXAT")); c.add(b(rnd.nextBoolean() ? futureSeconds() : "1")); break;
            case 4: c.add(b("PERSIST")); break;
            case 5: c.add(b("PXAT")); c.add(b(futureSeconds() + "500")); break;
            default: c.add(b(pick("FOO", "KEEPTTL", "EX"))); break;
        }
        return c;
    }

    private List<byte[]> expire() {
        List<byte[]> c = rnd.nextBoolean()
                ? cmd("EXPIRE", key(), pick("1000", "2000", "500000", "-1", "abc"))
                : cmd("PEXPIRE", key(), pick("1000000", "2000000", "-1", "abc"));
        if (rnd.nextInt(3) == 0) {
            c.add(b(pick("NX", "XX", "GT", "LT", "FOO")));
            if (rnd.nextInt(4) == 0) {
                c.add(b(pick("NX", "XX", "GT", "LT")));
            }
            // GT/LT against a deadline set from the same relative TTL depends on whether a
            // millisecond passed in between, on each server: give them a TTL of their own
            boolean compares = false;
            for (int i = 3; i < c.size(); i++) {
                String o = new String(c.get(i), java.nio.charset.StandardCharsets.US_ASCII);
                compares |= o.equals("GT") || o.equals("LT");
            }
            if (compares && Character.isDigit(c.get(2)[0])) {
                long seconds = 3_000 + rnd.nextInt(1_000_000);
                c.set(2, b(c.get(0)[0] == 'P' ? Long.toString(seconds * 1000) : Long.toString(seconds)));
            }
        }
        return c;
    }

    private List<byte[]> lcs() {
        List<byte[]> c = cmd("LCS", key(), key());
        switch (rnd.nextInt(5)) {
            case 0: break;
            case 1: c.add(b("LEN")); break;
            case 2: c.add(b("IDX")); break;
            case 3: c.add(b("IDX")); c.add(b("WITHMATCHLEN")); c.add(b("MINMATCHLEN")); c.add(b(pick("0", "2", "x"))); break;
            default: c.add(b("IDX")); c.add(b("LEN")); break;
        }
        return c;
    }

    private List<byte[]> copy() {
        List<byte[]> c = cmd("COPY", key(), key());
        if (rnd.nextBoolean()) {
            c.add(b("DB"));
            c.add(b(pick("0", "1", "2", "16")));
        }
        if (rnd.nextBoolean()) {
            c.add(b("REPLACE"));
        }
        return c;
    }
}
