package io.cachalot.server;

import io.cachalot.testsupport.RawClient;
import io.cachalot.testsupport.RedisServerProcess;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keyspace notifications against redis-server, byte for byte: every command family's events in
 * Redis' order and names (with "new" and "keymiss"), both channel kinds, lazy and active expiry,
 * transactions and scripts, and a RESP3 client that receives the events of its own writes as
 * pushes before its replies.
 */
class KeyspaceEventsTest {
    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Commands run one by one; each one's reply and the events it caused are recorded. */
    private static final String[][] SCRIPT = {
        {"SET", "s", "1"}, {"SET", "s", "2", "EX", "100"}, {"SET", "s", "3", "NX"}, {"SET", "s", "4", "XX", "GET"},
        {"SET", "s", "5", "PXAT", "1"}, {"SETNX", "s2", "a"}, {"SETEX", "s3", "100", "v"}, {"PSETEX", "s4", "100000", "v"},
        {"GETSET", "s", "x"}, {"GETDEL", "s2"}, {"GETDEL", "nokey"}, {"GETEX", "s", "EX", "50"}, {"GETEX", "s", "PERSIST"},
        {"GETEX", "s", "PXAT", "1"}, {"MSET", "m1", "a", "m2", "b"}, {"MSETNX", "m3", "a", "m1", "b"},
        {"MSETNX", "m3", "a", "m4", "b"}, {"APPEND", "ap", "x"}, {"APPEND", "ap", "y"}, {"INCR", "n"},
        {"DECRBY", "n", "5"}, {"INCRBYFLOAT", "f", "1.5"}, {"SETRANGE", "sr", "2", "ab"}, {"SETRANGE", "sr", "0", ""},
        {"SETRANGE", "sr", "0", "z"}, {"DEL", "m1", "m2", "nokey"}, {"UNLINK", "m3"}, {"EXPIRE", "ap", "100"},
        {"PEXPIRE", "ap", "100000", "NX"}, {"EXPIREAT", "ap", "99999999999"}, {"PERSIST", "ap"}, {"PERSIST", "ap"},
        {"EXPIRE", "n", "-1"}, {"SET", "r1", "v"}, {"SET", "r2", "w"}, {"RENAME", "r1", "r2"}, {"RENAME", "r2", "r3"},
        {"RENAMENX", "r3", "ap"}, {"RENAMENX", "r3", "r4"}, {"MOVE", "r4", "1"}, {"COPY", "ap", "c1"},
        {"COPY", "ap", "c1", "REPLACE"}, {"COPY", "ap", "c2", "DB", "2"},
        {"LPUSH", "l", "a", "b", "c"}, {"RPUSH", "l", "d"}, {"LPUSHX", "nol", "a"}, {"RPUSHX", "l", "e"},
        {"LINSERT", "l", "BEFORE", "a", "x"}, {"LINSERT", "l", "BEFORE", "zz", "x"}, {"LSET", "l", "0", "y"},
        {"LPOP", "l"}, {"RPOP", "l", "2"}, {"LPOP", "l", "0"}, {"LREM", "l", "0", "nothing"}, {"LREM", "l", "1", "a"},
        {"LTRIM", "l", "0", "0"}, {"RPUSH", "l", "1", "2", "3"}, {"LMOVE", "l", "l", "LEFT", "RIGHT"},
        {"LMOVE", "l", "l2", "LEFT", "LEFT"}, {"RPOPLPUSH", "l", "l2"}, {"LMPOP", "2", "l", "l2", "LEFT", "COUNT", "5"},
        {"BLPOP", "l2", "1"}, {"LTRIM", "l2", "1", "0"}, {"RPUSH", "l3", "a"}, {"BRPOP", "l3", "1"},
        {"HSET", "h", "a", "1", "b", "2"}, {"HMSET", "h", "c", "3"}, {"HSETNX", "h", "a", "9"}, {"HSETNX", "h", "d", "9"},
        {"HINCRBY", "h", "n", "2"}, {"HINCRBYFLOAT", "h", "f", "0.5"}, {"HDEL", "h", "zz"}, {"HDEL", "h", "a", "b"},
        {"HDEL", "h", "c", "d", "n", "f"},
        {"SADD", "st", "a", "b", "c"}, {"SADD", "st", "a"}, {"SREM", "st", "zz"}, {"SREM", "st", "a"},
        {"SMOVE", "st", "st2", "b"}, {"SMOVE", "st", "st2", "c"}, {"SADD", "st", "1", "2", "3"}, {"SPOP", "st2"},
        {"SPOP", "st", "0"}, {"SPOP", "st", "1"}, {"SPOP", "st", "10"}, {"SADD", "x1", "a", "b"}, {"SADD", "x2", "b"},
        {"SINTERSTORE", "x3", "x1", "x2"}, {"SINTERSTORE", "x3", "x1", "nokey"}, {"SUNIONSTORE", "x4", "x1", "x2"},
        {"SDIFFSTORE", "x4", "x1", "x1"}, {"SDIFFSTORE", "x5", "x1", "x2"},
        {"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"}, {"ZADD", "z", "1", "a"}, {"ZADD", "z", "INCR", "5", "a"},
        {"ZINCRBY", "z", "1", "b"}, {"ZADD", "z", "XX", "9", "nothere"}, {"ZREM", "z", "zz"}, {"ZREM", "z", "c"},
        {"ZADD", "z", "7", "e", "8", "f"}, {"ZREMRANGEBYSCORE", "z", "100", "200"}, {"ZREMRANGEBYSCORE", "z", "0", "3"},
        {"ZREMRANGEBYRANK", "z", "0", "0"}, {"ZREMRANGEBYLEX", "z", "[a", "[b"}, {"ZPOPMIN", "z"},
        {"ZADD", "z", "1", "a", "2", "b"}, {"ZPOPMAX", "z", "5"}, {"ZADD", "z2", "1", "a"}, {"BZPOPMIN", "z2", "1"},
        {"ZADD", "z3", "1", "a", "2", "b"}, {"ZADD", "z4", "1", "b"}, {"ZMPOP", "1", "z3", "MIN"},
        {"ZUNIONSTORE", "z5", "2", "z3", "z4"}, {"ZINTERSTORE", "z6", "2", "z3", "z4"},
        {"ZINTERSTORE", "z5", "2", "z3", "nokey"}, {"ZDIFFSTORE", "z7", "2", "z4", "z3"},
        {"ZRANGESTORE", "z8", "z4", "0", "-1"}, {"ZRANGESTORE", "z8", "nokey", "0", "-1"},
        {"RPUSH", "so", "3", "1", "2"}, {"SORT", "so", "STORE", "so2"}, {"SORT", "nokey", "STORE", "so2"},
        {"GET", "nokey"}, {"EXISTS", "nokey", "so"}, {"TYPE", "nokey"}, {"OBJECT", "ENCODING", "nokey"},
        {"LRANGE", "nokey", "0", "-1"}, {"STRLEN", "nokey"}, {"TTL", "nokey"},
        {"MULTI"}, {"SET", "t1", "a"}, {"LPUSH", "t2", "b"}, {"EXEC"},
        {"EVAL", "redis.call('set', KEYS[1], 'v'); redis.call('del', KEYS[1]); return redis.call('get', KEYS[1])", "1", "ev"},
        {"SELECT", "3"}, {"SET", "db3", "v"}, {"SWAPDB", "3", "4"}, {"SELECT", "4"}, {"DEL", "db3"}, {"SELECT", "0"},
        {"XADD", "st", "1-1", "a", "b"}, {"XADD", "st", "MAXLEN", "1", "2-1", "c", "d"}, {"XADD", "st", "NOMKSTREAM", "MAXLEN", "5", "3-1", "e", "f"},
        {"XDEL", "st", "3-1", "9-9"}, {"XDEL", "st", "9-9"}, {"XTRIM", "st", "MAXLEN", "0"}, {"XTRIM", "st", "MAXLEN", "0"},
        {"XSETID", "st", "5-0"}, {"XADD", "nost", "NOMKSTREAM", "1-1", "a", "b"}, {"XRANGE", "nost", "-", "+"},
        {"XGROUP", "CREATE", "gs", "g", "$", "MKSTREAM"}, {"XGROUP", "CREATE", "gs", "g", "$"}, {"XADD", "gs", "1-1", "a", "b"},
        {"XREADGROUP", "GROUP", "g", "c1", "STREAMS", "gs", ">"}, {"XREADGROUP", "GROUP", "g", "c1", "STREAMS", "gs", "0"},
        {"XGROUP", "CREATECONSUMER", "gs", "g", "c2"}, {"XGROUP", "CREATECONSUMER", "gs", "g", "c2"},
        {"XCLAIM", "gs", "g", "c3", "0", "1-1"}, {"XAUTOCLAIM", "gs", "g", "c4", "0", "0"}, {"XACK", "gs", "g", "1-1"},
        {"XGROUP", "SETID", "gs", "g", "0"}, {"XGROUP", "DELCONSUMER", "gs", "g", "c2"}, {"XGROUP", "DELCONSUMER", "gs", "g", "c9"},
        {"XGROUP", "DESTROY", "gs", "g"}, {"XGROUP", "DESTROY", "gs", "g"}, {"XINFO", "STREAM", "gs"},
        {"SET", "d", "v"}, {"DUMP", "d"},
    };

