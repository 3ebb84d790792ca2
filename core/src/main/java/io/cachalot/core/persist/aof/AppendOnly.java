package io.cachalot.core.persist.aof;

import io.cachalot.core.config.Settings;
import io.cachalot.core.keyspace.Keyspace;
import io.cachalot.core.keyspace.Snapshot;
import io.cachalot.core.persist.rdb.RdbFile;
import io.cachalot.core.persist.rdb.RdbFormatException;
import io.cachalot.core.propagate.CommandBuffer;
import io.cachalot.core.propagate.CommandForm;
import io.cachalot.core.propagate.EffectLog;
import io.cachalot.core.propagate.Propagated;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongSupplier;

/**
 * Redis 7.0's multi-part append-only file: {@code appenddirname} holds a base (an RDB, or
 * commands without {@code aof-use-rdb-preamble}), incremental files of commands, and the manifest
 * naming them. Writes reach the current incremental file through the {@link EffectLog} (an
 * {@link AofWriter}); a rewrite takes a point-in-time snapshot of the keyspace, starts a new
 * incremental file at that very point, writes the snapshot as the new base beside the writers, and
 * then makes the older files history (deleted). Loading replays the files in the manifest's order.
 */
public final class AppendOnly {
    private static final Logger LOG = LoggerFactory.getLogger(AppendOnly.class);

    private final Keyspace keyspace;
    private final Settings settings;
    private final EffectLog effects;
    private final LongSupplier usedMemory;
    private final Children children;

    /** Guarded by this. */
    private AofManifest manifest;
    private volatile AofWriter writer;
    private volatile boolean on;
    private volatile boolean rewriteScheduled;
    private volatile long rewriteStartMillis = -1;
    private volatile long lastRewriteSeconds = -1;
    private volatile boolean lastRewriteOk = true;
    private volatile long rewrites;
    private volatile int consecutiveFailures;
    private volatile long lastFailureMillis;
    private volatile long lastCowBytes;
    private final java.util.concurrent.atomic.AtomicLong currentSize = new java.util.concurrent.atomic.AtomicLong();
    private volatile long baseSize;
    private Thread syncThread;

    /** The one snapshot user at a time (RDB save or AOF rewrite), as Redis' one child process. */
    public interface Children {
        /** Takes the slot for an AOF rewrite; false when a save has it. */
        boolean tryStart();

        void finished();
    }

    /** Where a rewrite's snapshot was taken: the writer moves to {@link #channel} there. */
    static final class Switch {
        final FileChannel channel;

        Switch(FileChannel channel) {
            this.channel = channel;
        }
    }

    private volatile io.cachalot.core.persist.rdb.FunctionStore functions = io.cachalot.core.persist.rdb.FunctionStore.NONE;

    /** The function libraries: in every base, loaded back from an RDB base. */
    public void setFunctions(io.cachalot.core.persist.rdb.FunctionStore functions) {
        this.functions = functions;
    }

    public AppendOnly(Keyspace keyspace, Settings settings, EffectLog effects, LongSupplier usedMemory, Children children) {
        this.keyspace = keyspace;
        this.settings = settings;
        this.effects = effects;
        this.usedMemory = usedMemory;
        this.children = children;
    }

    public Path dir() {
        return Path.of(settings.dir.value(), settings.appenddirname.value());
    }

    private String manifestName() {
        return settings.appendfilename.value() + ".manifest";
    }

    private String prefix() {
        return settings.appendfilename.value();
    }

    // ------------------------------------------------------------------ start

    /**
     * Loads the AOF at start (appendonly yes), as Redis' loadAppendOnlyFiles: the base, then each
     * incremental file; only the last may end cut short. Returns whether there was one.
     */
    public synchronized boolean load(AofReplay replay) throws IOException, AofFormatException, RdbFormatException {
        Path mf = dir().resolve(manifestName());
        if (!Files.isDirectory(dir()) || !Files.exists(mf)) {
            manifest = null;
            return false;
        }
        AofManifest m = AofManifest.load(mf);
        long start = System.currentTimeMillis();
        int total = (m.base != null ? 1 : 0) + m.incrs.size();
        int index = 0;
        long size = 0;
        if (m.base != null) {
            index++;
            size += loadFile(m.base, index == total, replay, true);
        }
        for (AofManifest.FileInfo f : m.incrs) {
            index++;
            size += loadFile(f, index == total, replay, false);
        }
        manifest = m;
        currentSize.set(size);
        baseSize = size;
        LOG.info("DB loaded from append only file: {} seconds",
                String.format(java.util.Locale.ROOT, "%.3f", (System.currentTimeMillis() - start) / 1000.0));
        return true;
    }

