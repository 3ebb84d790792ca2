package io.cachalot.core.propagate;

import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.Numbers;

/**
 * The command names and words that effects are logged with: what handlers give
 * {@code CommandContext.propagate} when what they did must be logged in a deterministic form,
 * and what the effect log and {@link CommandForm} write themselves (Redis' shared objects for
 * propagation).
 */
public final class Propagated {
    public static final byte[] SET = Bytes.ascii("SET");
    public static final byte[] PXAT = Bytes.ascii("PXAT");
    public static final byte[] KEEPTTL = Bytes.ascii("KEEPTTL");
    public static final byte[] DEL = Bytes.ascii("DEL");
    public static final byte[] FUNCTION = Bytes.ascii("FUNCTION");
    public static final byte[] LOAD = Bytes.ascii("LOAD");
    public static final byte[] PEXPIREAT = Bytes.ascii("PEXPIREAT");
    public static final byte[] PERSIST = Bytes.ascii("PERSIST");
    public static final byte[] SREM = Bytes.ascii("SREM");
    public static final byte[] LPOP = Bytes.ascii("LPOP");
    public static final byte[] RPOP = Bytes.ascii("RPOP");
    public static final byte[] LMOVE = Bytes.ascii("LMOVE");
    public static final byte[] LEFT = Bytes.ascii("LEFT");
    public static final byte[] RIGHT = Bytes.ascii("RIGHT");
    public static final byte[] ZPOPMIN = Bytes.ascii("ZPOPMIN");
    public static final byte[] ZPOPMAX = Bytes.ascii("ZPOPMAX");
    public static final byte[] HSET = Bytes.ascii("HSET");
    public static final byte[] HDEL = Bytes.ascii("HDEL");
    public static final byte[] HPEXPIREAT = Bytes.ascii("HPEXPIREAT");
    public static final byte[] FIELDS = Bytes.ascii("FIELDS");
    public static final byte[] ABSTTL = Bytes.ascii("ABSTTL");
    public static final byte[] RPUSH = Bytes.ascii("RPUSH");
    public static final byte[] SADD = Bytes.ascii("SADD");
    public static final byte[] ZADD = Bytes.ascii("ZADD");
    public static final byte[] HMSET = Bytes.ascii("HMSET");
    public static final byte[] MULTI = Bytes.ascii("MULTI");
    public static final byte[] EXEC = Bytes.ascii("EXEC");
    public static final byte[] SELECT = Bytes.ascii("SELECT");
    public static final byte[] FLUSHDB = Bytes.ascii("FLUSHDB");
    public static final byte[] SWAPDB = Bytes.ascii("SWAPDB");

    private Propagated() {
    }

    public static byte[] number(long v) {
        return Numbers.toBytes(v);
    }
}
