package io.cachalot.core.command.zsets;

import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.Keys;
import io.cachalot.core.command.Lookup;
import io.cachalot.core.command.Reply;
import io.cachalot.core.types.Encoding;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.pubsub.KeyEvent;
import io.cachalot.core.types.zset.ZSetValue;
import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.Doubles;

/** Helpers shared by the sorted-set commands. The caller holds the keys' segment locks. */
public final class ZSets {
    static final CommandError NOT_FLOAT = new CommandError("ERR value is not a valid float");
    static final CommandError NAN_SCORE = new CommandError("ERR resulting score is not a number (NaN)");

    private ZSets() {
    }

    public static ZSetValue zset(Entry e) {
        return (ZSetValue) e.value();
    }

    /** A score argument, strictly parsed (ZADD, ZINCRBY). */
    public static double score(byte[] b) {
        double d = Doubles.parseStrict(b);
        if (Double.isNaN(d)) {
            throw NOT_FLOAT;
        }
        return d;
    }

    static long maxEntries(CommandContext ctx) {
        return ctx.settings().zsetMaxListpackEntries.value();
    }

    static long maxValue(CommandContext ctx) {
        return ctx.settings().zsetMaxListpackValue.value();
    }

    /** Adds an empty (packed) sorted set under an absent key. */
    static Entry create(CommandContext ctx, Segment seg, byte[] key, int h) {
        return seg.insert(key, h, ZSetValue.packed(), ValueType.ZSET, Encoding.LISTPACK);
    }

    /**
     * Inserts an absent member as Redis' zsetAdd: a packed set becomes a tree first when it would
     * exceed zset-max-listpack-entries or the member is longer than zset-max-listpack-value.
     */
    static void insert(CommandContext ctx, ZSetValue z, byte[] member, double score) {
        if (z.isPacked() && (z.size() + 1 > maxEntries(ctx) || member.length > maxValue(ctx))) {
            z.toTree();
        }
        z.insert(member, score);
    }

    /**
     * After changing a sorted set in place: memory, the keyspace event {@code event} (null:
     * nothing changed), encoding, and deletion when empty.
     */
    static void changed(CommandContext ctx, Segment seg, Entry e, long before, KeyEvent event) {
        seg.afterMutation(e, before);
        if (event != null) {
            ctx.notify(event, e.key());
        }
        ZSetValue z = zset(e);
        if (z.isEmpty()) {
            Keys.deleteEmptied(ctx, seg, e);
        } else if (e.encoding() != z.encoding()) {
            seg.setEncoding(e, z.encoding());
        }
    }

    /** Picks the encoding of a computed result as Redis (packed when small enough). */
    static void settleEncoding(CommandContext ctx, ZSetValue z) {
        if (z.size() <= maxEntries(ctx) && z.maxMemberLength() <= maxValue(ctx)) {
            z.toPacked();
        } else {
            z.toTree();
        }
    }

    /**
     * Stores a computed result under {@code dst} (replacing any value and its TTL) and replies
     * its size; an empty result deletes {@code dst} and replies 0.
     */
    public static void store(CommandContext ctx, byte[] dst, ZSetValue result, KeyEvent event) {
        if (result != null && !result.isEmpty()) {
            settleEncoding(ctx, result);
        }
        storeAsIs(ctx, dst, result, event);
    }

    /** {@link #store} keeping the result's encoding. */
    static void storeAsIs(CommandContext ctx, byte[] dst, ZSetValue result, KeyEvent event) {
        boolean empty = result == null || result.isEmpty();
        Keys.replaceOrDelete(ctx, dst, empty ? null : result, ValueType.ZSET, empty ? null : result.encoding(), event);
        ctx.reply.integer(empty ? 0 : result.size());
    }

    /** Header of a reply of {@code n} members, with scores flat (RESP2) or paired (RESP3). */
    static void header(Reply r, int n, boolean withScores) {
        r.array(withScores && r.protocol() == 2 ? 2 * n : n);
    }

    /** One member of a range reply. */
    static void emit(Reply r, ZSetValue.Cursor c, boolean withScores) {
        if (withScores && r.protocol() == 3) {
            r.array(2);
        }
        r.bulk(c.memberArray(), c.memberOffset(), c.memberLength());
        if (withScores) {
            r.doubleValue(c.score());
        }
    }
}
