package io.cachalot.core.spi;

import io.cachalot.core.Engine;

import java.io.IOException;

/**
 * Serves an engine that an application embeds over RESP, so that {@code redis-cli} can look at a
 * running application's caches. The server module implements it (found with
 * {@link java.util.ServiceLoader}); core does not depend on the network code.
 */
public interface EngineServer {
    /**
     * Starts serving {@code engine} on {@code bind}:{@code port} (0: a free port the OS picks).
     * Closing the returned handle stops serving; the engine keeps running.
     */
    Serving serve(Engine engine, String bind, int port) throws IOException;

    /** A running server. */
    interface Serving extends AutoCloseable {
        int port();

        @Override
        void close();
    }
}
