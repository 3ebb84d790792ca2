package io.cachalot.core.command.sort;

import io.cachalot.core.command.KeyLock;
import io.cachalot.core.command.CommandFlags;
import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandFamily;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.KeyLocks;
import io.cachalot.core.command.Keys;
import io.cachalot.core.command.Lookup;
import io.cachalot.core.command.Reply;
import io.cachalot.core.command.hashes.Hashes;
import io.cachalot.core.keyspace.Database;
import io.cachalot.core.types.Encoding;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.types.list.QuickList;
import io.cachalot.core.types.set.SetValue;
import io.cachalot.core.types.zset.ZSetValue;
import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.Doubles;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * SORT and SORT_RO, as Redis' sortCommandGeneric: elements of a list, set or sorted set sorted
 * numerically (ties by bytes) or with ALPHA, optionally by the values of other keys
 * ({@code BY weight_*}, {@code BY h_*->field}, or a pattern without '*' for no sorting), with
 * LIMIT, GET patterns ({@code #} is the element) and STORE into a list.
 *
 * <p>Without STORE, ALPHA compares as C's strcoll in the "C" locale (bytes up to the first NUL),
 * as a redis-server started without a locale does. When BY or GET name other keys, the whole
 * database is locked for the command, since those keys are only known while sorting.
 */
public final class SortCommand implements CommandFamily {
    private static final CommandError NOT_DOUBLE =
            new CommandError("ERR One or more scores can't be converted into double");
    private static final byte[] HASH = {'#'};

    /** The family, for the engine's ServiceLoader. */
    public SortCommand() {
    }

    @Override
    public void register(CommandCatalog c) {
        // BY and GET patterns read keys the arguments do not name
        c.addFlags("sort", CommandFlags.OTHER_KEYS);
        c.addFlags("sort_ro", CommandFlags.OTHER_KEYS);
        c.register("sort", ctx -> sort(ctx, false));
        c.register("sort_ro", ctx -> sort(ctx, true));
    }

    /** One element to sort, with its sort key. */
    private static final class Item {
        final byte[] element;
        double score;
        byte[] cmp;

        Item(byte[] element) {
            this.element = element;
        }
    }

    static void sort(CommandContext ctx, boolean readOnly) {
        boolean desc = false;
        boolean alpha = false;
        long limitStart = 0;
        long limitCount = -1;
        byte[] storeKey = null;
        byte[] sortBy = null;
        boolean dontSort = false;
        List<byte[]> gets = new ArrayList<>();
        for (int j = 2; j < ctx.argc; j++) {
            int left = ctx.argc - j - 1;
            if (ctx.argIs(j, "asc")) {
                desc = false;
            } else if (ctx.argIs(j, "desc")) {
                desc = true;
            } else if (ctx.argIs(j, "alpha")) {
                alpha = true;
            } else if (ctx.argIs(j, "limit") && left >= 2) {
                limitStart = ctx.longArg(j + 1);
                limitCount = ctx.longArg(j + 2);
                j += 2;
            } else if (!readOnly && ctx.argIs(j, "store") && left >= 1) {
                storeKey = ctx.argv[++j];
            } else if (ctx.argIs(j, "by") && left >= 1) {
                sortBy = ctx.argv[++j];
                dontSort = indexOf(sortBy, (byte) '*', 0) < 0;
            } else if (ctx.argIs(j, "get") && left >= 1) {
                gets.add(ctx.argv[++j]);
            } else {
                throw Errors.E_SYNTAX;
            }
        }
        boolean patterns = (sortBy != null && !dontSort) || !gets.isEmpty();
        Database db = ctx.db();
        byte[] key = ctx.argv[1];
        int h = Bytes.hash(key);
        if (patterns) {
            db.lockAll();
        } else {
            KeyLocks.lock(ctx, storeKey == null ? new byte[][] {key} : new byte[][] {key, storeKey});
        }
        try {
            run(ctx, key, h, desc, alpha, limitStart, limitCount, storeKey, sortBy, dontSort, gets);
        } finally {
            if (patterns) {
                db.unlockAll();
            }
        }
    }

    private static void run(CommandContext ctx, byte[] key, int h, boolean desc, boolean alpha, long limitStart,
                            long limitCount, byte[] storeKey, byte[] sortBy, boolean dontSort, List<byte[]> gets) {
        Database db = ctx.db();
        Segment seg = db.segment(h);
        Entry e = Lookup.read(ctx, seg, key, h); // also when storing, as Redis 7.0
        if (e != null && !e.isType(ValueType.LIST) && !e.isType(ValueType.SET) && !e.isType(ValueType.ZSET)) {
            throw Errors.E_WRONGTYPE;
        }
        ValueType type = e == null ? ValueType.LIST : e.type();
        if (dontSort && type == ValueType.SET && (storeKey != null || ctx.isScriptClient())) {
            // a stored result, or a script's, must not depend on the set's internal order
            dontSort = false;
            alpha = true;
            sortBy = null;
        }
        if (e != null && type == ValueType.ZSET) {
            // Redis converts the sorted set for SORT, for good (visible in OBJECT ENCODING)
            ZSetValue z = (ZSetValue) e.value();
            if (z.isPacked()) {
                long before = seg.beforeMutation(e);
                z.toTree();
                seg.afterMutation(e, before);
                seg.setEncoding(e, Encoding.SKIPLIST);
            }
        }
        long vectorLen = size(e);
        long start = limitStart < 0 ? 0 : limitStart;
        long end = limitCount < 0 ? vectorLen - 1 : start + limitCount - 1;
        if (start >= vectorLen) {
            start = vectorLen - 1;
            end = vectorLen - 2;
        }
        if (end >= vectorLen) {
            end = vectorLen - 1;
        }
        List<Item> items = new ArrayList<>();
        if (e != null && dontSort && type != ValueType.SET) {
            // lists and sorted sets keep their order: load just the range, forwards or backwards
            if (end >= start) {
                loadRange(e, start, end - start + 1, desc, items);
                end -= start;
                start = 0;
            }
        } else if (e != null) {
            loadAll(e, items);
        }
        if (!dontSort) {
            boolean conversionError = false;
            for (Item it : items) {
                byte[] by = it.element;
                if (sortBy != null) {
                    by = lookupByPattern(ctx, sortBy, it.element);
                    if (by == null) {
                        continue;
                    }
                }
                if (alpha) {
                    if (sortBy != null) {
                        it.cmp = by;
                    }
                } else {
                    it.score = Doubles.parseSortValue(by);
                    if (Double.isNaN(it.score)) {
                        conversionError = true;
                    }
                }
            }
            items.sort(comparator(alpha, sortBy != null, storeKey != null, desc));
            if (conversionError) {
                throw NOT_DOUBLE;
            }
        }
        int getCount = gets.size();
        long outputLen = getCount > 0 ? getCount * (end - start + 1) : end - start + 1;
        if (storeKey == null) {
            Reply r = ctx.reply;
            r.array((int) Math.max(0, outputLen));
            for (long j = start; j <= end; j++) {
                Item it = items.get((int) j);
                if (getCount == 0) {
                    r.bulk(it.element);
                }
                for (byte[] pattern : gets) {
                    byte[] v = lookupByPattern(ctx, pattern, it.element);
                    if (v == null) {
                        r.nullBulk();
                    } else {
                        r.bulk(v);
                    }
                }
            }
            return;
        }
        QuickList out = new QuickList(ctx.settings().listMaxListpackSize.intValue());
        for (long j = start; j <= end; j++) {
            Item it = items.get((int) j);
            if (getCount == 0) {
                out.push(it.element, false);
            }
            for (byte[] pattern : gets) {
                byte[] v = lookupByPattern(ctx, pattern, it.element);
                out.push(v == null ? Bytes.EMPTY : v, false);
            }
        }
        Keys.replaceOrDelete(ctx, storeKey, outputLen > 0 ? out : null, ValueType.LIST, Encoding.QUICKLIST,
                io.cachalot.core.pubsub.KeyEvent.SORTSTORE);
        if (outputLen > 1) {
            ctx.dirty(outputLen - 1);
        }
        ctx.reply.integer(Math.max(0, outputLen));
    }

    private static long size(Entry e) {
        if (e == null) {
            return 0;
        }
        switch (e.type()) {
            case LIST:
                return ((QuickList) e.value()).size();
            case SET:
                return ((SetValue) e.value()).size();
            default:
                return ((ZSetValue) e.value()).size();
        }
    }

    private static void loadAll(Entry e, List<Item> items) {
        switch (e.type()) {
            case LIST: {
                QuickList q = (QuickList) e.value();
                if (q.size() > 0) {
                    QuickList.Cursor c = q.at(0);
                    do {
                        items.add(new Item(c.bytes()));
                    } while (c.next());
                }
                break;
            }
            case SET: {
                SetValue.Cursor c = ((SetValue) e.value()).cursor();
                while (c.next()) {
                    items.add(new Item(c.member()));
                }
                break;
            }
            default: {
                ZSetValue z = (ZSetValue) e.value();
                if (z.size() > 0) {
                    ZSetValue.Cursor c = z.cursor();
                    c.seek(0);
                    do {
                        items.add(new Item(c.member()));
                    } while (c.next());
                }
                break;
            }
        }
    }

    /** {@code n} elements from position {@code start}, counted from the end when {@code desc}. */
    private static void loadRange(Entry e, long start, long n, boolean desc, List<Item> items) {
        if (e.type() == ValueType.LIST) {
            QuickList q = (QuickList) e.value();
            QuickList.Cursor c = q.at(desc ? q.size() - start - 1 : start);
            for (long i = 0; i < n; i++) {
                items.add(new Item(c.bytes()));
                if (desc ? !c.prev() : !c.next()) {
                    break;
                }
            }
            return;
        }
        ZSetValue z = (ZSetValue) e.value();
        ZSetValue.Cursor c = z.cursor();
        c.seek((int) (desc ? z.size() - start - 1 : start));
        for (long i = 0; i < n; i++) {
            items.add(new Item(c.member()));
            if (desc ? !c.prev() : !c.next()) {
                break;
            }
        }
    }

    /** Redis' sortCompare. */
    private static Comparator<Item> comparator(boolean alpha, boolean byPattern, boolean store, boolean desc) {
        Comparator<Item> cmp;
        if (!alpha) {
            cmp = (a, b) -> {
                if (a.score > b.score) {
                    return 1;
                }
                if (a.score < b.score) {
                    return -1;
                }
                return Arrays.compareUnsigned(a.element, b.element);
            };
        } else if (byPattern) {
            cmp = (a, b) -> {
                if (a.cmp == null || b.cmp == null) {
                    return a.cmp == b.cmp ? 0 : a.cmp == null ? -1 : 1;
                }
                return store ? Arrays.compareUnsigned(a.cmp, b.cmp) : collate(a.cmp, b.cmp);
            };
        } else {
            cmp = (a, b) -> store ? Arrays.compareUnsigned(a.element, b.element) : collate(a.element, b.element);
        }
        return desc ? cmp.reversed() : cmp;
    }

    /** strcoll in the C locale: unsigned bytes, up to the first NUL of each string. */
    private static int collate(byte[] a, byte[] b) {
        int la = indexOf(a, (byte) 0, 0);
        int lb = indexOf(b, (byte) 0, 0);
        return Arrays.compareUnsigned(a, 0, la < 0 ? a.length : la, b, 0, lb < 0 ? b.length : lb);
    }

    private static int indexOf(byte[] b, byte v, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The value a BY or GET pattern names for an element: "#" is the element; the first '*' is
     * replaced by it, and "->field" after it reads a hash field. Strings only (or the field); null
     * otherwise, or when the pattern has no '*'. Patterns are C strings for Redis: a NUL ends them.
     */
    private static byte[] lookupByPattern(CommandContext ctx, byte[] pattern, byte[] element) {
        int plen = indexOf(pattern, (byte) 0, 0);
        if (plen < 0) {
            plen = pattern.length;
        }
        if (plen == 1 && pattern[0] == '#') {
            return element;
        }
        int star = -1;
        for (int i = 0; i < plen; i++) {
            if (pattern[i] == '*') {
                star = i;
                break;
            }
        }
        if (star < 0) {
            return null;
        }
        int arrow = -1;
        for (int i = star + 1; i + 1 < plen; i++) {
            if (pattern[i] == '-' && pattern[i + 1] == '>') {
                arrow = i;
                break;
            }
        }
        byte[] field = null;
        int keyEnd = pattern.length;
        if (arrow >= 0 && arrow + 2 < plen) {
            field = Arrays.copyOfRange(pattern, arrow + 2, pattern.length);
            keyEnd = arrow;
        }
        byte[] k = new byte[star + element.length + (keyEnd - star - 1)];
        System.arraycopy(pattern, 0, k, 0, star);
        System.arraycopy(element, 0, k, star, element.length);
        System.arraycopy(pattern, star + 1, k, star + element.length, keyEnd - star - 1);
        int kh = Bytes.hash(k);
        Segment seg = ctx.db().segment(kh);
        Entry o = Lookup.read(ctx, seg, k, kh);
        if (o == null) {
            return null;
        }
        if (field != null) {
            if (!o.isType(ValueType.HASH)) {
                return null;
            }
            Entry live = Hashes.purge(ctx, seg, o);
            return live == null ? null : Hashes.hash(live).get(field);
        }
        return o.isType(ValueType.STRING) ? o.bytes() : null;
    }
}
