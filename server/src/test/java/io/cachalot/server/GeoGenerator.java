package io.cachalot.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Random geospatial commands for the differential test: GEOADD (options, batches that turn a set
 * into a skiplist, points clustered around a few centres and spread over the globe, out-of-range
 * pairs), GEOPOS/GEOHASH/GEODIST in every unit, GEOSEARCH and GEORADIUS* with every shape and
 * option (COUNT, ANY, ASC/DESC, WITH*), their STORE forms read back with scores, ZADD scores that
 * GEOADD never writes, and wrong types. Points are fresh random doubles, so no two members share
 * a distance to a centre (Redis' partial sort orders ties its own way).
 *
 * <p>Distances stored with STOREDIST go to their own key, read back at once and compared to 1e-13
 * (about 1% of them are a few ulps away from Redis', whose libm rounds sin, cos and asin its own
 * way near rounding midpoints) and deleted, so DEBUG DIGEST stays comparable.
 */
final class GeoGenerator extends CommandGenerator {
    private static final String[] KEYS = {"g0", "g1", "{g}2", "s"};
    private static final double[][] CENTRES = {{13.36, 38.11}, {-73.98, 40.75}, {151.2, -33.86}, {179.9, 0}, {0.1, 84.9}};

    /** Where STOREDIST results go (see the class comment). */
    static final String DISTANCES = "dist";

    private final java.util.ArrayDeque<List<byte[]>> pending = new java.util.ArrayDeque<>();

    GeoGenerator(Random rnd) {
        super(rnd);
    }

    @Override
    boolean digestable() {
        return pending.isEmpty();
    }

    /** A STOREDIST command, followed by the read-back and the deletion of its destination. */
    private List<byte[]> storeDist(List<String> w) {
        pending.add(cmd("ZRANGE", DISTANCES, "0", "-1", "WITHSCORES"));
        pending.add(cmd("DEL", DISTANCES));
        return cmd(w.toArray(new String[0]));
    }

    private String key() {
        return KEYS[rnd.nextInt(KEYS.length)];
    }

    private String member() {
        return "m" + rnd.nextInt(400);
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%.7f", d);
    }

    /** A longitude, latitude pair: near a centre, anywhere, or now and then out of range. */
    private String[] point() {
        int k = rnd.nextInt(10);
        if (k < 6) {
            double[] c = CENTRES[rnd.nextInt(CENTRES.length)];
            double lon = Math.max(-180, Math.min(180, c[0] + rnd.nextGaussian() * 2));
            double lat = Math.max(-85.05, Math.min(85.05, c[1] + rnd.nextGaussian() * 2));
            return new String[] {num(lon), num(lat)};
        }
        if (k < 9) {
            return new String[] {num(rnd.nextDouble() * 360 - 180), num(rnd.nextDouble() * 170.1 - 85.05)};
        }
        return new String[] {pick("181", "-180.0000001", "0", "nan", "x"), pick("85.06", "-90", "0", "1e400")};
    }

    private String unit() {
        return pick("m", "km", "ft", "mi", "KM", "M");
    }

    private String size() {
        switch (rnd.nextInt(6)) {
            case 0: return Integer.toString(rnd.nextInt(500));
            case 1: return num(rnd.nextDouble() * 5000);
            case 2: return Integer.toString(rnd.nextInt(20000_000));
            case 3: return "0";
            case 4: return pick("-1", "x", "inf");
            default: return Integer.toString(100 + rnd.nextInt(400_000));
        }
    }

    @Override
    List<List<byte[]>> setup() {
        List<List<byte[]>> s = new ArrayList<>();
        s.add(cmd("SET", "s", "not a zset"));
        return s;
    }

    private void options(List<String> w, boolean store) {
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            switch (rnd.nextInt(8)) {
                case 0: if (!store) { w.add("WITHDIST"); } break;
                case 1: if (!store) { w.add("WITHCOORD"); } break;
                case 2: if (!store) { w.add("WITHHASH"); } break;
                case 3: w.add(pick("ASC", "DESC")); break;
                case 4: w.add("COUNT"); w.add(Integer.toString(rnd.nextInt(12))); break;
                case 5: w.add("COUNT"); w.add(Integer.toString(1 + rnd.nextInt(5))); w.add("ANY"); break;
                case 6: if (rnd.nextInt(10) == 0) { w.add(pick("ANY", "BOGUS", "COUNT")); } break;
                default: w.add(pick("ASC", "WITHDIST")); break;
            }
        }
    }

    private void from(List<String> w) {
        if (rnd.nextBoolean()) {
            w.add("FROMMEMBER");
            w.add(member());
        } else {
            String[] p = point();
            w.add("FROMLONLAT");
            w.add(p[0]);
            w.add(p[1]);
        }
    }

    private void by(List<String> w) {
        if (rnd.nextBoolean()) {
            w.add("BYRADIUS");
            w.add(size());
        } else {
            w.add("BYBOX");
            w.add(size());
            w.add(size());
        }
        w.add(unit());
    }

    @Override
    List<byte[]> next() {
        if (!pending.isEmpty()) {
            return pending.poll();
        }
        switch (rnd.nextInt(24)) {
            case 0: case 1: case 2: case 3: case 4: {
                List<String> w = new ArrayList<>(List.of("GEOADD", key()));
                if (rnd.nextInt(4) == 0) {
                    w.add(pick("NX", "XX", "CH", "CH", "nx"));
                }
                int n = rnd.nextInt(8) == 0 ? 60 + rnd.nextInt(120) : 1 + rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    String[] p = rnd.nextInt(20) == 0 ? point() : validPoint();
                    w.add(p[0]);
                    w.add(p[1]);
                    w.add(member());
                }
                return cmd(w.toArray(new String[0]));
            }
            case 5: return cmd("GEOPOS", key(), member(), member(), "nosuch");
            case 6: return cmd("GEOHASH", key(), member(), member());
            case 7: return rnd.nextBoolean() ? cmd("GEODIST", key(), member(), member(), unit())
                    : cmd("GEODIST", key(), member(), member());
            case 8: case 9: case 10: case 11: {
                List<String> w = new ArrayList<>(List.of("GEOSEARCH", key()));
                from(w);
                by(w);
                options(w, false);
                return cmd(w.toArray(new String[0]));
            }
            case 12: case 13: {
                boolean dist = rnd.nextBoolean();
                String dst = dist ? DISTANCES : pick("d0", "{g}d1");
                List<String> w = new ArrayList<>(List.of("GEOSEARCHSTORE", dst, key()));
                from(w);
                by(w);
                options(w, true);
                if (dist) {
                    w.add("STOREDIST");
                    return storeDist(w);
                }
                return cmd(w.toArray(new String[0]));
            }
            case 14: return cmd("ZRANGE", pick("d0", "{g}d1", "d2"), "0", "-1", "WITHSCORES");
            case 15: case 16: {
                String[] p = point();
                List<String> w = new ArrayList<>(List.of(pick("GEORADIUS", "GEORADIUS_RO"), key(), p[0], p[1], size(), unit()));
                options(w, false);
                return cmd(w.toArray(new String[0]));
            }
            case 17: {
                List<String> w = new ArrayList<>(List.of(pick("GEORADIUSBYMEMBER", "GEORADIUSBYMEMBER_RO"), key(), member(), size(), unit()));
                options(w, false);
                return cmd(w.toArray(new String[0]));
            }
            case 18: {
                List<String> w = new ArrayList<>(List.of(pick("GEORADIUS", "GEORADIUSBYMEMBER"), key()));
                if (w.get(0).equals("GEORADIUS")) {
                    String[] p = validPoint();
                    w.add(p[0]);
                    w.add(p[1]);
                } else {
                    w.add(member());
                }
                w.add(size());
                w.add(unit());
                options(w, true);
                if (rnd.nextBoolean()) {
                    w.add("STOREDIST");
                    w.add(DISTANCES);
                    return storeDist(w);
                }
                w.add("STORE");
                w.add(pick("d2", "d0"));
                return cmd(w.toArray(new String[0]));
            }
            case 19: return cmd("ZADD", key(), pick("0", "-5", "4503599627370496", "1.5", "-inf"), member());
            case 20: return rnd.nextInt(6) == 0 ? cmd("DEL", key()) : cmd("ZREM", key(), member(), member());
            case 21: return cmd("ZCARD", key());
            case 22: return cmd("OBJECT", "ENCODING", key());
            default: return cmd("ZSCORE", key(), member());
        }
    }

    private String[] validPoint() {
        String[] p;
        do {
            p = point();
        } while (!p[0].matches("-?[0-9.]+") || !p[1].matches("-?[0-9.]+")
                || Math.abs(Double.parseDouble(p[0])) > 180 || Math.abs(Double.parseDouble(p[1])) > 85.05112878);
        return p;
    }
}
