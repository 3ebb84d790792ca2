package io.cachalot.server;

import io.cachalot.testsupport.RawClient;
import io.cachalot.testsupport.RedisServerProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client-side caching (CLIENT TRACKING), the same scenario against redis-server and Cachalot,
 * byte for byte: invalidations redirected to a RESP2 subscriber and pushed to RESP3 clients,
 * where they fall among replies (after the reply of the command that caused them, after EXEC),
 * BCAST prefixes, NOLOOP, OPTIN/OPTOUT with CLIENT CACHING, flushes, expiry, a broken
 * redirection, tracking-table-max-keys, CLIENT TRACKINGINFO/GETREDIR/LIST/INFO and every error.
 * Client ids are replaced by their role, as the two servers number connections differently.
 */
class TrackingTest {
    private final List<String> ids = new ArrayList<>();

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** The reply with client ids replaced by their role (GETREDIR, TRACKINGINFO, CLIENT INFO, redir-broken). */
    private String withIds(byte[] b) {
        String s = text(b);
        for (int i = 0; i < ids.size(); i++) {
            s = s.replace("=" + ids.get(i) + " ", "=<id" + i + "> ")
                    .replaceAll("(^|\r\n):" + ids.get(i) + "\r\n", "$1:<id" + i + ">\r\n")
                    .replace("redirect " + ids.get(i), "redirect <id" + i + ">");
        }
        return s;
    }

    private String id(RawClient c) throws IOException {
        String id = new String(c.call("CLIENT", "ID"), StandardCharsets.US_ASCII).substring(1).trim();
        ids.add(id);
        return id;
    }

    /** What arrives on {@code c} up to the reply of a PING (pushes and messages sent before it). */
    private String untilPong(RawClient c, String pong) throws IOException {
        c.send("PING");
        StringBuilder sb = new StringBuilder();
        while (true) {
            String r = withIds(c.readReply());
            if (r.equals(pong)) {
                return sb.append("|PONG").toString();
            }
            sb.append(r);
        }
    }

    private static final String PONG = "+PONG\r\n";
    private static final String SUBSCRIBED_PONG = "*2\r\n$4\r\npong\r\n$0\r\n\r\n";

