package io.cachalot.server;

import io.cachalot.testsupport.RawClient;
import io.cachalot.testsupport.Resp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Consumer-group state for tests that compare servers or a server before and after a reload:
 * a deterministic set of groups, consumers and pending entries, and the state as XINFO STREAM
 * FULL shows it with the clock readings (seen times, delivery times, idle times) masked, since
 * two servers read their clocks a moment apart.
 */
final class StreamGroupState {
    private StreamGroupState() {
    }

    /**
     * Groups on stream {@code key}, whose first live entries must be 3-1, 4-1 and 6-1 to 13-1:
     * pending entries owned by two consumers (one claimed with a set time and count), a NOACK
     * reader, an acknowledged entry, a consumer with nothing pending and a group with none.
     */
    static void fill(RawClient x, String key) throws IOException {
        x.call("XGROUP", "CREATE", key, "readers", "0");
        x.call("XGROUP", "CREATE", key, "late", "$", "ENTRIESREAD", "7");
        x.call("XREADGROUP", "GROUP", "readers", "alice", "COUNT", "5", "STREAMS", key, ">");
        x.call("XREADGROUP", "GROUP", "readers", "bob", "COUNT", "3", "STREAMS", key, ">");
        x.call("XREADGROUP", "GROUP", "readers", "carol", "COUNT", "2", "NOACK", "STREAMS", key, ">");
        x.call("XACK", key, "readers", "3-1");
        x.call("XCLAIM", key, "readers", "bob", "0", "4-1", "6-1", "TIME", "1700000000000", "RETRYCOUNT", "3", "JUSTID");
        x.call("XGROUP", "CREATECONSUMER", key, "late", "nobody-yet");
    }

    /** XINFO STREAM key FULL COUNT 0 with its clock readings masked, as text. */
    static String state(RawClient x, String key) throws IOException {
        return masked(Resp.parse(x.call("XINFO", "STREAM", key, "FULL", "COUNT", "0"))).toString();
    }

    private static final Resp ZERO = Resp.parse(":0\r\n".getBytes(StandardCharsets.US_ASCII));

    /**
     * The reply with its clock readings as 0: the value after "idle" or "seen-time", the third
     * element of a pending row [id, consumer, time, count] (XPENDING, XINFO STREAM FULL) and the
     * second of a consumer's row [id, time, count].
     */
    static Resp masked(Resp r) {
        if (r.children == null) {
            return r;
        }
        List<Resp> c = new ArrayList<>(r.children);
        for (int i = 0; i < c.size(); i++) {
            c.set(i, masked(c.get(i)));
        }
        for (int i = 0; i + 1 < c.size(); i++) {
            Resp k = c.get(i);
            if (k.type == '$' && ("idle".equals(k.text()) || "seen-time".equals(k.text())) && c.get(i + 1).type == ':') {
                c.set(i + 1, ZERO);
            }
        }
        if (c.size() == 4 && isId(c.get(0)) && c.get(2).type == ':' && c.get(3).type == ':') {
            c.set(2, ZERO);
        } else if (c.size() == 3 && isId(c.get(0)) && c.get(1).type == ':' && c.get(2).type == ':') {
            c.set(1, ZERO);
        }
        Resp out = r;
        for (int i = 0; i < c.size(); i++) {
            out = out.withChild(i, c.get(i));
        }
        return out;
    }

    private static boolean isId(Resp r) {
        return r.type == '$' && r.text() != null && r.text().matches("\\d+-\\d+");
    }
}
