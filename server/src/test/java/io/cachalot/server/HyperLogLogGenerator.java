package io.cachalot.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random HyperLogLog commands for the differential test: PFADD batches from a large element space
 * (so that values go from sparse to dense), PFCOUNT of one key (the cached cardinality) and of
 * several, PFMERGE, PFDEBUG, GET of the raw bytes, and now and then a string write that breaks a
 * value (SETRANGE inside the registers, APPEND) or replaces it.
 */
final class HyperLogLogGenerator extends CommandGenerator {
    private static final String[] KEYS = {"h0", "h1", "h2", "{h}3", "s"};

    HyperLogLogGenerator(Random rnd) {
        super(rnd);
    }

    private String key() {
        return KEYS[rnd.nextInt(KEYS.length)];
    }

    private String element() {
        return rnd.nextInt(10) == 0 ? "" : "e" + rnd.nextInt(200_000);
    }

    @Override
    List<List<byte[]>> setup() {
        List<List<byte[]>> s = new ArrayList<>();
        s.add(cmd("SET", "s", "not an hll"));
        return s;
    }

    @Override
    List<byte[]> next() {
        switch (rnd.nextInt(20)) {
            case 0: case 1: case 2: case 3: case 4: case 5: case 6: {
                List<String> w = new ArrayList<>(List.of("PFADD", key()));
                int n = rnd.nextInt(4) == 0 ? 50 + rnd.nextInt(200) : rnd.nextInt(6);
                for (int i = 0; i < n; i++) {
                    w.add(element());
                }
                return cmd(w.toArray(new String[0]));
            }
            case 7: case 8: return cmd("PFCOUNT", key());
            case 9: return cmd("PFCOUNT", key(), key(), key());
            case 10: return cmd("PFMERGE", key(), key(), key());
            case 11: return cmd("GET", key());
            case 12: return cmd("PFDEBUG", pick("ENCODING", "TODENSE", "DECODE", "encoding", "NOPE"), key());
            case 13: return rnd.nextInt(4) == 0
                    ? cmd("SETRANGE", key(), Integer.toString(16 + rnd.nextInt(200)), pick("\u00ff", "\u0040", "\u0000\u0000"))
                    : cmd("PFCOUNT", key());
            case 14: return rnd.nextInt(6) == 0 ? cmd("APPEND", key(), "x") : cmd("PFADD", key(), element());
            case 15: return rnd.nextInt(8) == 0 ? cmd("DEL", key()) : cmd("STRLEN", key());
            case 16: return cmd("PFDEBUG", "GETREG", key());
            default: return cmd("PFADD", key(), element(), element());
        }
    }
}
