package io.cachalot.core.types.geo;

/**
 * The area of a GEOSEARCH / GEORADIUS: a circle or an axis-aligned box around a centre, its sizes
 * in a unit ({@link #conversion} meters each). It decides which points are inside and which
 * sorted-set score ranges can hold them: the centre's geohash cell and its eight neighbours at a
 * precision estimated from the size, as Redis chooses them (the same cells, in the same order,
 * so results come in Redis' order).
 */
public final class GeoShape {
    private static final double MERCATOR_MAX = 20037726.37;

    private final boolean circle;
    private final double lon;
    private final double lat;
    /** Circle: radius; box: width and height, in the unit. */
    private final double radius;
    private final double width;
    private final double height;
    private final double conversion;

    private GeoShape(boolean circle, double lon, double lat, double radius, double width, double height,
                     double conversion) {
        this.circle = circle;
        this.lon = lon;
        this.lat = lat;
        this.radius = radius;
        this.width = width;
        this.height = height;
        this.conversion = conversion;
    }

    public static GeoShape circle(double lon, double lat, double radius, double conversion) {
        return new GeoShape(true, lon, lat, radius, 0, 0, conversion);
    }

    public static GeoShape box(double lon, double lat, double width, double height, double conversion) {
        return new GeoShape(false, lon, lat, 0, width, height, conversion);
    }

    /** Meters per unit of the shape's sizes (and of the distances reported). */
    public double conversion() {
        return conversion;
    }

    /**
     * Whether the point a score encodes lies in the shape (geoWithinShape); when it does, its
     * coordinates are left in {@code xy} and its distance to the centre, in meters, in
     * {@code dist[0]}: within an ulp or so of Redis' (the four decimals WITHDIST prints and the
     * order of the results are the same; STOREDIST takes {@link #exactDistance}).
     */
    public boolean contains(double score, double[] xy, double[] dist) {
        GeoHash.decode(score, xy);
        if (circle) {
            if (!within(lon, lat, xy[0], xy[1], radius * conversion)) {
                return false;
            }
        } else {
            if (GeoHash.latDistance(xy[1], lat) > height * conversion / 2) {
                return false;
            }
            if (!within(xy[0], xy[1], lon, xy[1], width * conversion / 2)) {
                return false;
            }
        }
        dist[0] = GeoHash.roughDistance(lon, lat, xy[0], xy[1]);
        return true;
    }

    /** The distance of a point to the centre, in meters, to the bit as Redis computes it. */
    public double exactDistance(double[] xy) {
        return GeoHash.distance(lon, lat, xy[0], xy[1]);
    }

    /**
     * Whether the distance between two points is at most {@code limit}, as Redis decides it: the
     * rough distance unless it lies within 1e-12 of the limit, where the last bit could matter.
     */
    private static boolean within(double lon1, double lat1, double lon2, double lat2, double limit) {
        // no great circle is shorter than the meridian arc between the two latitudes: most points
        // of the cells around a circle are out by latitude alone, without trigonometry
        if (GeoHash.latDistance(lat1, lat2) > limit * (1 + 1e-9)) {
            return false;
        }
        double d = GeoHash.roughDistance(lon1, lat1, lon2, lat2);
        if (Math.abs(d - limit) <= 1e-12 * limit) {
            d = GeoHash.distance(lon1, lat1, lon2, lat2);
        }
        return d <= limit;
    }

