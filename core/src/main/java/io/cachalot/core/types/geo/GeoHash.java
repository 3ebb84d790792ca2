package io.cachalot.core.types.geo;

/**
 * Redis' geohash: a longitude/latitude pair as a 52-bit interleaved integer (26 bits each, latitude
 * in the even bits) over the Web-Mercator ranges [-180, 180] x [-85.05112878, 85.05112878], stored
 * as a sorted-set score; the haversine distance on Redis' earth radius. Every step is done in the
 * order and precision Redis uses, so that scores, decoded coordinates and distances are the same
 * doubles redis-server computes.
 */
public final class GeoHash {
    public static final double LON_MIN = -180;
    public static final double LON_MAX = 180;
    public static final double LAT_MIN = -85.05112878;
    public static final double LAT_MAX = 85.05112878;
    /** Bits per coordinate of a stored score: 26 x 2 = 52, exact in a double. */
    public static final int STEP_MAX = 26;

    /** Redis' "quadratic mean radius for WGS-84". */
    static final double EARTH_RADIUS_IN_METERS = 6372797.560856;
    private static final double D_R = Math.PI / 180.0;

    private static final String ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz";

    private GeoHash() {
    }

    /** Whether Redis accepts the pair as a point (GEOADD, FROMLONLAT). */
    public static boolean valid(double lon, double lat) {
        return !(lon < LON_MIN || lon > LON_MAX || lat < LAT_MIN || lat > LAT_MAX);
    }

    /** The score GEOADD stores for a valid pair. */
    public static long score(double lon, double lat) {
        return encode(LON_MIN, LON_MAX, LAT_MIN, LAT_MAX, lon, lat, STEP_MAX);
    }

    /**
     * The {@code 2 * step} bits of a point within the given ranges (geohashEncode; the caller has
     * checked the point against Redis' limits, as every caller of it in Redis does).
     */
    static long encode(double lonMin, double lonMax, double latMin, double latMax, double lon, double lat, int step) {
        double latOffset = (lat - latMin) / (latMax - latMin);
        double lonOffset = (lon - lonMin) / (lonMax - lonMin);
        latOffset *= (1L << step);
        lonOffset *= (1L << step);
        // C converts the offsets to uint32_t: truncation toward zero
        return interleave((long) latOffset & 0xFFFFFFFFL, (long) lonOffset & 0xFFFFFFFFL);
    }

    /**
     * A sorted-set score as the 64-bit value C's {@code (uint64_t)} conversion yields on x86-64
     * (scores that GEOADD did not write decode too, as in Redis).
     */
    static long scoreBits(double score) {
        if (score < 9.223372036854775807E18) {
            // below -2^63 Java saturates to Long.MIN_VALUE, C's "integer indefinite" too
            return (long) score;
        }
        double high = score - 9.223372036854775807E18;
        return high < 9.223372036854775807E18 ? (long) high ^ Long.MIN_VALUE : 0;
    }

    /** The centre of the cell a stored score names, clamped to the limits: {@code xy[0]} lon, {@code xy[1]} lat. */
    public static void decode(double score, double[] xy) {
        long separated = deinterleave(scoreBits(score));
        long ilat = separated & 0xFFFFFFFFL;
        long ilon = separated >>> 32;
        double cells = (double) (1L << STEP_MAX);
        // decodeArea's arithmetic, inlined: the "+ 1" is uint32_t arithmetic in Redis (it wraps)
        double latMin = LAT_MIN + (ilat * 1.0 / cells) * (LAT_MAX - LAT_MIN);
        double latMax = LAT_MIN + (((ilat + 1) & 0xFFFFFFFFL) * 1.0 / cells) * (LAT_MAX - LAT_MIN);
        double lonMin = LON_MIN + (ilon * 1.0 / cells) * (LON_MAX - LON_MIN);
        double lonMax = LON_MIN + (((ilon + 1) & 0xFFFFFFFFL) * 1.0 / cells) * (LON_MAX - LON_MIN);
        xy[0] = Math.min(LON_MAX, Math.max(LON_MIN, (lonMin + lonMax) / 2));
        xy[1] = Math.min(LAT_MAX, Math.max(LAT_MIN, (latMin + latMax) / 2));
    }

