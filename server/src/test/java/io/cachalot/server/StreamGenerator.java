package io.cachalot.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random stream commands for the differential test: XADD with explicit, "ms" and "ms-*" ids (some
 * too small), repeated and changing field sets, NOMKSTREAM and every trimming option; XRANGE and
 * XREVRANGE with inclusive, exclusive and partial bounds and COUNT; XDEL of live, deleted and
 * unknown ids; XTRIM MAXLEN/MINID exact and approximate with LIMIT; XSETID; XREAD without
 * blocking; wrong types. Small
 * node limits (set up on both servers) make nodes split and empty often. No "*" ids: the servers'
 * clocks differ.
 */
final class StreamGenerator extends CommandGenerator {
    private static final String[] KEYS = {"x0", "x1", "{x}2", "str"};
    private long ms = 1;

    StreamGenerator(Random rnd) {
        super(rnd);
    }

    @Override
    List<List<byte[]>> setup() {
        List<List<byte[]>> s = new ArrayList<>();
        s.add(cmd("SET", "str", "not a stream"));
        s.add(cmd("CONFIG", "SET", "stream-node-max-entries", "7"));
        s.add(cmd("CONFIG", "SET", "stream-node-max-bytes", "300"));
        return s;
    }

    private String key() {
        return KEYS[rnd.nextInt(KEYS.length)];
    }

    /** An id near the ones in use: sometimes old (too small to add, or a deleted one), partial or special. */
    private String id() {
        switch (rnd.nextInt(12)) {
            case 0: return "-";
            case 1: return "+";
            case 2: return Long.toString(rnd.nextInt((int) ms + 1));
            case 3: return pick("0-0", "18446744073709551615-18446744073709551615", "x", "1-", "-1");
            default: return rnd.nextInt((int) ms + 2) + "-" + rnd.nextInt(4);
        }
    }

    private String bound() {
        return rnd.nextInt(4) == 0 ? "(" + id() : id();
    }

    private void trim(List<String> w) {
        if (rnd.nextBoolean()) {
            w.add("MAXLEN");
        } else {
            w.add("MINID");
        }
        String kind = w.get(w.size() - 1);
        int op = rnd.nextInt(3);
        if (op == 1) {
            w.add("~");
        } else if (op == 2) {
            w.add("=");
        }
        w.add(kind.equals("MAXLEN") ? Integer.toString(rnd.nextInt(40) - (rnd.nextInt(20) == 0 ? 2 : 0)) : id());
        if (op == 1 && rnd.nextInt(3) == 0) {
            w.add("LIMIT");
            w.add(Integer.toString(rnd.nextInt(20)));
        }
    }

    @Override
    List<byte[]> next() {
        switch (rnd.nextInt(20)) {
            case 0: case 1: case 2: case 3: case 4: case 5: case 6: {
                List<String> w = new ArrayList<>(List.of("XADD", key()));
                if (rnd.nextInt(8) == 0) {
                    w.add("NOMKSTREAM");
                }
                if (rnd.nextInt(6) == 0) {
                    trim(w);
                }
                if (rnd.nextInt(3) == 0) {
                    ms += 1 + rnd.nextInt(3);
                }
                int k = rnd.nextInt(10);
                w.add(k < 5 ? ms + "-*" : k < 8 ? ms + "-" + rnd.nextInt(50) : k < 9 ? Long.toString(ms) : id());
                int n = 1 + rnd.nextInt(3);
                for (int i = 0; i < n; i++) {
                    w.add(rnd.nextInt(5) == 0 ? "g" + rnd.nextInt(3) : "f" + i);
                    w.add(rnd.nextInt(3) == 0 ? Integer.toString(rnd.nextInt(100000) - 500) : "v".repeat(rnd.nextInt(30)));
                }
                if (rnd.nextInt(30) == 0) {
                    w.remove(w.size() - 1);
                }
                return cmd(w.toArray(new String[0]));
            }
            case 7: case 8: case 9: {
                List<String> w = new ArrayList<>(List.of(pick("XRANGE", "XREVRANGE"), key(), bound(), bound()));
                if (rnd.nextBoolean()) {
                    w.add("COUNT");
                    w.add(Integer.toString(rnd.nextInt(12) - 1));
                }
                return cmd(w.toArray(new String[0]));
            }
            case 10: case 11: return cmd("XDEL", key(), id(), id());
            case 12: case 13: {
                List<String> w = new ArrayList<>(List.of("XTRIM", key()));
                trim(w);
                return cmd(w.toArray(new String[0]));
            }
            case 14: return cmd("XLEN", key());
            case 15: {
                List<String> w = new ArrayList<>(List.of("XSETID", key(), rnd.nextBoolean() ? (ms + 1) + "-0" : id()));
                if (rnd.nextBoolean()) {
                    w.add("ENTRIESADDED");
                    w.add(Integer.toString(rnd.nextInt(2000)));
                }
                if (rnd.nextBoolean()) {
                    w.add("MAXDELETEDID");
                    w.add(id());
                }
                return cmd(w.toArray(new String[0]));
            }
            case 16: {
                if (rnd.nextBoolean()) {
                    return cmd("XRANGE", key(), "-", "+");
                }
                List<String> w = new ArrayList<>(List.of("XREAD"));
                if (rnd.nextBoolean()) {
                    w.add("COUNT");
                    w.add(Integer.toString(rnd.nextInt(6)));
                }
                w.add("STREAMS");
                w.add(key());
                w.add(key());
                w.add(rnd.nextInt(4) == 0 ? "$" : id());
                w.add(rnd.nextInt(4) == 0 ? "$" : id());
                return cmd(w.toArray(new String[0]));
            }
            case 17: return rnd.nextInt(10) == 0 ? cmd("DEL", key()) : cmd("TYPE", key());
            case 18: return cmd("DEBUG", "DIGEST-VALUE", key());
            default: return cmd("EXISTS", key());
        }
    }
}
