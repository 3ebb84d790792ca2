package io.cachalot.server;

import io.cachalot.testsupport.RawClient;
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
        long seed = Long.getLong("diff.seed", System.nanoTime());
        int steps = Integer.getInteger("diff.steps", 20000);
        System.out.println("RandomDifferentialTest seed=" + seed + " steps=" + steps
                + " (replay: -Ddiff.seed=" + seed + ")");
        Random rnd = new Random(seed);
        StringKeyGenerator gen = new StringKeyGenerator(rnd);
        try (RawClient ref = new RawClient("127.0.0.1", redis.port());
             RawClient cand = new RawClient("127.0.0.1", cachalot.port())) {
            ref.call("FLUSHALL");
            cand.call("FLUSHALL");
            // Keys expire only when touched, so both servers reclaim them at the same step.
            ref.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
            cand.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
            List<String> history = new ArrayList<>();
            String dump = System.getProperty("diff.dump");
            java.io.OutputStream dumpOut = dump == null ? null : new java.io.FileOutputStream(dump);
            for (int i = 0; i < steps; i++) {
                List<byte[]> cmd = (i % 200 == 199) ? words("DEBUG", "DIGEST") : gen.next();
                history.add(show(cmd));
                if (history.size() > 30) {
                    history.remove(0);
                }
                if (dumpOut != null) {
                    dumpOut.write(RawClient.encode(cmd));
                }
                byte[] a = ref.call(cmd);
                byte[] b = cand.call(cmd);
                if (!Arrays.equals(a, b)) {
                    throw new AssertionError("seed=" + seed + " step " + i + ": " + show(cmd)
                            + "\n  reference: " + RawClient.show(a) + "\n  cachalot:  " + RawClient.show(b)
                            + "\n  last commands:\n    " + String.join("\n    ", history));
                }
            }
            byte[] a = ref.call("DEBUG", "DIGEST");
            byte[] b = cand.call("DEBUG", "DIGEST");
            ref.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
            cand.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
            if (!Arrays.equals(a, b)) {
                throw new AssertionError("seed=" + seed + ": final digests differ");
            }
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