    private static List<String> scenario(int port) throws Exception {
        List<String> out = new ArrayList<>();
        try (RawClient sub = new RawClient("127.0.0.1", port);
             RawClient w = new RawClient("127.0.0.1", port)) {
            // keys set already expired (SET ... PXAT 1) must meet their end on access, not by the
            // active cycle, which could run at a different step on each server (a CI flake)
            w.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
            out.add(text(w.call("CONFIG", "SET", "notify-keyspace-events", "KEA")));
            out.add(text(w.call("CONFIG", "GET", "notify-keyspace-events")));
            out.add(text(w.call("CONFIG", "SET", "notify-keyspace-events", "KEQ")));
            out.add(text(w.call("CONFIG", "SET", "notify-keyspace-events", "g$lshzxetdKE")));
            out.add(text(w.call("CONFIG", "GET", "notify-keyspace-events")));
            // (a failed CONFIG SET would make Redis re-apply "AKEm", dropping n: hence last)
            out.add(text(w.call("CONFIG", "SET", "notify-keyspace-events", "KEAnm")));
            out.add(text(w.call("CONFIG", "GET", "notify-keyspace-events")));
            sub.send("PSUBSCRIBE", "__key*__:*");
            sub.readReply();
            sub.send("SUBSCRIBE", "done");
            sub.readReply();
            int step = 0;
            byte[] dump = null;
            boolean inMulti = false;
            for (String[] cmd : SCRIPT) {
                byte[] reply = w.call(cmd);
                boolean random = cmd[0].equals("SPOP");
                out.add(String.join(" ", cmd) + " -> " + (random ? reply.length + " bytes" : text(reply)));
                if (cmd[0].equals("DUMP")) {
                    dump = reply;
                }
                inMulti = cmd[0].equals("MULTI") || (inMulti && !cmd[0].equals("EXEC"));
                if (!inMulti) {
                    step = barrier(sub, w, step, out);
                }
            }
            // RESTORE of the DUMP payload, then RESTORE REPLACE over it
            int start = text(dump).indexOf("\r\n") + 2;
            byte[] payload = java.util.Arrays.copyOfRange(dump, start, dump.length - 2);
            byte[] restore = "RESTORE".getBytes(StandardCharsets.US_ASCII);
            out.add(text(w.call(List.of(restore, "rs".getBytes(), "0".getBytes(), payload))));
            out.add(text(w.call(List.of(restore, "rs".getBytes(), "0".getBytes(), payload, "REPLACE".getBytes()))));
            out.add(text(w.call(List.of(restore, "rs".getBytes(), "1".getBytes(), payload, "REPLACE".getBytes(),
                    "ABSTTL".getBytes()))));
            step = barrier(sub, w, step, out);
            // expiry: lazily on access, and by the active cycle
            out.add(text(w.call("DEBUG", "SET-ACTIVE-EXPIRE", "0")));
            w.call("SET", "e1", "v", "PX", "1");
            w.call("SET", "e2", "v", "PX", "1");
            step = barrier(sub, w, step, out);
            Thread.sleep(20);
            out.add(text(w.call("GET", "e1")));
            step = barrier(sub, w, step, out);
            out.add(text(w.call("DEBUG", "SET-ACTIVE-EXPIRE", "1")));
            long deadline = System.currentTimeMillis() + 5000;
            String got = "";
            while (!got.contains("e2") && System.currentTimeMillis() < deadline) {
                got = text(sub.readReply());
            }
            out.add(got);
            out.add(text(w.call("FLUSHALL")));
            step = barrier(sub, w, step, out);
            out.add(text(w.call("CONFIG", "SET", "notify-keyspace-events", "")));
        }
        return out;
    }

