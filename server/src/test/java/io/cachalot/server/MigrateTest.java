package io.cachalot.server;

import io.cachalot.testsupport.RawClient;
import io.cachalot.testsupport.RedisServerProcess;
import io.cachalot.testsupport.Resp;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MIGRATE side by side: the same data on redis-server and Cachalot, each migrating to a target
 * redis-server of its own (and Redis migrating into Cachalot); replies byte for byte, then the
 * sources' and targets' contents compared.
 */
class MigrateTest {
    private static String show(byte[] b) {
        return RawClient.show(b);
    }

    @Test
    void migrateAsRedis() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start();
             CachalotFixture cachalot = CachalotFixture.start();
             RedisServerProcess targetOfRedis = RedisServerProcess.start();
             RedisServerProcess targetOfCachalot = RedisServerProcess.start("--requirepass", "pw");
             RedisServerProcess secured = RedisServerProcess.start("--requirepass", "pw");
             RawClient r = new RawClient("127.0.0.1", redis.port());
             RawClient c = new RawClient("127.0.0.1", cachalot.port());
             RawClient tr = new RawClient("127.0.0.1", targetOfRedis.port());
             RawClient tc = new RawClient("127.0.0.1", targetOfCachalot.port())) {
            tc.call("AUTH", "pw");
            for (RawClient x : new RawClient[] {r, c}) {
                x.call("SET", "s", "v");
                x.call("SET", "ttl", "v", "PX", "500000");
                x.call("RPUSH", "l", "a", "b");
                x.call("HSET", "h", "f", "v");
                x.call("SET", "busy", "mine");
                x.call("SET", "k1", "1");
                x.call("SET", "k2", "2");
            }
            tr.call("SET", "busy", "theirs");
            tc.call("SET", "busy", "theirs");
            // the unsecured target of Redis is reached without AUTH, the secured one of Cachalot with it
            String[][] cases = {
                {"s", "0", "5000"},
                {"s", "0", "5000"},
                {"ttl", "0", "5000"},
                {"l", "3", "5000", "COPY"},
                {"busy", "0", "5000"},
                {"busy", "0", "5000", "REPLACE"},
                {"", "0", "5000", "KEYS", "k1", "k2", "missing"},
                {"h", "0", "5000", "KEYS", "k1"},
                {"missing", "0", "5000"},
                {"h", "0", "5000", "BOGUS"},
                {"h", "0", "x"},
                {"h", "0", "5000", "AUTH"},
            };
            for (String[] cs : cases) {
                String[] forRedis = migrate(targetOfRedis.port(), cs, null);
                String[] forCachalot = migrate(targetOfCachalot.port(), cs, "pw");
                assertThat(show(c.call(forCachalot))).as(String.join(" ", cs)).isEqualTo(show(r.call(forRedis)));
            }
            for (String k : new String[] {"s", "ttl", "l", "h", "busy", "k1", "k2"}) {
                assertThat(show(c.call("EXISTS", k))).as("source " + k).isEqualTo(show(r.call("EXISTS", k)));
                assertThat(show(tc.call("DUMP", k))).as("target " + k).isEqualTo(show(tr.call("DUMP", k)));
            }
            tc.call("SELECT", "3");
            tr.call("SELECT", "3");
            assertThat(show(tc.call("LRANGE", "l", "0", "-1"))).isEqualTo(show(tr.call("LRANGE", "l", "0", "-1")));
            assertThat(Long.parseLong(Resp.parse(tc.call("PTTL", "ttl")).text()))
                    .isEqualTo(-2L); // ttl went to db 0
            // a wrong password: the target's error, wrapped as Redis wraps it
            r.call("SET", "x", "1");
            c.call("SET", "x", "1");
            String[] wrong = {"127.0.0.1", String.valueOf(secured.port()), "x", "0", "5000", "AUTH", "nope"};
            String[] wrongR = wrong.clone();
            assertThat(show(c.call(prepend("MIGRATE", wrong)))).isEqualTo(show(r.call(prepend("MIGRATE", wrongR))));
            // nobody listening
            int closed = RedisServerProcess.freePort();
            String[] none = {"127.0.0.1", String.valueOf(closed), "x", "0", "500"};
            assertThat(show(c.call(prepend("MIGRATE", none)))).isEqualTo(show(r.call(prepend("MIGRATE", none))));
            // and Redis migrates into Cachalot (RESTORE on our side)
            r.call("SET", "to-cachalot", "hello");
            assertThat(show(r.call("MIGRATE", "127.0.0.1", String.valueOf(cachalot.port()), "to-cachalot", "0", "5000")))
                    .isEqualTo("+OK\\r\\n");
            assertThat(show(c.call("GET", "to-cachalot"))).isEqualTo("$5\\r\\nhello\\r\\n");
        }
    }

    private static String[] prepend(String first, String[] rest) {
        String[] a = new String[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }

    private static String[] migrate(int port, String[] cs, String password) throws IOException {
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of("MIGRATE", "127.0.0.1", String.valueOf(port)));
        for (String s : cs) {
            a.add(s);
        }
        if (password != null && !java.util.Arrays.asList(cs).contains("AUTH") && !java.util.Arrays.asList(cs).contains("BOGUS")
                && !cs[2].equals("x")) {
            int keys = a.indexOf("KEYS");
            if (keys < 0) {
                a.add("AUTH");
                a.add(password);
            } else {
                a.add(keys, "AUTH");
                a.add(keys + 1, password);
            }
        }
        return a.toArray(new String[0]);
    }
}
