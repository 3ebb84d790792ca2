package io.cachalot.core.keyspace;

import io.cachalot.core.types.Encoding;
import io.cachalot.core.types.MemorySize;

import io.cachalot.core.util.Bytes;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentTest {
    private final Keyspace ks = new Keyspace(2, 1);
    private final Database db = ks.db(0);

    private Entry put(String k) {
        return put(k, false);
    }

    /** With {@code memos}, an entry that can keep a decoded value (a by-value JCache cache's). */
    private Entry put(String k, boolean memos) {
        byte[] key = Bytes.ascii(k);
        int h = Bytes.hash(key);
        Segment s = db.lock(h);
        try {
            Entry e = s.find(key, h);
            return e != null ? e : s.insert(key, h, Bytes.ascii("v"), ValueType.STRING, Encoding.EMBSTR, null, (byte) 0,
                    Entry.NO_EXPIRY, memos);
        } finally {
            s.unlock();
        }
    }

    private boolean del(String k) {
        byte[] key = Bytes.ascii(k);
        int h = Bytes.hash(key);
        Segment s = db.lock(h);
        try {
            Entry e = s.find(key, h);
            if (e != null) {
                s.remove(e);
            }
            return e != null;
        } finally {
            s.unlock();
        }
    }

    @Test
    void growsAndShrinksKeepingEveryKey() {
        for (int i = 0; i < 50_000; i++) {
            put("k" + i);
        }
        assertThat(db.size()).isEqualTo(50_000);
        for (int i = 0; i < 50_000; i += 2) {
            assertThat(del("k" + i)).isTrue();
        }
        assertThat(db.size()).isEqualTo(25_000);
        for (int i = 1; i < 50_000; i += 2) {
            byte[] key = Bytes.ascii("k" + i);
            int h = Bytes.hash(key);
            assertThat(db.segment(h).find(key, h)).isNotNull();
        }
        for (int i = 1; i < 50_000; i += 2) {
            del("k" + i);
        }
        assertThat(db.size()).isZero();
        assertThat(db.memoryUsage()).isZero();
    }

    @Test
    void memoryAccountingFollowsChanges() {
        Entry e = put("m");
        long after = db.memoryUsage();
        assertThat(after).isEqualTo(e.memoryUsage());
        byte[] key = Bytes.ascii("m");
        int h = Bytes.hash(key);
        Segment s = db.lock(h);
        try {
            s.setValue(e, new byte[1000], ValueType.STRING, Encoding.RAW);
        } finally {
            s.unlock();
        }
        assertThat(db.memoryUsage()).isEqualTo(e.memoryUsage()).isGreaterThan(after + 900);
    }

    @Test
    void smallStringsArePackedWithTheirKeyAndUnpackedWhenTheyOutgrowIt() {
        byte[] key = Bytes.ascii("pk");
        int h = Bytes.hash(key);
        Entry e = put("pk");
        assertThat(e.packed()).isTrue();
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.value()).isEqualTo(Bytes.ascii("v"));
        assertThat(e.hash()).isEqualTo(h);
        assertThat(e.memoryUsage()).isEqualTo(MemorySize.ENTRY + MemorySize.array(2 + 1));
        Segment s = db.lock(h);
        try {
            byte[] big = new byte[Segment.MAX_PACKED_VALUE + 1];
            big[0] = 'x';
            s.setValue(e, big, ValueType.STRING, Encoding.RAW);
            assertThat(e.packed()).as("too large to pack").isFalse();
            assertThat(e.value()).isSameAs(big);
            assertThat(e.key()).isEqualTo(key);
            assertThat(s.find(key, h)).isSameAs(e);
            assertThat(db.memoryUsage()).isEqualTo(e.memoryUsage())
                    .isEqualTo(MemorySize.ENTRY + MemorySize.array(2) + MemorySize.array(big.length));

            s.setValue(e, Bytes.ascii("small"), ValueType.STRING, Encoding.EMBSTR);
            assertThat(e.packed()).isTrue();
            assertThat(e.key()).isEqualTo(key);
            assertThat(e.bytes()).isEqualTo(Bytes.ascii("small"));
            byte[] a = e.stringArray();
            assertThat(java.util.Arrays.copyOfRange(a, e.stringOffset(), a.length)).isEqualTo(Bytes.ascii("small"));
            assertThat(s.find(key, h)).isSameAs(e);
            assertThat(db.memoryUsage()).isEqualTo(e.memoryUsage())
                    .isEqualTo(MemorySize.ENTRY + MemorySize.array(2 + 5));

            s.setValue(e, Bytes.ascii("small"), ValueType.STRING, Encoding.EMBSTR);
            assertThat(e.stringArray()).as("the same bytes again: nothing stored").isSameAs(a);
            s.setValue(e, Bytes.ascii("other"), ValueType.STRING, Encoding.EMBSTR);
            assertThat(e.stringArray()).as("new bytes: a new array, the old one is never changed").isNotSameAs(a);
            assertThat(java.util.Arrays.copyOfRange(a, e.stringOffset(), a.length)).isEqualTo(Bytes.ascii("small"));
            assertThat(e.value()).isEqualTo(Bytes.ascii("other"));

            Object notAString = new Object();
            s.setValue(e, notAString, ValueType.HASH, Encoding.LISTPACK);
            assertThat(e.packed()).as("another type").isFalse();
            assertThat(e.value()).isSameAs(notAString);
            assertThat(e.key()).isEqualTo(key);
            assertThat(s.find(key, h)).isSameAs(e);
        } finally {
            s.unlock();
        }
        assertThat(del("pk")).isTrue();
        assertThat(db.memoryUsage()).isZero();

        String longKey = "k".repeat(Entry.MAX_PACKED_KEY + 1);
        Entry unpacked = put(longKey);
        assertThat(unpacked.packed()).as("a key longer than packed entries hold").isFalse();
        assertThat(unpacked.key()).isEqualTo(Bytes.ascii(longKey));
        assertThat(put(longKey)).isSameAs(unpacked);
        assertThat(put("k".repeat(Entry.MAX_PACKED_KEY)).packed()).isTrue();
        assertThat(put("").packed()).as("the empty key").isTrue();
        assertThat(put("").key()).isEmpty();
    }

    @Test
    void aKeyspaceThatDoesNotPackKeepsKeyAndValueApart() {
        Keyspace k = new Keyspace(1, 1);
        k.setPacksStrings(false);
        byte[] key = Bytes.ascii("a");
        int h = Bytes.hash(key);
        Segment s = k.db(0).lock(h);
        try {
            byte[] v = Bytes.ascii("v");
            Entry e = s.insert(key, h, v, ValueType.STRING, Encoding.EMBSTR);
            assertThat(e.packed()).isFalse();
            assertThat(e.key()).isSameAs(key);
            assertThat(e.value()).isSameAs(v);
        } finally {
            s.unlock();
        }
    }

    @Test
    void aMemoLastsWhileTheValueDoesAndCountsInMemory() throws Exception {
        Entry plain = put("plain");
        byte[] pk = Bytes.ascii("plain");
        assertThat(db.segment(Bytes.hash(pk)).memoize(pk, Bytes.hash(pk), plain.bytes(), "v"))
                .as("an entry not made to keep one").isFalse();
        assertThat(plain.memo()).isNull();
        assertThat(plain.memoryUsage()).as("packed: key and value in one array")
                .isEqualTo(MemorySize.ENTRY + MemorySize.array(5 + 1));
        del("plain");

        Entry e = put("memo", true);
        assertThat(e.memoryUsage()).isEqualTo(MemorySize.ENTRY + MemorySize.ENTRY_VARIANT + MemorySize.array(4)
                + MemorySize.array(1));
        byte[] key = Bytes.ascii("memo");
        int h = Bytes.hash(key);
        Segment s = db.segment(h);
        byte[] v = e.bytes();
        long before = db.memoryUsage();

        assertThat(s.memoize(key, h, Bytes.ascii("v"), "other")).as("equal bytes, another array").isFalse();
        assertThat(s.memoize(Bytes.ascii("absent"), Bytes.hash(Bytes.ascii("absent")), v, "x")).isFalse();
        assertThat(s.memoize(key, h, v, "v")).isTrue();
        assertThat(e.memo()).isEqualTo("v");
        assertThat(s.memoize(key, h, v, "again")).as("one memo per value").isFalse();
        assertThat(db.memoryUsage()).isEqualTo(before + MemorySize.memo("v")).isEqualTo(e.memoryUsage());

        Entry f = put("busy", true);
        byte[] fk = Bytes.ascii("busy");
        int fh = Bytes.hash(fk);
        Segment fs = db.segment(fh);
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread holder = new Thread(() -> {
            fs.lock();
            try {
                held.countDown();
                release.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            } finally {
                fs.unlock();
            }
        });
        holder.start();
        held.await();
        assertThat(fs.memoize(fk, fh, f.bytes(), "v")).as("never waits for a writer").isFalse();
        release.countDown();
        holder.join();
        assertThat(fs.memoize(fk, fh, f.bytes(), "v")).isTrue();
        del("busy");

        s.lock();
        try {
            s.setValue(e, Bytes.ascii("w"), ValueType.STRING, Encoding.EMBSTR);
        } finally {
            s.unlock();
        }
        assertThat(e.memo()).as("a new value drops the memo").isNull();
        assertThat(db.memoryUsage()).isEqualTo(e.memoryUsage()).isEqualTo(before);
        del("memo");
        assertThat(db.memoryUsage()).isZero();
    }

    @Test
    void equalBytesKeepTheStoredArrayAndItsMemoButStillCountAsAWrite() {
        Entry e = put("same", true);
        byte[] key = Bytes.ascii("same");
        int h = Bytes.hash(key);
        Segment s = db.segment(h);
        byte[] stored = e.bytes();
        assertThat(s.memoize(key, h, stored, "v")).isTrue();
        long memory = db.memoryUsage();
        int version = s.readVersion();

        s.lock();
        try {
            s.setValue(e, Bytes.ascii("v"), ValueType.STRING, Encoding.RAW);
        } finally {
            s.unlock();
        }
        assertThat(e.bytes()).as("equal bytes: the stored array stays").isSameAs(stored);
        assertThat(e.memo()).as("and so does the memo decoded from it").isEqualTo("v");
        assertThat(e.encoding()).isEqualTo(Encoding.RAW);
        assertThat(db.memoryUsage()).isEqualTo(memory);
        assertThat(s.validate(version)).as("still a write for unlocked readers").isFalse();

        s.lock();
        try {
            s.setValue(e, Bytes.ascii("x"), ValueType.STRING, Encoding.RAW);
        } finally {
            s.unlock();
        }
        assertThat(new String(e.bytes(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("x");
        assertThat(e.memo()).isNull();
        assertThat(db.memoryUsage()).isEqualTo(memory - MemorySize.memo("v"));
        del("same");
        assertThat(db.memoryUsage()).isZero();
    }

    /**
     * An entry that keeps its application's key object is found by that object's identity only
     * for the prefix it was created under: another prefix's look-up, even with the same object
     * and a colliding hash, compares bytes (and so misses).
     */
    @Test
    void keyObjectsMatchByIdentityOnlyForTheirOwner() {
        io.cachalot.core.util.DecimalKey a = io.cachalot.core.util.DecimalKey.of(Bytes.ascii("a::"));
        io.cachalot.core.util.DecimalKey b = io.cachalot.core.util.DecimalKey.of(Bytes.ascii("b::"));
        byte ownerA = ks.keyOwner(Bytes.ascii("a::"));
        byte ownerB = ks.keyOwner(Bytes.ascii("b::"));
        assertThat(ownerA).isNotZero().isNotEqualTo(ownerB);
        Long five = 123_456_789L;
        int h = a.hash(five); // b's look-ups below use this hash too: a collision, forced
        Segment s = db.lock(h);
        Entry e;
        try {
            e = s.insert(a.toBytes(five), h, Bytes.ascii("v"), ValueType.STRING, Encoding.RAW, five, ownerA);
            assertThat(e).isInstanceOf(ReferenceKeyEntry.class);
            assertThat(((ReferenceKeyEntry) e).keyObject).isSameAs(five);
            assertThat(s.find(a, five, h, five, ownerA)).as("by identity").isSameAs(e);
            assertThat(s.findUnlocked(a, five, h, five, ownerA)).isSameAs(e);
            Long equal = Long.valueOf(123_456_789L);
            assertThat(equal).isNotSameAs(five);
            assertThat(s.find(a, five, h, equal, ownerA)).as("an equal object: by the bytes").isSameAs(e);
            assertThat(s.find(b, five, h, five, ownerB)).as("another prefix, the same object").isNull();
            assertThat(s.findUnlocked(b, five, h, five, ownerB)).isNull();
            assertThat(s.find(b, five, h, five, ownerA)).as("even when a caller names the wrong owner: bytes decide")
                    .isSameAs(e); // (a misuse: only the owner's own forms may name it)
            assertThat(s.find(a, five, h, null, (byte) 0)).as("without an object: by the bytes").isSameAs(e);
        } finally {
            s.unlock();
        }
        long withObject = e.memoryUsage();
        Long six = 6L;
        Segment s6 = db.lock(a.hash(six));
        try {
            Entry unowned = s6.insert(a.toBytes(six), a.hash(six), Bytes.ascii("v"), ValueType.STRING, Encoding.RAW, six, (byte) 0);
            assertThat(unowned).as("no owner: the object is not kept").isNotInstanceOf(ReferenceKeyEntry.class);
        } finally {
            s6.unlock();
        }
        assertThat(del("a::6")).isTrue();
        Entry plain = put("plain");
        assertThat(withObject - plain.memoryUsage()).as("the key object counts in memory")
                .isEqualTo(MemorySize.array(a.toBytes(five).length) + MemorySize.array(1) - MemorySize.array(5 + 1)
                        + MemorySize.ENTRY_VARIANT + MemorySize.memo(five));
    }

    @Test
    void keyOwnersAreStablePerPrefixAndRunOut() {
        Keyspace k = new Keyspace(1, 1);
        byte first = k.keyOwner(Bytes.ascii("p0::"));
        assertThat(first).isEqualTo((byte) 1);
        assertThat(k.keyOwner(Bytes.ascii("p0::"))).isEqualTo(first);
        for (int i = 1; i < Keyspace.MAX_KEY_OWNERS; i++) {
            assertThat(k.keyOwner(Bytes.ascii("p" + i + "::"))).isEqualTo((byte) (i + 1));
        }
        assertThat(k.keyOwner(Bytes.ascii("one-too-many::"))).as("ids run out: bytes only").isZero();
        assertThat(k.keyOwner(Bytes.ascii("p0::"))).isEqualTo(first);
    }

    @Test
    void flagsKeepTheirBitsApart() {
        Entry e = put("flags");
        e.setSharedInteger(true);
        e.setSubExpiryTracked(true);
        e.setSharedInteger(false);
        assertThat(e.subExpiryTracked()).isTrue();
        assertThat(e.sharedInteger()).isFalse();
        e.setSharedInteger(true);
        e.setSubExpiryTracked(false);
        assertThat(e.sharedInteger()).isTrue();
        assertThat(e.subExpiryTracked()).isFalse();

        // type, encoding, flags and hash bits share one int: each change keeps the others
        int tag = e.hashTag();
        e.setSubExpiryTracked(true);
        for (ValueType t : ValueType.values()) {
            for (Encoding enc : Encoding.values()) {
                e.setTypeAndEncoding(t.code(), enc.code());
                assertThat(e.type()).isEqualTo(t);
                assertThat(e.encoding()).isEqualTo(enc);
            }
        }
        e.setEncodingCode(Encoding.RAW.code());
        assertThat(e.type()).isEqualTo(ValueType.values()[ValueType.values().length - 1]);
        assertThat(e.encoding()).isEqualTo(Encoding.RAW);
        assertThat(e.sharedInteger()).isTrue();
        assertThat(e.subExpiryTracked()).isTrue();
        assertThat(e.hashTag()).isEqualTo(tag).isEqualTo(Entry.tagOf(Bytes.hash(Bytes.ascii("flags"))));
        e.setTypeAndEncoding(ValueType.STRING.code(), Encoding.EMBSTR.code());
        e.setSubExpiryTracked(false);
    }

    @Test
    void theSetOfKeysWithATtlFollowsEveryChange() {
        java.util.Set<String> expected = new java.util.HashSet<>();
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            String k = "t" + i;
            Entry e = put(k);
            Segment s = db.lock(Bytes.hash(Bytes.ascii(k)));
            try {
                if (i % 3 == 0) {
                    s.setExpireAt(e, 1_000_000 + i);
                    expected.add(k);
                }
            } finally {
                s.unlock();
            }
        }
        for (int i = 0; i < 20_000; i += 2) {
            String k = "t" + i;
            if (rnd.nextBoolean()) {
                del(k);
                expected.remove(k);
            } else {
                Entry e = put(k);
                Segment s = db.lock(Bytes.hash(Bytes.ascii(k)));
                try {
                    s.setExpireAt(e, i % 4 == 0 ? Entry.NO_EXPIRY : 2_000_000);
                    s.setValue(e, Bytes.ascii("w"), ValueType.STRING, Encoding.EMBSTR, i % 8 == 2 ? Entry.NO_EXPIRY : 3_000_000);
                } finally {
                    s.unlock();
                }
                if (i % 8 == 2) { // the value's write decides last
                    expected.remove(k);
                } else {
                    expected.add(k);
                }
            }
        }
        assertThat(db.volatileSize()).isEqualTo(expected.size());
        java.util.Set<String> walked = new java.util.HashSet<>();
        Entry[] sample = new Entry[16];
        for (int si = 0; si < db.segmentCount(); si++) {
            Segment s = db.segmentAt(si);
            for (int i = 0; i < s.volatileSlots(); i++) {
                Entry e = s.volatileSlot(i);
                if (e != null) {
                    assertThat(e.hasExpiry()).isTrue();
                    assertThat(walked.add(new String(e.key(), java.nio.charset.StandardCharsets.US_ASCII))).isTrue();
                }
            }
            if (s.volatileSize() != 0) {
                assertThat(s.randomVolatile(rnd).hasExpiry()).isTrue();
                int n = s.sample(rnd, sample, sample.length, true);
                assertThat(n).isEqualTo(Math.min(sample.length, s.volatileSize()));
                for (int i = 0; i < n; i++) {
                    assertThat(sample[i].hasExpiry()).isTrue();
                }
            }
        }
        assertThat(walked).isEqualTo(expected);
    }

    @Test
    void volatileKeysAreTracked() {
        Entry a = put("a");
        Entry b = put("b");
        Segment sa = db.segment(a.hash());
        Segment sb = db.segment(b.hash());
        sa.lock();
        sa.setExpireAt(a, 1000);
        sa.unlock();
        sb.lock();
        sb.setExpireAt(b, 2000);
        sb.unlock();
        assertThat(db.volatileSize()).isEqualTo(2);
        sa.lock();
        sa.setExpireAt(a, Entry.NO_EXPIRY);
        sa.unlock();
        assertThat(db.volatileSize()).isEqualTo(1);
        sb.lock();
        sb.remove(b);
        sb.unlock();
        assertThat(db.volatileSize()).isZero();
    }

    /**
     * SCAN's guarantee: a key present from the start to the end of a full iteration is returned,
     * even when the tables grow and shrink between the calls.
     */
    @Test
    void scanReturnsKeysPresentThroughoutDespiteResizes() {
        Random rnd = new Random(7);
        Set<String> stable = new HashSet<>();
        for (int i = 0; i < 3000; i++) {
            put("stable" + i);
            stable.add("stable" + i);
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int round = 0;
        do {
            CollectingCounter c = new CollectingCounter(seen);
            cursor = db.scan(cursor, 10, 100, c);
            // churn: grow by thousands, then shrink again, between scan calls
            if (round % 3 == 0) {
                for (int i = 0; i < 2000; i++) {
                    put("churn" + rnd.nextInt(1_000_000));
                }
            } else if (round % 3 == 1) {
                for (int i = 0; i < 1_000_000 && db.size() > 3500; i++) {
                    del("churn" + i);
                }
            }
            round++;
        } while (cursor != 0);
        assertThat(seen).containsAll(stable);
    }

    @Test
    void randomKeyCoversTheDatabase() {
        for (int i = 0; i < 100; i++) {
            put("r" + i);
        }
        Set<String> seen = new HashSet<>();
        Random rnd = new Random(1);
        for (int i = 0; i < 5000; i++) {
            seen.add(Bytes.latin1(db.randomKey(new Random(rnd.nextLong()), 0)));
        }
        assertThat(seen).hasSize(100);
    }

    private static final class CollectingCounter implements Database.EntryCounter {
        private final Set<String> out;
        private long n;

        CollectingCounter(Set<String> out) {
            this.out = out;
        }

        @Override
        public void accept(Entry e) {
            n++;
            out.add(Bytes.latin1(e.key()));
        }

        @Override
        public long count() {
            return n;
        }
    }
}