    /** Publishes a marker after a command and records the events that came before it. */
    private static int barrier(RawClient sub, RawClient w, int step, List<String> out) throws Exception {
        String marker = Integer.toString(step);
        w.call("PUBLISH", "done", marker);
        while (true) {
            String m;
            try {
                m = text(sub.readReply());
            } catch (java.io.IOException e) {
                throw new AssertionError("no marker " + marker + " after:\n" + String.join("\n", out), e);
            }
            if (m.startsWith("*3\r\n$7\r\nmessage\r\n$4\r\ndone\r\n")) {
                break;
            }
            out.add("  " + m.replace("\r\n", " "));
        }
        return step + 1;
    }

    /** A RESP3 client subscribed to its own keys' events gets them as pushes before each reply. */
    private static List<String> selfEvents(int port) throws Exception {
        List<String> out = new ArrayList<>();
        try (RawClient c = new RawClient("127.0.0.1", port)) {
            c.call("HELLO", "3");
            c.call("CONFIG", "SET", "notify-keyspace-events", "KEAn");
            out.add(text(c.call("PSUBSCRIBE", "__keyspace@0__:*")));
            String[][] cmds = {{"SET", "k", "v", "EX", "100"}, {"LPUSH", "q", "a"}, {"LSET", "q", "0", "b"},
                {"HSET", "hh", "f", "v"}, {"RPOP", "q"}, {"GET", "nokey"}, {"MULTI"}, {"SET", "k", "w"}, {"EXEC"}};
            boolean inMulti = false;
            for (String[] cmd : cmds) {
                c.send(cmd);
                inMulti = cmd[0].equals("MULTI") || (inMulti && !cmd[0].equals("EXEC"));
                if (inMulti) {
                    out.add(text(c.readReply()));
                    continue;
                }
                c.send("PING", "end");
                StringBuilder sb = new StringBuilder(String.join(" ", cmd)).append(" ->");
                while (true) {
                    String frame = text(c.readReply());
                    if (frame.equals("$3\r\nend\r\n")) {
                        break;
                    }
                    sb.append(' ').append(frame.replace("\r\n", " "));
                }
                out.add(sb.toString());
            }
            c.call("CONFIG", "SET", "notify-keyspace-events", "");
            c.call("FLUSHALL");
        }
        return out;
    }

