package io.cachalot.core.persist;

import io.cachalot.core.config.Settings;
import io.cachalot.core.keyspace.Keyspace;
import io.cachalot.core.keyspace.Snapshot;
import io.cachalot.core.persist.rdb.FunctionStore;
import io.cachalot.core.persist.rdb.RdbFile;
import io.cachalot.core.persist.rdb.RdbFormatException;
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
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * RDB snapshots of the engine: SAVE, BGSAVE, the load at start, DEBUG RELOAD, and what INFO
 * persistence reports of them. A save never stops the writers: it reads a point-in-time
 * {@link Snapshot} of the keyspace (segments copied as they are reached or first changed), writes
 * {@code temp-<pid>.rdb} in {@code dir}, syncs it and renames it over {@code dbfilename}, as Redis.
 */
public final class Persistence {
    private static final Logger LOG = LoggerFactory.getLogger(Persistence.class);

    private final Keyspace keyspace;
    private final Settings settings;
    private final LongSupplier usedMemory;
    private final AtomicBoolean saving = new AtomicBoolean();
    private volatile long lastSaveSeconds = System.currentTimeMillis() / 1000;
    private volatile long dirtyAtLastSave;
    private volatile boolean lastBgsaveOk = true;
    private volatile long lastBgsaveSeconds = -1;
    private volatile long bgsaveStartMillis = -1;
    private volatile long saves;
    private volatile long lastBgsaveTryMillis;
    private volatile long lastCowBytes;
    private volatile long lastLoadKeys;
    private volatile long lastLoadExpired;

    private final io.cachalot.core.persist.aof.AppendOnly aof;
    /** Which kind of snapshot job holds {@link #saving}: an RDB save or an AOF rewrite (Redis' child type). */
    private volatile boolean aofChild;
    private volatile boolean bgsaveScheduled;

    public Persistence(Keyspace keyspace, Settings settings, LongSupplier usedMemory,
                       io.cachalot.core.propagate.EffectLog effects) {
        this.keyspace = keyspace;
        this.settings = settings;
        this.usedMemory = usedMemory;
        this.aof = new io.cachalot.core.persist.aof.AppendOnly(keyspace, settings, effects, usedMemory,
                new io.cachalot.core.persist.aof.AppendOnly.Children() {
                    @Override
                    public boolean tryStart() {
                        if (saving.compareAndSet(false, true)) {
                            aofChild = true;
                            return true;
                        }
                        return false;
                    }

                    @Override
                    public void finished() {
                        aofChild = false;
                        saving.set(false);
                    }
                });
    }

    private volatile FunctionStore functions = FunctionStore.NONE;

    /** Where the function libraries live (the engine's scripting), saved and loaded with the data. */
    public void setFunctions(FunctionStore functions) {
        this.functions = functions;
        aof.setFunctions(functions);
    }

    /** The append-only file. */
    public io.cachalot.core.persist.aof.AppendOnly aof() {
        return aof;
    }

    /**
     * The load at start, as Redis' loadDataFromDisk: with appendonly yes the AOF (and it is opened
     * for appending, created from the data when there is none), else the RDB file. Returns whether
     * anything was loaded.
     */
    public boolean loadAtStart(io.cachalot.core.persist.aof.AofReplay replay)
            throws IOException, RdbFormatException, io.cachalot.core.persist.aof.AofFormatException {
        if (!settings.appendonly.value()) {
            return load();
        }
        boolean loaded = aof.load(replay);
        dirtyAtLastSave = keyspace.dirty().sum();
        aof.openAtStart();
        return loaded;
    }

    /**
     * DEBUG LOADAOF: everything logged reaches the file, the keyspace is emptied and the AOF
     * loaded back, with every segment locked meanwhile.
     */
    public void reloadAof(io.cachalot.core.persist.aof.AofReplay replay)
            throws IOException, RdbFormatException, io.cachalot.core.persist.aof.AofFormatException {
        aof.close();
        keyspace.lockAll();
        try {
            keyspace.clearAll();
            functions.clear();
            aof.load(replay);
        } finally {
            keyspace.unlockAll();
        }
        aof.openAtStart();
    }

    /** The RDB file: {@code dir}/{@code dbfilename}. */
    public Path file() {
        return Path.of(settings.dir.value(), settings.dbfilename.value());
    }

