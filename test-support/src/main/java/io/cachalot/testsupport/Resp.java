package io.cachalot.testsupport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** A parsed RESP value (RESP2 or RESP3), for normalising replies before comparing them. */
public final class Resp {
    public final char type;
    /** The line after the type byte, or the payload of a bulk/verbatim string. */
    public final byte[] data;
    public final List<Resp> children;

    private Resp(char type, byte[] data, List<Resp> children) {
        this.type = type;
        this.data = data;
        this.children = children;
    }

    public static Resp parse(byte[] raw) {
        int[] pos = {0};
        Resp r = parse(raw, pos);
        if (pos[0] != raw.length) {
            throw new IllegalArgumentException("trailing bytes after reply: " + RawClient.show(raw));
        }
        return r;
    }

    private static String line(byte[] raw, int[] pos) {
        int start = pos[0];
        while (raw[pos[0]] != '\r') {
            pos[0]++;
        }
        String s = new String(raw, start, pos[0] - start, StandardCharsets.ISO_8859_1);
        pos[0] += 2;
        return s;
    }

    private static Resp parse(byte[] raw, int[] pos) {
        char t = (char) raw[pos[0]++];
        String l = line(raw, pos);
        switch (t) {
            case '*':
            case '~':
            case '>':
            case '%':
            case '|': {
                int n = Integer.parseInt(l);
                if (n < 0) {
                    return new Resp(t, l.getBytes(StandardCharsets.ISO_8859_1), null);
                }
                int count = (t == '%' || t == '|') ? 2 * n : n;
                List<Resp> c = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    c.add(parse(raw, pos));
                }
                return new Resp(t, null, c);
            }
            case '$':
            case '=':
            case '!': {
                int n = Integer.parseInt(l);
                if (n < 0) {
                    return new Resp(t, null, null);
                }
                byte[] d = Arrays.copyOfRange(raw, pos[0], pos[0] + n);
                pos[0] += n + 2;
                return new Resp(t, d, null);
            }
            default:
                return new Resp(t, l.getBytes(StandardCharsets.ISO_8859_1), null);
        }
    }

    public String text() {
        return data == null ? null : new String(data, StandardCharsets.ISO_8859_1);
    }

    public byte[] encode() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        encode(o);
        return o.toByteArray();
    }

    private void encode(ByteArrayOutputStream o) {
        o.write(type);
        if (children != null) {
            int n = (type == '%' || type == '|') ? children.size() / 2 : children.size();
            o.writeBytes((n + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (Resp c : children) {
                c.encode(o);
            }
        } else if (type == '$' || type == '=' || type == '!') {
            if (data == null) {
                o.writeBytes("-1\r\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                o.writeBytes((data.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                o.writeBytes(data);
                o.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        } else {
            o.writeBytes(data);
            o.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static final Comparator<byte[]> BYTES = Arrays::compareUnsigned;

    /** The same value with the elements of this aggregate sorted (by their encoding). */
    public Resp sorted() {
        if (children == null) {
            return this;
        }
        List<Resp> c = new ArrayList<>(children);
        c.sort((a, b) -> BYTES.compare(a.encode(), b.encode()));
        return new Resp(type, data, c);
    }

    /** The same value with consecutive pairs (map entries, or field/value arrays) sorted. */
    public Resp sortedPairs() {
        if (children == null) {
            return this;
        }
        List<Resp[]> pairs = new ArrayList<>();
        for (int i = 0; i + 1 < children.size(); i += 2) {
            pairs.add(new Resp[] {children.get(i), children.get(i + 1)});
        }
        pairs.sort((a, b) -> BYTES.compare(a[0].encode(), b[0].encode()));
        List<Resp> c = new ArrayList<>();
        for (Resp[] p : pairs) {
            c.add(p[0]);
            c.add(p[1]);
        }
        return new Resp(type, data, c);
    }

    /** Replaces element {@code i} of an aggregate. */
    public Resp withChild(int i, Resp v) {
        List<Resp> c = new ArrayList<>(children);
        c.set(i, v);
        return new Resp(type, data, c);
    }

    public static Resp bulk(String s) {
        return new Resp('$', s.getBytes(StandardCharsets.ISO_8859_1), null);
    }

    @Override
    public String toString() {
        return RawClient.show(encode());
    }
}