    @Test
    void eventsAsRedisPublishesThem() throws Exception {
        try (RedisServerProcess reference = RedisServerProcess.start();
             CachalotFixture c = CachalotFixture.start()) {
            List<String> expected = scenario(reference.port());
            List<String> actual = scenario(c.port());
            assertThat(String.join("\n", actual)).isEqualTo(String.join("\n", expected));
        }
    }

    @Test
    void ownEventsComeBeforeTheReplyInResp3() throws Exception {
        try (RedisServerProcess reference = RedisServerProcess.start();
             CachalotFixture c = CachalotFixture.start()) {
            List<String> expected = selfEvents(reference.port());
            assertThat(String.join("\n", selfEvents(c.port()))).isEqualTo(String.join("\n", expected));
        }
    }

    /** Reads messages until {@code count} have come, as "channel message" lines. */
    private static List<String> messages(RawClient sub, int count) throws Exception {
        List<String> got = new ArrayList<>();
        while (got.size() < count) {
            String[] parts = text(sub.readReply()).split("\r\n");
            // *3 $7 message $n channel $n message, or *4 $8 pmessage $n pattern $n channel $n message
            int at = parts[2].equals("message") ? 4 : 6;
            got.add(parts[at] + " " + parts[at + 2]);
        }
        return got;
    }

