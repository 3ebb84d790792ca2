package io.cachalot.server;

import java.util.List;
import java.util.Random;

/** Random set commands over integer and string members, crossing the intset limit both ways. */
final class SetGenerator extends CommandGenerator {
    private static final String[] KEYS = {"s0", "s1", "s2", "str"};
    private static final String[] MEMBERS = {"1", "2", "3", "10", "-5", "007", "0", "-0", "a", "b", "c", "",
        "9223372036854775807", "9223372036854775808", "x y"};

    SetGenerator(Random rnd) {
        super(rnd);
    }

    @Override
    List<List<byte[]>> setup() {
        return List.of(cmd("CONFIG", "SET", "set-max-intset-entries", "5"), cmd("SET", "str", "v"));
    }

    private String key() {
        return KEYS[rnd.nextInt(KEYS.length)];
    }

    private String member() {
        return rnd.nextInt(3) == 0 ? Integer.toString(rnd.nextInt(12)) : MEMBERS[rnd.nextInt(MEMBERS.length)];
    }

    private List<byte[]> keys(String command, int min) {
        List<byte[]> c = cmd(command);
        int n = min + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            c.add(b(key()));
        }
        return c;
    }

    @Override
    List<byte[]> next() {
        switch (rnd.nextInt(20)) {
            case 0: case 1: case 2: {
                List<byte[]> c = cmd("SADD", key());
                int n = 1 + rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    c.add(b(member()));
                }
                return c;
            }
            case 3: case 4: return cmd("SREM", key(), member(), member());
            case 5: return cmd("SISMEMBER", key(), member());
            case 6: return cmd("SMISMEMBER", key(), member(), member());
            case 7: return cmd("SCARD", key());
            case 8: return cmd("SMEMBERS", key());
            case 9: return cmd("SMOVE", key(), key(), member());
            case 10: return keys(pick("SINTER", "SUNION", "SDIFF"), 1);
            case 11: {
                List<byte[]> c = keys(pick("SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"), 2);
                return c;
            }
            case 12: {
                List<byte[]> c = cmd("SINTERCARD", pick("1", "2", "0"), key(), key());
                if (rnd.nextBoolean()) {
                    c.add(b("LIMIT"));
                    c.add(b(pick("0", "1", "3", "-1")));
                }
                return c;
            }
            case 13: return cmd("OBJECT", "ENCODING", key());
            case 14: return cmd("DEBUG", "DIGEST-VALUE", key(), key());
            case 15: return cmd("TYPE", key());
            case 16: return rnd.nextInt(5) == 0 ? cmd("DEL", key()) : cmd("EXISTS", key());
            case 17: return cmd(pick("RENAME", "COPY"), key(), key());
            case 18: return cmd(pick("SPOP", "SRANDMEMBER"), key(), pick("0", "x"));
            default: return cmd("SMEMBERS", key());
        }
    }
}