    /** The cell of {@code bits} at {@code step} in the WGS84 ranges: lon min, lon max, lat min, lat max. */
    static void decodeArea(long bits, int step, double[] area) {
        long separated = deinterleave(bits);
        long ilat = separated & 0xFFFFFFFFL;
        long ilon = separated >>> 32;
        double cells = (double) (1L << step);
        double latScale = LAT_MAX - LAT_MIN;
        double lonScale = LON_MAX - LON_MIN;
        // the "+ 1" is uint32_t arithmetic in Redis: it wraps
        area[2] = LAT_MIN + (ilat * 1.0 / cells) * latScale;
        area[3] = LAT_MIN + (((ilat + 1) & 0xFFFFFFFFL) * 1.0 / cells) * latScale;
        area[0] = LON_MIN + (ilon * 1.0 / cells) * lonScale;
        area[1] = LON_MIN + (((ilon + 1) & 0xFFFFFFFFL) * 1.0 / cells) * lonScale;
    }

    /**
     * The standard 11-character geohash of a stored score (GEOHASH): the point decoded, then
     * encoded again over latitudes [-90, 90]; the 11th character stands for bits Redis does not have.
     */
    public static byte[] standardHash(double score) {
        double[] xy = new double[2];
        decode(score, xy);
        long bits = encode(-180, 180, -90, 90, xy[0], xy[1], STEP_MAX);
        byte[] out = new byte[11];
        for (int i = 0; i < 10; i++) {
            out[i] = (byte) ALPHABET.charAt((int) ((bits >>> (52 - (i + 1) * 5)) & 0x1f));
        }
        out[10] = '0';
        return out;
    }

    /** Great-circle distance in meters (geohashGetDistance), rounded as redis-server computes it. */
    public static double distance(double lon1, double lat1, double lon2, double lat2) {
        return distance(lon1, lat1, lon2, lat2, true);
    }

    /**
     * The same within an ulp or so, four times cheaper (fdlibm's arcsine as it is): for deciding
     * whether a point is inside a search area, where only a point within 1e-12 of the edge could
     * be decided differently ({@link GeoShape} decides those with {@link #distance}).
     */
    static double roughDistance(double lon1, double lat1, double lon2, double lat2) {
        return distance(lon1, lat1, lon2, lat2, false);
    }

    private static double distance(double lon1, double lat1, double lon2, double lat2, boolean exact) {
        double lon1r = lon1 * D_R;
        double lon2r = lon2 * D_R;
        double v = Math.sin((lon2r - lon1r) / 2);
        if (v == 0.0) {
            // Redis' shortcut for points on one meridian
            return latDistance(lat1, lat2);
        }
        double lat1r = lat1 * D_R;
        double lat2r = lat2 * D_R;
        double u = Math.sin((lat2r - lat1r) / 2);
        double a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
        double root = Math.sqrt(a);
        return 2.0 * EARTH_RADIUS_IN_METERS * (exact ? asin(root) : Math.asin(root));
    }

    /**
     * arcsin rounded as glibc's (which is correctly rounded but for values within a hair of a
     * rounding midpoint): Java's fdlibm asin is off by one ulp for about 4% of arguments, which
     * showed in STOREDIST distances. fdlibm's result is corrected by one Newton step on
     * sin(y) = a with sin evaluated in double-double precision. Near 1 (antipodal points) the step
     * is unstable and fdlibm's value is kept.
     */
    static double asin(double a) {
        double y0 = Math.asin(a);
        if (!(a > 0 && a < 0.97)) {
            return y0;
        }
        // sin(y0) = hi + lo: the Taylor terms in double-double while they matter to 2^-52 of y0,
        // the smaller ones in plain doubles
        double y2h = y0 * y0;
        double y2l = Math.fma(y0, y0, -y2h);
        double th = y0;
        double tl = 0;
        double sh = y0;
        double sl = 0;
        double ddLimit = y0 * 0x1p-52;
        int n = 0;
        while (n < INV_FACTORS_HI.length) {
            // t = -t * y^2 / ((2n+2)(2n+3))
            double ph = th * y2h;
            double pl = Math.fma(th, y2h, -ph) + (th * y2l + tl * y2h);
            double qh = ph * INV_FACTORS_HI[n];
            double ql = Math.fma(ph, INV_FACTORS_HI[n], -qh) + (ph * INV_FACTORS_LO[n] + pl * INV_FACTORS_HI[n]);
            n++;
            th = -(qh + ql);
            tl = -(ql - ((qh + ql) - qh));
            double sum = sh + th;
            double bv = sum - sh;
            sl += ((sh - (sum - bv)) + (th - bv)) + tl;
            sh = sum;
            if (Math.abs(th) < ddLimit) {
                break;
            }
        }
        double limit = y0 * 0x1p-110;
        double t = th;
        double tail = 0;
        while (n < INV_FACTORS_HI.length && Math.abs(t) >= limit) {
            t = -t * y2h * INV_FACTORS_HI[n];
            n++;
            tail += t;
        }
        sl += tail;
        double hi = sh + sl;
        double lo = sl - (hi - sh);
        double delta = ((a - hi) - lo) / Math.cos(y0);
        if (y0 > 0.5) {
            // the second-order term, below 2^-106 of y0 under 0.5
            delta += delta * delta * Math.tan(y0) / 2;
        }
        return y0 + delta;
    }

