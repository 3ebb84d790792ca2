package io.cachalot.provider;

import io.cachalot.provider.codec.Codecs;
import io.cachalot.provider.store.CacheStore;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The number-key hit path must look up exactly the key the array path builds (prefix, then the
 * decimal text), or step aside: checked through the store's default decimal-key look-up, which
 * writes the key out as an array.
 */
class NumberKeyLookupTest {
    private static final Object HIT = new Object();

    /** Records the key of each peek and compute; everything else is out of this test's scope. */
    private static final class RecordingStore implements CacheStore {
        byte[] peeked;
        byte[] computed;

        @Override
        public Object peek(byte[] key) {
            peeked = key;
            return HIT;
        }

        @Override
        public <R> R compute(byte[] key, EntryOperation<R> op) {
            computed = key;
            return null;
        }

        @Override
        public byte[] keyPrefix() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long size() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Iterator<byte[]> keys() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long clear() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean supportsReferences() {
            return true;
        }

        @Override
        public void setExpiryListener(ExpiryListener listener) {
        }

        @Override
        public void setEvictionListener(EvictionListener listener) {
        }

        @Override
        public void close() {
        }
    }

    private static void check(byte[] prefix, long v) {
        NumberKeyLookup lookup = NumberKeyLookup.of(prefix, Long.class);
        String text = Long.toString(v);
        if (lookup == null) {
            boolean digitLast = prefix.length > 0 && prefix[prefix.length - 1] >= '0' && prefix[prefix.length - 1] <= '9';
            assertTrue(prefix.length >= 24 || digitLast, "only a long prefix or one ending in a digit goes without");
            return;
        }
        RecordingStore store = new RecordingStore();
        Object r = lookup.peek(store, v, v);
        if (v != Long.MIN_VALUE && Math.abs(v) < 1_000_000_000_000_000L) {
            assertSame(HIT, r, text + " after " + prefix.length);
            assertArrayEquals(Codecs.LONG.encode(v, prefix), store.peeked, text + " after " + prefix.length);
            assertTrue(lookup.covers(v));
            lookup.compute(store, v, v, e -> null); // the store's default writes the key out
            assertArrayEquals(Codecs.LONG.encode(v, prefix), store.computed, text + " after " + prefix.length);
        } else {
            assertNull(r, text + " after " + prefix.length);
            assertNull(store.peeked);
            assertFalse(lookup.covers(v), text);
        }
    }

    @Test
    void looksUpTheKeyTheArrayPathBuildsOrStepsAside() {
        Random r = new Random(5);
        for (int p = 0; p <= 25; p++) {
            byte[] prefix = new byte[p];
            r.nextBytes(prefix);
            long ten = 1;
            for (int i = 0; i < 19; i++) {
                for (long d = -2; d <= 2; d++) {
                    check(prefix, ten + d);
                    check(prefix, -(ten + d));
                }
                ten *= 10;
            }
            check(prefix, Long.MAX_VALUE);
            check(prefix, Long.MIN_VALUE);
            for (long v = -1100; v <= 1100; v++) {
                check(prefix, v);
            }
            for (int i = 0; i < 20_000; i++) {
                check(prefix, r.nextLong() >> r.nextInt(64));
            }
        }
    }

    /**
     * Real caches, prefixes of every length around the limit: reads and writes by number (or by
     * array, past 15 digits) find what was put, and the keys it created are those the array
     * path builds (the iterator decodes them from the stored bytes).
     */
    @Test
    void numberKeysFindWhatWasPutUnderTheArrayPathsKeys() {
        long[] keys = {0, 1, -1, 9, 10, -10, 99_999_999, 100_000_000, -100_000_000, 123_456_789_012L,
                999_999_999_999_999L, 1_000_000_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE,
                Integer.MAX_VALUE, Integer.MIN_VALUE};
        try (CachalotCacheManager m = Caches.manager()) {
            for (int n = 1; n <= 25; n++) {
                for (boolean byValue : new boolean[] {true, false}) {
                    String name = "c".repeat(n) + (byValue ? "v" : "r");
                    javax.cache.Cache<Long, String> longs = m.createCache(name + "L",
                            new javax.cache.configuration.MutableConfiguration<Long, String>()
                                    .setTypes(Long.class, String.class).setStoreByValue(byValue));
                    javax.cache.Cache<Integer, String> ints = m.createCache(name + "I",
                            new javax.cache.configuration.MutableConfiguration<Integer, String>()
                                    .setTypes(Integer.class, String.class).setStoreByValue(byValue));
                    for (long k : keys) {
                        longs.put(k, "v" + k);
                        ints.put((int) k, "i" + (int) k);
                    }
                    java.util.Set<Long> stored = new java.util.HashSet<>();
                    for (javax.cache.Cache.Entry<Long, String> e : longs) {
                        stored.add(e.getKey()); // decoded from the key bytes the store holds
                    }
                    java.util.Set<Long> put = new java.util.HashSet<>();
                    for (long k : keys) {
                        put.add(k);
                        assertEquals("v" + k, longs.get(k), name + " " + k);
                        assertEquals("i" + (int) k, ints.get((int) k), name + " " + (int) k);
                        assertNull(longs.get(k ^ 0x4000_0000L), name + " absent " + k);
                        assertEquals("v" + k, longs.getAndPut(k, "w" + k), name + " " + k);
                        assertTrue(longs.containsKey(k), name + " " + k);
                        assertTrue(longs.replace(k, "w" + k, "x" + k), name + " " + k);
                        assertEquals("x" + k, longs.invoke(k, (e, a) -> e.getValue()), name + " " + k);
                    }
                    assertEquals(put, stored, name + ": the keys the number path created are the array path's");
                    for (long k : keys) {
                        assertEquals("x" + k, longs.getAndRemove(k), name + " " + k);
                        assertFalse(longs.containsKey(k), name + " " + k);
                        assertTrue(ints.remove((int) k) || (int) k != k, name + " " + k);
                    }
                    assertFalse(longs.iterator().hasNext(), name);
                }
            }
        }
    }
}