    /** The result of a save that was refused or failed. */
    public static final class SaveException extends Exception {
        public SaveException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** SAVE: writes the file on the calling thread; other clients go on meanwhile. */
    public void save() throws SaveException {
        if (aofChild) {
            // the snapshot is the rewrite's for now; SAVE follows it (Redis' fork child runs beside SAVE)
            try {
                awaitIdle(10 * 60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!saving.compareAndSet(false, true)) {
            throw new SaveException("ERR Background save already in progress", null);
        }
        try {
            writeFile();
        } catch (Exception e) {
            LOG.warn("Write error saving DB on disk: {}", reason(e));
            throw new SaveException("ERR", e);
        } finally {
            saving.set(false);
        }
    }

    /** {@link #bgsave} results. */
    public static final int BGSAVE_STARTED = 0;
    public static final int BGSAVE_IN_PROGRESS = 1;
    public static final int BGSAVE_AOF_REWRITING = 2;

    /** BGSAVE: starts a save on its own thread; false when one is in progress (or an AOF rewrite). */
    public boolean bgsave() {
        return bgsave(false) == BGSAVE_STARTED;
    }

    /**
     * BGSAVE [SCHEDULE]: starts a save on its own thread. While an AOF rewrite runs, a scheduled
     * save starts once it ends (the cron), as Redis' rdb_bgsave_scheduled.
     */
    public int bgsave(boolean schedule) {
        if (!saving.compareAndSet(false, true)) {
            if (aofChild) {
                if (schedule) {
                    bgsaveScheduled = true;
                }
                return BGSAVE_AOF_REWRITING;
            }
            return BGSAVE_IN_PROGRESS;
        }
        bgsaveScheduled = false;
        aofChild = false;
        bgsaveStartMillis = System.currentTimeMillis();
        lastBgsaveTryMillis = bgsaveStartMillis;
        // the snapshot starts here, so the file holds the data as it was when BGSAVE was called
        Snapshot snapshot = keyspace.startSnapshot();
        Thread t = new Thread(() -> {
            long start = System.currentTimeMillis();
            try {
                writeFile(snapshot);
                lastBgsaveOk = true;
                LOG.info("Background saving terminated with success");
            } catch (Exception e) {
                lastBgsaveOk = false;
                LOG.warn("Write error saving DB on disk: {}", reason(e));
                LOG.warn("Background saving error");
            } finally {
                lastBgsaveSeconds = (System.currentTimeMillis() - start) / 1000;
                bgsaveStartMillis = -1;
                saving.set(false);
            }
        }, "cachalot-bgsave");
        t.setDaemon(true);
        LOG.info("Background saving started");
        t.start();
        return BGSAVE_STARTED;
    }

    /** BGSAVE inside EXEC: the cron starts it once the transaction is over. */
    public void scheduleBgsave() {
        bgsaveScheduled = true;
    }

    /** Redis' retry delay after a failed background save (CONFIG_BGSAVE_RETRY_DELAY). */
    private static final long RETRY_DELAY_SECONDS = 5;

    /**
     * The cron's check of the save points (serverCron): a BGSAVE starts when a point's changes were
     * made and its seconds passed since the last save, unless the last one failed less than 5 s ago.
     */
    public void cron(long nowMillis) {
        aof.cron();
        if (saving.get()) {
            return;
        }
        if (bgsaveScheduled) {
            bgsave(true);
            return;
        }
        long changes = changesSinceLastSave();
        long now = nowMillis / 1000;
        for (long[] point : settings.savePoints()) {
            if (changes >= point[1] && now - lastSaveSeconds > point[0]
                    && (now - lastBgsaveTryMillis / 1000 > RETRY_DELAY_SECONDS || lastBgsaveOk)) {
                LOG.info("{} changes in {} seconds. Saving...", point[1], point[0]);
                bgsave();
                return;
            }
        }
    }

    /**
     * The save before a shutdown (SHUTDOWN, SIGTERM with save points, SHUTDOWN SAVE): waits for a
     * background save in progress, then saves. False, logged, when it failed: the server stays up
     * unless forced.
     */
    public boolean saveBeforeExit() {
        LOG.info("Saving the final RDB snapshot before exiting.");
        try {
            awaitIdle(10 * 60_000);
            save();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SaveException e) {
            // logged by save()
        }
        LOG.warn("Error trying to save the DB, can't exit.");
        return false;
    }

    /**
     * Redis' prepareForShutdown, as far as data goes: saves when asked ({@code save}) or when save
     * points are set, unless {@code nosave}. False when that save failed and not {@code force}:
     * the server then stays up.
     */
    public boolean prepareForShutdown(boolean save, boolean nosave, boolean force) {
        boolean ok = true;
        if (aof.enabled()) {
            LOG.info("Calling fsync() on the AOF file.");
            aof.flushAndSync();
        }
        if (!nosave && (save || hasSavePoints())) {
            ok = saveBeforeExit() || force;
        }
        // decided: closing the engine must not save again (nor save after SHUTDOWN NOSAVE)
        shutdownDecided = ok;
        return ok;
    }

    /** Set once a shutdown has dealt with saving; {@link #saveOnClose} then leaves the file alone. */
    private volatile boolean shutdownDecided;

    /** The engine is closing: with save points and unsaved changes, a last save (failures logged). */
    public void saveOnClose() {
        aof.close();
        if (!shutdownDecided && hasSavePoints() && changesSinceLastSave() > 0) {
            saveBeforeExit();
        }
    }


    /** Whether save points are set (SHUTDOWN and the signals then save first, as Redis). */
    public boolean hasSavePoints() {
        return settings.savePoints().length > 0;
    }

    /**
     * The MISCONF error writes are refused with, or null: save points are set,
     * stop-writes-on-bgsave-error is on and the last background save failed; or the last write to
     * the AOF failed and was not yet written since.
     */
    public String writesDenied() {
        if (!lastBgsaveOk && settings.stopWritesOnBgsaveError.value() && hasSavePoints()) {
            return MISCONF_RDB;
        }
        String aofError = aof.writeError();
        if (aofError != null) {
            return "MISCONF Errors writing to the AOF file: " + aofError;
        }
        return null;
    }

    private static final String MISCONF_RDB = "MISCONF Redis is configured to save RDB snapshots, but it's currently "
            + "unable to persist to disk. Commands that may modify the data set are disabled, because this instance "
            + "is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error "
            + "option). Please check the Redis logs for details about the RDB error.";

    /** The underlying reason of a failed write, as the system put it ("File too large", "No space left on device"). */
    private static String reason(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.io.UncheckedIOException || t.getMessage() == null) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    /** Waits until no save is in progress (tests, shutdown), at most {@code millis}. */
    public boolean awaitIdle(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (saving.get()) {
            if (System.currentTimeMillis() > end) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    private void writeFile() throws Exception {
        writeFile(keyspace.startSnapshot());
    }

    private void writeFile(Snapshot snapshot) throws Exception {
        long dirty = keyspace.dirty().sum();
        Path target = file();
        Path temp = target.resolveSibling("temp-" + ProcessHandle.current().pid() + ".rdb");
        long keys;
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             OutputStream out = Channels.newOutputStream(ch)) {
            keys = RdbFile.write(snapshot, functions.codes(), keyspace, settings, usedMemory.getAsLong(),
                    settings.rdbChecksum.value(), false, out);
            ch.force(true);
        } catch (Exception e) {
            snapshot.close();
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        lastCowBytes = snapshot.copiedForWriters();
        dirtyAtLastSave = dirty;
        lastSaveSeconds = System.currentTimeMillis() / 1000;
        lastBgsaveOk = true; // as Redis' rdbSave: a good save clears a failed background save's error
        saves++;
        LOG.info("DB saved on disk ({} keys)", keys);
    }

    /**
     * Loads the file into the (empty) keyspace if there is one; false when there is none. The
     * caller makes sure nothing else uses the keyspace meanwhile.
     */
    public boolean load() throws IOException, RdbFormatException {
        return load(false);
    }

    private boolean load(boolean merge) throws IOException, RdbFormatException {
        Path f = file();
        if (!Files.exists(f)) {
            return false;
        }
        long start = System.currentTimeMillis();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(f), 1 << 16)) {
            RdbFile.LoadResult r = RdbFile.load(in, Files.size(f), keyspace, settings, System.currentTimeMillis(), merge);
            functions.load(r.functions(), merge);
            lastLoadKeys = r.keysLoaded();
            lastLoadExpired = r.expiredSkipped();
            LOG.info("Done loading RDB, keys loaded: {}, keys expired: {}.", r.keysLoaded(), r.expiredSkipped());
            LOG.info("DB loaded from disk: {} seconds", String.format("%.3f", (System.currentTimeMillis() - start) / 1000.0));
        }
        lastSaveSeconds = System.currentTimeMillis() / 1000;
        dirtyAtLastSave = keyspace.dirty().sum();
        return true;
    }

    /**
     * DEBUG RELOAD: saves (unless not {@code save}), empties the keyspace (unless not
     * {@code flush}) and loads the file back, with every segment locked so that no command sees
     * the data half loaded; {@code merge}: keys of the file replace keys present.
     */
    public void reload(boolean save, boolean flush, boolean merge) throws SaveException, IOException, RdbFormatException {
        if (save) {
            save();
        }
        keyspace.lockAll();
        try {
            if (flush) {
                keyspace.clearAll();
                functions.clear();
            }
            load(merge);
        } finally {
            keyspace.unlockAll();
        }
    }

    public long lastSaveSeconds() {
        return lastSaveSeconds;
    }

    public long changesSinceLastSave() {
        return keyspace.dirty().sum() - dirtyAtLastSave;
    }

    public boolean bgsaveInProgress() {
        return bgsaveStartMillis >= 0;
    }

    public boolean lastBgsaveOk() {
        return lastBgsaveOk;
    }

    public long lastBgsaveSeconds() {
        return lastBgsaveSeconds;
    }

    public long currentBgsaveSeconds() {
        long s = bgsaveStartMillis;
        return s < 0 ? -1 : (System.currentTimeMillis() - s) / 1000;
    }

    /** What the last snapshot copied because writers changed data it had not read yet (rdb_last_cow_size). */
    public long lastCowBytes() {
        return lastCowBytes;
    }

    public long saves() {
        return saves;
    }

    public long lastLoadKeys() {
        return lastLoadKeys;
    }

    public long lastLoadExpired() {
        return lastLoadExpired;
    }
}