    /** 1 / ((2n+2)(2n+3)) as double-double, for the sine's Taylor terms. */
    private static final double[] INV_FACTORS_HI = new double[30];
    private static final double[] INV_FACTORS_LO = new double[30];

    static {
        for (int n = 0; n < INV_FACTORS_HI.length; n++) {
            double k = (2.0 * n + 2) * (2.0 * n + 3);
            double h = 1 / k;
            INV_FACTORS_HI[n] = h;
            // 1 - k*h exactly (fma), divided by k: the low part of 1/k
            INV_FACTORS_LO[n] = Math.fma(-k, h, 1) / k;
        }
    }

    /** Distance along a meridian (geohashGetLatDistance). */
    static double latDistance(double lat1, double lat2) {
        return EARTH_RADIUS_IN_METERS * Math.abs(lat2 * D_R - lat1 * D_R);
    }

    static double toRadians(double degrees) {
        return degrees * D_R;
    }

    static double toDegrees(double radians) {
        return radians / D_R;
    }

    /** Morton interleave: x (latitude) in the even bits, y (longitude) in the odd ones. */
    static long interleave(long x, long y) {
        return spread(x) | (spread(y) << 1);
    }

    private static long spread(long v) {
        v = (v | (v << 16)) & 0x0000FFFF0000FFFFL;
        v = (v | (v << 8)) & 0x00FF00FF00FF00FFL;
        v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v << 2)) & 0x3333333333333333L;
        v = (v | (v << 1)) & 0x5555555555555555L;
        return v;
    }

    /** The inverse: even bits in the low 32, odd bits in the high 32. */
    static long deinterleave(long v) {
        return compact(v) | (compact(v >>> 1) << 32);
    }

    private static long compact(long v) {
        v &= 0x5555555555555555L;
        v = (v | (v >>> 1)) & 0x3333333333333333L;
        v = (v | (v >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v >>> 4)) & 0x00FF00FF00FF00FFL;
        v = (v | (v >>> 8)) & 0x0000FFFF0000FFFFL;
        v = (v | (v >>> 16)) & 0x00000000FFFFFFFFL;
        return v;
    }

    private static final long X_BITS = 0xaaaaaaaaaaaaaaaaL;
    private static final long Y_BITS = 0x5555555555555555L;

    /** The cell {@code d} (-1, 0, 1) steps east of {@code bits} at {@code step}, wrapping. */
    static long moveX(long bits, int step, int d) {
        return move(bits, step, d, X_BITS);
    }

    /** The cell {@code d} (-1, 0, 1) steps north of {@code bits} at {@code step}, wrapping. */
    static long moveY(long bits, int step, int d) {
        return move(bits, step, d, Y_BITS);
    }

    /**
     * Adds {@code d} to the coordinate held in the {@code axis} bits: the other coordinate's bits
     * are set (or cleared) so that the carry (or borrow) runs through them, then masked off.
     */
    private static long move(long bits, int step, int d, long axis) {
        if (d == 0) {
            return bits;
        }
        long moving = bits & axis;
        long other = bits & ~axis;
        long zz = ~axis >>> (64 - step * 2);
        if (d > 0) {
            moving = moving + (zz + 1);
        } else {
            moving = moving | zz;
            moving = moving - (zz + 1);
        }
        moving &= axis >>> (64 - step * 2);
        return moving | other;
    }
}
