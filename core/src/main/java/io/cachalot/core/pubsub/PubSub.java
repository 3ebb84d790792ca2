package io.cachalot.core.pubsub;

import io.cachalot.core.client.ClientConnection;
import io.cachalot.core.client.Session;
import io.cachalot.core.util.Glob;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pub/sub: who listens to which channel, pattern or shard channel, and delivery. A PUBLISH
 * encodes its message once per protocol and hands the bytes to each subscriber's connection,
 * which writes them on its own thread behind its replies: no thread per subscriber, and the
 * publisher never waits for a reader. An in-process subscriber ({@link Subscription}) gets the
 * message queued for its listener instead.
 */
public final class PubSub {
    /** What one client listens to, in subscription order (UNSUBSCRIBE without names walks it). */
    public static final class Subscriptions {
        final Set<ByteBuffer> channels = new LinkedHashSet<>();
        final Set<ByteBuffer> patterns = new LinkedHashSet<>();
        final Set<ByteBuffer> shardChannels = new LinkedHashSet<>();

        public int count() {
            return channels.size() + patterns.size();
        }

        public int channelCount() {
            return channels.size();
        }

        public int patternCount() {
            return patterns.size();
        }

        public int shardCount() {
            return shardChannels.size();
        }
    }

    /*
     * Subscribers per name, in subscription order: an array replaced whole under this object's
     * lock when it changes, read without a lock by PUBLISH (most channels have one subscriber:
     * an array of one costs 24 bytes where a concurrent set costs about 80).
     */
    private final Map<ByteBuffer, Session[]> channels = new ConcurrentHashMap<>();
    private final Map<ByteBuffer, Session[]> patterns = new ConcurrentHashMap<>();
    private final Map<ByteBuffer, Session[]> shardChannels = new ConcurrentHashMap<>();
    private final Map<Session, Subscriptions> bySession = new ConcurrentHashMap<>();
    /** Clients without a connection that receive messages: their listener's queue. */
    private final Map<Session, Subscription> inProcess = new ConcurrentHashMap<>();

    /** Makes a connection-less client an in-process subscriber. */
    public void attach(Session s, Subscription subscription) {
        inProcess.put(s, subscription);
    }

    /**
     * Whether a client can receive messages: a network client, or an in-process one with a
     * listener ({@link Subscription}); an EmbeddedClient calling SUBSCRIBE has nowhere to get them.
     */
    public boolean canReceive(Session s) {
        return s.connection() != null || inProcess.containsKey(s);
    }

    /** Ends every in-process subscription, telling their listeners why (the engine closes). */
    public void endInProcess(String reason) {
        for (Subscription sub : inProcess.values()) {
            sub.end(reason);
        }
    }

    /** A stored name: a copy of the argument, wrapped whole (so {@link ByteBuffer#array()} is the name). */
    private static ByteBuffer key(byte[] name) {
        return ByteBuffer.wrap(name.clone());
    }

    /** The subscriptions of a client (empty when it has none). */
    public Subscriptions of(Session s) {
        Subscriptions subs = bySession.get(s);
        return subs == null ? EMPTY : subs;
    }

    private static final Subscriptions EMPTY = new Subscriptions();

    /** Whether a client has any subscription (Redis' CLIENT_PUBSUB flag, whatever the protocol). */
    public boolean isSubscribed(Session s) {
        return bySession.containsKey(s);
    }

    private Subscriptions mine(Session s) {
        return bySession.computeIfAbsent(s, k -> new Subscriptions());
    }

    /** Kinds of subscription. */
    public enum Kind {
        CHANNEL, PATTERN, SHARD
    }

    private Map<ByteBuffer, Session[]> index(Kind kind) {
        return kind == Kind.CHANNEL ? channels : kind == Kind.PATTERN ? patterns : shardChannels;
    }

    private static Set<ByteBuffer> own(Subscriptions subs, Kind kind) {
        return kind == Kind.CHANNEL ? subs.channels : kind == Kind.PATTERN ? subs.patterns : subs.shardChannels;
    }

