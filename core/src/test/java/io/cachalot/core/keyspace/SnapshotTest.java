package io.cachalot.core.keyspace;

import io.cachalot.core.types.Encoding;

import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.Numbers;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** A snapshot sees the keyspace as it was when it started, while writers keep changing it. */
class SnapshotTest {
    private static void set(Keyspace ks, int db, String k, long v) {
        byte[] key = Bytes.ascii(k);
        int h = Bytes.hash(key);
        Segment s = ks.db(db).lock(h);
        try {
            Entry e = s.find(key, h);
            byte[] value = Numbers.toBytes(v);
            if (e == null) {
                s.insert(key, h, value, ValueType.STRING, Encoding.INT);
            } else {
                s.setValue(e, value, ValueType.STRING, Encoding.INT);
            }
        } finally {
            s.unlock();
        }
    }

    private static void del(Keyspace ks, int db, String k) {
        byte[] key = Bytes.ascii(k);
        int h = Bytes.hash(key);
        Segment s = ks.db(db).lock(h);
        try {
            Entry e = s.find(key, h);
            if (e != null) {
                s.remove(e);
            }
        } finally {
            s.unlock();
        }
    }

    @Test
    void pointInTimeWhileWritersContinue() throws Exception {
        Keyspace ks = new Keyspace(2);
        for (int i = 0; i < 20_000; i++) {
            set(ks, 0, "k" + i, 0);
        }
        set(ks, 1, "other", 7);
        Snapshot snap = ks.startSnapshot();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong writes = new AtomicLong();
        Thread writer = new Thread(() -> {
            long gen = 1;
            while (!stop.get()) {
                for (int i = 0; i < 20_000 && !stop.get(); i += 7) {
                    set(ks, 0, "k" + i, gen);
                    del(ks, 0, "k" + (i + 3));
                    set(ks, 0, "new" + i, gen);
                    writes.incrementAndGet();
                }
                ks.swap(0, 1);
                ks.swap(0, 1);
                gen++;
            }
        });
        writer.start();
        Map<String, Long> seen = new HashMap<>();
        Map<Integer, Integer> perDb = new HashMap<>();
        snap.forEach((db, e) -> {
            perDb.merge(db, 1, Integer::sum);
            if (db == 0) {
                seen.put(Bytes.latin1(e.key()), Numbers.parseLong(e.bytes()));
            }
            Thread.onSpinWait();
        });
        stop.set(true);
        writer.join();
        assertThat(writes.get()).isPositive();
        assertThat(perDb).containsEntry(0, 20_000).containsEntry(1, 1);
        assertThat(seen).hasSize(20_000);
        assertThat(seen.values()).containsOnly(0L);
    }

    /** What writers made the snapshot copy early is counted (INFO rdb_last_cow_size); reading alone copies nothing for them. */
    @Test
    void copiesForWritersAreCounted() throws Exception {
        Keyspace ks = new Keyspace(1);
        for (int i = 0; i < 1000; i++) {
            set(ks, 0, "k" + i, 0);
        }
        Snapshot quiet = ks.startSnapshot();
        quiet.forEach((db, e) -> { });
        org.assertj.core.api.Assertions.assertThat(quiet.copiedForWriters()).isZero();
        Snapshot busy = ks.startSnapshot();
        set(ks, 0, "k1", 1);
        org.assertj.core.api.Assertions.assertThat(busy.copiedForWriters()).isPositive();
        busy.close();
    }

    @Test
    void onlyOneSnapshotAtATime() {
        Keyspace ks = new Keyspace(1);
        Snapshot s = ks.startSnapshot();
        org.assertj.core.api.Assertions.assertThatThrownBy(ks::startSnapshot).isInstanceOf(IllegalStateException.class);
        s.close();
        ks.startSnapshot().close();
    }
}
