package io.cachalot.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Test classes that talk to one in-process Cachalot server, started once per class. */
abstract class CachalotTestBase {
    static CachalotFixture server;

    @BeforeAll
    static void startCachalot() throws Exception {
        server = CachalotFixture.start();
    }

    @AfterAll
    static void stopCachalot() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
