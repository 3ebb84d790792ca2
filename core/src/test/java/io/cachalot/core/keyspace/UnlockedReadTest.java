package io.cachalot.core.keyspace;

import io.cachalot.core.types.Encoding;

import io.cachalot.core.util.Bytes;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Look-ups without the lock, validated by the segment's version, while a writer inserts, removes,
 * rewrites and resizes: a validated read never misses a key that stays, and never returns a value
 * of another key.
 */
class UnlockedReadTest {
    @Test
    void validatedReadsAreConsistentUnderChurn() throws Exception {
        Keyspace ks = new Keyspace(1, 1);
        Database db = ks.db(0);
        int stable = 2000;
        for (int i = 0; i < stable; i++) {
            put(db, "s" + i, "s" + i);
        }
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            while (!stop.get()) {
                // bursts of inserts then removals make both segments grow and shrink (resizes)
                for (int i = 0; i < 5000; i++) {
                    put(db, "t" + i, "t" + i);
                }
                for (int i = 0; i < 5000; i++) {
                    del(db, "t" + i);
                }
                put(db, "s" + r.nextInt(stable), null); // rewrite a stable key's value in place
            }
        });
        writer.start();
        AtomicLong validated = new AtomicLong();
        long deadline = System.currentTimeMillis() + 1500;
        ThreadLocalRandom r = ThreadLocalRandom.current();
        try {
            while (System.currentTimeMillis() < deadline) {
                String k = "s" + r.nextInt(stable);
                byte[] key = Bytes.ascii(k);
                int h = Bytes.hash(key);
                Segment s = db.segment(h);
                int v = s.readVersion();
                Entry e = s.findUnlocked(key, h);
                Object value = e == null ? null : e.value();
                if (s.validate(v)) {
                    validated.incrementAndGet();
                    assertThat(e).as("stable key %s", k).isNotNull();
                    assertThat(new String((byte[]) value)).isEqualTo(k);
                }
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        assertThat(validated.get()).isGreaterThan(1000);
    }

    /** Inserts or rewrites (a null value rewrites the key with a fresh copy of its current value). */
    private static void put(Database db, String k, String v) {
        byte[] key = Bytes.ascii(k);
        int h = Bytes.hash(key);
        Segment s = db.lock(h);
        try {
            Entry e = s.find(key, h);
            if (e == null) {
                s.insert(key, h, Bytes.ascii(v), ValueType.STRING, Encoding.RAW);
            } else {
                s.setValue(e, ((byte[]) e.value()).clone(), ValueType.STRING, Encoding.RAW);
            }
        } finally {
            s.unlock();
        }
    }

    private static void del(Database db, String k) {
        byte[] key = Bytes.ascii(k);
        int h = Bytes.hash(key);
        Segment s = db.lock(h);
        try {
            Entry e = s.find(key, h);
            if (e != null) {
                s.remove(e);
            }
        } finally {
            s.unlock();
        }
    }
}
