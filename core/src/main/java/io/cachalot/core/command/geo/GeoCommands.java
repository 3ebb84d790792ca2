package io.cachalot.core.command.geo;

import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.CommandFamily;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.KeyLock;
import io.cachalot.core.command.Reply;
import io.cachalot.core.command.zsets.ZSetCommands;
import io.cachalot.core.command.zsets.ZSets;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.types.geo.GeoHash;
import io.cachalot.core.util.Doubles;
import io.cachalot.core.util.LongDouble;

/**
 * Geospatial indexes, which are sorted sets whose scores are {@link GeoHash} cells: GEOADD (ZADD
 * with computed scores), GEOPOS, GEODIST, GEOHASH; the searches are in {@link GeoSearch}.
 */
public final class GeoCommands implements CommandFamily {
    /** The family, for the engine's ServiceLoader. */
    public GeoCommands() {
    }

    @Override
    public void register(CommandCatalog c) {
        c.register("geoadd", GeoCommands::geoadd);
        c.register("geopos", GeoCommands::geopos);
        c.register("geodist", GeoCommands::geodist);
        c.register("geohash", GeoCommands::geohash);
        GeoSearch.register(c);
    }

    /** GEOADD key [NX|XX] [CH] lon lat member [lon lat member ...]: a ZADD of the cells' scores. */
    static void geoadd(CommandContext ctx) {
        int flags = 0;
        int lonIdx = 2;
        for (; lonIdx < ctx.argc; lonIdx++) {
            if (ctx.argIs(lonIdx, "nx")) {
                flags |= ZSetCommands.NX;
            } else if (ctx.argIs(lonIdx, "xx")) {
                flags |= ZSetCommands.XX;
            } else if (ctx.argIs(lonIdx, "ch")) {
                flags |= ZSetCommands.CH;
            } else {
                break;
            }
        }
        int rest = ctx.argc - lonIdx;
        if (rest % 3 != 0 || rest == 0
                || (flags & (ZSetCommands.NX | ZSetCommands.XX)) == (ZSetCommands.NX | ZSetCommands.XX)) {
            throw Errors.E_SYNTAX;
        }
        double[] scores = new double[rest / 3];
        double[] xy = new double[2];
        for (int j = 0; j < scores.length; j++) {
            lonLat(ctx, lonIdx + j * 3, xy);
            scores[j] = GeoHash.score(xy[0], xy[1]);
        }
        ZSetCommands.add(ctx, flags, scores, lonIdx + 2, 3);
    }

    /** A longitude and latitude from arguments {@code i} and {@code i + 1}, checked against the limits. */
    static void lonLat(CommandContext ctx, int i, double[] xy) {
        xy[0] = number(ctx.argv[i], null);
        xy[1] = number(ctx.argv[i + 1], null);
        if (!GeoHash.valid(xy[0], xy[1])) {
            throw new CommandError("ERR invalid longitude,latitude pair " + fixed6(xy[0]) + "," + fixed6(xy[1]));
        }
    }

    /** A double argument as getDoubleFromObjectOrReply: "ERR " + {@code message} when refused, if given. */
    static double number(byte[] b, String message) {
        double d = Doubles.parseStrict(b);
        if (Double.isNaN(d)) {
            throw message == null ? Errors.E_NOT_FLOAT : new CommandError("ERR " + message);
        }
        return d;
    }

    /** Meters per unit, as extractUnitOrReply. */
    static double unit(byte[] u) {
        if (io.cachalot.core.util.Bytes.equalsIgnoreCase(u, "m")) {
            return 1;
        } else if (io.cachalot.core.util.Bytes.equalsIgnoreCase(u, "km")) {
            return 1000;
        } else if (io.cachalot.core.util.Bytes.equalsIgnoreCase(u, "ft")) {
            return 0.3048;
        } else if (io.cachalot.core.util.Bytes.equalsIgnoreCase(u, "mi")) {
            return 1609.34;
        }
        throw new CommandError("ERR unsupported unit provided. please use M, KM, FT, MI");
    }

    /** C's {@code %f}: six decimals, the exact value rounded half-even as glibc does. */
    static String fixed6(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return new java.math.BigDecimal(d).setScale(6, java.math.RoundingMode.HALF_EVEN).toPlainString();
    }

    /** A distance with four decimals, as Redis' fixedpoint_d2string (llrint of d x 10^4). */
    static byte[] distance(double d) {
        long v = (long) Math.rint(d * 10000.0);
        boolean negative = v < 0;
        if (negative) {
            v = -v;
        }
        int digits = Math.max(5, io.cachalot.core.util.Numbers.length(v));
        byte[] out = new byte[(negative ? 1 : 0) + digits + 1];
        int pos = out.length;
        for (int i = 0; i < digits; i++) {
            if (i == 4) {
                out[--pos] = '.';
            }
            out[--pos] = (byte) ('0' + v % 10);
            v /= 10;
        }
        if (negative) {
            out[0] = '-';
        }
        return out;
    }

    /** A point's coordinates, as GEOPOS and WITHCOORD give them. */
    static void coordinates(Reply r, double[] xy) {
        r.array(2);
        r.humanDouble(LongDouble.human(xy[0]));
        r.humanDouble(LongDouble.human(xy[1]));
    }

    static void geopos(CommandContext ctx) {
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read(ValueType.ZSET);
            Reply r = ctx.reply;
            r.array(ctx.argc - 2);
            double[] xy = new double[2];
            for (int i = 2; i < ctx.argc; i++) {
                double score = e == null ? Double.NaN : ZSets.zset(e).score(ctx.argv[i]);
                if (Double.isNaN(score)) {
                    r.nullArray();
                } else {
                    GeoHash.decode(score, xy);
                    coordinates(r, xy);
                }
            }
        }
    }

    static void geohash(CommandContext ctx) {
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read(ValueType.ZSET);
            Reply r = ctx.reply;
            r.array(ctx.argc - 2);
            for (int i = 2; i < ctx.argc; i++) {
                double score = e == null ? Double.NaN : ZSets.zset(e).score(ctx.argv[i]);
                if (Double.isNaN(score)) {
                    r.nullBulk();
                } else {
                    r.bulk(GeoHash.standardHash(score));
                }
            }
        }
    }

    /** GEODIST key member1 member2 [unit]. */
    static void geodist(CommandContext ctx) {
        double toMeters = 1;
        if (ctx.argc == 5) {
            toMeters = unit(ctx.argv[4]);
        } else if (ctx.argc > 5) {
            throw Errors.E_SYNTAX;
        }
        double s1;
        double s2;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read(ValueType.ZSET);
            if (e == null) {
                ctx.reply.nullBulk();
                return;
            }
            s1 = ZSets.zset(e).score(ctx.argv[2]);
            s2 = ZSets.zset(e).score(ctx.argv[3]);
        }
        if (Double.isNaN(s1) || Double.isNaN(s2)) {
            ctx.reply.nullBulk();
            return;
        }
        double[] a = new double[2];
        double[] b = new double[2];
        GeoHash.decode(s1, a);
        GeoHash.decode(s2, b);
        ctx.reply.bulk(distance(GeoHash.distance(a[0], a[1], b[0], b[1]) / toMeters));
    }
}
