package io.cachalot.core.command.server;

import io.cachalot.core.command.EngineServices;
import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandFamily;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.Help;
import io.cachalot.core.command.Reply;
import io.cachalot.core.evict.Evictor;
import io.cachalot.core.keyspace.Database;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.types.MemorySize;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.Numbers;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.util.Locale;

/**
 * MEMORY USAGE, STATS, DOCTOR, MALLOC-STATS, PURGE. Figures come from the engine's per-entry
 * estimate (kept up to date as values change, so USAGE is exact for the estimate whatever SAMPLES
 * says) and, where Redis reports its allocator, from the JVM's heap.
 */
public final class MemoryCommand implements CommandFamily {
    /** Below this, as Redis, MEMORY DOCTOR has nothing meaningful to say. */
    private static final long DOCTOR_MIN_USED = 5L * 1024 * 1024;

    /** The family, for the engine's ServiceLoader. */
    public MemoryCommand() {
    }

    @Override
    public void register(CommandCatalog c) {
        c.register("memory|usage", MemoryCommand::usage);
        c.register("memory|stats", MemoryCommand::stats);
        c.register("memory|doctor", ctx -> ctx.reply.verbatim("txt", Bytes.utf8(doctor(ctx.engine()))));
        c.register("memory|malloc-stats", ctx -> ctx.reply.verbatim("txt", Bytes.utf8(heapReport())));
        c.register("memory|purge", ctx -> {
            // The JVM's counterpart of returning dirty pages: a collection that may shrink the heap.
            System.gc();
            ctx.reply.ok();
        });
        c.register("memory|help", ctx -> Help.reply(ctx, "memory",
                "DOCTOR",
                "    Return memory problems reports.",
                "MALLOC-STATS",
                "    Return internal statistics report from the memory allocator.",
                "PURGE",
                "    Attempt to purge dirty pages for reclamation by the allocator.",
                "STATS",
                "    Return information about the memory usage of the server.",
                "USAGE <key> [SAMPLES <count>]",
                "    Return memory in bytes used by <key> and its value. Nested values are",
                "    sampled up to <count> times (default: 5, 0 means sample all)."));
    }

    /** MEMORY USAGE key [SAMPLES count]: the entry's estimate (key, value, entry object, table slot). */
    static void usage(CommandContext ctx) {
        byte[][] argv = ctx.argv;
        for (int j = 3; j < ctx.argc; j++) {
            if (Bytes.equalsIgnoreCase(argv[j], "samples") && j + 1 < ctx.argc) {
                if (!Numbers.isLong(argv[j + 1])) {
                    throw Errors.E_NOT_INTEGER;
                }
                if (Numbers.parseLong(argv[j + 1]) < 0) {
                    throw Errors.E_SYNTAX;
                }
                j++;
            } else {
                throw Errors.E_SYNTAX;
            }
        }
        byte[] key = argv[2];
        int h = Bytes.hash(key);
        try (Segment seg = ctx.db().lock(h)) {
            // as Redis, a plain look-up: no expiry check, no access recorded
            Entry e = seg.find(key, h);
            if (e == null) {
                ctx.reply.nullBulk();
            } else {
                ctx.reply.integer(e.memoryUsage());
            }
        }
    }

