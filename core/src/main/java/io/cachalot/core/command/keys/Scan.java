package io.cachalot.core.command.keys;

import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.Reply;
import io.cachalot.core.command.ScanArgs;
import io.cachalot.core.keyspace.Database;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.Glob;

import java.util.ArrayList;
import java.util.List;

/**
 * SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]. The cursor walks segment after segment,
 * buckets in reverse-binary order within each (see {@link Database#scan}), so a key present for
 * the whole iteration is returned at least once, however the tables resize meanwhile.
 */
final class Scan {
    private Scan() {
    }

    static void scan(CommandContext ctx) {
        long cursor = ScanArgs.cursor(ctx.argv[1]);
        long count = 10;
        byte[] pattern = null;
        byte[] typeName = null;
        int i = 2;
        while (i < ctx.argc) {
            int remaining = ctx.argc - i;
            if (ctx.argIs(i, "count") && remaining >= 2) {
                count = ctx.longArg(i + 1);
                if (count < 1) {
                    throw Errors.E_SYNTAX;
                }
                i += 2;
            } else if (ctx.argIs(i, "match") && remaining >= 2) {
                pattern = ctx.argv[i + 1];
                if (pattern.length == 1 && pattern[0] == '*') {
                    pattern = null;
                }
                i += 2;
            } else if (ctx.argIs(i, "type") && remaining >= 2) {
                typeName = ctx.argv[i + 1];
                i += 2;
            } else {
                throw Errors.E_SYNTAX;
            }
        }
        Glob glob = pattern == null ? null : new Glob(pattern, false);
        // An unknown type name filters everything out, as in Redis 7.0.
        ValueType type = typeName == null ? null : ValueType.byName(typeName);
        boolean typeFilter = typeName != null;
        long now = ctx.now;
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> expired = new ArrayList<>();
        Collector c = new Collector(keys, expired, glob, typeFilter, type, now);
        Database db = ctx.db();
        long next = db.scan(cursor, count, count * 10, c);
        for (byte[] k : expired) {
            int h = Bytes.hash(k);
            try (Segment seg = db.lock(h)) {
                seg.findLive(k, h, now); // deletes it if still expired
            }
        }
        Reply r = ctx.reply;
        r.array(2);
        r.bulk(Bytes.ascii(Long.toUnsignedString(next)));
        r.array(keys.size());
        for (byte[] k : keys) {
            r.bulk(k);
        }
    }

    /** Collects the keys of the visited buckets that pass the filters. */
    private static final class Collector implements Database.EntryCounter {
        private final List<byte[]> keys;
        private final List<byte[]> expired;
        private final Glob glob;
        private final boolean typeFilter;
        private final ValueType type;
        private final long now;
        private long visited;

        Collector(List<byte[]> keys, List<byte[]> expired, Glob glob, boolean typeFilter, ValueType type, long now) {
            this.keys = keys;
            this.expired = expired;
            this.glob = glob;
            this.typeFilter = typeFilter;
            this.type = type;
            this.now = now;
        }

        @Override
        public void accept(Entry e) {
            visited++;
            if (glob != null && !glob.matches(e.key())) {
                return;
            }
            if (e.isExpired(now)) {
                expired.add(e.key());
                return;
            }
            if (typeFilter && (type == null || !e.isType(type))) {
                return;
            }
            keys.add(e.key());
        }

        @Override
        public long count() {
            return visited;
        }
    }
}
