package io.cachalot.core.command.hashes;

import io.cachalot.core.command.KeyLock;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.RandomCount;
import io.cachalot.core.command.Reply;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.types.hash.HashValue;

import java.util.concurrent.ThreadLocalRandom;

/**
 * HRANDFIELD key [count [WITHVALUES]]: a positive count returns distinct fields (all of them when
 * count reaches the size), a negative one may repeat fields. With values, RESP3 gets pairs.
 */
final class HashRandomField {
    private HashRandomField() {
    }

    static void hrandfield(CommandContext ctx) {
        boolean withCount = ctx.argc >= 3;
        RandomCount rc = withCount ? RandomCount.parse(ctx, "withvalues") : null;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = Hashes.read(ctx, k);
            Reply r = ctx.reply;
            if (e == null) {
                if (withCount) {
                    r.array(0);
                } else {
                    r.nullBulk();
                }
                return;
            }
            HashValue hv = Hashes.hash(e);
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            HashValue.Cursor c = hv.cursor();
            if (!withCount) {
                hv.load(c, hv.randomPosition(rnd));
                r.bulk(c.fieldArray(), c.fieldOffset(), c.fieldLength());
                return;
            }
            long l = rc.count;
            if (l == 0) {
                r.array(0);
                return;
            }
            int size = hv.size();
            int[] positions = hv.positions();
            if (l < 0) {
                int n = (int) -l;
                rc.header(r, n);
                for (int i = 0; i < n; i++) {
                    hv.load(c, positions[rnd.nextInt(size)]);
                    emit(r, c, rc);
                }
                return;
            }
            int n = (int) Math.min(l, size);
            RandomCount.pickDistinct(positions, n, rnd);
            rc.header(r, n);
            for (int i = 0; i < n; i++) {
                hv.load(c, positions[i]);
                emit(r, c, rc);
            }
        }
    }

    private static void emit(Reply r, HashValue.Cursor c, RandomCount rc) {
        rc.beforeElement(r);
        r.bulk(c.fieldArray(), c.fieldOffset(), c.fieldLength());
        if (rc.withValues) {
            r.bulk(c.valueArray(), c.valueOffset(), c.valueLength());
        }
    }
}
