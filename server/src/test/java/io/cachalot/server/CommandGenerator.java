package io.cachalot.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A source of random commands for {@link RandomDifferentialTest}, with small helpers. */
abstract class CommandGenerator {
    protected final Random rnd;

    CommandGenerator(Random rnd) {
        this.rnd = rnd;
    }

    /** The next command. Only commands whose replies are deterministic (up to {@link #compare}). */
    abstract List<byte[]> next();

    /** Whether the dataset may be compared now (not in the middle of a sequence that ends in a cleanup). */
    boolean digestable() {
        return true;
    }

    /** Commands to run on both servers before the sequence (thresholds that exercise conversions). */
    List<List<byte[]>> setup() {
        return List.of();
    }

    /**
     * How replies to a command are compared: exactly, as an unordered collection, or (TTL) as
     * integers one apart at most — the servers read their clocks a moment apart, and a far expiry
     * time rounded to seconds flips when that moment straddles half a second.
     */
    enum Compare { EXACT, SORTED, PAIRS, CLOCK, DISTANCES, TIMES }

    static Compare compare(List<byte[]> cmd) {
        String name = new String(cmd.get(0), StandardCharsets.ISO_8859_1).toUpperCase(java.util.Locale.ROOT);
        switch (name) {
            case "SMEMBERS": case "SINTER": case "SUNION": case "SDIFF": case "HKEYS": case "HVALS":
                return Compare.SORTED;
            case "HGETALL":
                return Compare.PAIRS;
            case "TTL":
                return Compare.CLOCK;
            case "XPENDING": case "XINFO":
                // consumer-group replies show the servers' clock readings (idle, seen and delivery times)
                return Compare.TIMES;
            case "ZRANGE":
                return cmd.size() > 1 && new String(cmd.get(1), StandardCharsets.ISO_8859_1).equals(GeoGenerator.DISTANCES)
                        ? Compare.DISTANCES : Compare.EXACT;
            default:
                return Compare.EXACT;
        }
    }

    String pick(String... s) {
        return s[rnd.nextInt(s.length)];
    }

    static List<byte[]> cmd(String... w) {
        List<byte[]> l = new ArrayList<>();
        for (String s : w) {
            l.add(s.getBytes(StandardCharsets.UTF_8));
        }
        return l;
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