    /** Subscribes; returns the client's count afterwards (channels + patterns, or shard channels). */
    public synchronized int subscribe(Session s, Kind kind, byte[] name) {
        Subscriptions subs = mine(s);
        ByteBuffer k = key(name);
        if (own(subs, kind).add(k)) {
            Map<ByteBuffer, Session[]> index = index(kind);
            Session[] now = index.get(k);
            if (now == null) {
                index.put(k, new Session[] {s});
            } else {
                Session[] more = Arrays.copyOf(now, now.length + 1);
                more[now.length] = s;
                index.put(k, more);
            }
        }
        return kind == Kind.SHARD ? subs.shardCount() : subs.count();
    }

    /** Unsubscribes from one name (nothing when not subscribed); returns the count afterwards. */
    public synchronized int unsubscribe(Session s, Kind kind, byte[] name) {
        Subscriptions subs = bySession.get(s);
        if (subs == null) {
            return 0;
        }
        ByteBuffer k = ByteBuffer.wrap(name);
        if (own(subs, kind).remove(k)) {
            leave(index(kind), k, s);
        }
        int left = kind == Kind.SHARD ? subs.shardCount() : subs.count();
        if (subs.count() == 0 && subs.shardCount() == 0) {
            bySession.remove(s);
        }
        return left;
    }

    /** The names a client is subscribed to, of one kind, in subscription order. */
    public synchronized List<byte[]> names(Session s, Kind kind) {
        List<byte[]> out = new ArrayList<>();
        Subscriptions subs = bySession.get(s);
        if (subs != null) {
            for (ByteBuffer k : own(subs, kind)) {
                out.add(k.array());
            }
        }
        return out;
    }

    /** A client goes away (or RESET): it leaves everything. */
    public synchronized void forget(Session s) {
        inProcess.remove(s);
        Subscriptions subs = bySession.remove(s);
        if (subs == null) {
            return;
        }
        for (Kind kind : Kind.values()) {
            for (ByteBuffer k : own(subs, kind)) {
                leave(index(kind), k, s);
            }
        }
    }

    /** Takes {@code s} out of a name's subscribers (the name goes with its last one); under the lock. */
    private static void leave(Map<ByteBuffer, Session[]> index, ByteBuffer k, Session s) {
        Session[] now = index.get(k);
        if (now == null) {
            return;
        }
        int at = -1;
        for (int i = 0; i < now.length; i++) {
            if (now[i] == s) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            return;
        }
        if (now.length == 1) {
            index.remove(k);
            return;
        }
        Session[] fewer = new Session[now.length - 1];
        System.arraycopy(now, 0, fewer, 0, at);
        System.arraycopy(now, at + 1, fewer, at, now.length - at - 1);
        index.put(k, fewer);
    }

    /**
     * PUBLISH (or SPUBLISH for {@code shard}): delivers to the channel's subscribers and, for a
     * plain channel, to the clients whose patterns match; returns how many receivers got it.
     */
    public int publish(byte[] channel, byte[] message, boolean shard) {
        return publish(channel, message, shard, null, null);
    }

    /**
     * {@link #publish}; a message for the publisher itself (a RESP3 client subscribed to what it
     * publishes) is written by {@code self} into its own reply stream, before the PUBLISH reply,
     * where Redis puts it.
     */
    public int publish(byte[] channel, byte[] message, boolean shard, Session publisher, SelfDelivery self) {
        int receivers = 0;
        Encoded encoded = new Encoded();
        Session[] direct = (shard ? shardChannels : channels).get(ByteBuffer.wrap(channel));
        if (direct != null) {
            for (Session s : direct) {
                if (s == publisher && self != null) {
                    self.deliver(shard ? SMESSAGE : MESSAGE, null, channel, message);
                    receivers++;
                } else if (deliver(s, encoded, shard ? SMESSAGE : MESSAGE, null, channel, message, shard)) {
                    receivers++;
                }
            }
        }
        if (!shard && !patterns.isEmpty()) {
            for (Map.Entry<ByteBuffer, Session[]> e : patterns.entrySet()) {
                byte[] pattern = e.getKey().array();
                if (!Glob.matches(pattern, channel, false)) {
                    continue;
                }
                Encoded pencoded = new Encoded();
                for (Session s : e.getValue()) {
                    if (s == publisher && self != null) {
                        self.deliver(PMESSAGE, pattern, channel, message);
                        receivers++;
                    } else if (deliver(s, pencoded, PMESSAGE, pattern, channel, message, false)) {
                        receivers++;
                    }
                }
            }
        }
        return receivers;
    }