    private long loadFile(AofManifest.FileInfo f, boolean last, AofReplay replay, boolean base)
            throws IOException, AofFormatException, RdbFormatException {
        Path p = dir().resolve(f.name());
        if (!Files.exists(p)) {
            throw new AofFormatException("The AOF file " + f.name() + " doesn't exist");
        }
        long start = System.currentTimeMillis();
        if (isRdb(p)) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16)) {
                functions.load(RdbFile.load(in, Files.size(p), keyspace, settings, System.currentTimeMillis(), false)
                        .functions(), false);
            }
        } else {
            int r = AofReader.load(p, f.name(), last && settings.aofLoadTruncated.value(), replay);
            if (r == AofReader.TRUNCATED && !last) {
                throw new AofFormatException("Fatal error: the truncated file is not the last file");
            }
        }
        LOG.info("DB loaded from {} file {}: {} seconds", base ? "base" : "incr", f.name(),
                String.format(java.util.Locale.ROOT, "%.3f", (System.currentTimeMillis() - start) / 1000.0));
        return Files.size(p);
    }

    private static boolean isRdb(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] head = in.readNBytes(5);
            return head.length == 5 && new String(head, java.nio.charset.StandardCharsets.US_ASCII).equals("REDIS");
        }
    }

    /**
     * Opens the AOF for appending after the load (appendonly yes at start), as Redis'
     * aofOpenIfNeededOnServerStart: with no file yet, the current data becomes the base; writes go
     * to the last incremental file (a new one when there is none).
     */
    public synchronized void openAtStart() throws IOException {
        Files.createDirectories(dir());
        if (manifest == null) {
            manifest = new AofManifest();
            AofManifest.FileInfo base = manifest.newBase(prefix(), settings.aofUseRdbPreamble.value());
            try (Snapshot s = keyspace.startSnapshot()) {
                writeBase(s, dir().resolve(base.name()));
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e.getMessage(), e);
            }
            LOG.info("Creating AOF base file {} on server start", base.name());
            baseSize = Files.size(dir().resolve(base.name()));
            currentSize.set(baseSize);
        }
        AofManifest.FileInfo incr = manifest.incrs.isEmpty() ? manifest.newIncr(prefix())
                : manifest.incrs.get(manifest.incrs.size() - 1);
        Path p = dir().resolve(incr.name());
        FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        manifest.persist(dir(), manifestName());
        if (manifest.incrs.size() == 1 && manifest.base != null && ch.size() == 0) {
            LOG.info("Creating AOF incr file {} on server start", incr.name());
        }
        AofWriter w = new AofWriter(this, ch, ch.size());
        writer = w;
        effects.attach(w);
        on = true;
        startSyncThread();
    }

    // ------------------------------------------------------------------ rewrite

    /** BGREWRITEAOF results. */
    public static final int STARTED = 0;
    public static final int IN_PROGRESS = 1;
    public static final int SCHEDULED = 2;
    public static final int FAILED = 3;

    /** BGREWRITEAOF: rewrites beside the writers; scheduled when a save holds the snapshot or inside EXEC. */
    public synchronized int bgrewrite(boolean inTransaction) {
        if (rewriteStartMillis >= 0) {
            return IN_PROGRESS;
        }
        // inside EXEC the snapshot would hold half the transaction: the cron starts it after
        if (inTransaction || !children.tryStart()) {
            rewriteScheduled = true;
            return SCHEDULED;
        }
        return startRewrite(on ? LIVE : OFFLINE) ? STARTED : FAILED;
    }

    /** How a rewrite relates to logging: the AOF is on (LIVE), being turned on (ENABLE), or off. */
    private static final int LIVE = 0;
    private static final int ENABLE = 1;
    private static final int OFFLINE = 2;
    /** What a scheduled rewrite is for: CONFIG SET appendonly yes waiting for a save. */
    private volatile boolean enableScheduled;

    /**
     * CONFIG SET appendonly yes at run time: a rewrite whose snapshot instant is where logging
     * starts; the AOF is on once its base is written (as Redis' startAppendOnly). False when it
     * could not start (the error is logged).
     */
    public synchronized boolean enable() {
        if (on || writer != null) {
            return true; // on, or being turned on
        }
        if (rewriteStartMillis >= 0 || !children.tryStart()) {
            // a save or a rewrite of the files holds the snapshot: the cron starts this one after it
            rewriteScheduled = true;
            enableScheduled = true;
            return true;
        }
        return startRewrite(ENABLE);
    }

    /** CONFIG SET appendonly no: stops logging; the files stay. */
    public synchronized void disable() {
        enableScheduled = false;
        if (!on && writer == null) {
            return;
        }
        effects.detach();
        AofWriter w = writer;
        writer = null;
        on = false;
        if (w != null) {
            w.close();
        }
    }

    /**
     * Called with the children's slot taken; releases it when the rewrite ends. LIVE: the writer
     * moves to the new incremental file at the snapshot's instant; ENABLE: logging starts there;
     * OFFLINE (BGREWRITEAOF with appendonly no, as Redis): new files, nothing logged.
     */
    private boolean startRewrite(int mode) {
        rewriteScheduled = false;
        enableScheduled = false;
        rewriteStartMillis = System.currentTimeMillis();
        FileChannel ch = null;
        try {
            Files.createDirectories(dir());
            AofManifest next = manifest == null ? new AofManifest() : manifest.copy();
            AofManifest.FileInfo incr = next.newIncr(prefix());
            ch = FileChannel.open(dir().resolve(incr.name()), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            if (mode == LIVE) {
                // listed before anything is written to it: a crash mid-rewrite loses nothing
                next.persist(dir(), manifestName());
            }
            manifest = next;
            FileChannel channel = ch;
            if (mode == OFFLINE) {
                channel.close();
            }
            Switch sw = new Switch(channel);
            Snapshot snap = keyspace.startSnapshot(() -> {
                if (mode == ENABLE) {
                    AofWriter w = new AofWriter(this, channel, 0);
                    writer = w;
                    effects.attach(w);
                } else if (mode == LIVE) {
                    effects.mark(sw);
                }
            });
            if (mode == LIVE) {
                effects.drainAll(); // move to the new file now rather than at the next write
            }
            Thread t = new Thread(() -> finishRewrite(snap, incr, mode == ENABLE), "cachalot-aof-rewrite");
            t.setDaemon(true);
            LOG.info("Background append only file rewriting started");
            t.start();
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Can't rewrite append only file in background: {}", e.getMessage());
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            rewriteFailed();
            return false;
        }
    }

    private void finishRewrite(Snapshot snap, AofManifest.FileInfo incr, boolean enabling) {
        long start = System.currentTimeMillis();
        Path temp = dir().resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + ".aof");
        boolean ok = false;
        try {
            try (snap) {
                writeBase(snap, temp);
            }
            lastCowBytes = snap.copiedForWriters();
            synchronized (this) {
                AofManifest m = manifest.copy();
                AofManifest.FileInfo base = m.newBase(prefix(), settings.aofUseRdbPreamble.value());
                Files.move(temp, dir().resolve(base.name()), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                m.incrsBeforeAreHistory(incr);
                m.persist(dir(), manifestName());
                for (AofManifest.FileInfo h : m.history) {
                    Files.deleteIfExists(dir().resolve(h.name()));
                }
                if (!m.history.isEmpty()) {
                    m.history.clear();
                    m.persist(dir(), manifestName());
                }
                manifest = m;
                long size = Files.size(dir().resolve(base.name()));
                for (AofManifest.FileInfo f : m.incrs) {
                    Path p = dir().resolve(f.name());
                    if (Files.exists(p)) {
                        size += Files.size(p);
                    }
                }
                baseSize = size;
                currentSize.set(size);
                if (enabling && writer != null) {
                    // (unless CONFIG SET appendonly no came meanwhile)
                    on = true;
                    startSyncThread();
                }
            }
            ok = true;
            LOG.info("Background AOF rewrite terminated with success");
            LOG.info("Background AOF rewrite finished successfully");
        } catch (Exception e) {
            LOG.warn("Background AOF rewrite failed: {}", e.getMessage() != null ? e.getMessage() : e.toString());
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort
            }
            if (enabling) {
                synchronized (this) {
                    effects.detach();
                    AofWriter w = writer;
                    writer = null;
                    if (w != null) {
                        w.close();
                    }
                }
            }
        } finally {
            lastRewriteSeconds = (System.currentTimeMillis() - start) / 1000;
            if (ok) {
                lastRewriteOk = true;
                consecutiveFailures = 0;
                rewrites++;
                rewriteStartMillis = -1;
                children.finished();
            } else {
                rewriteFailed();
            }
        }
    }

    private void rewriteFailed() {
        lastRewriteOk = false;
        consecutiveFailures++;
        lastFailureMillis = System.currentTimeMillis();
        rewriteStartMillis = -1;
        children.finished();
    }

    /** Writes a snapshot as an AOF base: an RDB (aof-base 1) or, without the preamble, commands. */
    private void writeBase(Snapshot snap, Path file) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
            if (settings.aofUseRdbPreamble.value()) {
                RdbFile.write(snap, functions.codes(), keyspace, settings, usedMemory.getAsLong(),
                        settings.rdbChecksum.value(), true, out);
            } else {
                CommandBuffer b = new CommandBuffer(1 << 16);
                for (byte[] code : functions.codes()) {
                    b.command(Propagated.FUNCTION, Propagated.LOAD, code);
                }
                int[] db = {-1};
                snap.forEach((d, e) -> {
                    if (!CommandForm.has(e)) {
                        return;
                    }
                    if (d != db[0]) {
                        db[0] = d;
                        b.command(Propagated.SELECT, Propagated.number(d));
                    }
                    CommandForm.write(b, e);
                    if (b.length() > 1 << 16) {
                        out.write(b.array(), 0, b.length());
                        b.clear();
                    }
                });
                out.write(b.array(), 0, b.length());
            }
            out.flush();
            ch.force(true);
        }
    }

    // ------------------------------------------------------------------ running

    /** The cron: a scheduled rewrite, the automatic rewrite, and retrying a failed write. */
    public void cron() {
        AofWriter w = writer;
        if (w != null && w.writeError() != null) {
            effects.retryFlush();
        }
        if (rewriteStartMillis >= 0) {
            return;
        }
        if (rewriteScheduled) {
            if (children.tryStart()) {
                synchronized (this) {
                    startRewrite(on ? LIVE : enableScheduled ? ENABLE : OFFLINE);
                }
            }
            return;
        }
        long perc = settings.autoAofRewritePercentage.value();
        if (!on || perc <= 0) {
            return;
        }
        // after failures, wait a minute per failure (at most an hour), as Redis limits retries
        if (consecutiveFailures >= 3 && System.currentTimeMillis() - lastFailureMillis
                < Math.min(60, consecutiveFailures) * 60_000L) {
            return;
        }
        long size = currentSize.get();
        long base = Math.max(1, baseSize);
        if (size > settings.autoAofRewriteMinSize.value()) {
            long growth = size * 100 / base - 100;
            if (growth >= perc && children.tryStart()) {
                LOG.info("Starting automatic rewriting of AOF on {}% growth", growth);
                synchronized (this) {
                    startRewrite(LIVE);
                }
            }
        }
    }

    private synchronized void startSyncThread() {
        if (syncThread != null) {
            return;
        }
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                AofWriter w = writer;
                if (w == null) {
                    continue;
                }
                // slots of clients that left before their replies were flushed still get written
                effects.deliverFilled();
                if (!settings.appendfsync.value().equals("everysec")) {
                    continue;
                }
                if (settings.noAppendfsyncOnRewrite.value() && rewriteStartMillis >= 0) {
                    continue;
                }
                w.syncIfBehind();
            }
        }, "cachalot-aof-fsync");
        t.setDaemon(true);
        t.start();
        syncThread = t;
    }

    boolean syncAlways() {
        return settings.appendfsync.value().equals("always")
                && !(settings.noAppendfsyncOnRewrite.value() && rewriteStartMillis >= 0);
    }

    void grew(long n) {
        currentSize.addAndGet(n);
    }

    /** Everything logged so far reaches the file, synced (SHUTDOWN, before its save). */
    public void flushAndSync() {
        AofWriter w = writer;
        if (w != null) {
            effects.drainAll();
            w.syncIfBehind();
        }
    }

    /** Shutdown: everything logged reaches the file, synced. */
    public synchronized void close() {
        Thread t = syncThread;
        if (t != null) {
            t.interrupt();
            syncThread = null;
        }
        if (writer != null) {
            effects.detach();
            writer.close();
            writer = null;
        }
    }

    // ------------------------------------------------------------------ INFO

    public boolean enabled() {
        return on || writer != null;
    }

    public boolean on() {
        return on;
    }

    /** The reason of the last failed write while it is not solved (MISCONF), else null. */
    public String writeError() {
        AofWriter w = writer;
        return w == null ? null : w.writeError();
    }

    public boolean rewriteInProgress() {
        return rewriteStartMillis >= 0;
    }

    public boolean rewriteScheduled() {
        return rewriteScheduled;
    }

    public long lastRewriteSeconds() {
        return lastRewriteSeconds;
    }

    public long currentRewriteSeconds() {
        long s = rewriteStartMillis;
        return s < 0 ? -1 : (System.currentTimeMillis() - s) / 1000;
    }

    public boolean lastRewriteOk() {
        return lastRewriteOk;
    }

    public long rewrites() {
        return rewrites;
    }

    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    public long lastCowBytes() {
        return lastCowBytes;
    }

    public long currentSize() {
        return currentSize.get();
    }

    public long baseSize() {
        return baseSize;
    }

    public int bufferLength() {
        AofWriter w = writer;
        return w == null ? 0 : w.pending();
    }
}
