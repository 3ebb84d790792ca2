package io.cachalot.server;

import java.util.List;
import java.util.Random;

/**
 * Random sorted-set commands. Lex ranges are only asked of the "lex" keys, whose members all have
 * score 0: with mixed scores Redis' answer depends on its skiplist's random levels.
 */
final class ZSetGenerator extends CommandGenerator {
    private static final String[] KEYS = {"z0", "z1", "z2", "set", "str"};
    private static final String[] LEX_KEYS = {"lex0", "lex1"};
    private static final String[] MEMBERS = {"a", "b", "c", "d", "e", "f", "g", "", "long-member-0123456789", "1"};
    private static final String[] SCORES = {"0", "1", "2", "2.5", "-1", "-0", "0.1", "1e-5", "3e10", "inf", "-inf",
        "10", "100", "-2.25"};
    private static final String[] BOUNDS = {"0", "1", "2.5", "(1", "(2.5", "-inf", "+inf", "(-inf", "10", "-1",
        "(0", "x", ""};
    private static final String[] LEX_BOUNDS = {"-", "+", "[a", "(a", "[c", "(c", "[e", "(g", "[", "(", "x"};
    private static final String[] RANKS = {"0", "1", "2", "-1", "-2", "5", "-10", "100"};

    ZSetGenerator(Random rnd) {
        super(rnd);
    }

    @Override
    List<List<byte[]>> setup() {
        return List.of(cmd("CONFIG", "SET", "zset-max-listpack-entries", "5"),
                cmd("CONFIG", "SET", "zset-max-listpack-value", "16"), cmd("SET", "str", "v"),
                cmd("SADD", "set", "a", "b", "1"));
    }

    private String key() {
        return KEYS[rnd.nextInt(KEYS.length)];
    }

    private String lexKey() {
        return LEX_KEYS[rnd.nextInt(LEX_KEYS.length)];
    }

    private String member() {
        return MEMBERS[rnd.nextInt(MEMBERS.length)];
    }

    private String score() {
        return SCORES[rnd.nextInt(SCORES.length)];
    }

    private String bound() {
        return BOUNDS[rnd.nextInt(BOUNDS.length)];
    }

    private String lexBound() {
        return LEX_BOUNDS[rnd.nextInt(LEX_BOUNDS.length)];
    }

    private String rank() {
        return RANKS[rnd.nextInt(RANKS.length)];
    }

    private void limit(List<byte[]> c) {
        if (rnd.nextInt(3) == 0) {
            c.add(b("LIMIT"));
            c.add(b(pick("0", "1", "2", "-1", "10")));
            c.add(b(pick("1", "2", "-1", "0", "5")));
        }
    }

    @Override
    List<byte[]> next() {
        switch (rnd.nextInt(30)) {
            case 0: case 1: case 2: case 3: {
                List<byte[]> c = cmd("ZADD", key());
                int opts = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(2) : 0;
                for (int i = 0; i < opts; i++) {
                    c.add(b(pick("NX", "XX", "GT", "LT", "CH", "INCR")));
                }
                int n = 1 + rnd.nextInt(3);
                for (int i = 0; i < n; i++) {
                    c.add(b(score()));
                    c.add(b(member()));
                }
                return c;
            }
            case 4: return cmd("ZINCRBY", key(), score(), member());
            case 5: return cmd("ZREM", key(), member(), member());
            case 6: return cmd("ZSCORE", key(), member());
            case 7: return cmd("ZMSCORE", key(), member(), member());
            case 8: return cmd(pick("ZRANK", "ZREVRANK"), key(), member()); // WITHSCORE is 7.2
            case 9: return cmd("ZCOUNT", key(), bound(), bound());
            case 10: case 11: {
                List<byte[]> c = cmd("ZRANGE", key(), rank(), rank());
                if (rnd.nextBoolean()) {
                    c.add(b("REV"));
                }
                if (rnd.nextBoolean()) {
                    c.add(b("WITHSCORES"));
                }
                return c;
            }
            case 12: case 13: {
                boolean rev = rnd.nextBoolean();
                List<byte[]> c = rnd.nextBoolean()
                        ? cmd(rev ? "ZREVRANGEBYSCORE" : "ZRANGEBYSCORE", key(), bound(), bound())
                        : cmd("ZRANGE", key(), bound(), bound(), "BYSCORE");
                if (rev && c.size() == 5) {
                    c.add(b("REV"));
                }
                if (rnd.nextBoolean()) {
                    c.add(b("WITHSCORES"));
                }
                limit(c);
                return c;
            }
            case 14: return cmd("ZREMRANGEBYRANK", key(), rank(), rank());
            case 15: return cmd("ZREMRANGEBYSCORE", key(), bound(), bound());
            case 16: return cmd(pick("ZPOPMIN", "ZPOPMAX"), key(), pick("1", "2", "0", "-1"));
            case 17: {
                List<byte[]> c = cmd("ZMPOP", pick("1", "2"), key(), key(), pick("MIN", "MAX"));
                if (rnd.nextBoolean()) {
                    c.add(b("COUNT"));
                    c.add(b(pick("1", "3", "0")));
                }
                return c;
            }
            case 18: case 19: {
                String op = pick("ZUNION", "ZINTER", "ZDIFF", "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE");
                boolean store = op.endsWith("STORE");
                int n = 1 + rnd.nextInt(3);
                List<byte[]> c = store ? cmd(op, key(), Integer.toString(n)) : cmd(op, Integer.toString(n));
                for (int i = 0; i < n; i++) {
                    c.add(b(key()));
                }
                if (!op.startsWith("ZDIFF") && rnd.nextBoolean()) {
                    c.add(b("WEIGHTS"));
                    for (int i = 0; i < n; i++) {
                        c.add(b(pick("1", "2", "0.5", "-1", "0", "inf")));
                    }
                }
                if (!op.startsWith("ZDIFF") && rnd.nextBoolean()) {
                    c.add(b("AGGREGATE"));
                    c.add(b(pick("SUM", "MIN", "MAX")));
                }
                if (!store && rnd.nextBoolean()) {
                    c.add(b("WITHSCORES"));
                }
                return c;
            }
            case 20: {
                List<byte[]> c = cmd("ZRANGESTORE", key(), key(), rank(), rank());
                if (rnd.nextBoolean()) {
                    c.set(3, b(bound()));
                    c.set(4, b(bound()));
                    c.add(b("BYSCORE"));
                    limit(c);
                }
                if (rnd.nextBoolean()) {
                    c.add(b("REV"));
                }
                return c;
            }
            case 21: return cmd("ZINTERCARD", pick("1", "2"), key(), key(), "LIMIT", pick("0", "1"));
            case 22: return cmd("ZADD", lexKey(), "0", member(), "0", member());
            case 23: {
                boolean rev = rnd.nextBoolean();
                List<byte[]> c = cmd(rev ? "ZREVRANGEBYLEX" : "ZRANGEBYLEX", lexKey(), lexBound(), lexBound());
                limit(c);
                return c;
            }
            case 24: return cmd(pick("ZLEXCOUNT", "ZREMRANGEBYLEX"), lexKey(), lexBound(), lexBound());
            case 25: return cmd("OBJECT", "ENCODING", pick(key(), lexKey()));
            case 26: return cmd("DEBUG", "DIGEST-VALUE", key(), lexKey());
            case 27: return cmd("ZCARD", key());
            case 28: return rnd.nextInt(4) == 0 ? cmd("DEL", key()) : cmd(pick("COPY", "RENAME"), key(), key());
            default: return cmd("ZRANGE", key(), "0", "-1", "WITHSCORES");
        }
    }
}
