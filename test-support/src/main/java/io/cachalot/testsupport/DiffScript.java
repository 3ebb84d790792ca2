package io.cachalot.testsupport;

import io.cachalot.core.util.ArgSplitter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Curated differential cases in a plain-text format. {@code ### name} starts a case; every other
 * non-blank, non-comment line is a step: a command in redis-cli quoting, optionally prefixed by
 * directives that say how to compare its reply:
 * <ul>
 *   <li>{@code @sorted} — sort the elements of the reply (unordered by nature: KEYS, SMEMBERS);</li>
 *   <li>{@code @pairs} — sort the key/value pairs of the reply (CONFIG GET, HGETALL);</li>
 *   <li>{@code @type} — compare only the RESP type of the reply;</li>
 *   <li>{@code @approx=N} — integer replies may differ by at most N (TTL after time passes);</li>
 *   <li>{@code @scan} — a SCAN reply: cursors compared as zero/non-zero, keys sorted;</li>
 *   <li>{@code @mask=I} — element I of the reply is not compared (a client id in HELLO);</li>
 *   <li>{@code @noreply} — no reply is expected (CLIENT REPLY OFF): both must stay silent;</li>
 *   <li>{@code @closes} — the server must reply, then close the connection.</li>
 * </ul>
 * Other step forms: {@code @sleep <ms>}, {@code @raw "<bytes with \r\n escapes>"} (sent as is;
 * combine with @closes or @noreply), and {@code @reconnect} (new connections, same data).
 */
public final class DiffScript {
    /** One step of a case. */
    public static final class Step {
        public final int line;
        public final String text;
        public final List<byte[]> args;
        public final byte[] raw;
        public final boolean sorted;
        public final boolean pairs;
        public final boolean typeOnly;
        public final boolean scan;
        public final boolean noReply;
        public final boolean closes;
        public final long approx;
        public final long sleepMillis;
        public final boolean reconnect;
        public int mask = -1;

        Step(int line, String text, List<byte[]> args, byte[] raw, boolean sorted, boolean pairs, boolean typeOnly,
             boolean scan, boolean noReply, boolean closes, long approx, long sleepMillis, boolean reconnect) {
            this.line = line;
            this.text = text;
            this.args = args;
            this.raw = raw;
            this.sorted = sorted;
            this.pairs = pairs;
            this.typeOnly = typeOnly;
            this.scan = scan;
            this.noReply = noReply;
            this.closes = closes;
            this.approx = approx;
            this.sleepMillis = sleepMillis;
            this.reconnect = reconnect;
        }
    }

    /** A named sequence of steps run on fresh connections after FLUSHALL. */
    public static final class Case {
        public final String source;
        public final String name;
        public final int line;
        public final List<Step> steps = new ArrayList<>();

        Case(String source, String name, int line) {
            this.source = source;
            this.name = name;
            this.line = line;
        }

        @Override
        public String toString() {
            return source + ": " + name;
        }
    }

    private DiffScript() {
    }

    public static List<Case> parse(String source, InputStream in) throws IOException {
        List<Case> cases = new ArrayList<>();
        Case cur = null;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String l;
        int n = 0;
        while ((l = r.readLine()) != null) {
            n++;
            String t = l.trim();
            if (t.startsWith("###")) {
                cur = new Case(source, t.substring(3).trim(), n);
                cases.add(cur);
                continue;
            }
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            if (cur == null) {
                throw new IOException(source + ":" + n + ": step before the first ### case");
            }
            cur.steps.add(step(source, n, t));
        }
        return cases;
    }

    private static Step step(String source, int n, String t) throws IOException {
        List<byte[]> words = ArgSplitter.split(t.getBytes(StandardCharsets.UTF_8));
        if (words == null || words.isEmpty()) {
            throw new IOException(source + ":" + n + ": unbalanced quotes");
        }
        boolean sorted = false;
        boolean pairs = false;
        boolean typeOnly = false;
        boolean scan = false;
        boolean noReply = false;
        boolean closes = false;
        long approx = -1;
        int mask = -1;
        int i = 0;
        while (i < words.size()) {
            String w = new String(words.get(i), StandardCharsets.UTF_8);
            if (!w.startsWith("@")) {
                break;
            }
            i++;
            if (w.equals("@sorted")) {
                sorted = true;
            } else if (w.equals("@pairs")) {
                pairs = true;
            } else if (w.equals("@type")) {
                typeOnly = true;
            } else if (w.equals("@scan")) {
                scan = true;
            } else if (w.equals("@noreply")) {
                noReply = true;
            } else if (w.equals("@closes")) {
                closes = true;
            } else if (w.startsWith("@mask=")) {
                mask = Integer.parseInt(w.substring(6));
            } else if (w.startsWith("@approx=")) {
                approx = Long.parseLong(w.substring(8));
            } else if (w.equals("@sleep")) {
                long ms = Long.parseLong(new String(words.get(i), StandardCharsets.UTF_8));
                return new Step(n, t, null, null, false, false, false, false, false, false, -1, ms, false);
            } else if (w.equals("@reconnect")) {
                return new Step(n, t, null, null, false, false, false, false, false, false, -1, 0, true);
            } else if (w.equals("@raw")) {
                byte[] raw = words.get(i);
                return new Step(n, t, null, raw, sorted, pairs, typeOnly, scan, noReply, closes, approx, 0, false);
            } else {
                throw new IOException(source + ":" + n + ": unknown directive " + w);
            }
        }
        List<byte[]> args = new ArrayList<>(words.subList(i, words.size()));
        if (args.isEmpty()) {
            throw new IOException(source + ":" + n + ": no command");
        }
        Step st = new Step(n, t, args, null, sorted, pairs, typeOnly, scan, noReply, closes, approx, 0, false);
        st.mask = mask;
        return st;
    }
}
