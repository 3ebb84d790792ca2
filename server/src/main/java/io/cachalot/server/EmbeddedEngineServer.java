package io.cachalot.server;

import io.cachalot.core.Engine;
import io.cachalot.core.spi.EngineServer;

import java.io.IOException;

/** {@link EngineServer} of the server module: a RESP server over an application's engine. */
public final class EmbeddedEngineServer implements EngineServer {
    @Override
    public Serving serve(Engine engine, String bind, int port) throws IOException {
        CachalotServer server;
        try {
            engine.settings().config.setAtStartup("bind", bind);
            if (port != 0) {
                engine.settings().config.setAtStartup("port", Integer.toString(port));
            }
            server = new CachalotServer(engine);
        } catch (Exception e) {
            throw new IOException("cannot serve the engine on " + bind + ":" + port + ": " + e.getMessage(), e);
        }
        if (port == 0) {
            server.startOnEphemeralPort();
        } else {
            server.start();
        }
        return new Serving() {
            @Override
            public int port() {
                return server.port();
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }
}
