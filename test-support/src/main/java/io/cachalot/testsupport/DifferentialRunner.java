package io.cachalot.testsupport;

import java.io.IOException;
import java.util.Arrays;

/**
 * Runs the same steps against a reference server and a candidate and compares the replies, byte
 * for byte after the normalisation the step asks for. The first difference fails the case with
 * both replies shown.
 */
public final class DifferentialRunner {
    private final int refPort;
    private final int candPort;

    private final String password;

    public DifferentialRunner(int refPort, int candPort) {
        this(refPort, candPort, null);
    }

    /** A runner for servers protected by {@code password}: the set-up FLUSHALL authenticates first. */
    public DifferentialRunner(int refPort, int candPort, String password) {
        this.refPort = refPort;
        this.candPort = candPort;
        this.password = password;
    }

    private void flush(int port) throws IOException {
        try (RawClient c = new RawClient("127.0.0.1", port)) {
            if (password != null) {
                c.call("AUTH", password);
            }
            c.call("FLUSHALL");
        }
    }

    /** Runs one case on fresh connections, after FLUSHALL on both servers. */
    public void run(DiffScript.Case c) throws IOException, InterruptedException {
        flush(refPort);
        flush(candPort);
        RawClient ref = new RawClient("127.0.0.1", refPort);
        RawClient cand = new RawClient("127.0.0.1", candPort);
        try {
            for (DiffScript.Step s : c.steps) {
                if (s.sleepMillis > 0) {
                    Thread.sleep(s.sleepMillis);
                    continue;
                }
                if (s.reconnect) {
                    ref.close();
                    cand.close();
                    ref = new RawClient("127.0.0.1", refPort);
                    cand = new RawClient("127.0.0.1", candPort);
                    continue;
                }
                step(c, s, ref, cand);
            }
        } finally {
            ref.close();
            cand.close();
        }
    }

    private void step(DiffScript.Case c, DiffScript.Step s, RawClient ref, RawClient cand) throws IOException {
        byte[] req = s.raw != null ? s.raw : RawClient.encode(s.args);
        ref.sendRaw(req);
        cand.sendRaw(req);
        String where = c.source + ":" + s.line + " [" + c.name + "] " + s.text;
        if (s.noReply) {
            boolean refQuiet = ref.quietFor(150);
            boolean candQuiet = cand.quietFor(150);
            if (refQuiet != candQuiet) {
                throw new AssertionError(where + "\n  reference silent: " + refQuiet + ", cachalot silent: " + candQuiet);
            }
            return;
        }
        byte[] a;
        try {
            a = ref.readReply();
        } catch (IOException e) {
            throw new AssertionError(where + "\n  reference: <" + e + ">");
        }
        byte[] b;
        try {
            b = cand.readReply();
        } catch (IOException e) {
            throw new AssertionError(where + "\n  reference: " + RawClient.show(a) + "\n  cachalot:  <" + e + ">");
        }
        if (s.closes) {
            boolean refClosed = ref.isClosedByServer(1000);
            boolean candClosed = cand.isClosedByServer(1000);
            if (refClosed != candClosed) {
                throw new AssertionError(where + "\n  reference closed: " + refClosed + ", cachalot closed: "
                        + candClosed);
            }
        }
        if (s.approx >= 0 && a.length > 0 && a[0] == ':' && b.length > 0 && b[0] == ':') {
            long x = Long.parseLong(Resp.parse(a).text());
            long y = Long.parseLong(Resp.parse(b).text());
            if (Math.abs(x - y) > s.approx) {
                throw new AssertionError(where + "\n  reference: " + x + "\n  cachalot:  " + y + " (tolerance "
                        + s.approx + ")");
            }
            return;
        }
        byte[] na = normalise(s, a);
        byte[] nb = normalise(s, b);
        if (!Arrays.equals(na, nb)) {
            throw new AssertionError(where + "\n  reference: " + RawClient.show(a) + "\n  cachalot:  "
                    + RawClient.show(b));
        }
    }

    static byte[] normalise(DiffScript.Step s, byte[] raw) {
        if (s.typeOnly) {
            return new byte[] {raw[0]};
        }
        Resp r = Resp.parse(raw);
        if (s.mask >= 0 && r.children != null && s.mask < r.children.size()) {
            r = r.withChild(s.mask, Resp.bulk("<masked>"));
        }
        if (s.scan && r.children != null && r.children.size() == 2) {
            String cursor = r.children.get(0).text();
            r = r.withChild(0, Resp.bulk("0".equals(cursor) ? "0" : "<cursor>"));
            r = r.withChild(1, r.children.get(1).sorted());
        }
        if (s.sorted) {
            r = r.sorted();
        }
        if (s.pairs) {
            r = r.sortedPairs();
        }
        return r.encode();
    }
}
