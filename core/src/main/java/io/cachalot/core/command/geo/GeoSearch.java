package io.cachalot.core.command.geo;

import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.KeyLocks;
import io.cachalot.core.command.Lookup;
import io.cachalot.core.command.Reply;
import io.cachalot.core.command.zsets.ZSets;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.pubsub.KeyEvent;
import io.cachalot.core.types.geo.GeoHash;
import io.cachalot.core.types.geo.GeoShape;
import io.cachalot.core.types.zset.ZSetValue;
import io.cachalot.core.util.Numbers;

import java.util.Arrays;
import java.util.Comparator;

/**
 * GEOSEARCH, GEOSEARCHSTORE and the deprecated GEORADIUS, GEORADIUSBYMEMBER and their _RO forms:
 * one argument parser and one search (Redis' georadiusGeneric), so that the variants accept,
 * refuse and order exactly as Redis does.
 */
final class GeoSearch {
    /** Around coordinates given as arguments 2 and 3 (GEORADIUS). */
    private static final int RADIUS_COORDS = 1;
    /** Around the member given as argument 2 (GEORADIUSBYMEMBER). */
    private static final int RADIUS_MEMBER = 2;
    /** STORE and STOREDIST refused (the _RO forms). */
    private static final int NO_STORE = 4;
    /** GEOSEARCH's FROM…/BY… arguments. */
    private static final int SEARCH = 8;
    /** GEOSEARCHSTORE: the destination is argument 1, STOREDIST a flag. */
    private static final int SEARCH_STORE = 16;

    private static final int SORT_NONE = 0;
    private static final int SORT_ASC = 1;
    private static final int SORT_DESC = 2;

    /** Redis' sort_gp_asc (its DESC is the negation, which reversed() is). */
    private static final Comparator<Point> BY_DISTANCE = (a, b) -> a.dist > b.dist ? 1 : a.dist == b.dist ? 0 : -1;

    private GeoSearch() {
    }

    static void register(CommandCatalog c) {
        c.register("georadius", ctx -> search(ctx, 1, RADIUS_COORDS));
        c.register("georadius_ro", ctx -> search(ctx, 1, RADIUS_COORDS | NO_STORE));
        c.register("georadiusbymember", ctx -> search(ctx, 1, RADIUS_MEMBER));
        c.register("georadiusbymember_ro", ctx -> search(ctx, 1, RADIUS_MEMBER | NO_STORE));
        c.register("geosearch", ctx -> search(ctx, 1, SEARCH));
        c.register("geosearchstore", ctx -> search(ctx, 2, SEARCH | SEARCH_STORE));
    }

    /** A point found: the member, its score, coordinates and distance to the centre. */
    private static final class Point {
        final byte[] member;
        final double score;
        final double lon;
        final double lat;
        double dist;

        Point(byte[] member, double score, double lon, double lat, double dist) {
            this.member = member;
            this.score = score;
            this.lon = lon;
            this.lat = lat;
            this.dist = dist;
        }
    }

    /**
     * Where the destination key of a GEORADIUS … STORE|STOREDIST key is: the argument parser's
     * walk without its checks (they only decide whether an error comes, and then nothing is
     * stored), so that both keys can be locked before the source is read. 0 when none.
     */
    private static int storeKeyIndex(CommandContext ctx, int base, int flags) {
        if ((flags & SEARCH_STORE) != 0) {
            return 1;
        }
        if ((flags & (NO_STORE | SEARCH)) != 0) {
            return 0;
        }
        int store = 0;
        int remaining = ctx.argc - base;
        for (int i = 0; i < remaining; i++) {
            int a = base + i;
            if (ctx.argIs(a, "count") && i + 1 < remaining) {
                i++;
            } else if ((ctx.argIs(a, "store") || ctx.argIs(a, "storedist")) && i + 1 < remaining) {
                store = a + 1;
                i++;
            }
        }
        return store;
    }

