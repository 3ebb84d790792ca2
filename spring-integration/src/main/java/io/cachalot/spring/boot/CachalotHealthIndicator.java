package io.cachalot.spring.boot;

import io.cachalot.core.Engine;
import io.cachalot.core.spi.EngineServer;
import io.cachalot.spring.CachalotSpringCacheManager;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Actuator health of the engine behind a {@link CachalotSpringCacheManager} ({@code cachalot} in
 * {@code /actuator/health}): up while the manager is open, down once it is closed, with the
 * engine's keys, estimated used memory and the limit it is kept under, the maxmemory policy,
 * evicted and expired keys, the caches, and the RESP port when the engine is served. Turned off
 * with {@code management.health.cachalot.enabled=false}.
 */
public class CachalotHealthIndicator extends AbstractHealthIndicator {
    private final CachalotSpringCacheManager manager;
    private final EngineServer.Serving serving;

    /**
     * @param manager the cache manager whose engine to report
     * @param serving the engine's RESP server, or null when it is not served
     */
    public CachalotHealthIndicator(CachalotSpringCacheManager manager, EngineServer.Serving serving) {
        super("Cachalot health check failed");
        this.manager = manager;
        this.serving = serving;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (manager.isClosed()) {
            builder.down().withDetail("reason", "the cache manager is closed");
            return;
        }
        if (manager.isRemote()) {
            // down (with the client's error) when the server does not answer within the timeout
            builder.up().withDetail("mode", "remote").withDetail("server", manager.pingRemote())
                    .withDetail("caches", manager.getCacheNames());
            return;
        }
        Engine engine = manager.engine();
        long keys = 0;
        for (int db = 0; db < engine.keyspace().databaseCount(); db++) {
            keys += engine.keyspace().db(db).size();
        }
        builder.up()
                .withDetail("keys", keys)
                .withDetail("usedMemory", engine.evictor().usedMemory())
                .withDetail("memoryLimit", engine.evictor().limit())
                .withDetail("maxmemoryPolicy", engine.settings().maxmemoryPolicy.value())
                .withDetail("evictedKeys", engine.keyspace().stats().evictedKeys.sum())
                .withDetail("expiredKeys", engine.keyspace().stats().expiredKeys.sum())
                .withDetail("caches", manager.getCacheNames());
        if (serving != null) {
            builder.withDetail("respPort", serving.port());
        }
    }
}