    private List<String> scenario(int port) throws Exception {
        ids.clear();
        List<String> out = new ArrayList<>();
        try (RawClient rd = new RawClient("127.0.0.1", port);
             RawClient t = new RawClient("127.0.0.1", port);
             RawClient w = new RawClient("127.0.0.1", port)) {
            String rdId = id(rd);
            id(t);
            id(w);
            rd.call("SUBSCRIBE", "__redis__:invalidate");
            // redirected to a RESP2 subscriber: only what was read, once
            out.add(text(t.call("CLIENT", "TRACKING", "on", "REDIRECT", rdId)));
            w.call("MSET", "a", "1", "b", "1");
            out.add(text(t.call("GET", "a")));
            out.add(text(t.call("MGET", "a", "b", "never")));
            w.call("INCR", "a");
            w.call("INCR", "a"); // no longer tracked: no second message
            w.call("SET", "elsewhere", "x");
            out.add(untilPong(rd, SUBSCRIBED_PONG));
            out.add(withIds(t.call("CLIENT", "TRACKINGINFO")));
            out.add(withIds(t.call("CLIENT", "GETREDIR")));
            out.add(flagsOf(withIds(t.call("CLIENT", "INFO"))));
            out.add(infoFields(w));
            w.call("DEL", "b", "never");
            out.add(untilPong(rd, SUBSCRIBED_PONG));
            out.add(text(t.call("CLIENT", "TRACKING", "off")));
            out.add(withIds(t.call("CLIENT", "GETREDIR")));
            out.add(flagsOf(withIds(t.call("CLIENT", "INFO"))));

            // RESP3 pushes on the tracking client's own connection
            t.call("HELLO", "3");
            out.add(text(t.call("CLIENT", "TRACKING", "on")));
            out.add(text(t.call("GET", "k1")));
            w.call("SET", "k1", "v");
            out.add(untilPong(t, PONG));
            // its own write: the invalidation follows the reply
            t.call("HSET", "h", "f", "1");
            t.call("HGET", "h", "f");
            t.send("HDEL", "h", "f");
            out.add(text(t.readReply()) + text(t.readReply()));
            // after EXEC's whole reply
            t.call("MSET", "x", "1", "y", "2");
            t.call("GET", "x");
            t.call("MULTI");
            t.call("INCR", "x");
            t.call("GET", "y");
            t.send("EXEC");
            out.add(text(t.readReply()) + text(t.readReply()));
            // a lazily expired key read in the same command: after the reply too
            t.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
            t.call("SET", "gone", "1", "PX", "20");
            t.call("GET", "gone");
            Thread.sleep(60);
            t.send("MGET", "x", "gone");
            out.add(text(t.readReply()) + text(t.readReply()));
            t.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
            out.add(untilPong(t, PONG));
            // FLUSHDB: a null for every tracking client, after EXEC's reply for its own
            t.call("GET", "x");
            t.call("MULTI");
            t.call("FLUSHDB");
            t.send("EXEC");
            out.add(text(t.readReply()) + text(t.readReply()));
            out.add(untilPong(t, PONG));

            // NOLOOP: its own writes are not reported
            t.call("CLIENT", "TRACKING", "off");
            out.add(text(t.call("CLIENT", "TRACKING", "on", "NOLOOP")));
            t.call("MGET", "n1", "n2");
            t.call("SET", "n1", "mine");
            w.call("SET", "n2", "theirs");
            out.add(untilPong(t, PONG));
            out.add(withIds(t.call("CLIENT", "TRACKINGINFO")));

            // OPTIN and OPTOUT with CLIENT CACHING, which applies to the next command only
            t.call("CLIENT", "TRACKING", "off");
            out.add(text(t.call("CLIENT", "TRACKING", "on", "OPTIN")));
            t.call("GET", "o1");
            out.add(text(t.call("CLIENT", "CACHING", "yes")));
            out.add(withIds(t.call("CLIENT", "TRACKINGINFO")));
            t.call("GET", "o2");
            t.call("GET", "o3");
            w.call("MSET", "o1", "1", "o2", "2", "o3", "3");
            out.add(untilPong(t, PONG));
            out.add(text(t.call("CLIENT", "CACHING", "no")));
            t.call("CLIENT", "TRACKING", "off");
            out.add(text(t.call("CLIENT", "TRACKING", "on", "OPTOUT")));
            out.add(text(t.call("CLIENT", "CACHING", "no")));
            t.call("GET", "p1");
            t.call("GET", "p2");
            w.call("MSET", "p1", "1", "p2", "2");
            out.add(untilPong(t, PONG));

            // BCAST: one message per prefix for what a command changed
            t.call("CLIENT", "TRACKING", "off");
            out.add(text(t.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "a:", "PREFIX", "b:")));
            out.add(text(t.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "c:")));
            w.call("MULTI");
            w.call("INCR", "a:1");
            w.call("INCR", "b:1");
            w.call("INCR", "a:2");
            w.call("INCR", "d:1");
            w.call("EXEC");
            out.add(untilPong(t, PONG));
            w.call("SET", "c:9", "1");
            out.add(untilPong(t, PONG));
            out.add(withIds(t.call("CLIENT", "TRACKINGINFO")));
            out.add(flagsOf(withIds(t.call("CLIENT", "INFO"))));
            out.add(infoFields(w));
            // expiry reaches BCAST clients, NOLOOP excludes only what the client itself wrote
            t.call("CLIENT", "TRACKING", "off");
            t.call("CLIENT", "TRACKING", "on", "BCAST", "NOLOOP");
            t.call("SET", "mine", "1", "PX", "30");
            t.call("SET", "mine2", "1");
            w.call("SET", "theirs", "1");
            out.add(untilPong(t, PONG));
            Thread.sleep(300);
            out.add(untilPong(t, PONG));
            t.call("CLIENT", "TRACKING", "off");

