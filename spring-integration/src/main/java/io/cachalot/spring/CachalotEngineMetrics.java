package io.cachalot.spring;

import io.cachalot.core.Engine;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters of a Cachalot engine: commands processed, keys per database, expired and evicted keys,
 * estimated memory used, connected clients (when the engine is served over RESP).
 */
public final class CachalotEngineMetrics implements MeterBinder {
    private final Engine engine;
    private final Iterable<Tag> tags;

    public CachalotEngineMetrics(Engine engine, Iterable<Tag> tags) {
        this.engine = engine;
        this.tags = tags;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("cachalot.commands.processed", engine, e -> e.stats().totalCommandsProcessed.sum())
                .tags(tags).description("Commands run by the engine (RESP clients and EmbeddedClient)")
                .register(registry);
        FunctionCounter.builder("cachalot.keys.expired", engine, e -> e.keyspace().stats().expiredKeys.sum())
                .tags(tags).description("Keys deleted because their time to live passed").register(registry);
        FunctionCounter.builder("cachalot.keys.evicted", engine, e -> e.keyspace().stats().evictedKeys.sum())
                .tags(tags).description("Keys evicted to stay within a bound").register(registry);
        Gauge.builder("cachalot.memory.used", engine, e -> e.keyspace().memoryUsage())
                .tags(tags).baseUnit("bytes").description("Estimated memory of the keys and values").register(registry);
        Gauge.builder("cachalot.clients.connected", engine, e -> e.clients().size())
                .tags(tags).description("Connected RESP clients").register(registry);
        for (int i = 0; i < engine.keyspace().databaseCount(); i++) {
            int db = i;
            Gauge.builder("cachalot.keys", engine, e -> e.keyspace().db(db).size())
                    .tags(Tags.concat(tags, "db", Integer.toString(db)))
                    .description("Keys in the database (expired ones not yet reclaimed included)")
                    .register(registry);
        }
    }
}
