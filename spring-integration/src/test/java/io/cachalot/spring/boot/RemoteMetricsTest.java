package io.cachalot.spring.boot;

import io.cachalot.core.Engine;
import io.cachalot.core.spi.EngineServer;
import io.cachalot.provider.config.RemoteSettings;
import io.cachalot.spring.CachalotSpringCacheManager;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A remote manager's meters: its round trips and their time, failures and dropped writes. */
class RemoteMetricsTest {
    @Test
    void aRemoteManagerReportsItsRoundTripsFailuresAndLostWrites() throws Exception {
        Engine engine = new Engine();
        EngineServer.Serving s = ServiceLoader.load(EngineServer.class).findFirst().orElseThrow()
                .serve(engine, "127.0.0.1", 0);
        Properties p = new Properties();
        p.setProperty("cachalot.remote.uri", "redis://127.0.0.1:" + s.port());
        try (CachalotSpringCacheManager m = CachalotSpringCacheManager.builder().remote(RemoteSettings.of(p)).build()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new CachalotCacheAutoConfiguration.Metrics().cachalotEngineMetrics(m).bindTo(registry);
            m.getCache("c").put("k", "v");
            m.getCache("c").get("k");
            FunctionTimer calls = registry.get("cachalot.remote.calls").functionTimer();
            assertThat(calls.count()).isGreaterThanOrEqualTo(3);
            assertThat(calls.totalTime(TimeUnit.NANOSECONDS)).isPositive();
            assertThat(registry.get("cachalot.remote.failures").functionCounter().count()).isZero();
            FunctionCounter lost = registry.get("cachalot.remote.lost.writes").functionCounter();
            assertThat(lost.count()).isZero();
        } finally {
            s.close();
            engine.close();
        }
    }
}
