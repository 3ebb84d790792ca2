package io.cachalot.server;

import java.util.List;
import java.util.Random;

/** Random hash commands; low listpack limits so that hashes change encoding along the way. */
final class HashGenerator extends CommandGenerator {
    private static final String[] KEYS = {"h0", "h1", "h2", "str"};
    private static final String[] FIELDS = {"f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "", "a\u0000b",
        "long-field-name-0123456789"};
    private static final String[] VALUES = {"v", "", "0", "1", "-5", "3.5", "1e3", "abc", "x y",
        "9223372036854775807", "-9223372036854775808", "long-value-0123456789-0123456789", " 1"};

    HashGenerator(Random rnd) {
        super(rnd);
    }

    @Override
    List<List<byte[]>> setup() {
        return List.of(cmd("CONFIG", "SET", "hash-max-listpack-entries", "6"),
                cmd("CONFIG", "SET", "hash-max-listpack-value", "16"), cmd("SET", "str", "v"));
    }

    private String key() {
        return KEYS[rnd.nextInt(KEYS.length)];
    }

    private String field() {
        return FIELDS[rnd.nextInt(FIELDS.length)];
    }

    private String value() {
        return VALUES[rnd.nextInt(VALUES.length)];
    }

    @Override
    List<byte[]> next() {
        switch (rnd.nextInt(22)) {
            case 0: case 1: case 2: {
                List<byte[]> c = cmd(pick("HSET", "HMSET"), key());
                int n = 1 + rnd.nextInt(3);
                for (int i = 0; i < n; i++) {
                    c.add(b(field()));
                    c.add(b(value()));
                }
                if (rnd.nextInt(20) == 0) {
                    c.add(b(field()));
                }
                return c;
            }
            case 3: return cmd("HSETNX", key(), field(), value());
            case 4: case 5: return cmd("HGET", key(), field());
            case 6: return cmd("HMGET", key(), field(), field(), field());
            case 7: case 8: return cmd("HDEL", key(), field(), field());
            case 9: return cmd("HEXISTS", key(), field());
            case 10: return cmd("HLEN", key());
            case 11: return cmd("HSTRLEN", key(), field());
            case 12: return cmd("HINCRBY", key(), field(), pick("1", "-1", "100", "9223372036854775807", "x", "1.5"));
            case 13: return cmd("HINCRBYFLOAT", key(), field(), pick("0.1", "-1.5", "1e3", "x", "inf", "3"));
            case 14: return cmd(pick("HKEYS", "HVALS", "HGETALL"), key());
            case 15: return cmd("OBJECT", "ENCODING", key());
            case 16: return cmd("DEBUG", "DIGEST-VALUE", key(), key());
            case 17: return cmd("TYPE", key());
            case 18: return rnd.nextInt(5) == 0 ? cmd("DEL", key()) : cmd("EXISTS", key());
            case 19: return cmd(pick("RENAME", "COPY"), key(), key());
            case 20: return cmd("HRANDFIELD", key(), pick("0", "x", "-9223372036854775808"));
            default: return cmd("HGETALL", key());
        }
    }
}
