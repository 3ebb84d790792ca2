package io.cachalot.server;

import io.cachalot.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Test classes that compare Cachalot with a real redis-server: both started once per class. */
abstract class ReferenceTestBase {
    static RedisServerProcess redis;
    static CachalotFixture cachalot;

    @BeforeAll
    static void startServers() throws Exception {
        redis = RedisServerProcess.start();
        cachalot = CachalotFixture.start();
    }

    @AfterAll
    static void stopServers() {
        if (cachalot != null) {
            cachalot.close();
            cachalot = null;
        }
        if (redis != null) {
            redis.close();
            redis = null;
        }
    }
}
