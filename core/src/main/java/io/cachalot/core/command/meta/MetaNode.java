package io.cachalot.core.command.meta;

import io.cachalot.core.util.Bytes;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable RESP3 value tree: the command metadata (COMMAND INFO / COMMAND DOCS) is kept in
 * this form and written to clients through a the command layer's reply sink, which renders it for RESP2 or RESP3.
 */
public final class MetaNode {
    public enum Kind { ARRAY, MAP, SET, BULK, STATUS, INTEGER, NULL }

    private final Kind kind;
    private final byte[] text;
    private final long integer;
    private final MetaNode[] children;

    private MetaNode(Kind kind, byte[] text, long integer, MetaNode[] children) {
        this.kind = kind;
        this.text = text;
        this.integer = integer;
        this.children = children;
    }

    public static MetaNode bulk(String s) {
        return new MetaNode(Kind.BULK, Bytes.utf8(s), 0, null);
    }

    public static MetaNode bulk(byte[] b) {
        return new MetaNode(Kind.BULK, b, 0, null);
    }

    public static MetaNode status(String s) {
        return new MetaNode(Kind.STATUS, Bytes.utf8(s), 0, null);
    }

    public static MetaNode integer(long v) {
        return new MetaNode(Kind.INTEGER, null, v, null);
    }

    public static MetaNode nil() {
        return new MetaNode(Kind.NULL, null, 0, null);
    }

    public static MetaNode array(MetaNode... items) {
        return new MetaNode(Kind.ARRAY, null, 0, items);
    }

    public static MetaNode array(List<MetaNode> items) {
        return array(items.toArray(new MetaNode[0]));
    }

    public static MetaNode set(MetaNode... items) {
        return new MetaNode(Kind.SET, null, 0, items);
    }

    /** A set of status strings, the form COMMAND INFO uses for flags and categories. */
    public static MetaNode statusSet(String... items) {
        MetaNode[] n = new MetaNode[items.length];
        for (int i = 0; i < items.length; i++) {
            n[i] = status(items[i]);
        }
        return set(n);
    }

    /** A map from alternating keys and values. */
    public static MetaNode map(MetaNode... keysAndValues) {
        if ((keysAndValues.length & 1) != 0) {
            throw new IllegalArgumentException("odd number of map elements");
        }
        return new MetaNode(Kind.MAP, null, 0, keysAndValues);
    }

    public static MetaNode map(List<MetaNode> keysAndValues) {
        return map(keysAndValues.toArray(new MetaNode[0]));
    }

    public Kind kind() {
        return kind;
    }

    public long integer() {
        return integer;
    }

    public String text() {
        return text == null ? null : Bytes.latin1(text);
    }

    /** The bytes of a bulk or status string, as written to a reply. */
    public byte[] bytes() {
        return text;
    }

    /** Elements of an array or set; for a map, keys and values alternate. */
    public int size() {
        return children == null ? 0 : children.length;
    }

    public MetaNode child(int i) {
        return children[i];
    }

    /** The value of a map entry whose key is {@code key}, or null. */
    public MetaNode get(String key) {
        if (kind != Kind.MAP) {
            return null;
        }
        for (int i = 0; i < children.length; i += 2) {
            if (key.equals(children[i].text())) {
                return children[i + 1];
            }
        }
        return null;
    }

    /** This map with the value of {@code key} replaced (or the entry removed when null). */
    public MetaNode with(String key, MetaNode value) {
        List<MetaNode> out = new ArrayList<>();
        for (int i = 0; i < children.length; i += 2) {
            if (key.equals(children[i].text())) {
                if (value != null) {
                    out.add(children[i]);
                    out.add(value);
                }
            } else {
                out.add(children[i]);
                out.add(children[i + 1]);
            }
        }
        return map(out);
    }

    /** This array with element {@code i} replaced. */
    public MetaNode withChild(int i, MetaNode value) {
        MetaNode[] c = children.clone();
        c[i] = value;
        return new MetaNode(kind, null, 0, c);
    }
}
