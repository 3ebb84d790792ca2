package io.cachalot.server;

import java.util.List;
import java.util.Random;

/** Random list commands over a few keys, with small nodes so that lists span several of them. */
final class ListGenerator extends CommandGenerator {
    private static final String[] KEYS = {"l0", "l1", "l2", "str"};
    private static final String[] VALUES = {"a", "b", "c", "1", "2", "-3", "", "x y", "long-value-0123456789-0123456789",
        "a\u0000b", "9223372036854775807"};
    private static final String[] INDEXES = {"0", "1", "2", "-1", "-2", "5", "-10", "100", "abc"};

    ListGenerator(Random rnd) {
        super(rnd);
    }

    @Override
    List<List<byte[]>> setup() {
        return List.of(cmd("CONFIG", "SET", "list-max-listpack-size", "3"), cmd("SET", "str", "v"));
    }

    private String key() {
        return KEYS[rnd.nextInt(KEYS.length)];
    }

    private String value() {
        return rnd.nextInt(8) == 0 ? Integer.toString(rnd.nextInt(1000)) : VALUES[rnd.nextInt(VALUES.length)];
    }

    private String index() {
        return INDEXES[rnd.nextInt(INDEXES.length)];
    }

    @Override
    List<byte[]> next() {
        switch (rnd.nextInt(26)) {
            case 0: case 1: case 2: {
                List<byte[]> c = cmd(pick("LPUSH", "RPUSH", "LPUSHX", "RPUSHX"), key());
                int n = 1 + rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    c.add(b(value()));
                }
                return c;
            }
            case 3: return rnd.nextBoolean() ? cmd(pick("LPOP", "RPOP"), key())
                    : cmd(pick("LPOP", "RPOP"), key(), pick("0", "1", "2", "5", "-1", "x"));
            case 4: return cmd("LLEN", key());
            case 5: case 6: return cmd("LRANGE", key(), index(), index());
            case 7: return cmd("LINDEX", key(), index());
            case 8: return cmd("LSET", key(), index(), value());
            case 9: return cmd("LINSERT", key(), pick("BEFORE", "AFTER", "MIDDLE"), value(), value());
            case 10: return cmd("LREM", key(), pick("0", "1", "2", "-1", "-2", "x"), value());
            case 11: return cmd("LTRIM", key(), index(), index());
            case 12: {
                List<byte[]> c = cmd("LPOS", key(), value());
                int opts = rnd.nextInt(3);
                for (int i = 0; i < opts; i++) {
                    c.add(b(pick("RANK", "COUNT", "MAXLEN")));
                    c.add(b(pick("1", "2", "-1", "0", "-2", "x")));
                }
                return c;
            }
            case 13: return cmd("RPOPLPUSH", key(), key());
            case 14: return cmd("LMOVE", key(), key(), pick("LEFT", "RIGHT"), pick("LEFT", "RIGHT", "UP"));
            case 15: {
                List<byte[]> c = cmd("LMPOP", pick("1", "2", "0"), key(), key(), pick("LEFT", "RIGHT"));
                if (rnd.nextBoolean()) {
                    c.add(b("COUNT"));
                    c.add(b(pick("1", "3", "0", "x")));
                }
                return c;
            }
            case 16: return cmd(pick("BLPOP", "BRPOP"), key(), key(), pick("0.01", "-1", "x"));
            case 17: return cmd("BLMOVE", key(), key(), pick("LEFT", "RIGHT"), pick("LEFT", "RIGHT"), "0.01");
            case 18: return cmd("OBJECT", "ENCODING", key());
            case 19: return cmd("TYPE", key());
            case 20: return cmd("DEBUG", "DIGEST-VALUE", key(), key());
            case 21: return cmd(pick("DEL", "EXISTS"), key());
            case 22: return cmd(pick("RENAME", "COPY"), key(), key());
            case 23: return rnd.nextInt(10) == 0 ? cmd("SET", "str", "v") : cmd("LLEN", key());
            case 24: return cmd("LRANGE", key(), "0", "-1");
            default: return cmd("BLMPOP", "0.01", "2", key(), key(), pick("LEFT", "RIGHT"), "COUNT", pick("1", "2"));
        }
    }
}