    /** Writes a message into the publisher's own reply stream. */
    public interface SelfDelivery {
        void deliver(byte[] kind, byte[] pattern, byte[] channel, byte[] message);
    }

    private static final byte[] MESSAGE = "message".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PMESSAGE = "pmessage".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SMESSAGE = "smessage".getBytes(StandardCharsets.US_ASCII);

    /** One publish's message, made once per form it is needed in (per pattern for PMESSAGE). */
    private static final class Encoded {
        final byte[][] resp = new byte[2][];
        Message inProcess;
    }

    private boolean deliver(Session s, Encoded encoded, byte[] kind, byte[] pattern, byte[] channel,
                            byte[] message, boolean shard) {
        ClientConnection c = s.connection();
        if (c == null) {
            Subscription sub = inProcess.get(s);
            if (sub != null) {
                Message m = encoded.inProcess;
                if (m == null) {
                    // copied once: the listener runs later, and the publisher's arrays are its own
                    m = new Message(channel.clone(), message.clone(), pattern == null ? null : pattern.clone(), shard);
                    encoded.inProcess = m;
                }
                sub.offer(m);
            }
            return true;
        }
        int p = s.protocol() == 3 ? 1 : 0;
        byte[] b = encoded.resp[p];
        if (b == null) {
            b = encode(p == 1, kind, pattern, channel, message);
            encoded.resp[p] = b;
        }
        c.sendAsync(b);
        return true;
    }

    /** A message as Redis writes it: an array in RESP2, a push in RESP3. */
    static byte[] encode(boolean resp3, byte[] kind, byte[] pattern, byte[] channel, byte[] message) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(32 + channel.length + message.length);
        int n = pattern == null ? 3 : 4;
        header(out, resp3 ? '>' : '*', n);
        bulk(out, kind);
        if (pattern != null) {
            bulk(out, pattern);
        }
        bulk(out, channel);
        bulk(out, message);
        return out.toByteArray();
    }

    private static void header(java.io.ByteArrayOutputStream out, char type, long n) {
        out.write(type);
        byte[] d = Long.toString(n).getBytes(StandardCharsets.US_ASCII);
        out.write(d, 0, d.length);
        out.write('\r');
        out.write('\n');
    }

    private static void bulk(java.io.ByteArrayOutputStream out, byte[] b) {
        header(out, '$', b.length);
        out.write(b, 0, b.length);
        out.write('\r');
        out.write('\n');
    }

    /** PUBSUB CHANNELS / SHARDCHANNELS: the active channels matching {@code pattern} (all when null). */
    public List<byte[]> activeChannels(byte[] pattern, boolean shard) {
        List<byte[]> out = new ArrayList<>();
        for (ByteBuffer k : (shard ? shardChannels : channels).keySet()) {
            byte[] name = k.array();
            if (pattern == null || Glob.matches(pattern, name, false)) {
                out.add(name);
            }
        }
        return out;
    }

    /** PUBSUB NUMSUB / SHARDNUMSUB: subscribers of a channel. */
    public int subscribers(byte[] channel, boolean shard) {
        Session[] subscribers = (shard ? shardChannels : channels).get(ByteBuffer.wrap(channel));
        return subscribers == null ? 0 : subscribers.length;
    }

    /** Whether any client listens to a channel or pattern (a publish with none reaches nobody). */
    public boolean hasListeners() {
        return !channels.isEmpty() || !patterns.isEmpty();
    }

    /** PUBSUB NUMPAT: patterns subscribed to (by any client). */
    public int patternCount() {
        return patterns.size();
    }

    /** INFO: pubsub_channels, pubsub_patterns, pubsub_shardchannels. */
    public int channelCount(boolean shard) {
        return (shard ? shardChannels : channels).size();
    }
}
