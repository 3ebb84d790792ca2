package io.cachalot.core.expire;

import io.cachalot.core.Engine;
import io.cachalot.core.api.EmbeddedClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Expired keys are reclaimed by the background cycle without anybody reading them. */
class ActiveExpireCycleTest {
    @Test
    void reclaimsExpiredKeysWithoutAccess() throws Exception {
        try (Engine engine = new Engine()) {
            EmbeddedClient c = new EmbeddedClient(engine);
            for (int i = 0; i < 50_000; i++) {
                c.call("SET", "tmp" + i, "v", "PX", "1000");
            }
            assertThat(c.call("DBSIZE")).isEqualTo(50_000L);
            long deadline = System.currentTimeMillis() + 10_000;
            while ((Long) c.call("DBSIZE") > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(c.call("DBSIZE")).isEqualTo(0L);
            assertThat(engine.keyspace().stats().expiredKeys.sum()).isEqualTo(50_000);
            String info = new String((byte[]) c.call("INFO", "stats"), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(info).contains("expired_keys:50000");
        }
    }

    /**
     * With long-lived keys among the expired ones the cycle works until the share of stale keys
     * in its samples falls under the acceptable 10% (Redis' contract), not necessarily to zero.
     */
    @Test
    void keepsStaleKeysUnderTheAcceptableShare() throws Exception {
        try (Engine engine = new Engine()) {
            EmbeddedClient c = new EmbeddedClient(engine);
            for (int i = 0; i < 20_000; i++) {
                c.call("SET", "tmp" + i, "v", "PX", "50");
            }
            for (int i = 0; i < 5_000; i++) {
                c.call("SET", "keep" + i, "v", "EX", "1000");
            }
            long deadline = System.currentTimeMillis() + 30_000; // ends as soon as expiry is done; room for a loaded CI machine
            while ((Long) c.call("DBSIZE") > 5_000 * 1.1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat((Long) c.call("DBSIZE")).isLessThanOrEqualTo(5_500L);
            assertThat(c.call("EXISTS", "keep1", "keep4999")).isEqualTo(2L);
        }
    }

    @Test
    void canBeDisabledForTests() throws Exception {
        try (Engine engine = new Engine()) {
            engine.setActiveExpireEnabled(false);
            EmbeddedClient c = new EmbeddedClient(engine);
            c.call("SET", "tmp", "v", "PX", "10");
            Thread.sleep(300);
            assertThat(c.call("DBSIZE")).isEqualTo(1L);
            assertThat(c.call("GET", "tmp")).isNull();
            assertThat(c.call("DBSIZE")).isEqualTo(0L);
        }
    }
}
