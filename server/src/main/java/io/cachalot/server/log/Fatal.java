package io.cachalot.server.log;

import java.util.function.Consumer;

/**
 * Errors after which the process cannot be trusted to serve: an {@link OutOfMemoryError} of the
 * heap that escaped every place able to handle it (a client's command, a client's own input or
 * output). The launcher makes them stop the process, so that a supervisor restarts it rather
 * than a JVM sitting there half-alive; a server embedded in an application only logs them (the
 * application owns its JVM).
 */
public final class Fatal {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Fatal.class);

    /** What happens after the log line; null: nothing more. */
    private static volatile Consumer<Throwable> action;

    private Fatal() {
    }

    /** Makes fatal errors halt the process with exit status 1 (the standalone server). */
    public static void haltOnFatal() {
        action = t -> Runtime.getRuntime().halt(1);
    }

    /** Replaces what follows the log line (tests observe instead of halting). */
    public static void setAction(Consumer<Throwable> a) {
        action = a;
    }

    /**
     * Direct memory running out is not fatal: it is the memory of client buffers (Netty's pooled
     * allocator, NIO buffers), and the connection that needed it is closed instead.
     */
    public static boolean isDirectMemory(Throwable t) {
        if (t instanceof io.netty.util.internal.OutOfDirectMemoryError) {
            return true;
        }
        String m = t.getMessage();
        return t instanceof OutOfMemoryError && m != null && m.contains("irect buffer memory");
    }

    /** Whether {@code t} is fatal: an OutOfMemoryError of the heap (or the JVM's own limits). */
    public static boolean isFatal(Throwable t) {
        return t instanceof OutOfMemoryError && !isDirectMemory(t);
    }

    /** Reports a fatal error seen in {@code where}, then applies the action (halting the launcher). */
    public static void report(String where, Throwable t) {
        Consumer<Throwable> a = action;
        try {
            LOG.warn("Out of memory in {}: {}. A JVM out of heap cannot serve reliably{}", where, t.toString(),
                    a != null ? ": exiting, to be restarted" : "; the application embedding the server should restart");
        } catch (Throwable again) {
            // even the log line could not be built: say it as plainly as possible
            System.err.println("Out of memory");
        }
        if (a != null) {
            a.accept(t);
        }
    }
}