    /**
     * The score ranges to scan, in Redis' order (the centre's cell, then N, S, E, W, NE, NW, SE,
     * SW): {@code ranges[2i]} inclusive to {@code ranges[2i + 1]} exclusive, or -1 in both where
     * Redis leaves the cell out (outside the bounding box, or the same cell as the one scanned just
     * before: neighbours repeat for huge areas).
     */
    public long[] scoreRanges() {
        double[] bounds = boundingBox();
        double minLon = bounds[0];
        double minLat = bounds[1];
        double maxLon = bounds[2];
        double maxLat = bounds[3];
        double radiusMeters = circle ? radius
                : Math.sqrt((width / 2) * (width / 2) + (height / 2) * (height / 2));
        radiusMeters *= conversion;
        int steps = estimateSteps(radiusMeters, lat);

        long hash = GeoHash.encode(GeoHash.LON_MIN, GeoHash.LON_MAX, GeoHash.LAT_MIN, GeoHash.LAT_MAX, lon, lat, steps);
        long[] cells = neighbours(hash, steps);
        double[] area = new double[4];
        double[] n = new double[4];
        // when the estimate leaves the area reaching past a neighbour, one step coarser
        boolean decrease = false;
        GeoHash.decodeArea(cells[1], steps, n);
        decrease |= n[3] < maxLat;
        GeoHash.decodeArea(cells[2], steps, n);
        decrease |= n[2] > minLat;
        GeoHash.decodeArea(cells[3], steps, n);
        decrease |= n[1] < maxLon;
        GeoHash.decodeArea(cells[4], steps, n);
        decrease |= n[0] > minLon;
        if (steps > 1 && decrease) {
            steps--;
            hash = GeoHash.encode(GeoHash.LON_MIN, GeoHash.LON_MAX, GeoHash.LAT_MIN, GeoHash.LAT_MAX, lon, lat, steps);
            cells = neighbours(hash, steps);
        }
        GeoHash.decodeArea(hash, steps, area);
        boolean[] zero = new boolean[9];
        if (steps >= 2) {
            if (area[2] < minLat) {
                zero[SOUTH] = zero[SOUTH_WEST] = zero[SOUTH_EAST] = true;
            }
            if (area[3] > maxLat) {
                zero[NORTH] = zero[NORTH_EAST] = zero[NORTH_WEST] = true;
            }
            if (area[0] < minLon) {
                zero[WEST] = zero[SOUTH_WEST] = zero[NORTH_WEST] = true;
            }
            if (area[1] > maxLon) {
                zero[EAST] = zero[SOUTH_EAST] = zero[NORTH_EAST] = true;
            }
        }
        long[] ranges = new long[18];
        int shift = 52 - steps * 2;
        int lastProcessed = 0;
        for (int i = 0; i < 9; i++) {
            // Redis compares with the last scanned cell only once one other than the centre was
            // scanned (its index 0 reads as "none")
            if (zero[i] || (lastProcessed != 0 && cells[i] == cells[lastProcessed])) {
                ranges[2 * i] = -1;
                ranges[2 * i + 1] = -1;
                continue;
            }
            ranges[2 * i] = cells[i] << shift;
            ranges[2 * i + 1] = (cells[i] + 1) << shift;
            lastProcessed = i;
        }
        return ranges;
    }

    private static final int NORTH = 1;
    private static final int SOUTH = 2;
    private static final int EAST = 3;
    private static final int WEST = 4;
    private static final int NORTH_EAST = 5;
    private static final int NORTH_WEST = 6;
    private static final int SOUTH_EAST = 7;
    private static final int SOUTH_WEST = 8;

    /** The cell and its eight neighbours, in the order of the constants above. */
    private static long[] neighbours(long hash, int step) {
        long[] c = new long[9];
        c[0] = hash;
        c[NORTH] = GeoHash.moveY(hash, step, 1);
        c[SOUTH] = GeoHash.moveY(hash, step, -1);
        c[EAST] = GeoHash.moveX(hash, step, 1);
        c[WEST] = GeoHash.moveX(hash, step, -1);
        c[NORTH_EAST] = GeoHash.moveY(GeoHash.moveX(hash, step, 1), step, 1);
        c[NORTH_WEST] = GeoHash.moveY(GeoHash.moveX(hash, step, -1), step, 1);
        c[SOUTH_EAST] = GeoHash.moveY(GeoHash.moveX(hash, step, 1), step, -1);
        c[SOUTH_WEST] = GeoHash.moveY(GeoHash.moveX(hash, step, -1), step, -1);
        return c;
    }

    /**
     * Min lon, min lat, max lon, max lat of the area: the longitude span taken at the edge nearer
     * the pole, where a meridian degree is shortest (geohashBoundingBox).
     */
    double[] boundingBox() {
        double h = conversion * (circle ? radius : height / 2);
        double w = conversion * (circle ? radius : width / 2);
        double latDelta = GeoHash.toDegrees(h / GeoHash.EARTH_RADIUS_IN_METERS);
        double lonDeltaTop = GeoHash.toDegrees(w / GeoHash.EARTH_RADIUS_IN_METERS / Math.cos(GeoHash.toRadians(lat + latDelta)));
        double lonDeltaBottom = GeoHash.toDegrees(w / GeoHash.EARTH_RADIUS_IN_METERS / Math.cos(GeoHash.toRadians(lat - latDelta)));
        boolean southern = lat < 0;
        return new double[] {
            southern ? lon - lonDeltaBottom : lon - lonDeltaTop,
            lat - latDelta,
            southern ? lon + lonDeltaBottom : lon + lonDeltaTop,
            lat + latDelta};
    }

    /** The cell precision for a search of that radius (geohashEstimateStepsByRadius). */
    static int estimateSteps(double rangeMeters, double lat) {
        if (rangeMeters == 0) {
            return 26;
        }
        int step = 1;
        while (rangeMeters < MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2;
        if (lat > 66 || lat < -66) {
            step--;
            if (lat > 80 || lat < -80) {
                step--;
            }
        }
        return Math.max(1, Math.min(26, step));
    }
}
