package io.cachalot.core.tracking;

import io.cachalot.core.client.ClientConnection;
import io.cachalot.core.client.ClientRegistry;
import io.cachalot.core.client.Session;
import io.cachalot.core.config.ConfigParam;
import io.cachalot.core.keyspace.ChangeKind;
import io.cachalot.core.keyspace.ChangeListener;
import io.cachalot.core.keyspace.Database;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.pubsub.PubSub;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Client-side caching (CLIENT TRACKING), as Redis 7.0's tracking.c behaves. In the default mode
 * a table maps each key a tracking client read to the ids of those clients; a change of the key
 * (any change the keyspace's change stream reports: commands, expiry, eviction) removes the
 * key's row and sends each client one invalidation, a RESP3 push or, redirected to a RESP2
 * subscriber, a message on {@code __redis__:invalidate}. In BCAST mode clients name key
 * prefixes instead; changed keys matching a prefix are gathered and sent as one message per
 * prefix when the command (or the engine's periodic task) ends. A flush sends a null.
 *
 * <p>Costs: with no tracking client a change costs one volatile read; with tracking clients, a
 * change of a key nobody read costs one hash look-up. An invalidation for the client running the
 * command that caused it is held until that command replied (so a reply is never cut by it).
 */
public final class Tracking implements ChangeListener {
    private static final byte[] INVALIDATE_HEADER = ascii(">2\r\n$10\r\ninvalidate\r\n");
    private static final byte[] MESSAGE_HEADER = ascii("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n");
    private static final byte[] NULL_RESP2 = ascii("$-1\r\n");
    private static final byte[] NULL_RESP3 = ascii("_\r\n");
    /** Marks "every key" (a flush) among a client's held invalidations. */
    private static final byte[] FLUSH_MARK = new byte[0];

    private final ClientRegistry clients;
    private final PubSub pubsub;
    private final ConfigParam.Int maxKeys;

    private final AtomicInteger trackingClients = new AtomicInteger();
    /** Key (of any database, as in Redis) to the ids of the clients that may cache it. */
    private final ConcurrentHashMap<ByteBuffer, IdSet> table = new ConcurrentHashMap<>();
    private final AtomicLong totalItems = new AtomicLong();
    private int limitRounds;

    /** BCAST state, under its own lock: prefix to its clients and the keys changed since the last send. */
    private final TreeMap<byte[], Prefix> prefixes = new TreeMap<>(Arrays::compareUnsigned);
    private final Map<Session, TreeSet<byte[]>> prefixesByClient = new HashMap<>();
    private volatile boolean bcastClients;
    private volatile boolean bcastPending;

    /** Who runs a command on this thread, and whether its handler is running (Redis' current_client, in call). */
    private final ThreadLocal<Running> running = ThreadLocal.withInitial(Running::new);

    private static final class Running {
        Session current;
        boolean inCall;
        /** A script run for the current client called a read-only command. */
        boolean scriptRead;
        /** This thread calls {@link #broadcast} itself once per batch of commands (an event loop's turn). */
        boolean broadcastLater;
    }

    private static final class Prefix {
        final Set<Session> clients = new LinkedHashSet<>();
        /** Changed keys, each with the client that changed it last (null: the engine), for NOLOOP. */
        TreeMap<byte[], Session> keys = new TreeMap<>(Arrays::compareUnsigned);
    }

    public Tracking(ClientRegistry clients, PubSub pubsub, ConfigParam.Int maxKeys) {
        this.clients = clients;
        this.pubsub = pubsub;
        this.maxKeys = maxKeys;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether any client tracks: everything else is skipped while none does. */
    public boolean active() {
        return trackingClients.get() > 0;
    }

    // ------------------------------------------------------------------ CLIENT TRACKING

    /**
     * Checks BCAST prefixes as Redis' checkPrefixCollisionsOrReply: none may be a prefix of
     * another, given now or already the client's. Returns the error, or null.
     */
    public String prefixCollision(Session s, List<byte[]> given) {
        synchronized (prefixes) {
            TreeSet<byte[]> mine = prefixesByClient.get(s);
            for (int i = 0; i < given.size(); i++) {
                byte[] p = given.get(i);
                if (mine != null) {
                    for (byte[] q : mine) {
                        if (overlap(p, q)) {
                            return "ERR Prefix '" + text(p) + "' overlaps with an existing prefix '" + text(q)
                                    + "'. Prefixes for a single client must not overlap.";
                        }
                    }
                }
                for (int j = i + 1; j < given.size(); j++) {
                    if (overlap(p, given.get(j))) {
                        return "ERR Prefix '" + text(p) + "' overlaps with another provided prefix '"
                                + text(given.get(j)) + "'. Prefixes for a single client must not overlap.";
                    }
                }
            }
        }
        return null;
    }

    private static boolean overlap(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        return Arrays.equals(a, 0, n, b, 0, n);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /**
     * CLIENT TRACKING ON with checked options ({@code options}: BCAST, OPTIN, OPTOUT, NOLOOP bits),
     * as Redis' enableTracking: the mode bits are replaced, prefixes are added to the ones held.
     */
    public void enable(Session s, long redirect, int options, List<byte[]> newPrefixes) {
        int flags = s.trackingFlags();
        if ((flags & Session.TRACKING_ON) == 0) {
            trackingClients.incrementAndGet();
        }
        int keep = flags & Session.TRACKING_CACHING;
        s.setTrackingRedirect(redirect);
        s.setTrackingFlags(Session.TRACKING_ON | keep | (options & (Session.TRACKING_BCAST | Session.TRACKING_OPTIN
                | Session.TRACKING_OPTOUT | Session.TRACKING_NOLOOP)));
        if ((options & Session.TRACKING_BCAST) != 0) {
            synchronized (prefixes) {
                if (newPrefixes.isEmpty()) {
                    addPrefix(s, new byte[0]);
                }
                for (byte[] p : newPrefixes) {
                    addPrefix(s, p);
                }
                bcastClients = true;
            }
        }
    }

    private void addPrefix(Session s, byte[] p) {
        Prefix px = prefixes.computeIfAbsent(p.clone(), k -> new Prefix());
        if (px.clients.add(s)) {
            prefixesByClient.computeIfAbsent(s, k -> new TreeSet<>(Arrays::compareUnsigned)).add(p.clone());
        }
    }

    /**
     * CLIENT TRACKING OFF, RESET, or the client went away. Its ids stay in the table and are
     * dropped when their keys change (Redis removes them lazily too).
     */
    public void disable(Session s) {
        int flags = s.trackingFlags();
        if ((flags & Session.TRACKING_BCAST) != 0) {
            synchronized (prefixes) {
                TreeSet<byte[]> mine = prefixesByClient.remove(s);
                if (mine != null) {
                    for (byte[] p : mine) {
                        Prefix px = prefixes.get(p);
                        if (px != null) {
                            px.clients.remove(s);
                            if (px.clients.isEmpty()) {
                                prefixes.remove(p);
                            }
                        }
                    }
                }
                bcastClients = !prefixes.isEmpty();
            }
        }
        if ((flags & Session.TRACKING_ON) != 0) {
            trackingClients.decrementAndGet();
            s.setTrackingFlags(0);
        }
    }

    /** The BCAST prefixes of a client, in byte order (CLIENT TRACKINGINFO). */
    public List<byte[]> prefixesOf(Session s) {
        synchronized (prefixes) {
            TreeSet<byte[]> mine = prefixesByClient.get(s);
            return mine == null ? List.of() : new ArrayList<>(mine);
        }
    }

    /**
     * After a read-only command: whether its keys are to be remembered for the client, as
     * Redis' trackingRememberKeys decides (tracking on, not BCAST; OPTIN needs CACHING yes,
     * OPTOUT skips with CACHING no).
     */
    public static boolean remembers(Session s) {
        int f = s.trackingFlags();
        if ((f & Session.TRACKING_ON) == 0 || (f & Session.TRACKING_BCAST) != 0) {
            return false;
        }
        boolean caching = (f & Session.TRACKING_CACHING) != 0;
        return !((f & Session.TRACKING_OPTIN) != 0 && !caching || (f & Session.TRACKING_OPTOUT) != 0 && caching);
    }

    /** Remembers that the client may cache {@code key}. */
    public void remember(Session s, byte[] key) {
        long id = s.id();
        table.compute(ByteBuffer.wrap(key), (k, ids) -> {
            if (ids == null) {
                ids = new IdSet();
            }
            if (ids.add(id)) {
                totalItems.incrementAndGet();
            }
            return ids;
        });
    }

    /**
     * A script called a read-only command: the keys its caller declared are remembered for the
     * caller (Redis tracks a script's declared keys once it reads, whatever it reads).
     */
    public void scriptRead() {
        Running r = running.get();
        if (r.current != null) {
            r.scriptRead = true;
        }
    }

    /** Whether a script run for the running client read since the last call; clears the mark. */
    public boolean takeScriptRead() {
        Running r = running.get();
        boolean read = r.scriptRead;
        r.scriptRead = false;
        return read;
    }

    // ------------------------------------------------------------------ the running command

    /** A command of {@code s} starts on this thread (before its eviction check). */
    public void enter(Session s) {
        Running r = running.get();
        r.current = s;
        r.inCall = false;
        r.scriptRead = false;
    }

    /** The handler runs: invalidations for the running client are held until it replied. */
    public void inCall(boolean in) {
        running.get().inCall = in;
    }

    /**
     * A blocked client's command is served on this thread on its behalf: it is the running
     * client until {@link #restore}; what it holds is sent once its reply is written.
     */
    public Session serveFor(Session s) {
        Running r = running.get();
        Session before = r.current;
        r.current = s;
        r.inCall = true;
        return before;
    }

    /** Ends {@link #serveFor}. */
    public void restore(Session before) {
        Running r = running.get();
        r.current = before;
        r.inCall = before != null;
    }

    /**
     * The command of {@code s} ended on this thread and replied (unless {@code parked}: then its
     * held invalidations wait for {@link #sendHeld}). Sends what BCAST gathered.
     */
    public void exit(Session s, boolean parked) {
        Running r = running.get();
        r.current = null;
        r.inCall = false;
        if (!parked && s.hasTrackingDeferred()) {
            sendHeld(s);
        }
        if (bcastPending && !r.broadcastLater) {
            broadcast();
        }
    }

    /**
     * Commands ending on this thread leave BCAST to the thread's own {@link #broadcast} call at
     * the end of its batch (a network event loop's turn, Redis' beforeSleep), so that one push
     * per prefix carries the keys of every command in the batch. Other threads (embedded callers,
     * the script thread) broadcast after each command.
     */
    public void broadcastLaterOnThisThread() {
        running.get().broadcastLater = true;
    }

    /** Sends the invalidations held for {@code s} until its reply was written (Redis' afterCommand). */
    public void sendHeld(Session s) {
        if (!s.hasTrackingDeferred()) {
            return;
        }
        // sending adds nothing to the list: walk it, then empty it
        ArrayList<byte[]> held = s.trackingDeferred();
        for (byte[] k : held) {
            if (k == FLUSH_MARK) {
                send(s, nullOf(s), true);
            } else {
                send(s, k, false);
            }
        }
        held.clear();
    }

    /** After a command: CLIENT CACHING applies to the one command (or transaction) after it. */
    public static void commandDone(Session s, boolean wasClientCommand, boolean inMulti) {
        int f = s.trackingFlags();
        if ((f & Session.TRACKING_CACHING) != 0 && !wasClientCommand && !inMulti) {
            s.setTrackingFlags(f & ~Session.TRACKING_CACHING);
        }
    }

    // ------------------------------------------------------------------ invalidation

    @Override
    public void keyChanged(Database db, Entry e, ChangeKind kind) {
        if (trackingClients.get() == 0) {
            return;
        }
        byte[] key = e.key();
        Running r = running.get();
        if (bcastClients) {
            rememberToBroadcast(key, kind.byEngine() ? null : r.current);
        }
        invalidate(key, r);
    }

    private void invalidate(byte[] key, Running r) {
        IdSet ids = table.remove(ByteBuffer.wrap(key));
        if (ids == null) {
            return;
        }
        totalItems.addAndGet(-ids.size);
        for (int i = 0; i < ids.size; i++) {
            Session target = clients.get(ids.ids[i]);
            if (target == null) {
                continue;
            }
            int f = target.trackingFlags();
            if ((f & Session.TRACKING_ON) == 0 || (f & Session.TRACKING_BCAST) != 0) {
                continue;
            }
            if (target == r.current) {
                if ((f & Session.TRACKING_NOLOOP) != 0) {
                    continue;
                }
                if (r.inCall) {
                    target.trackingDeferred().add(key);
                    continue;
                }
            }
            send(target, key, false);
        }
    }

    private void rememberToBroadcast(byte[] key, Session writer) {
        synchronized (prefixes) {
            for (Map.Entry<byte[], Prefix> p : prefixes.entrySet()) {
                byte[] prefix = p.getKey();
                if (prefix.length > key.length || !Arrays.equals(prefix, 0, prefix.length, key, 0, prefix.length)) {
                    continue;
                }
                p.getValue().keys.put(key, writer);
                bcastPending = true;
            }
        }
    }

    /** Sends each BCAST prefix's changed keys to its clients (Redis does it before sleeping). */
    public void broadcast() {
        // every event loop calls this once per turn: without BCAST changes, one volatile read
        if (!bcastPending) {
            return;
        }
        List<Object[]> out = new ArrayList<>();
        synchronized (prefixes) {
            if (!bcastPending) {
                return;
            }
            bcastPending = false;
            for (Prefix px : prefixes.values()) {
                if (px.keys.isEmpty()) {
                    continue;
                }
                byte[] all = null;
                for (Session c : px.clients) {
                    byte[] proto;
                    if ((c.trackingFlags() & Session.TRACKING_NOLOOP) != 0) {
                        proto = keysArray(px.keys, c);
                    } else {
                        if (all == null) {
                            all = keysArray(px.keys, null);
                        }
                        proto = all;
                    }
                    if (proto != null) {
                        out.add(new Object[] {c, proto});
                    }
                }
                px.keys = new TreeMap<>(Arrays::compareUnsigned);
            }
        }
        for (Object[] m : out) {
            send((Session) m[0], (byte[]) m[1], true);
        }
    }

    /** The keys as a RESP array, without those {@code except} changed last; null when none is left. */
    private static byte[] keysArray(TreeMap<byte[], Session> keys, Session except) {
        int n = 0;
        for (Session w : keys.values()) {
            if (except == null || w != except) {
                n++;
            }
        }
        if (n == 0) {
            return null;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream(16 + n * 16);
        header(b, '*', n);
        for (Map.Entry<byte[], Session> k : keys.entrySet()) {
            if (except != null && k.getValue() == except) {
                continue;
            }
            header(b, '$', k.getKey().length);
            b.write(k.getKey(), 0, k.getKey().length);
            b.write('\r');
            b.write('\n');
        }
        return b.toByteArray();
    }

    private static void header(ByteArrayOutputStream b, char type, long n) {
        b.write(type);
        byte[] d = Long.toString(n).getBytes(StandardCharsets.US_ASCII);
        b.write(d, 0, d.length);
        b.write('\r');
        b.write('\n');
    }

    @Override
    public void flushEnded(Database db) {
        if (trackingClients.get() > 0) {
            Running r = running.get();
            for (Session c : clients.list()) {
                if ((c.trackingFlags() & Session.TRACKING_ON) == 0) {
                    continue;
                }
                if (c == r.current && r.inCall) {
                    c.trackingDeferred().add(FLUSH_MARK);
                } else {
                    send(c, nullOf(c), true);
                }
            }
        }
        // FLUSHDB and FLUSHALL alike forget every key (Redis' table has no databases)
        table.clear();
        totalItems.set(0);
    }

    private static byte[] nullOf(Session s) {
        return s.protocol() == 3 ? NULL_RESP3 : NULL_RESP2;
    }

    /**
     * One invalidation for a tracking client (Redis' sendTrackingMessage): to the client it
     * redirects to, a push in RESP3 or a {@code __redis__:invalidate} message to a RESP2 subscriber;
     * a RESP2 client without redirection gets nothing. {@code proto} says {@code value} is already
     * RESP (an array of keys, or a null), else it is one key.
     */
    private void send(Session c, byte[] value, boolean proto) {
        long redirect = c.trackingRedirect();
        Session to = c;
        boolean redirected = false;
        if (redirect != 0) {
            to = clients.get(redirect);
            if (to == null) {
                c.setTrackingFlags(c.trackingFlags() | Session.TRACKING_BROKEN_REDIR);
                if (c.protocol() == 3) {
                    ByteArrayOutputStream b = new ByteArrayOutputStream(48);
                    b.writeBytes(ascii(">2\r\n$21\r\ntracking-redir-broken\r\n"));
                    header(b, ':', redirect);
                    write(c, b.toByteArray());
                }
                return;
            }
            redirected = true;
        }
        byte[] head;
        if (to.protocol() == 3) {
            head = INVALIDATE_HEADER;
        } else if (redirected && pubsub.isSubscribed(to)) {
            head = MESSAGE_HEADER;
        } else {
            return;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream(head.length + value.length + 24);
        b.writeBytes(head);
        if (proto) {
            b.writeBytes(value);
        } else {
            header(b, '*', 1);
            header(b, '$', value.length);
            b.writeBytes(value);
            b.write('\r');
            b.write('\n');
        }
        write(to, b.toByteArray());
    }

    private static void write(Session to, byte[] bytes) {
        ClientConnection conn = to.connection();
        if (conn != null) {
            conn.sendAsync(bytes);
        }
    }

    // ------------------------------------------------------------------ tracking-table-max-keys

    /**
     * Keeps the table within tracking-table-max-keys, as Redis' trackingLimitUsedSlots: forgets
     * keys (telling their clients, as if the keys had changed), with an effort that grows while
     * the table stays over the limit.
     */
    public void limitUsedSlots() {
        long max = maxKeys.value();
        if (max == 0 || trackingClients.get() == 0 || table.size() <= max) {
            return;
        }
        synchronized (this) {
            limitUsedSlots(max);
        }
    }

    private void limitUsedSlots(long max) {
        if (table.size() <= max) {
            limitRounds = 0;
            return;
        }
        int effort = 100 * (limitRounds + 1);
        Running r = running.get();
        boolean wasInCall = r.inCall;
        r.inCall = false; // as Redis, before the command runs: sent at once
        try {
            Iterator<ByteBuffer> it = table.keySet().iterator();
            while (effort-- > 0 && it.hasNext()) {
                ByteBuffer k = it.next();
                invalidate(Arrays.copyOfRange(k.array(), k.arrayOffset(), k.arrayOffset() + k.remaining()), r);
                if (table.size() <= max) {
                    limitRounds = 0;
                    return;
                }
            }
        } finally {
            r.inCall = wasInCall;
        }
        limitRounds++;
    }

    // ------------------------------------------------------------------ INFO

    /** INFO clients tracking_clients. */
    public int clientCount() {
        return trackingClients.get();
    }

    /** INFO stats tracking_total_keys: keys in the table. */
    public long totalKeys() {
        return table.size();
    }

    /** INFO stats tracking_total_items: client ids across the table. */
    public long totalItems() {
        return totalItems.get();
    }

    /** INFO stats tracking_total_prefixes. */
    public int totalPrefixes() {
        synchronized (prefixes) {
            return prefixes.size();
        }
    }

    /** A small set of client ids; changed only inside the table's compute, read after its removal. */
    private static final class IdSet {
        long[] ids = new long[2];
        int size;

        boolean add(long id) {
            for (int i = 0; i < size; i++) {
                if (ids[i] == id) {
                    return false;
                }
            }
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
            }
            ids[size++] = id;
            return true;
        }
    }
}