    /** Eviction notifies "evicted" for each key maxmemory removed (Cachalot's counts differ from Redis'). */
    @Test
    void evictionNotifiesEveryEvictedKey() throws Exception {
        try (CachalotFixture c = CachalotFixture.start();
             RawClient sub = new RawClient("127.0.0.1", c.port());
             RawClient w = new RawClient("127.0.0.1", c.port())) {
            w.call("CONFIG", "SET", "notify-keyspace-events", "Ee");
            sub.send("SUBSCRIBE", "__keyevent@0__:evicted");
            sub.readReply();
            String used = text(w.call("INFO", "memory")).lines().filter(l -> l.startsWith("used_memory:"))
                    .findFirst().orElseThrow().substring("used_memory:".length()).trim();
            long limit = Long.parseLong(used) + 200_000;
            w.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
            w.call("CONFIG", "SET", "maxmemory", Long.toString(limit));
            String value = "x".repeat(1000);
            for (int i = 0; i < 1000; i++) {
                w.call("SET", "k" + i, value);
            }
            String stats = text(w.call("INFO", "stats"));
            long evicted = Long.parseLong(stats.lines().filter(l -> l.startsWith("evicted_keys:")).findFirst()
                    .orElseThrow().substring("evicted_keys:".length()).trim());
            assertThat(evicted).isGreaterThan(0);
            List<String> got = messages(sub, (int) evicted);
            for (String m : got) {
                String key = m.substring(m.indexOf(' ') + 1);
                assertThat(m).startsWith("__keyevent@0__:evicted ");
                assertThat(text(w.call("EXISTS", key))).isEqualTo(":0\r\n");
            }
            assertThat(sub.quietFor(200)).isTrue();
        }
    }

    /** Hash field expiry (Redis 7.4's commands): hexpire, hpersist, hdel, and hexpired then del when emptied. */
    @Test
    void hashFieldExpiryEvents() throws Exception {
        try (CachalotFixture c = CachalotFixture.start();
             RawClient sub = new RawClient("127.0.0.1", c.port());
             RawClient w = new RawClient("127.0.0.1", c.port())) {
            w.call("CONFIG", "SET", "notify-keyspace-events", "Kgh");
            sub.send("PSUBSCRIBE", "__keyspace@0__:*");
            sub.readReply();
            w.call("HSET", "h", "a", "1", "b", "2", "c", "3");
            w.call("HEXPIRE", "h", "100", "FIELDS", "1", "a");
            w.call("HEXPIRE", "h", "100", "NX", "FIELDS", "1", "a"); // nothing changes: no event
            w.call("HPERSIST", "h", "FIELDS", "1", "a");
            w.call("HPEXPIREAT", "h", "1", "FIELDS", "1", "a"); // in the past: the field goes
            w.call("HPEXPIRE", "h", "1", "FIELDS", "2", "b", "c");
            Thread.sleep(20);
            w.call("HGETALL", "h");
            assertThat(messages(sub, 7)).containsExactly("__keyspace@0__:h hset", "__keyspace@0__:h hexpire",
                    "__keyspace@0__:h hpersist", "__keyspace@0__:h hdel", "__keyspace@0__:h hexpire",
                    "__keyspace@0__:h hexpired", "__keyspace@0__:h del");
            // the active cycle does the same when nobody reads the hash
            w.call("HSET", "h2", "a", "1");
            w.call("HPEXPIRE", "h2", "1", "FIELDS", "1", "a");
            assertThat(messages(sub, 4)).containsExactly("__keyspace@0__:h2 hset", "__keyspace@0__:h2 hexpire",
                    "__keyspace@0__:h2 hexpired", "__keyspace@0__:h2 del");
        }
    }
}