    static void search(CommandContext ctx, int srcIdx, int flags) {
        int base = (flags & RADIUS_COORDS) != 0 ? 6 : (flags & RADIUS_MEMBER) != 0 ? 5
                : (flags & SEARCH_STORE) != 0 ? 3 : 2;
        int storeIdx = storeKeyIndex(ctx, base, flags);
        byte[] src = ctx.argv[srcIdx];
        int[] hashes = KeyLocks.lock(ctx, storeIdx > 0 ? new byte[][] {src, ctx.argv[storeIdx]} : new byte[][] {src});
        Segment seg = ctx.db().segment(hashes[0]);
        Entry e = Lookup.read(ctx, seg, src, hashes[0]);
        if (e != null && !e.isType(ValueType.ZSET)) {
            throw Errors.E_WRONGTYPE;
        }
        ZSetValue z = e == null ? null : ZSets.zset(e);

        double[] center = new double[2];
        boolean circle = true;
        double radius = 0;
        double width = 0;
        double height = 0;
        double conversion = 0;
        if ((flags & RADIUS_COORDS) != 0) {
            GeoCommands.lonLat(ctx, 2, center);
            radius = radius(ctx.argv[4]);
            conversion = GeoCommands.unit(ctx.argv[5]);
        } else if ((flags & RADIUS_MEMBER) != 0 && z != null) {
            memberPosition(z, ctx.argv[2], center);
            radius = radius(ctx.argv[3]);
            conversion = GeoCommands.unit(ctx.argv[4]);
        }

        boolean withDist = false;
        boolean withHash = false;
        boolean withCoord = false;
        boolean fromMember = false;
        boolean fromLoc = false;
        boolean byRadius = false;
        boolean byBox = false;
        boolean any = false;
        boolean storeDist = false;
        int sort = SORT_NONE;
        long count = 0;
        byte[] storeKey = (flags & SEARCH_STORE) != 0 ? ctx.argv[1] : null;
        int remaining = ctx.argc - base;
        for (int i = 0; i < remaining; i++) {
            int a = base + i;
            if (ctx.argIs(a, "withdist")) {
                withDist = true;
            } else if (ctx.argIs(a, "withhash")) {
                withHash = true;
            } else if (ctx.argIs(a, "withcoord")) {
                withCoord = true;
            } else if (ctx.argIs(a, "any")) {
                any = true;
            } else if (ctx.argIs(a, "asc")) {
                sort = SORT_ASC;
            } else if (ctx.argIs(a, "desc")) {
                sort = SORT_DESC;
            } else if (ctx.argIs(a, "count") && i + 1 < remaining) {
                byte[] b = ctx.argv[a + 1];
                if (!Numbers.isLong(b)) {
                    throw Errors.E_NOT_INTEGER;
                }
                count = Numbers.parseLong(b);
                if (count <= 0) {
                    throw new CommandError("ERR COUNT must be > 0");
                }
                i++;
            } else if ((ctx.argIs(a, "store") || ctx.argIs(a, "storedist")) && i + 1 < remaining
                    && (flags & (NO_STORE | SEARCH)) == 0) {
                storeKey = ctx.argv[a + 1];
                storeDist = ctx.argIs(a, "storedist");
                i++;
            } else if (ctx.argIs(a, "storedist") && (flags & SEARCH_STORE) != 0) {
                storeDist = true;
            } else if (ctx.argIs(a, "frommember") && i + 1 < remaining && (flags & SEARCH) != 0 && !fromLoc) {
                if (z != null) {
                    memberPosition(z, ctx.argv[a + 1], center);
                }
                fromMember = true;
                i++;
            } else if (ctx.argIs(a, "fromlonlat") && i + 2 < remaining && (flags & SEARCH) != 0 && !fromMember) {
                GeoCommands.lonLat(ctx, a + 1, center);
                fromLoc = true;
                i += 2;
            } else if (ctx.argIs(a, "byradius") && i + 2 < remaining && (flags & SEARCH) != 0 && !byBox) {
                radius = radius(ctx.argv[a + 1]);
                conversion = GeoCommands.unit(ctx.argv[a + 2]);
                circle = true;
                byRadius = true;
                i += 2;
            } else if (ctx.argIs(a, "bybox") && i + 3 < remaining && (flags & SEARCH) != 0 && !byRadius) {
                width = GeoCommands.number(ctx.argv[a + 1], "need numeric width");
                height = GeoCommands.number(ctx.argv[a + 2], "need numeric height");
                if (height < 0 || width < 0) {
                    throw new CommandError("ERR height or width cannot be negative");
                }
                conversion = GeoCommands.unit(ctx.argv[a + 3]);
                circle = false;
                byBox = true;
                i += 3;
            } else {
                throw Errors.E_SYNTAX;
            }
        }
        if (storeKey != null && (withDist || withHash || withCoord)) {
            throw new CommandError("ERR " + ((flags & SEARCH_STORE) != 0 ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
                    + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        }
        if ((flags & SEARCH) != 0 && !(fromMember || fromLoc)) {
            throw new CommandError("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for "
                    + io.cachalot.core.util.Bytes.latin1(ctx.argv[0]));
        }
        if ((flags & SEARCH) != 0 && !(byRadius || byBox)) {
            throw new CommandError("ERR exactly one of BYRADIUS and BYBOX can be specified for "
                    + io.cachalot.core.util.Bytes.latin1(ctx.argv[0]));
        }
        if (any && count == 0) {
            throw new CommandError("ERR the ANY argument requires COUNT argument");
        }
        Reply r = ctx.reply;
        if (z == null) {
            if (storeKey != null) {
                ZSets.store(ctx, storeKey, null, null);
            } else {
                r.array(0);
            }
            return;
        }
        if (count != 0 && sort == SORT_NONE && !any) {
            sort = SORT_ASC;
        }
        GeoShape shape = circle ? GeoShape.circle(center[0], center[1], radius, conversion)
                : GeoShape.box(center[0], center[1], width, height, conversion);
        Point[] found = find(z, shape, any ? count : 0);
        int n = found.length;
        if (n == 0 && storeKey == null) {
            r.array(0);
            return;
        }
        int returned = count == 0 || n < count ? n : (int) count;
        if (sort != SORT_NONE) {
            Comparator<Point> order = sort == SORT_ASC ? BY_DISTANCE : BY_DISTANCE.reversed();
            if (returned == n) {
                // stable, as glibc's merge sort under Redis' qsort: equal distances keep scan order
                Arrays.sort(found, order);
            } else {
                PartialSort.sort(found, 0, n, order, 0, returned - 1);
            }
        }
        if (storeKey == null) {
            int options = (withDist ? 1 : 0) + (withCoord ? 1 : 0) + (withHash ? 1 : 0);
            r.array(returned);
            double[] xy = new double[2];
            for (int i = 0; i < returned; i++) {
                Point p = found[i];
                p.dist /= conversion;
                if (options > 0) {
                    r.array(options + 1);
                }
                r.bulk(p.member);
                if (withDist) {
                    r.bulk(GeoCommands.distance(p.dist));
                }
                if (withHash) {
                    r.integer((long) p.score);
                }
                if (withCoord) {
                    xy[0] = p.lon;
                    xy[1] = p.lat;
                    GeoCommands.coordinates(r, xy);
                }
            }
            return;
        }
        ZSetValue result = null;
        if (returned > 0) {
            result = ZSetValue.tree();
            double[] xy = new double[2];
            for (int i = 0; i < returned; i++) {
                Point p = found[i];
                double score = p.score;
                if (storeDist) {
                    xy[0] = p.lon;
                    xy[1] = p.lat;
                    score = shape.exactDistance(xy) / conversion;
                }
                if (Double.isNaN(result.score(p.member))) {
                    result.insert(p.member, score);
                }
            }
        }
        ZSets.store(ctx, storeKey, result, (flags & SEARCH) != 0 ? KeyEvent.GEOSEARCHSTORE : KeyEvent.GEORADIUSSTORE);
        if (returned > 0) {
            ctx.dirty(returned - 1);
        }
    }

    private static double radius(byte[] b) {
        double d = GeoCommands.number(b, "need numeric radius");
        if (d < 0) {
            throw new CommandError("ERR radius cannot be negative");
        }
        return d;
    }

    private static void memberPosition(ZSetValue z, byte[] member, double[] xy) {
        double score = z.score(member);
        if (Double.isNaN(score)) {
            throw new CommandError("ERR could not decode requested zset member");
        }
        GeoHash.decode(score, xy);
    }

    /**
     * The points in the shape, cell by cell in Redis' order and by score within a cell; with
     * {@code limit} (ANY) the scan stops as soon as that many were found.
     */
    private static Point[] find(ZSetValue z, GeoShape shape, long limit) {
        long[] ranges = shape.scoreRanges();
        Point[] found = new Point[8];
        int used = 0;
        double[] xy = new double[2];
        double[] dist = new double[1];
        ZSetValue.Cursor c = z.cursor();
        for (int cell = 0; cell < 9; cell++) {
            if (ranges[2 * cell] < 0) {
                continue;
            }
            if (used > 0 && limit > 0 && used >= limit) {
                break;
            }
            double min = ranges[2 * cell];
            double max = ranges[2 * cell + 1];
            int rank = z.countBelowScore(min, false);
            if (rank >= z.size()) {
                continue;
            }
            c.seek(rank);
            do {
                double score = c.score();
                if (score >= max) {
                    break;
                }
                if (shape.contains(score, xy, dist)) {
                    if (used == found.length) {
                        found = Arrays.copyOf(found, used * 2);
                    }
                    found[used++] = new Point(c.member(), score, xy[0], xy[1], dist[0]);
                }
                if (used > 0 && limit > 0 && used >= limit) {
                    break;
                }
            } while (c.next());
        }
        return used == found.length ? found : Arrays.copyOf(found, used);
    }
}
