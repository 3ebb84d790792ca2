package io.cachalot.core.command;

import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.Numbers;

/**
 * The command names and words that handlers give {@link CommandContext#propagate} when what they
 * did must be logged in a deterministic form (Redis' shared objects for propagation).
 */
public final class Propagated {
    public static final byte[] SET = Bytes.ascii("SET");
    public static final byte[] PXAT = Bytes.ascii("PXAT");
    public static final byte[] KEEPTTL = Bytes.ascii("KEEPTTL");
    public static final byte[] DEL = Bytes.ascii("DEL");
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
    public static final byte[] HPERSIST = Bytes.ascii("HPERSIST");
    public static final byte[] FIELDS = Bytes.ascii("FIELDS");
    public static final byte[] ABSTTL = Bytes.ascii("ABSTTL");

    private Propagated() {
    }

    public static byte[] number(long v) {
        return Numbers.toBytes(v);
    }
}
