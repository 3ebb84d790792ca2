package io.cachalot.provider.store.remote;

import io.cachalot.provider.store.CacheStore;
import io.lettuce.core.Range;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScoredValueScanCursor;
import io.lettuce.core.ScriptOutputType;

import javax.cache.CacheException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A cache's entries on a remote RESP server (Cachalot, Redis, Valkey), shared by every JVM that
 * opens a cache with the same key prefix there. Entries are plain strings under
 * {@code <prefix><encoded key>} (readable with {@code redis-cli GET}), their JCache expiry a key
 * TTL. Next to them an index, a sorted set of the cache's keys scored by expiry time, gives
 * {@link #size}, {@link #keys} and {@link #clear} a cost in proportion to the cache, never a scan
 * of the server's keyspace.
 *
 * <p>An operation ({@link #compute}) holds the entry across JVMs: a script takes a lock key with
 * a lease next to the entry and reads the entry in the same step; the operation runs here, once
 * (it may call the application's loader, writer or entry processor); a second script writes its
 * change, updates the index and releases the lock. Another JVM's operation on the same entry
 * waits for the lock; reads without an operation ({@link #peek}) never wait.
 */
public final class RemoteCacheStore implements CacheStore {
    /** KEYS: entry, lock. ARGV: token, lease ms. {1} absent, {1, value, pttl} present, {0, lock pttl} taken. */
    static final RemoteConnection.Script LOCK_AND_READ = new RemoteConnection.Script(
            "if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then\n"
            + "  local v = redis.call('GET', KEYS[1])\n"
            + "  if v then return {1, v, redis.call('PTTL', KEYS[1])} end\n"
            + "  return {1}\n"
            + "end\n"
            + "return {0, redis.call('PTTL', KEYS[2])}\n");

    /**
     * KEYS: entry, lock, index, interest. ARGV: token, change (s set, d remove, e expiry), value,
     * expire-at ms or -1, index member, now ms, channel, origin. Writes, keeps the index, forgets
     * expired index members, unlocks; 0 (and nothing written) when the lock is no longer this
     * operation's. While some JVM listens to the cache (the interest key lives), publishes the
     * change with the old and new values: fields of length:bytes, or - for none.
     */
    static final RemoteConnection.Script WRITE_AND_UNLOCK = new RemoteConnection.Script(
            "if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end\n"
            + "local c = ARGV[2]\n"
            + "local notify = c ~= 'e' and redis.call('EXISTS', KEYS[4]) == 1\n"
            + "local old = false\n"
            + "if notify then old = redis.call('GET', KEYS[1]) end\n"
            + "local at = ARGV[4]\n"
            + "local score = at == '-1' and '+inf' or at\n"
            + "if c == 's' then\n"
            + "  if at == '-1' then redis.call('SET', KEYS[1], ARGV[3]) else redis.call('SET', KEYS[1], ARGV[3], 'PXAT', at) end\n"
            + "  redis.call('ZADD', KEYS[3], score, ARGV[5])\n"
            + "elseif c == 'd' then\n"
            + "  redis.call('DEL', KEYS[1])\n"
            + "  redis.call('ZREM', KEYS[3], ARGV[5])\n"
            + "elseif c == 'e' then\n"
            + "  if at == '-1' then redis.call('PERSIST', KEYS[1]) else redis.call('PEXPIREAT', KEYS[1], at) end\n"
            + "  redis.call('ZADD', KEYS[3], 'XX', score, ARGV[5])\n"
            + "end\n"
            + "redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. ARGV[6])\n"
            + "redis.call('DEL', KEYS[2])\n"
            + "if notify and (c == 's' or old) then\n"
            + "  local function f(v) if v then return #v .. ':' .. v end return '-' end\n"
            + "  local kind = c == 'd' and 'r' or (old and 'u' or 'c')\n"
            + "  local new = c == 's' and ARGV[3] or false\n"
            + "  redis.call('PUBLISH', ARGV[7], f(ARGV[8]) .. kind .. f(ARGV[5]) .. f(old) .. f(new))\n"
            + "end\n"
            + "return 1\n");

    /**
     * On a Redis Cluster, where the index and the interest key live in other slots: KEYS entry,
     * lock. ARGV: token, change, value, expire-at or -1, 1 to get the old value back. {0} when the
     * lock is no longer this operation's, else {1[, old value]}.
     */
    static final RemoteConnection.Script WRITE_ENTRY_AND_UNLOCK = new RemoteConnection.Script(
            "if redis.call('GET', KEYS[2]) ~= ARGV[1] then return {0} end\n"
            + "local c = ARGV[2]\n"
            + "local at = ARGV[4]\n"
            + "local old = false\n"
            + "if ARGV[5] == '1' then old = redis.call('GET', KEYS[1]) end\n"
            + "if c == 's' then\n"
            + "  if at == '-1' then redis.call('SET', KEYS[1], ARGV[3]) else redis.call('SET', KEYS[1], ARGV[3], 'PXAT', at) end\n"
            + "elseif c == 'd' then\n"
            + "  redis.call('DEL', KEYS[1])\n"
            + "elseif c == 'e' then\n"
            + "  if at == '-1' then redis.call('PERSIST', KEYS[1]) else redis.call('PEXPIREAT', KEYS[1], at) end\n"
            + "end\n"
            + "redis.call('DEL', KEYS[2])\n"
            + "if old then return {1, old} end\n"
            + "return {1}\n");

    /** On a cluster, after the entry: KEYS index shard. ARGV: change, expire-at or -1, member, now. */
    static final RemoteConnection.Script INDEX = new RemoteConnection.Script(
            "local c = ARGV[1]\n"
            + "local score = ARGV[2] == '-1' and '+inf' or ARGV[2]\n"
            + "if c == 's' then redis.call('ZADD', KEYS[1], score, ARGV[3])\n"
            + "elseif c == 'd' then redis.call('ZREM', KEYS[1], ARGV[3])\n"
            + "elseif c == 'e' then redis.call('ZADD', KEYS[1], 'XX', score, ARGV[3]) end\n"
            + "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[4])\n"
            + "return 1\n");

    /** Index shards on a cluster: one big cache spreads over this many slots. */
    static final int SHARDS = 16;

    /** KEYS: entry. {value, pttl}, or {} when absent: a near cache's copy knows when it expires. */
    static final RemoteConnection.Script READ_WITH_TTL = new RemoteConnection.Script(
            "local v = redis.call('GET', KEYS[1])\n"
            + "if v then return {v, redis.call('PTTL', KEYS[1])} end\n"
            + "return {}\n");

    /** KEYS: lock. ARGV: token. Releases the lock if it is still this operation's. */
    static final RemoteConnection.Script UNLOCK = new RemoteConnection.Script(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end\n"
            + "return 0\n");

    private static final byte[] SET = {'s'};
    private static final byte[] REMOVE = {'d'};
    private static final byte[] EXPIRE = {'e'};
    private static final byte[] EMPTY = {};
    private static final byte[] ETERNAL = {'-', '1'};
    private static final int BATCH = 1000;

    private final RemoteConnection remote;
    private final byte[] prefix;
    private final byte[] index;
    /** The index's keys: {@link #index} alone, or {@link #SHARDS} shards in other slots on a cluster. */
    private final byte[][] shards;
    private final boolean cluster;
    /** On a cluster, until when the last look at the interest key holds (ms), and what it said. */
    private volatile long interestCheckedUntil;
    private volatile boolean interested;
    /** Where writers publish the cache's changes, and the key that says someone listens. */
    private final byte[] channel;
    private final byte[] interest;
    private volatile ForeignChangeListener foreign;
    /** This JVM's copies of the values (cachalot.remote.near-cache-max-entries), or null. */
    private final NearCache near;
    private final java.util.function.Consumer<byte[]> onExpired = this::expired;
    private final byte[] lease;
    private final long leaseMillis;
    /** Lock tokens: this store's random part and a count, unique across JVMs. */
    private final byte[] tokenBase = new byte[12];
    private final AtomicLong tokens = new AtomicLong();

    /** A store of the entries under {@code prefix} on the server of {@code remote}. */
    public RemoteCacheStore(RemoteConnection remote, byte[] prefix) {
        this.remote = remote;
        this.prefix = prefix.clone();
        this.index = indexKey(prefix);
        this.cluster = remote.cluster();
        if (cluster) {
            shards = new byte[SHARDS][];
            for (int i = 0; i < SHARDS; i++) {
                byte[] n = (":" + i).getBytes(StandardCharsets.US_ASCII);
                shards[i] = Arrays.copyOf(index, index.length + n.length);
                System.arraycopy(n, 0, shards[i], index.length, n.length);
            }
        } else {
            shards = new byte[][] {index};
        }
        this.channel = named("cachalot:events:", prefix);
        this.interest = named("cachalot:listeners:", prefix);
        this.near = remote.nearCache(new String(prefix, StandardCharsets.UTF_8));
        this.leaseMillis = remote.lockLease().toMillis();
        this.lease = ascii(leaseMillis);
        new SecureRandom().nextBytes(tokenBase);
    }

    /** The index of the cache whose keys start with {@code prefix}: outside every cache's keys. */
    static byte[] indexKey(byte[] prefix) {
        return named("cachalot:index:", prefix);
    }

    private static byte[] named(String what, byte[] prefix) {
        byte[] head = what.getBytes(StandardCharsets.US_ASCII);
        byte[] k = Arrays.copyOf(head, head.length + prefix.length);
        System.arraycopy(prefix, 0, k, head.length, prefix.length);
        return k;
    }

    /**
     * The lock of an entry: a key in the entry's cluster slot (the entry's key as the hash tag,
     * or the entry's own tag when it has one), so that the scripts also run on a cluster node.
     */
    static byte[] lockKey(byte[] key) {
        byte[] suffix = ":lock".getBytes(StandardCharsets.US_ASCII);
        if (indexOf(key, (byte) '{') >= 0 || indexOf(key, (byte) '}') >= 0) {
            byte[] k = Arrays.copyOf(key, key.length + suffix.length);
            System.arraycopy(suffix, 0, k, key.length, suffix.length);
            return k;
        }
        byte[] k = new byte[key.length + 2 + suffix.length];
        k[0] = '{';
        System.arraycopy(key, 0, k, 1, key.length);
        k[key.length + 1] = '}';
        System.arraycopy(suffix, 0, k, key.length + 2, suffix.length);
        return k;
    }

    private static int indexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] ascii(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] token() {
        long n = tokens.incrementAndGet();
        byte[] t = Arrays.copyOf(tokenBase, tokenBase.length + 8);
        for (int i = 0; i < 8; i++) {
            t[tokenBase.length + i] = (byte) (n >>> (8 * i));
        }
        return t;
    }

    /** The index member of a key: the key without the cache's prefix. */
    private byte[] member(byte[] key) {
        return Arrays.copyOfRange(key, prefix.length, key.length);
    }

    /** The key of an index member: the cache's prefix and the member. */
    private byte[] keyOf(byte[] member) {
        byte[] k = Arrays.copyOf(prefix, prefix.length + member.length);
        System.arraycopy(member, 0, k, prefix.length, member.length);
        return k;
    }

    @Override
    public <R> R compute(byte[] key, EntryOperation<R> op) {
        byte[] lock = lockKey(key);
        byte[] token = token();
        RemoteEntry e;
        try {
            e = lockAndRead(key, lock, token);
        } catch (RemoteUnavailableException down) {
            if (!remote.missOnFailure()) {
                throw down;
            }
            return onAnEmptyCache(key, op, down);
        }
        boolean done = false;
        try {
            R result = op.apply(e);
            if (e.change == RemoteEntry.Change.NONE) {
                // nothing to write: the release need not be waited for (the next command of this
                // JVM on the entry follows it on the same connection)
                remote.runAndForget(UNLOCK, new byte[][] {lock}, token);
            } else {
                try {
                    write(key, lock, token, e);
                } catch (RemoteUnavailableException down) {
                    if (!remote.missOnFailure()) {
                        throw down;
                    }
                    remote.lostWrite(key, down);
                }
            }
            done = true;
            return result;
        } finally {
            if (!done) {
                remote.runAndForget(UNLOCK, new byte[][] {lock}, token);
            }
        }
    }

    /** on-failure=miss and the server is out of reach: the operation sees no entry, its change is dropped. */
    private <R> R onAnEmptyCache(byte[] key, EntryOperation<R> op, RemoteUnavailableException down) {
        RemoteEntry empty = new RemoteEntry(null, -1);
        R result = op.apply(empty);
        if (empty.change == RemoteEntry.Change.NONE) {
            remote.missedRead(down);
        } else {
            remote.lostWrite(key, down);
        }
        return result;
    }

    private RemoteEntry lockAndRead(byte[] key, byte[] lock, byte[] token) {
        long deadline = System.nanoTime() + (leaseMillis + remote.lockLeaseSlack()) * 1_000_000L;
        int attempt = 0;
        while (true) {
            List<Object> r = remote.run(LOCK_AND_READ, ScriptOutputType.MULTI, new byte[][] {key, lock}, token, lease);
            if (((Long) r.get(0)) == 1L) {
                if (r.size() == 1) {
                    return new RemoteEntry(null, -1);
                }
                long pttl = (Long) r.get(2);
                return new RemoteEntry((byte[]) r.get(1), pttl < 0 ? -1 : System.currentTimeMillis() + pttl);
            }
            if (System.nanoTime() > deadline) {
                throw new CacheException("the entry " + new String(key, StandardCharsets.UTF_8)
                        + " stayed locked by another operation for longer than its lease ("
                        + leaseMillis + " ms) at " + remote.where());
            }
            backOff(attempt++);
        }
    }

    /** Waits a little longer each time: first a yield, then up to 5 ms. */
    private static void backOff(int attempt) {
        if (attempt < 2) {
            Thread.yield();
            return;
        }
        try {
            Thread.sleep(Math.min(5, attempt - 1));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new CacheException("interrupted while waiting for an entry's lock", ie);
        }
    }

    private void write(byte[] key, byte[] lock, byte[] token, RemoteEntry e) {
        byte[] change;
        byte[] value = EMPTY;
        byte[] at = ETERNAL;
        long now = System.currentTimeMillis();
        RemoteEntry.Change what = e.change;
        if (what != RemoteEntry.Change.REMOVE && e.expireAt() >= 0 && e.expireAt() <= now) {
            // expired as it is written (a zero duration): Redis keeps a key whose expiry is the
            // current millisecond, and a script sees one time throughout, so remove it here
            what = RemoteEntry.Change.REMOVE;
        }
        switch (what) {
            case SET:
                change = SET;
                value = e.bytes();
                at = e.expireAt() < 0 ? ETERNAL : ascii(e.expireAt());
                break;
            case REMOVE:
                change = REMOVE;
                break;
            default:
                change = EXPIRE;
                at = e.expireAt() < 0 ? ETERNAL : ascii(e.expireAt());
                break;
        }
        if (cluster) {
            writeOnCluster(key, lock, token, what, change, value, at, now);
            return;
        }
        // this JVM's own writes are not pushed back to it (NOLOOP): its copy follows the write,
        // unless another JVM's change (pushed) came between the write and now
        Object reading = near == null ? null : near.beginRead(key);
        Long ok;
        try {
            ok = remote.run(WRITE_AND_UNLOCK, ScriptOutputType.INTEGER, new byte[][] {key, lock, index, interest},
                    token, change, value, at, member(key), ascii(now), channel, tokenBase);
        } catch (RuntimeException failed) {
            if (near != null) {
                near.invalidate(key);
            }
            throw failed;
        }
        if (near != null) {
            if (ok != null && ok == 1L && what == RemoteEntry.Change.SET) {
                near.endRead(key, reading, value, e.expireAt());
            } else {
                near.invalidate(key);
            }
        }
        if (ok == null || ok != 1L) {
            throw leaseLost(key);
        }
    }

    private CacheException leaseLost(byte[] key) {
        return new CacheException("the operation on " + new String(key, StandardCharsets.UTF_8)
                + " outlasted its lock's lease (" + leaseMillis + " ms, cachalot.remote.lock-lease): "
                + "its change was not written, another operation may have changed the entry since");
    }

    /**
     * A write on a Redis Cluster: the entry and its lock in one script (one slot), then the index
     * shard of the key, then the change published while someone listens (the interest key looked
     * at no more than once a second). Each step is atomic; the index may trail the entry briefly.
     */
    private void writeOnCluster(byte[] key, byte[] lock, byte[] token, RemoteEntry.Change what, byte[] change,
                                byte[] value, byte[] at, long now) {
        boolean notify = what != RemoteEntry.Change.EXPIRE && interested(now);
        List<Object> r = remote.run(WRITE_ENTRY_AND_UNLOCK, ScriptOutputType.MULTI, new byte[][] {key, lock},
                token, change, value, at, notify ? new byte[] {'1'} : new byte[] {'0'});
        if ((Long) r.get(0) != 1L) {
            throw leaseLost(key);
        }
        byte[] m = member(key);
        remote.run(INDEX, ScriptOutputType.INTEGER, new byte[][] {shardOf(m)}, change, at, m, ascii(now));
        byte[] old = r.size() > 1 ? (byte[]) r.get(1) : null;
        if (notify && (what == RemoteEntry.Change.SET || old != null)) {
            byte kind = what == RemoteEntry.Change.REMOVE ? (byte) 'r' : old != null ? (byte) 'u' : (byte) 'c';
            byte[] message = changeMessage(kind, m, old, what == RemoteEntry.Change.SET ? value : null);
            remote.call(c -> c.publish(channel, message));
        }
    }

    private boolean interested(long now) {
        if (now >= interestCheckedUntil) {
            interested = remote.call(c -> c.exists(interest)) > 0;
            interestCheckedUntil = now + 1000;
        }
        return interested;
    }

    private byte[] shardOf(byte[] member) {
        return cluster ? shards[(Arrays.hashCode(member) & 0x7fffffff) % SHARDS] : index;
    }

    /** A change as the write script publishes it: fields of length:bytes, or - for none. */
    private byte[] changeMessage(byte kind, byte[] member, byte[] old, byte[] now) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        field(out, tokenBase);
        out.write(kind);
        field(out, member);
        field(out, old);
        field(out, now);
        return out.toByteArray();
    }

    private static void field(java.io.ByteArrayOutputStream out, byte[] f) {
        if (f == null) {
            out.write('-');
            return;
        }
        byte[] len = (f.length + ":").getBytes(StandardCharsets.US_ASCII);
        out.write(len, 0, len.length);
        out.write(f, 0, f.length);
    }

    @Override
    public Object peek(byte[] key) {
        if (near != null && remote.tracking()) {
            byte[] copy = near.get(key);
            if (copy != null) {
                return copy;
            }
            return readIntoNearCache(key);
        }
        try {
            return remote.call(c -> c.get(key));
        } catch (RemoteUnavailableException down) {
            if (!remote.missOnFailure()) {
                throw down;
            }
            remote.missedRead(down);
            return null;
        }
    }

    @Override
    public byte[] keyPrefix() {
        return prefix.clone();
    }

    private byte[] readIntoNearCache(byte[] key) {
        Object token = near.beginRead(key);
        List<Object> r;
        try {
            r = remote.run(READ_WITH_TTL, ScriptOutputType.MULTI, new byte[][] {key});
        } catch (RemoteUnavailableException down) {
            near.invalidate(key);
            if (!remote.missOnFailure()) {
                throw down;
            }
            remote.missedRead(down);
            return null;
        }
        if (r.isEmpty()) {
            near.endRead(key, token, null, -1);
            return null;
        }
        byte[] v = (byte[]) r.get(0);
        long pttl = (Long) r.get(1);
        near.endRead(key, token, v, pttl < 0 ? -1 : System.currentTimeMillis() + pttl);
        return v;
    }

    /** The index's members that have not expired: the entries another client removed behind the index's back count too. */
    @Override
    public long size() {
        long now = System.currentTimeMillis();
        try {
            long n = 0;
            for (byte[] shard : shards) {
                n += remote.call(c -> c.zcount(shard,
                        Range.from(Range.Boundary.excluding(now), Range.Boundary.unbounded())));
            }
            return n;
        } catch (RemoteUnavailableException down) {
            if (!remote.missOnFailure()) {
                throw down;
            }
            remote.missedRead(down);
            return 0;
        }
    }

    @Override
    public Iterator<byte[]> keys() {
        return new Iterator<>() {
            private ScanCursor cursor = ScanCursor.INITIAL;
            private int shard;
            private final ArrayDeque<byte[]> batch = new ArrayDeque<>();

            @Override
            public boolean hasNext() {
                while (batch.isEmpty() && (!cursor.isFinished() || shard + 1 < shards.length)) {
                    if (cursor.isFinished()) {
                        shard++;
                        cursor = ScanCursor.INITIAL;
                    }
                    ScanCursor from = cursor;
                    byte[] key = shards[shard];
                    ScoredValueScanCursor<byte[]> page;
                    try {
                        page = remote.call(c -> c.zscan(key, from, ScanArgs.Builder.limit(BATCH)));
                    } catch (RemoteUnavailableException down) {
                        if (!remote.missOnFailure()) {
                            throw down;
                        }
                        remote.missedRead(down);
                        cursor = ScanCursor.FINISHED;
                        shard = shards.length;
                        return false;
                    }
                    long now = System.currentTimeMillis();
                    for (ScoredValue<byte[]> v : page.getValues()) {
                        if (v.getScore() > now) {
                            batch.add(keyOf(v.getValue()));
                        }
                    }
                    cursor = page;
                }
                return !batch.isEmpty();
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batch.poll();
            }
        };
    }

    /** Removes the indexed entries a batch at a time; returns how many existed. */
    @Override
    public long clear() {
        if (near != null) {
            near.clear();
        }
        long removed = 0;
        for (byte[] shard : shards) {
            while (true) {
                List<byte[]> members;
                try {
                    members = remote.call(c -> c.zrange(shard, 0, BATCH - 1));
                } catch (RemoteUnavailableException down) {
                    if (!remote.missOnFailure()) {
                        throw down;
                    }
                    remote.lostWrite(prefix, down);
                    return removed;
                }
                if (members.isEmpty()) {
                    break;
                }
                byte[][] keys = new byte[members.size()][];
                for (int i = 0; i < keys.length; i++) {
                    keys[i] = keyOf(members.get(i));
                }
                byte[][] ms = members.toArray(new byte[0][]);
                // on a cluster the client splits the DEL by slot
                removed += remote.call(c -> {
                    long n = c.del(keys);
                    c.zrem(shard, ms);
                    return n;
                });
            }
        }
        return removed;
    }

    /** An operation holds its entry's lock key only: a loader may run inside it, other JVMs wait. */
    @Override
    public boolean locksPerEntry() {
        return true;
    }

    @Override
    public boolean supportsReferences() {
        return false;
    }

    /** Expiry is the server's: its expired-key notifications reach {@link #setForeignChangeListener}. */
    @Override
    public void setExpiryListener(ExpiryListener listener) {
    }

    @Override
    public synchronized void setForeignChangeListener(ForeignChangeListener listener) {
        ForeignChangeListener before = foreign;
        foreign = listener;
        if (listener != null && before == null) {
            remote.listen(channel, interest, this::changedElsewhere, onExpired);
        } else if (listener == null && before != null) {
            remote.unlisten(channel, interest, onExpired);
        }
    }

    /** A change another JVM published (this JVM's own are told by the cache itself). */
    private void changedElsewhere(byte[] message) {
        ForeignChangeListener l = foreign;
        if (l == null) {
            return;
        }
        int[] at = {0};
        byte[] origin = field(message, at);
        if (Arrays.equals(origin, tokenBase) || at[0] >= message.length) {
            return;
        }
        byte kind = message[at[0]++];
        byte[] member = field(message, at);
        byte[] old = field(message, at);
        byte[] now = field(message, at);
        if (member == null) {
            return;
        }
        byte[] key = keyOf(member);
        ForeignChange change = kind == 'c' ? ForeignChange.CREATED : kind == 'u' ? ForeignChange.UPDATED
                : ForeignChange.REMOVED;
        l.changed(change, key, old, now);
    }

    /** One field of a change message: {@code length:bytes}, or {@code -} for none (null). */
    private static byte[] field(byte[] m, int[] at) {
        int i = at[0];
        if (i >= m.length) {
            return null;
        }
        if (m[i] == '-') {
            at[0] = i + 1;
            return null;
        }
        int len = 0;
        while (i < m.length && m[i] != ':') {
            len = len * 10 + (m[i++] - '0');
        }
        i++;
        byte[] f = Arrays.copyOfRange(m, i, Math.min(m.length, i + len));
        at[0] = i + len;
        return f;
    }

    /** The server expired a key: an entry of this cache when it has the prefix (value gone with it). */
    private void expired(byte[] key) {
        ForeignChangeListener l = foreign;
        if (l != null && key.length > prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)) {
            l.changed(ForeignChange.EXPIRED, key, null, null);
        }
    }

    @Override
    public void setEvictionListener(EvictionListener listener) {
        // eviction is the server's maxmemory policy, counted in its INFO stats
    }

    /** The connection is the manager's: closing a cache leaves it open. */
    @Override
    public void close() {
        setForeignChangeListener(null);
    }
}
