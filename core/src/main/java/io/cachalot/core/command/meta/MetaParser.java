package io.cachalot.core.command.meta;

import io.cachalot.core.util.Bytes;

import java.util.ArrayList;
import java.util.List;

/** Reads RESP3 values (the subset that command metadata uses) into {@link MetaNode} trees. */
public final class MetaParser {
    private final byte[] buf;
    private int pos;

    public MetaParser(byte[] buf) {
        this.buf = buf;
    }

    public MetaNode next() {
        byte type = buf[pos++];
        String line = line();
        switch (type) {
            case '*':
                return MetaNode.array(items(Integer.parseInt(line)));
            case '~':
                return MetaNode.set(items(Integer.parseInt(line)).toArray(new MetaNode[0]));
            case '%':
                return MetaNode.map(items(2 * Integer.parseInt(line)));
            case '$': {
                int n = Integer.parseInt(line);
                byte[] b = java.util.Arrays.copyOfRange(buf, pos, pos + n);
                pos += n + 2;
                return MetaNode.bulk(b);
            }
            case '+':
                return MetaNode.status(line);
            case ':':
                return MetaNode.integer(Long.parseLong(line));
            case '_':
                return MetaNode.nil();
            default:
                throw new IllegalArgumentException("unexpected RESP type '" + (char) type + "' at " + (pos - 1));
        }
    }

    private List<MetaNode> items(int n) {
        List<MetaNode> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(next());
        }
        return out;
    }

    private String line() {
        int start = pos;
        while (buf[pos] != '\r') {
            pos++;
        }
        String s = Bytes.latin1(buf, start, pos - start);
        pos += 2;
        return s;
    }
}
