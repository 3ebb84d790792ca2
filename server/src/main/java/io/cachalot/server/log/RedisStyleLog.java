package io.cachalot.server.log;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The log sink of the server distribution: lines in redis-server's layout
 * ({@code pid:M 24 Nov 2026 05:19:00.123 * message}), filtered by {@code loglevel} and written
 * to {@code logfile} (standard output when empty).
 */
public final class RedisStyleLog {
    /** Redis' levels, lowest first; their marks are '.', '-', '*', '#'. */
    public static final int DEBUG = 0;
    public static final int VERBOSE = 1;
    public static final int NOTICE = 2;
    public static final int WARNING = 3;
    private static final char[] MARKS = {'.', '-', '*', '#'};
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ENGLISH);
    private static final long PID = ProcessHandle.current().pid();

    private static volatile int threshold = NOTICE;
    private static volatile PrintStream out = System.out;

    private RedisStyleLog() {
    }

    /** Sets the level by Redis name (debug, verbose, notice, warning). */
    public static void setLevel(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "debug": threshold = DEBUG; break;
            case "verbose": threshold = VERBOSE; break;
            case "warning": threshold = WARNING; break;
            default: threshold = NOTICE; break;
        }
    }

    /** Sends the log to a file (appending), or to standard output for an empty name. */
    public static void setFile(String path) throws IOException {
        if (path == null || path.isEmpty()) {
            out = System.out;
        } else {
            out = new PrintStream(new FileOutputStream(path, true), true, StandardCharsets.UTF_8);
        }
    }

    public static boolean enabled(int level) {
        return level >= threshold;
    }

    public static void log(int level, String message, Throwable t) {
        if (level < threshold) {
            return;
        }
        String line = PID + ":M " + LocalDateTime.now().format(TIME) + " " + MARKS[level] + " " + message;
        PrintStream o = out;
        synchronized (RedisStyleLog.class) {
            o.println(line);
            if (t != null) {
                t.printStackTrace(o);
            }
        }
    }
}
