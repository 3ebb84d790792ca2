package io.cachalot.server;

import io.cachalot.testsupport.RawClient;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Blocking commands with several real connections, each scenario run against redis-server and
 * Cachalot: the replies every client gets must be the same bytes.
 */
class BlockingTest extends ReferenceTestBase {

    /** A scenario over several connections to one server; returns what each client received. */
    interface Scenario {
        List<String> run(int port) throws Exception;
    }

    private static void sameOnBoth(Scenario s) throws Exception {
        try (RawClient c = new RawClient("127.0.0.1", redis.port())) {
            c.call("FLUSHALL");
        }
        try (RawClient c = new RawClient("127.0.0.1", cachalot.port())) {
            c.call("FLUSHALL");
        }
        List<String> ref = s.run(redis.port());
        List<String> cand = s.run(cachalot.port());
        assertThat(cand).isEqualTo(ref);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static RawClient client(int port) throws Exception {
        return new RawClient("127.0.0.1", port);
    }

    /** Waits until the server reports {@code n} blocked clients. */
    private static void awaitBlocked(RawClient admin, int n) throws Exception {
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline) {
            if (text(admin.call("INFO", "clients")).contains("blocked_clients:" + n + "\r\n")) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("never saw blocked_clients:" + n);
    }

    @Test
    void firstBlockedIsFirstServed() throws Exception {
        sameOnBoth(port -> {
            try (RawClient a = client(port); RawClient b = client(port); RawClient c = client(port)) {
                a.send("BLPOP", "q", "0");
                awaitBlocked(c, 1);
                b.send("BLPOP", "q", "0");
                awaitBlocked(c, 2);
                List<String> out = new ArrayList<>();
                out.add(text(c.call("RPUSH", "q", "x", "y", "z")));
                out.add(text(a.readReply()));
                out.add(text(b.readReply()));
                out.add(text(c.call("LRANGE", "q", "0", "-1")));
                awaitBlocked(c, 0);
                return out;
            }
        });
    }

    @Test
    void servedByTheKeyThatBecameReady() throws Exception {
        sameOnBoth(port -> {
            try (RawClient a = client(port); RawClient c = client(port)) {
                a.send("BRPOP", "k1", "k2", "k3", "0");
                awaitBlocked(c, 1);
                List<String> out = new ArrayList<>();
                out.add(text(c.call("LPUSH", "k2", "v")));
                out.add(text(a.readReply()));
                out.add(text(c.call("EXISTS", "k2")));
                return out;
            }
        });
    }

    @Test
    void pushReplyCountsTheElementsBeforeTheWaiterTookThem() throws Exception {
        sameOnBoth(port -> {
            try (RawClient a = client(port); RawClient c = client(port)) {
                a.send("BLMPOP", "0", "1", "q", "LEFT", "COUNT", "5");
                awaitBlocked(c, 1);
                List<String> out = new ArrayList<>();
                out.add(text(c.call("RPUSH", "q", "1", "2", "3")));
                out.add(text(a.readReply()));
                out.add(text(c.call("LLEN", "q")));
                return out;
            }
        });
    }

    @Test
    void blmoveChainsToClientsWaitingOnTheDestination() throws Exception {
        sameOnBoth(port -> {
            try (RawClient a = client(port); RawClient b = client(port); RawClient c = client(port)) {
                a.send("BLMOVE", "src", "dst", "RIGHT", "LEFT", "0");
                awaitBlocked(c, 1);
                b.send("BLPOP", "dst", "0");
                awaitBlocked(c, 2);
                List<String> out = new ArrayList<>();
                out.add(text(c.call("RPUSH", "src", "e")));
                out.add(text(a.readReply()));
                out.add(text(b.readReply()));
                out.add(text(c.call("EXISTS", "src", "dst")));
                return out;
            }
        });
    }

    @Test
    void timeoutsEndTheWaitOnTime() throws Exception {
        sameOnBoth(port -> {
            try (RawClient a = client(port)) {
                List<String> out = new ArrayList<>();
                long start = System.nanoTime();
                out.add(text(a.call("BLPOP", "none", "0.2")));
                long ms = (System.nanoTime() - start) / 1_000_000;
                out.add(ms >= 190 && ms < 1000 ? "waited about 200 ms" : "waited " + ms + " ms");
                a.call("HELLO", "3");
                out.add(text(a.call("BLMOVE", "none", "x", "LEFT", "LEFT", "0.05")));
                return out;
            }
        });
    }

    @Test
    void sortedSetPopsWaitInOrderAndTimeOut() throws Exception {
        sameOnBoth(port -> {
            try (RawClient a = client(port); RawClient b = client(port); RawClient d = client(port);
                 RawClient c = client(port)) {
                a.send("BZPOPMIN", "z1", "z2", "0");
                awaitBlocked(c, 1);
                b.send("BZPOPMAX", "z2", "0");
                awaitBlocked(c, 2);
                d.call("HELLO", "3");
                d.send("BZMPOP", "0", "1", "z2", "MAX", "COUNT", "5");
                awaitBlocked(c, 3);
                List<String> out = new ArrayList<>();
                out.add(text(c.call("ZADD", "z2", "1", "a", "2", "b", "3", "c", "4", "d")));
                out.add(text(a.readReply()));
                out.add(text(b.readReply()));
                out.add(text(d.readReply()));
                out.add(text(c.call("EXISTS", "z2")));
                // a store that creates the key wakes waiters too
                a.send("BZPOPMAX", "dst", "0");
                awaitBlocked(c, 1);
                c.call("ZADD", "src", "5", "x", "6", "y");
                out.add(text(c.call("ZUNIONSTORE", "dst", "1", "src")));
                out.add(text(a.readReply()));
                out.add(text(c.call("ZRANGE", "dst", "0", "-1", "WITHSCORES")));
                long start = System.nanoTime();
                out.add(text(a.call("BZPOPMIN", "none", "0.2")));
                long ms = (System.nanoTime() - start) / 1_000_000;
                out.add(ms >= 190 && ms < 1000 ? "waited about 200 ms" : "waited " + ms + " ms");
                out.add(text(d.call("BZMPOP", "0.05", "1", "none", "MIN")));
                return out;
            }
        });
    }

    @Test
    void transactionsWakeWaitersOnlyAfterExec() throws Exception {
        sameOnBoth(port -> {
            try (RawClient a = client(port); RawClient b = client(port); RawClient c = client(port)) {
                a.send("BLPOP", "q", "0");
                awaitBlocked(c, 1);
                b.send("BZPOPMIN", "z", "0");
                awaitBlocked(c, 2);
                List<String> out = new ArrayList<>();
                // the waiter sees the state after EXEC: x was pushed and popped inside it
                out.add(text(c.call("MULTI")));
                out.add(text(c.call("RPUSH", "q", "x")));
                out.add(text(c.call("RPUSH", "q", "y")));
                out.add(text(c.call("LPOP", "q")));
                out.add(text(c.call("ZADD", "z", "1", "m")));
                out.add(text(c.call("ZREM", "z", "m")));
                out.add(text(c.call("EXEC")));
                out.add(text(a.readReply()));
                awaitBlocked(c, 1);
                // a key made ready then emptied inside the transaction wakes nobody
                out.add(text(c.call("MULTI")));
                out.add(text(c.call("ZADD", "z", "2", "n")));
                out.add(text(c.call("DEL", "z")));
                out.add(text(c.call("EXEC")));
                out.add(text(c.call("CLIENT", "LIST")).contains("cmd=bzpopmin") ? "still blocked" : "served");
                out.add(text(c.call("ZADD", "z", "3", "o")));
                out.add(text(b.readReply()));
                return out;
            }
        });
    }

    @Test
    void clientUnblockWithTimeoutOrError() throws Exception {
        sameOnBoth(port -> {
            try (RawClient a = client(port); RawClient c = client(port)) {
                String id = text(a.call("CLIENT", "ID")).substring(1).trim();
                List<String> out = new ArrayList<>();
                a.send("BLPOP", "q", "0");
                awaitBlocked(c, 1);
                out.add(text(c.call("CLIENT", "UNBLOCK", id)));
                out.add(text(a.readReply()));
                a.send("BRPOP", "q", "0");
                awaitBlocked(c, 1);
                out.add(text(c.call("CLIENT", "UNBLOCK", id, "ERROR")));
                out.add(text(a.readReply()));
                out.add(text(c.call("CLIENT", "UNBLOCK", id)));
                out.add(text(c.call("CLIENT", "UNBLOCK", id, "FOO")));
                out.add(text(c.call("CLIENT", "UNBLOCK", "abc")));
                out.add(text(c.call("CLIENT", "UNBLOCK", "999999")));
                return out;
            }
        });
    }

    @Test
    void disconnectWhileBlockedLeavesNoTrace() throws Exception {
        sameOnBoth(port -> {
            List<String> out = new ArrayList<>();
            try (RawClient c = client(port)) {
                try (RawClient a = client(port)) {
                    a.send("BLPOP", "q", "0");
                    awaitBlocked(c, 1);
                }
                awaitBlocked(c, 0);
                out.add(text(c.call("RPUSH", "q", "kept")));
                out.add(text(c.call("LRANGE", "q", "0", "-1")));
            }
            return out;
        });
    }

    @Test
    void pipelinedCommandsAfterABlockingOneWaitForIt() throws Exception {
        sameOnBoth(port -> {
            try (RawClient a = client(port); RawClient c = client(port)) {
                a.sendRaw("BLPOP q 0\r\nSET after-blpop 1\r\nGET after-blpop\r\n".getBytes(StandardCharsets.US_ASCII));
                awaitBlocked(c, 1);
                List<String> out = new ArrayList<>();
                out.add(text(c.call("EXISTS", "after-blpop")));
                out.add(text(c.call("RPUSH", "q", "go")));
                out.add(text(a.readReply()));
                out.add(text(a.readReply()));
                out.add(text(a.readReply()));
                return out;
            }
        });
    }

    @Test
    void wrongTypeDestinationGivesTheWaiterAnError() throws Exception {
        sameOnBoth(port -> {
            try (RawClient a = client(port); RawClient c = client(port)) {
                c.call("SET", "dst", "string");
                a.send("BLMOVE", "src", "dst", "LEFT", "LEFT", "0");
                awaitBlocked(c, 1);
                List<String> out = new ArrayList<>();
                out.add(text(c.call("RPUSH", "src", "v")));
                out.add(text(a.readReply()));
                out.add(text(c.call("LRANGE", "src", "0", "-1")));
                return out;
            }
        });
    }

    @Test
    void resp3ClientsGetResp3Replies() throws Exception {
        sameOnBoth(port -> {
            try (RawClient a = client(port); RawClient c = client(port)) {
                a.call("HELLO", "3");
                a.send("BLMPOP", "0", "2", "x", "q", "RIGHT");
                awaitBlocked(c, 1);
                List<String> out = new ArrayList<>();
                out.add(text(c.call("RPUSH", "q", "1", "2")));
                out.add(text(a.readReply()));
                return out;
            }
        });
    }

    @Test
    void jedisBlpopAcrossThreads() throws Exception {
        try (Jedis consumer = new Jedis("127.0.0.1", cachalot.port());
             Jedis producer = new Jedis("127.0.0.1", cachalot.port())) {
            consumer.del("jobs");
            CompletableFuture<List<String>> got = CompletableFuture.supplyAsync(() -> consumer.blpop(5, "jobs"));
            Thread.sleep(100);
            producer.rpush("jobs", "job-1");
            assertThat(got.get(5, TimeUnit.SECONDS)).containsExactly("jobs", "job-1");
            assertThat(consumer.blpop(0.1, "jobs")).isNull();
        }
    }

    @Test
    void manyConsumersManyProducersLoseNothing() throws Exception {
        int consumers = 8;
        int perConsumer = 200;
        List<CompletableFuture<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < consumers; i++) {
            fs.add(CompletableFuture.supplyAsync(() -> {
                int n = 0;
                try (Jedis j = new Jedis("127.0.0.1", cachalot.port())) {
                    for (int k = 0; k < perConsumer; k++) {
                        if (j.brpop(10, "work") != null) {
                            n++;
                        }
                    }
                }
                return n;
            }));
        }
        try (Jedis p = new Jedis("127.0.0.1", cachalot.port())) {
            for (int i = 0; i < consumers * perConsumer; i++) {
                p.lpush("work", Integer.toString(i));
            }
        }
        int total = 0;
        for (CompletableFuture<Integer> f : fs) {
            total += f.get(30, TimeUnit.SECONDS);
        }
        assertThat(total).isEqualTo(consumers * perConsumer);
        try (Jedis p = new Jedis("127.0.0.1", cachalot.port())) {
            assertThat(p.llen("work")).isZero();
            assertThat(p.info("clients")).contains("blocked_clients:0");
        }
    }
}