            // errors, as Redis words them
            out.add(text(t.call("CLIENT", "TRACKING", "on", "PREFIX", "a")));
            out.add(text(t.call("CLIENT", "TRACKING", "on", "BCAST", "OPTIN")));
            out.add(text(t.call("CLIENT", "TRACKING", "on", "OPTIN", "OPTOUT")));
            out.add(text(t.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "FOOBAR", "PREFIX", "FOO")));
            out.add(text(t.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "FOO", "PREFIX", "BAR")));
            out.add(text(t.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "FO")));
            out.add(text(t.call("CLIENT", "TRACKING", "on")));
            t.call("CLIENT", "TRACKING", "off");
            out.add(text(t.call("CLIENT", "TRACKING", "on", "OPTIN")));
            out.add(text(t.call("CLIENT", "TRACKING", "on", "OPTOUT")));
            out.add(text(t.call("CLIENT", "CACHING", "no")));
            out.add(text(t.call("CLIENT", "CACHING", "maybe")));
            t.call("CLIENT", "TRACKING", "off");
            out.add(text(t.call("CLIENT", "CACHING", "yes")));
            out.add(text(t.call("CLIENT", "TRACKING", "on", "REDIRECT", "99999")));
            out.add(text(t.call("CLIENT", "TRACKING", "on", "REDIRECT", "x")));
            out.add(text(t.call("CLIENT", "TRACKING", "on", "REDIRECT", rdId, "REDIRECT", rdId)));
            out.add(text(t.call("CLIENT", "TRACKING", "on", "REDIRECT")));
            out.add(text(t.call("CLIENT", "TRACKING", "maybe")));
            out.add(text(t.call("CLIENT", "TRACKING", "on", "NOPE")));
            out.add(text(t.call("CLIENT", "TRACKING")));
            out.add(text(t.call("CLIENT", "CACHING")));
            out.add(text(t.call("CLIENT", "GETREDIR", "x")));

            // a RESP2 client redirecting gets a null on a flush; RESP2 without redirection nothing
            t.call("HELLO", "2");
            t.call("CLIENT", "TRACKING", "on", "REDIRECT", rdId);
            t.call("GET", "f");
            w.call("FLUSHALL");
            out.add(untilPong(rd, SUBSCRIBED_PONG));
            t.call("CLIENT", "TRACKING", "off");

            // tracking-table-max-keys: over the limit, keys are forgotten (and reported) before a command runs
            t.call("CLIENT", "TRACKING", "on", "REDIRECT", rdId);
            t.call("MGET", "m1", "m2", "m3", "m4", "m5");
            out.add(infoFields(w));
            out.add(text(w.call("CONFIG", "SET", "tracking-table-max-keys", "2")));
            w.call("PING");
            TreeSet<String> forgotten = new TreeSet<>();
            for (int i = 0; i < 3; i++) {
                forgotten.add(text(rd.readReply()).replaceAll("m[1-5]", "m?"));
            }
            out.add(forgotten + " " + untilPong(rd, SUBSCRIBED_PONG));
            out.add(infoFields(w));
            w.call("CONFIG", "SET", "tracking-table-max-keys", "1000000");
            t.call("CLIENT", "TRACKING", "off");

            // the redirection goes away: a RESP3 client is told, and TRACKINGINFO shows it
            try (RawClient gone = new RawClient("127.0.0.1", port)) {
                String goneId = id(gone);
                t.call("HELLO", "3");
                t.call("CLIENT", "TRACKING", "on", "REDIRECT", goneId);
                t.call("GET", "z");
                gone.call("QUIT");
            }
            Thread.sleep(100);
            w.call("SET", "z", "1");
            out.add(untilPong(t, PONG));
            out.add(withIds(t.call("CLIENT", "TRACKINGINFO")));
            out.add(flagsOf(withIds(t.call("CLIENT", "INFO"))));
            // pushes go through CLIENT REPLY OFF
            t.call("CLIENT", "TRACKING", "off");
            t.call("CLIENT", "TRACKING", "on");
            t.call("GET", "q");
            t.send("CLIENT", "REPLY", "OFF");
            Thread.sleep(50);
            w.call("SET", "q", "1");
            out.add(text(t.readReply()));
            t.send("CLIENT", "REPLY", "ON");
            out.add(text(t.readReply()));
            out.add(text(t.call("RESET")));
            out.add(withIds(t.call("CLIENT", "TRACKINGINFO")));
            out.add(infoFields(w));
        }
        return out;
    }

    /** The tracking fields of CLIENT INFO: flags and redir. */
    private static String flagsOf(String clientInfo) {
        StringBuilder sb = new StringBuilder();
        for (String f : clientInfo.trim().split(" ")) {
            if (f.startsWith("flags=") || f.startsWith("redir=")) {
                sb.append(f).append(' ');
            }
        }
        return sb.toString();
    }

    private String infoFields(RawClient c) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String l : text(c.call("INFO")).split("\r\n")) {
            if (l.startsWith("tracking_")) {
                sb.append(l).append(' ');
            }
        }
        return sb.toString();
    }

    @Test
    void trackingAsRedisDoesIt() throws Exception {
        try (RedisServerProcess reference = RedisServerProcess.start();
             CachalotFixture c = CachalotFixture.start()) {
            List<String> expected = scenario(reference.port());
            List<String> actual = scenario(c.port());
            for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
                assertThat(actual.get(i)).as("step %d", i).isEqualTo(expected.get(i));
            }
            assertThat(actual).hasSameSizeAs(expected);
        }
    }
}
