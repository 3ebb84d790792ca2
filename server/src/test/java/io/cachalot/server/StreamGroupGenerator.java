package io.cachalot.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random consumer-group commands for the differential test, on two streams that are written,
 * deleted from and trimmed meanwhile: XGROUP in all its forms, XREADGROUP of new entries and of
 * history (NOACK too, several keys), XACK, XPENDING, XCLAIM with every option, XAUTOCLAIM, XINFO.
 * Idle thresholds are 0 or hours and the IDLE/TIME options far from them, so that the servers'
 * clocks, read a moment apart, decide nothing; replies that show clock readings are compared with
 * them masked ({@link StreamGroupState#masked}). Wrong types, missing keys and groups included.
 */
final class StreamGroupGenerator extends CommandGenerator {
    private static final String[] KEYS = {"q0", "q1", "str"};
    private static final String[] GROUPS = {"g1", "g2", "g3"};
    private static final String[] CONSUMERS = {"c1", "c2", "c3", "c4"};
    private long ms = 1;

    StreamGroupGenerator(Random rnd) {
        super(rnd);
    }

    @Override
    List<List<byte[]>> setup() {
        List<List<byte[]>> s = new ArrayList<>();
        s.add(cmd("SET", "str", "not a stream"));
        s.add(cmd("CONFIG", "SET", "stream-node-max-entries", "5"));
        return s;
    }

    private String key() {
        return rnd.nextInt(12) == 0 ? KEYS[2] : KEYS[rnd.nextInt(2)];
    }

    private String group() {
        return rnd.nextInt(15) == 0 ? "nogroup" : GROUPS[rnd.nextInt(GROUPS.length)];
    }

    private String consumer() {
        return CONSUMERS[rnd.nextInt(CONSUMERS.length)];
    }

    /** An id near the ones in use, now and then special or malformed. */
    private String id() {
        switch (rnd.nextInt(14)) {
            case 0: return "-";
            case 1: return "+";
            case 2: return "0";
            case 3: return pick("0-0", "18446744073709551615-18446744073709551615", "x", "-1");
            case 4: return "(" + (rnd.nextInt((int) ms + 1)) + "-0";
            default: return rnd.nextInt((int) ms + 2) + "-" + rnd.nextInt(3);
        }
    }

    private String minIdle() {
        return rnd.nextInt(4) == 0 ? "10000000" : "0";
    }

    @Override
    List<byte[]> next() {
        List<String> w = new ArrayList<>();
        switch (rnd.nextInt(30)) {
            case 0: case 1: case 2: case 3: case 4: case 5:
                if (rnd.nextInt(2) == 0) {
                    ms++;
                }
                w.addAll(List.of("XADD", key()));
                if (rnd.nextInt(8) == 0) {
                    w.addAll(List.of("MAXLEN", pick("=", "~"), Integer.toString(rnd.nextInt(12))));
                }
                w.addAll(List.of(ms + "-*", "f", Integer.toString(rnd.nextInt(100))));
                break;
            case 6:
                w.addAll(List.of("XDEL", key(), id(), id()));
                break;
            case 7:
                w.addAll(List.of("XTRIM", key(), pick("MAXLEN", "MINID"), rnd.nextBoolean() ? "=" : "~"));
                w.add(w.get(2).equals("MAXLEN") ? Integer.toString(rnd.nextInt(15)) : id());
                break;
            case 8: case 9:
                w.addAll(List.of("XGROUP", "CREATE", key(), group(), pick("$", "0", id())));
                if (rnd.nextInt(3) == 0) {
                    w.add("MKSTREAM");
                }
                if (rnd.nextInt(4) == 0) {
                    w.addAll(List.of("ENTRIESREAD", Integer.toString(rnd.nextInt(30) - 2)));
                }
                break;
            case 10:
                w.addAll(List.of("XGROUP", "SETID", key(), group(), pick("$", "0", id())));
                if (rnd.nextInt(3) == 0) {
                    w.addAll(List.of("ENTRIESREAD", Integer.toString(rnd.nextInt(30) - 1)));
                }
                break;
            case 11:
                if (rnd.nextInt(4) == 0) {
                    w.addAll(List.of("XGROUP", "DESTROY", key(), group()));
                } else {
                    w.addAll(List.of("XGROUP", pick("CREATECONSUMER", "DELCONSUMER"), key(), group(), consumer()));
                }
                break;
            case 12: case 13: case 14: case 15: {
                w.addAll(List.of("XREADGROUP", "GROUP", group(), consumer()));
                if (rnd.nextBoolean()) {
                    w.addAll(List.of("COUNT", Integer.toString(rnd.nextInt(5))));
                }
                if (rnd.nextInt(5) == 0) {
                    w.add("NOACK");
                }
                w.add("STREAMS");
                boolean two = rnd.nextInt(5) == 0;
                w.add(key());
                if (two) {
                    w.add(key());
                }
                w.add(rnd.nextInt(4) == 0 ? id() : ">");
                if (two) {
                    w.add(rnd.nextInt(4) == 0 ? id() : ">");
                }
                break;
            }
            case 16: case 17:
                w.addAll(List.of("XACK", key(), group(), id()));
                if (rnd.nextBoolean()) {
                    w.add(id());
                }
                break;
            case 18: case 19:
                w.addAll(List.of("XPENDING", key(), group()));
                if (rnd.nextInt(3) != 0) {
                    if (rnd.nextInt(3) == 0) {
                        w.addAll(List.of("IDLE", minIdle()));
                    }
                    w.addAll(List.of(pick("-", id()), pick("+", id()), Integer.toString(rnd.nextInt(8) - 1)));
                    if (rnd.nextBoolean()) {
                        w.add(consumer());
                    }
                }
                break;
            case 20: case 21: {
                w.addAll(List.of("XCLAIM", key(), group(), consumer(), minIdle(), id()));
                if (rnd.nextBoolean()) {
                    w.add(id());
                }
                int opts = rnd.nextInt(4);
                for (int i = 0; i < opts; i++) {
                    switch (rnd.nextInt(7)) {
                        case 0: w.addAll(List.of("IDLE", pick("0", "5000", "1000000000"))); break;
                        case 1: w.addAll(List.of("TIME", pick("1000", "1700000000000", "99999999999999"))); break;
                        case 2: w.addAll(List.of("RETRYCOUNT", Integer.toString(rnd.nextInt(9)))); break;
                        case 3: w.add("FORCE"); break;
                        case 4: w.add("JUSTID"); break;
                        case 5: w.addAll(List.of("LASTID", id())); break;
                        default: w.add(pick("BOGUS", "IDLE")); break;
                    }
                }
                break;
            }
            case 22:
                w.addAll(List.of("XAUTOCLAIM", key(), group(), consumer(), minIdle(), pick("0", "-", id())));
                if (rnd.nextBoolean()) {
                    w.addAll(List.of("COUNT", Integer.toString(rnd.nextInt(6))));
                }
                if (rnd.nextInt(3) == 0) {
                    w.add("JUSTID");
                }
                break;
            case 23: case 24:
                w.addAll(List.of("XINFO", "STREAM", key()));
                if (rnd.nextBoolean()) {
                    w.add("FULL");
                    if (rnd.nextBoolean()) {
                        w.addAll(List.of("COUNT", Integer.toString(rnd.nextInt(5))));
                    }
                }
                break;
            case 25:
                w.addAll(List.of("XINFO", "GROUPS", key()));
                break;
            case 26:
                w.addAll(List.of("XINFO", "CONSUMERS", key(), group()));
                break;
            case 27:
                w.addAll(List.of("XRANGE", key(), "-", "+"));
                break;
            case 28:
                return rnd.nextInt(8) == 0 ? cmd("DEL", key()) : cmd("XLEN", key());
            default:
                w.addAll(List.of("TYPE", key()));
                break;
        }
        return cmd(w.toArray(new String[0]));
    }
}
