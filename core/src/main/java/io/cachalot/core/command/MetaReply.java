package io.cachalot.core.command;

import io.cachalot.core.command.meta.MetaNode;
import io.cachalot.core.util.Bytes;

/** Writes command metadata (COMMAND INFO and DOCS entries) to a reply, as RESP2 or RESP3 renders it. */
public final class MetaReply {
    private MetaReply() {
    }

    public static void write(MetaNode n, Reply r) {
        switch (n.kind()) {
            case ARRAY:
                r.array(n.size());
                break;
            case SET:
                r.set(n.size());
                break;
            case MAP:
                r.map(n.size() / 2);
                break;
            case BULK:
                r.bulk(n.bytes());
                return;
            case STATUS:
                r.status(Bytes.latin1(n.bytes()));
                return;
            case INTEGER:
                r.integer(n.integer());
                return;
            default:
                r.nullBulk();
                return;
        }
        for (int i = 0; i < n.size(); i++) {
            write(n.child(i), r);
        }
    }
}
