package io.cachalot.core.pubsub;

import io.cachalot.core.client.Session;
import io.cachalot.core.config.KeyspaceEventsParam;
import io.cachalot.core.keyspace.ChangeKind;
import io.cachalot.core.keyspace.ChangeListener;
import io.cachalot.core.keyspace.Database;
import io.cachalot.core.keyspace.Entry;

import java.nio.charset.StandardCharsets;

/**
 * Keyspace notifications (notify-keyspace-events): publishes {@code __keyspace@<db>__:<key>}
 * with the event's name and {@code __keyevent@<db>__:<event>} with the key. Commands name their
 * events ({@link KeyEvent}); what the engine does on its own (a key created, expired or evicted,
 * hash fields expired) comes from the change stream, so that expiry and eviction notify whatever
 * made them happen.
 *
 * <p>With notifications off, or no subscriber at all, an event costs a volatile read or two.
 */
public final class KeyspaceNotifier implements ChangeListener {
    private static final byte[] KEYSPACE = "__keyspace@".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEYEVENT = "__keyevent@".getBytes(StandardCharsets.US_ASCII);

    private final KeyspaceEventsParam config;
    private final PubSub pubsub;

    public KeyspaceNotifier(KeyspaceEventsParam config, PubSub pubsub) {
        this.config = config;
        this.pubsub = pubsub;
    }

    /** Whether an event of {@code ev}'s class would be published now. */
    public boolean enabled(KeyEvent ev) {
        return (config.flags() & ev.type) != 0;
    }

    /** Publishes {@code ev} on {@code key} of database {@code db} (no publisher of its own). */
    public void notify(KeyEvent ev, byte[] key, int db) {
        notify(ev, key, db, null, null);
    }

    /**
     * Publishes {@code ev} on {@code key} of database {@code db}; a message for {@code publisher}
     * itself goes through {@code self} into its reply stream, where Redis writes it.
     */
    public void notify(KeyEvent ev, byte[] key, int db, Session publisher, PubSub.SelfDelivery self) {
        int flags = config.flags();
        if ((flags & ev.type) == 0 || !pubsub.hasListeners()) {
            return;
        }
        byte[] dbDigits = null;
        if ((flags & KeyspaceEventsParam.KEYSPACE) != 0) {
            dbDigits = digits(db);
            pubsub.publish(channel(KEYSPACE, dbDigits, key), ev.name, false, publisher, self);
        }
        if ((flags & KeyspaceEventsParam.KEYEVENT) != 0) {
            if (dbDigits == null) {
                dbDigits = digits(db);
            }
            pubsub.publish(channel(KEYEVENT, dbDigits, ev.name), key, false, publisher, self);
        }
    }

    private static byte[] digits(int db) {
        return Integer.toString(db).getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code prefix}{@code db}__:{@code tail}. */
    private static byte[] channel(byte[] prefix, byte[] db, byte[] tail) {
        byte[] c = new byte[prefix.length + db.length + 3 + tail.length];
        System.arraycopy(prefix, 0, c, 0, prefix.length);
        int p = prefix.length;
        System.arraycopy(db, 0, c, p, db.length);
        p += db.length;
        c[p++] = '_';
        c[p++] = '_';
        c[p++] = ':';
        System.arraycopy(tail, 0, c, p, tail.length);
        return c;
    }

    // ------------------------------------------------------------------ the engine's own changes

    @Override
    public void keyChanged(Database db, Entry e, ChangeKind kind) {
        KeyEvent ev;
        switch (kind) {
            case CREATED:
                ev = KeyEvent.NEW;
                break;
            case EXPIRED:
                ev = KeyEvent.EXPIRED;
                break;
            case EVICTED:
                ev = KeyEvent.EVICTED;
                break;
            case ELEMENTS_EXPIRED:
                ev = KeyEvent.HEXPIRED;
                break;
            case EMPTIED:
                ev = KeyEvent.DEL;
                break;
            default:
                return;
        }
        // the key only when it is published: a packed entry's key is a copy
        if (enabled(ev) && pubsub.hasListeners()) {
            notify(ev, e.key(), db.index());
        }
    }
}
