package io.cachalot.core.host;

import java.util.Collections;
import java.util.Map;

/**
 * What the engine asks of the process hosting it (the RESP server, or an application embedding
 * the engine): facts for INFO server, and actions the engine cannot take itself.
 */
public interface ServerHooks {
    /** Hooks of an engine without a network server. */
    ServerHooks EMBEDDED = new ServerHooks() {
    };

    default int tcpPort() {
        return 0;
    }

    default String configFile() {
        return "";
    }

    default String executable() {
        return "";
    }

    /** Extra "name:value" fields for INFO server (in order). */
    default Map<String, String> serverInfo() {
        return Collections.emptyMap();
    }

    /**
     * SHUTDOWN: stops the process (asynchronously, after replies are flushed). Returns false when
     * it is not possible here (an embedded engine is stopped by its application).
     */
    default boolean shutdown() {
        return false;
    }

    /**
     * The JVM ran out of heap where the engine cannot recover ({@code where}: its cron thread, or
     * DEBUG OOM). The standalone server logs it and exits, so that a supervisor restarts it; an
     * embedded engine only logs it and leaves the JVM to its application.
     */
    default void outOfMemory(String where, OutOfMemoryError error) {
        org.slf4j.LoggerFactory.getLogger(ServerHooks.class).warn("Out of memory in {}: {}", where, error.toString());
    }

    /** CONFIG REWRITE: null on success, else the error message (without "ERR "). */
    default String rewriteConfig() {
        return "The server is running without a config file";
    }
}
