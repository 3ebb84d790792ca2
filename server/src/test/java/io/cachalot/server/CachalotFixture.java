package io.cachalot.server;

import io.cachalot.core.config.Settings;

/** Starts an in-process Cachalot server on an OS-assigned loopback port for a test class. */
public final class CachalotFixture implements AutoCloseable {
    private final CachalotServer server;

    private CachalotFixture(CachalotServer server) {
        this.server = server;
    }

    /** A server with debug commands enabled (as the reference redis-server of the tests). */
    public static CachalotFixture start(String... config) throws Exception {
        Settings s = new Settings();
        s.config.setAtStartup("enable-debug-command", "yes");
        // SAVE, BGSAVE and DEBUG RELOAD write here, never into the working copy
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("cachalot-fixture");
        dir.toFile().deleteOnExit();
        s.config.setAtStartup("dir", dir.toString());
        for (int i = 0; i + 1 < config.length; i += 2) {
            s.config.setAtStartup(config[i], config[i + 1]);
        }
        CachalotServer server = new CachalotServer(s, null);
        server.startOnEphemeralPort();
        return new CachalotFixture(server);
    }

    public CachalotServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