    static void stats(CommandContext ctx) {
        EngineServices e = ctx.engine();
        Evictor ev = e.evictor();
        long used = Info.usedMemory(e);
        long peak = e.stats().peakMemory;
        long startup = Evictor.STARTUP_MEMORY;
        long clients = e.clientMemory().total();
        int nonEmpty = 0;
        long overhead = startup + clients;
        long keys = 0;
        int dbs = e.keyspace().databaseCount();
        for (int i = 0; i < dbs; i++) {
            Database db = e.keyspace().db(i);
            long n = db.size();
            if (n != 0) {
                nonEmpty++;
                overhead += n * MemorySize.ENTRY + db.volatileSize() * MemorySize.TTL_SLOT;
                keys += n;
            }
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        long resident = heap.getCommitted() + nonHeap.getCommitted();
        long rss = Info.rss();
        long net = used - startup;
        long dataset = used - overhead;

        Reply r = ctx.reply;
        r.map(26 + nonEmpty);
        r.bulk("peak.allocated");
        r.integer(peak);
        r.bulk("total.allocated");
        r.integer(used);
        r.bulk("startup.allocated");
        r.integer(startup);
        r.bulk("replication.backlog");
        r.integer(0);
        r.bulk("clients.slaves");
        r.integer(0);
        r.bulk("clients.normal");
        r.integer(clients);
        r.bulk("cluster.links");
        r.integer(0);
        r.bulk("aof.buffer");
        r.integer(0);
        r.bulk("lua.caches");
        r.integer(0);
        r.bulk("functions.caches");
        r.integer(0);
        for (int i = 0; i < dbs; i++) {
            Database db = e.keyspace().db(i);
            long n = db.size();
            if (n == 0) {
                continue;
            }
            r.bulk("db." + i);
            r.map(3);
            r.bulk("overhead.hashtable.main");
            r.integer(n * MemorySize.ENTRY);
            r.bulk("overhead.hashtable.expires");
            r.integer(db.volatileSize() * MemorySize.TTL_SLOT);
            r.bulk("overhead.hashtable.slot-to-keys");
            r.integer(0);
        }
        r.bulk("overhead.total");
        r.integer(overhead);
        r.bulk("keys.count");
        r.integer(keys);
        r.bulk("keys.bytes-per-key");
        r.integer(keys == 0 ? 0 : net / keys);
        r.bulk("dataset.bytes");
        r.integer(dataset);
        r.bulk("dataset.percentage");
        r.doubleValue(net <= 0 ? 0 : (float) (dataset * 100.0 / net));
        r.bulk("peak.percentage");
        r.doubleValue(peak == 0 ? 0 : (float) (used * 100.0 / peak));
        // Redis' allocator figures, from the JVM: allocated = heap used, active = heap committed,
        // resident = heap and non-heap committed.
        r.bulk("allocator.allocated");
        r.integer(heap.getUsed());
        r.bulk("allocator.active");
        r.integer(heap.getCommitted());
        r.bulk("allocator.resident");
        r.integer(resident);
        r.bulk("allocator-fragmentation.ratio");
        r.doubleValue(ratio(heap.getCommitted(), heap.getUsed()));
        r.bulk("allocator-fragmentation.bytes");
        r.integer(heap.getCommitted() - heap.getUsed());
        r.bulk("allocator-rss.ratio");
        r.doubleValue(ratio(resident, heap.getCommitted()));
        r.bulk("allocator-rss.bytes");
        r.integer(resident - heap.getCommitted());
        r.bulk("rss-overhead.ratio");
        r.doubleValue(ratio(rss, resident));
        r.bulk("rss-overhead.bytes");
        r.integer(rss - resident);
        r.bulk("fragmentation");
        r.doubleValue(ratio(rss, used));
        r.bulk("fragmentation.bytes");
        r.integer(rss - used);
    }

    private static double ratio(long a, long b) {
        return b <= 0 ? 0 : (float) ((double) a / b);
    }

    /** MEMORY DOCTOR: Redis' greeting and sign-off around the JVM-specific findings. */
    static String doctor(EngineServices e) {
        Evictor ev = e.evictor();
        long used = Info.usedMemory(e);
        if (used < DOCTOR_MIN_USED) {
            return "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used "
                    + "in these conditions. Please, leave for your mission on Earth and fill it with some data. The new "
                    + "Sam and I will be back to our programming as soon as I finished rebooting.\n";
        }
        StringBuilder issues = new StringBuilder();
        long peak = e.stats().peakMemory;
        if (peak > used * 3 / 2) {
            issues.append(" * Peak memory: in the past this instance held more than 150% of the data it holds now. "
                    + "The JVM keeps the heap it grew to until a collection shrinks it; MEMORY PURGE asks for one.\n\n");
        }
        if (ev.heapGuard().underPressure()) {
            issues.append(String.format(Locale.ROOT, " * JVM heap pressure: after the last collections the heap was "
                    + "over 90%% full, so the data limit was lowered to %d bytes. Give the JVM a larger -Xmx or set a "
                    + "lower maxmemory.\n\n", ev.heapGuard().pressureLimit()));
        }
        long limit = ev.limit();
        if (limit > 0 && used > limit / 10 * 9) {
            issues.append(String.format(Locale.ROOT, " * Near the limit: the data takes %d of %d bytes allowed (%s); "
                    + "with maxmemory-policy %s, %s.\n\n", used, limit,
                    e.settings().maxmemory.value() > 0 ? "maxmemory" : "maxmemory-heap-percent of the heap",
                    ev.policy().configName, ev.policy() == io.cachalot.core.evict.EvictionPolicy.NOEVICTION
                            ? "writes will be refused with OOM errors" : "keys are being evicted"));
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        if (heap.getMax() > 0 && limit > heap.getMax() / 10 * 9) {
            issues.append(String.format(Locale.ROOT, " * Limit above the heap: the data may grow to %d bytes but the "
                    + "JVM's heap is at most %d bytes; lower maxmemory or raise -Xmx.\n\n", limit, heap.getMax()));
        }
        if (issues.length() == 0) {
            return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on "
                    + "this base.\n";
        }
        return "Sam, I detected a few issues in this Redis instance memory implants:\n\n" + issues
                + "I'm here to keep you safe, Sam. I want to help you.\n";
    }

    /** MEMORY MALLOC-STATS: the JVM's memory pools, its allocator. */
    static String heapReport() {
        StringBuilder sb = new StringBuilder("___ Begin JVM memory pools ___\n");
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage u = p.getUsage();
            MemoryUsage after = p.getCollectionUsage();
            sb.append(String.format(Locale.ROOT, "%s (%s): used %d, committed %d, max %d",
                    p.getName(), p.getType() == java.lang.management.MemoryType.HEAP ? "heap" : "non-heap",
                    u.getUsed(), u.getCommitted(), u.getMax()));
            if (after != null) {
                sb.append(", used after last collection ").append(after.getUsed());
            }
            sb.append('\n');
        }
        return sb.append("___ End JVM memory pools ___\n").toString();
    }
}
