package io.cachalot.server;

import io.cachalot.testsupport.RawClient;
import io.cachalot.testsupport.Resp;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Random command sequences over a small key space, sent to redis-server and to Cachalot; every
 * reply must be byte-identical, and DEBUG DIGEST (a signature of the whole dataset) must agree
 * along the way. The seed is printed; replay with -Ddiff.seed=N (and -Ddiff.steps=N).
 */
class RandomDifferentialTest extends ReferenceTestBase {
    @Test
    void stringsAndKeys() throws Exception {
        run("strings", StringKeyGenerator::new, 20000);
    }

    @Test
    void bitmaps() throws Exception {
        run("bitmaps", BitmapGenerator::new, 8000);
    }

    @Test
    void hyperLogLogs() throws Exception {
        run("hyperloglog", HyperLogLogGenerator::new, 6000);
    }

    @Test
    void geo() throws Exception {
        run("geo", GeoGenerator::new, 6000);
    }

    @Test
    void streams() throws Exception {
        run("streams", StreamGenerator::new, 6000);
    }

    @Test
    void streamGroups() throws Exception {
        run("stream-groups", StreamGroupGenerator::new, 6000);
    }

    @Test
    void lists() throws Exception {
        run("lists", ListGenerator::new, 8000);
    }

    @Test
    void hashes() throws Exception {
        run("hashes", HashGenerator::new, 8000);
    }

    @Test
    void sets() throws Exception {
        run("sets", SetGenerator::new, 8000);
    }

    @Test
    void sortedSets() throws Exception {
        run("zsets", ZSetGenerator::new, 10000);
    }

    private static void run(String name, java.util.function.Function<Random, CommandGenerator> factory,
                            int defaultSteps) throws Exception {
        long seed = Long.getLong("diff.seed", System.nanoTime());
        int steps = Integer.getInteger("diff.steps", defaultSteps);
        System.out.println("RandomDifferentialTest " + name + " seed=" + seed + " steps=" + steps
                + " (replay: -Ddiff.seed=" + seed + " -Dtest=RandomDifferentialTest#...)");
        Random rnd = new Random(seed);
        CommandGenerator gen = factory.apply(rnd);
        try (RawClient ref = new RawClient("127.0.0.1", redis.port());
             RawClient cand = new RawClient("127.0.0.1", cachalot.port())) {
            for (RawClient c : new RawClient[] {ref, cand}) {
                c.call("FLUSHALL");
                // Keys expire only when touched, so both servers reclaim them at the same step.
                c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
                for (List<byte[]> cmd : gen.setup()) {
                    c.call(cmd);
                }
            }
            List<String> history = new ArrayList<>();
            String dump = System.getProperty("diff.dump");
            java.io.OutputStream dumpOut = dump == null ? null : new java.io.FileOutputStream(dump);
            try {
                boolean digestDue = false;
                for (int i = 0; i < steps; i++) {
                    digestDue |= i % 200 == 199;
                    boolean digest = digestDue && gen.digestable();
                    if (digest) {
                        digestDue = false;
                    }
                    List<byte[]> cmd = digest ? words("DEBUG", "DIGEST") : gen.next();
                    history.add(show(cmd));
                    if (history.size() > Integer.getInteger("diff.history", 30)) {
                        history.remove(0);
                    }
                    if (dumpOut != null) {
                        dumpOut.write(RawClient.encode(cmd));
                    }
                    byte[] a = ref.call(cmd);
                    byte[] b = cand.call(cmd);
                    if (!same(CommandGenerator.compare(cmd), a, b)) {
                        throw new AssertionError(name + " seed=" + seed + " step " + i + ": " + show(cmd)
                                + "\n  reference: " + RawClient.show(a) + "\n  cachalot:  " + RawClient.show(b)
                                + "\n  last commands:\n    " + String.join("\n    ", history));
                    }
                }
                byte[] a = ref.call("DEBUG", "DIGEST");
                byte[] b = cand.call("DEBUG", "DIGEST");
                if (!Arrays.equals(a, b)) {
                    throw new AssertionError(name + " seed=" + seed + ": final digests differ");
                }
            } finally {
                if (dumpOut != null) {
                    dumpOut.close();
                }
                for (RawClient c : new RawClient[] {ref, cand}) {
                    c.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
                    c.call("CONFIG", "RESETSTAT");
                    // generators' setups may shrink stream nodes
                    c.call("CONFIG", "SET", "stream-node-max-entries", "100", "stream-node-max-bytes", "4096");
                }
            }
        }
    }

    private static boolean same(CommandGenerator.Compare mode, byte[] a, byte[] b) {
        if (Arrays.equals(a, b)) {
            return true;
        }
        switch (mode) {
            case SORTED:
                return Arrays.equals(Resp.parse(a).sorted().encode(), Resp.parse(b).sorted().encode());
            case PAIRS:
                return Arrays.equals(Resp.parse(a).sortedPairs().encode(), Resp.parse(b).sortedPairs().encode());
            case DISTANCES:
                return nearlyEqual(Resp.parse(a), Resp.parse(b));
            case TIMES:
                return Arrays.equals(StreamGroupState.masked(Resp.parse(a)).encode(),
                        StreamGroupState.masked(Resp.parse(b)).encode());
            case CLOCK:
                return a.length > 0 && a[0] == ':' && b.length > 0 && b[0] == ':'
                        && Math.abs(Long.parseLong(Resp.parse(a).text()) - Long.parseLong(Resp.parse(b).text())) <= 1;
            default:
                return false;
        }
    }

    /**
     * Same shape and members; numbers within 1e-13 of each other, relatively (GEO distances, see
     * GeoGenerator: a one-ulp difference in a sine grows by the arcsine's slope near antipodes).
     */
    private static boolean nearlyEqual(Resp a, Resp b) {
        if (a.type != b.type) {
            return false;
        }
        if (a.children != null || b.children != null) {
            if (a.children == null || b.children == null || a.children.size() != b.children.size()) {
                return false;
            }
            for (int i = 0; i < a.children.size(); i++) {
                if (!nearlyEqual(a.children.get(i), b.children.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (Arrays.equals(a.data, b.data)) {
            return true;
        }
        try {
            double x = Double.parseDouble(a.text());
            double y = Double.parseDouble(b.text());
            return Math.abs(x - y) <= 1e-13 * Math.abs(x);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static List<byte[]> words(String... w) {
        List<byte[]> l = new ArrayList<>();
        for (String s : w) {
            l.add(s.getBytes(StandardCharsets.UTF_8));
        }
        return l;
    }

    static String show(List<byte[]> cmd) {
        StringBuilder sb = new StringBuilder();
        for (byte[] a : cmd) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append('"').append(RawClient.show(a)).append('"');
        }
        return sb.toString();
    }
}
