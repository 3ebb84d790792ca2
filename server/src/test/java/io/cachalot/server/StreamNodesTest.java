package io.cachalot.server;

import io.cachalot.core.persist.rdb.RdbInput;
import io.cachalot.core.types.listpack.Listpack;
import io.cachalot.core.types.stream.StreamValue;
import io.cachalot.testsupport.RawClient;
import io.cachalot.testsupport.RedisServerProcess;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream's nodes are Redis' to the byte: the same XADD, XDEL and XTRIM sequence is applied to
 * redis-server and to a {@link StreamValue}, and the node listpacks in redis-server's DUMP payload
 * (RDB type 19) must equal ours, with the same master ids and counters. This is what makes
 * XTRIM ~ and the RDB form of streams match.
 */
class StreamNodesTest {
    private static final int RDB_TYPE_STREAM_LISTPACKS_2 = 19;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void nodesEqualRedisListpacks() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start();
             RawClient c = new RawClient("127.0.0.1", redis.port())) {
            Random rnd = new Random(3);
            for (int round = 0; round < 6; round++) {
                int maxEntries = round == 0 ? 100 : 1 + rnd.nextInt(60);
                int maxBytes = round == 0 ? 4096 : 150 + rnd.nextInt(3000);
                c.call("CONFIG", "SET", "stream-node-max-entries", Integer.toString(maxEntries));
                c.call("CONFIG", "SET", "stream-node-max-bytes", Integer.toString(maxBytes));
                c.call("DEL", "s");
                StreamValue s = new StreamValue();
                List<long[]> ids = new ArrayList<>();
                long ms = 1000;
                long seq = 0;
                for (int step = 0; step < 1500; step++) {
                    int op = rnd.nextInt(30);
                    if (op < 24 || ids.isEmpty()) {
                        if (rnd.nextInt(3) == 0) {
                            ms += 1 + rnd.nextInt(100000);
                            seq = 0;
                        } else {
                            seq += 1 + rnd.nextInt(3);
                        }
                        int n = 1 + rnd.nextInt(3);
                        List<String> cmd = new ArrayList<>(List.of("XADD", "s", ms + "-" + seq));
                        byte[][] argv = new byte[2 * n][];
                        for (int i = 0; i < n; i++) {
                            String f = rnd.nextInt(5) == 0 ? "other" + rnd.nextInt(3) : "field" + i;
                            String v = rnd.nextInt(3) == 0 ? Long.toString(rnd.nextLong() >> rnd.nextInt(64))
                                    : "v".repeat(rnd.nextInt(rnd.nextInt(10) == 0 ? 300 : 20));
                            cmd.add(f);
                            cmd.add(v);
                            argv[2 * i] = b(f);
                            argv[2 * i + 1] = b(v);
                        }
                        c.call(cmd.toArray(new String[0]));
                        s.append(ms, seq, argv, 0, n, maxBytes, maxEntries);
                        ids.add(new long[] {ms, seq});
                    } else if (op < 27) {
                        long[] id = ids.get(rnd.nextInt(ids.size()));
                        c.call("XDEL", "s", id[0] + "-" + id[1]);
                        if (s.delete(id[0], id[1])) {
                            s.refreshFirstId(); // as XDEL does
                        }
                    } else if (op < 29) {
                        long maxLen = rnd.nextInt((int) Math.max(1, s.length() + 3));
                        boolean approx = rnd.nextBoolean();
                        c.call("XTRIM", "s", "MAXLEN", approx ? "~" : "=", Long.toString(maxLen));
                        s.trim(true, maxLen, 0, 0, approx, approx ? 100L * maxEntries : 0);
                    } else {
                        long[] id = ids.get(rnd.nextInt(ids.size()));
                        boolean approx = rnd.nextBoolean();
                        c.call("XTRIM", "s", "MINID", approx ? "~" : "=", id[0] + "-" + id[1]);
                        s.trim(false, 0, id[0], id[1], approx, approx ? 100L * maxEntries : 0);
                    }
                }
                compare(c.call("DUMP", "s"), s);
            }
        }
    }

    private static void compare(byte[] reply, StreamValue s) throws Exception {
        // the reply is a bulk string: $<n>\r\n<payload>\r\n
        int start = indexOf(reply, (byte) '\n') + 1;
        byte[] payload = java.util.Arrays.copyOfRange(reply, start, reply.length - 2);
        RdbInput in = new RdbInput(payload, 0, payload.length - 10);
        assertThat(in.readByte()).isEqualTo(RDB_TYPE_STREAM_LISTPACKS_2);
        long nodes = in.readLength();
        assertThat(nodes).isEqualTo(s.nodeCount());
        for (int i = 0; i < nodes; i++) {
            byte[] key = in.readString();
            byte[] lp = in.readString();
            assertThat(readBigEndian(key, 0)).as("master ms of node " + i).isEqualTo(s.nodeMasterMs(i));
            assertThat(readBigEndian(key, 8)).as("master seq of node " + i).isEqualTo(s.nodeMasterSeq(i));
            Listpack ours = s.node(i);
            assertThat(ours.toByteArray()).as("listpack of node " + i).isEqualTo(lp);
        }
        assertThat(in.readLength()).as("length").isEqualTo(s.length());
        assertThat(in.readLength()).isEqualTo(s.lastId().ms);
        assertThat(in.readLength()).isEqualTo(s.lastId().seq);
        assertThat(in.readLength()).as("first ms").isEqualTo(s.firstId().ms);
        assertThat(in.readLength()).as("first seq").isEqualTo(s.firstId().seq);
    }

    private static long readBigEndian(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    private static int indexOf(byte[] b, byte x) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }
}
