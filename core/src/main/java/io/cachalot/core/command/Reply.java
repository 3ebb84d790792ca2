package io.cachalot.core.command;

import io.cachalot.core.util.Bytes;

/**
 * Where a command writes its reply. Commands describe replies in RESP3 terms (maps, sets,
 * doubles, nulls); each sink renders them for its client — the RESP server as RESP2 or RESP3
 * bytes, an in-process caller as Java objects. Errors pass through {@link #error(String)} so that
 * they are counted for INFO errorstats and commandstats.
 */
public abstract class Reply {
    /** Observes every error reply (INFO errorstats); may be null. */
    public interface ErrorObserver {
        void onError(String message);
    }

    private ErrorObserver errorObserver;
    private long errors;

    public final void setErrorObserver(ErrorObserver observer) {
        this.errorObserver = observer;
    }

    /**
     * An error reply. {@code message} starts with the error code ("ERR ...", "WRONGTYPE ...");
     * CR and LF are replaced by spaces, as Redis does, so the reply stays well-formed.
     */
    public final void error(String message) {
        error(message, true);
    }

    /**
     * An error reply that INFO errorstats counts only when {@code counted}: a script's error that
     * a command it called already counted (Redis' ERR_REPLY_FLAG_NO_STATS_UPDATE). Commandstats
     * still see a failed call.
     */
    public final void error(String message, boolean counted) {
        errors++;
        if (message.indexOf('\r') >= 0 || message.indexOf('\n') >= 0) {
            message = message.replace('\r', ' ').replace('\n', ' ');
        }
        if (counted && errorObserver != null) {
            errorObserver.onError(message);
        }
        if (!counted) {
            uncounted = true;
        }
        try {
            writeError(message);
        } finally {
            uncounted = false;
        }
    }

    private boolean uncounted;

    /** While {@link #writeError} runs: whether errorstats did not count this error. */
    protected final boolean errorUncounted() {
        return uncounted;
    }

    /**
     * The command ran out of memory before its reply was complete. The default answers
     * {@code error}; a sink that has already passed part of this command's reply on cannot
     * complete it and must give the reply up instead (the RESP connection closes).
     */
    public void outOfMemory(String error) {
        error(error);
    }

    /** Number of error replies written so far (commandstats compares before and after a call). */
    public final long errorCount() {
        return errors;
    }

    protected abstract void writeError(String message);

    /** The protocol version the client speaks: 2 or 3. */
    public abstract int protocol();

    /**
     * While set, replies are dropped (CLIENT REPLY OFF/SKIP); errors are still counted. Sinks
     * that cannot drop replies ignore it.
     */
    public void setDiscard(boolean discard) {
    }

    /** Changes the protocol of the replies that follow (HELLO, RESET). */
    public abstract void switchProtocol(int protocol);

    /** A status reply, e.g. {@code +OK}. */
    public abstract void status(String s);

    public void ok() {
        status("OK");
    }

    public abstract void integer(long v);

    public abstract void bulk(byte[] b, int off, int len);

    public void bulk(byte[] b) {
        bulk(b, 0, b.length);
    }

    public void bulk(String s) {
        bulk(Bytes.utf8(s));
    }

    /** The null bulk string ({@code $-1} in RESP2, {@code _} in RESP3). */
    public abstract void nullBulk();

    /** The null array ({@code *-1} in RESP2, {@code _} in RESP3). */
    public abstract void nullArray();

    public abstract void array(int n);

    /** A map of {@code n} key/value pairs (a flat array of 2n elements in RESP2). */
    public abstract void map(int n);

    /** A set (an array in RESP2). */
    public abstract void set(int n);

    /**
     * RESP3 attributes: {@code n} key/value pairs about the reply that follows them (DEBUG
     * PROTOCOL attrib), sent only to RESP3 clients; sinks that build values skip them, as Redis'
     * Lua does.
     */
    public abstract void attribute(int n);

    /** An out-of-band push message (an array in RESP2). */
    public abstract void push(int n);

    /** A double (a bulk string in RESP2), formatted as Redis' {@code %.17g}. */
    public abstract void doubleValue(double d);

    /**
     * A double as Redis' addReplyHumanLongDouble writes it (GEOPOS coordinates): {@code text} is
     * its {@code %.17Lf} form, sent as a bulk string in RESP2 and as a RESP3 double with exactly
     * that text (sinks that build values take the number it reads as).
     */
    public void humanDouble(byte[] text) {
        if (protocol() == 2) {
            bulk(text);
        } else {
            doubleValue(Double.parseDouble(io.cachalot.core.util.Bytes.latin1(text)));
        }
    }

    /** A boolean ({@code :1}/{@code :0} in RESP2). */
    public abstract void bool(boolean b);

    /** A verbatim string such as INFO's text ({@code =len\r\ntxt:...}; a bulk string in RESP2). */
    public abstract void verbatim(String format, byte[] text);

    /** A big number (a bulk string in RESP2). */
    public abstract void bigNumber(String digits);

    }
