package io.cachalot.spring;

import io.cachalot.core.Engine;
import io.cachalot.core.api.EmbeddedClient;
import org.junit.jupiter.api.Test;
import org.springframework.cache.Cache;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The manager without Boot: engine parameters and JSON values through the builder. */
class ManagerBuilderTest {
    public record Point(int x, int y) {
    }

    @Test
    void engineParametersConfigureTheEngineItMakes() {
        try (CachalotSpringCacheManager m = CachalotSpringCacheManager.builder()
                .engineParameters(Map.of("maxmemory", "3mb", "maxmemoryPolicy", "allkeys-lfu")).build()) {
            assertThat(m.engine().settings().maxmemory.value()).isEqualTo(3L << 20);
            assertThat(m.engine().settings().maxmemoryPolicy.value()).isEqualTo("allkeys-lfu");
        }
        assertThatThrownBy(() -> CachalotSpringCacheManager.builder().engineParameters(Map.of("nosuch", "1")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cachalot.engine.nosuch");
        try (Engine engine = new Engine()) {
            assertThatThrownBy(() -> CachalotSpringCacheManager.builder().engine(engine)
                    .engineParameters(Map.of("hz", "20")).build()).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void jsonValuesAreReadableAndCachedNullsAreJsonNull() {
        try (CachalotSpringCacheManager m = CachalotSpringCacheManager.builder()
                .jsonValues(List.of("io.cachalot.spring")).build()) {
            Cache c = m.getCache("points");
            c.put("a", new Point(1, 2));
            c.put("none", null);
            EmbeddedClient client = new EmbeddedClient(m.engine());
            assertThat(new String((byte[]) client.call("GET", "points::a")))
                    .isEqualTo("{\"@class\":\"io.cachalot.spring.ManagerBuilderTest$Point\",\"x\":1,\"y\":2}");
            assertThat(new String((byte[]) client.call("GET", "points::none"))).isEqualTo("null");
            assertThat(c.get("a", Point.class)).isEqualTo(new Point(1, 2));
            Cache.ValueWrapper none = c.get("none");
            assertThat(none).isNotNull();
            assertThat(none.get()).isNull();
            assertThat(c.get("absent")).isNull();
        }
    }

    /** With save points the engine is durable: a later manager with the same settings reads the entries back. */
    @Test
    void savePointsMakeTheCachesOutliveTheManager(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Map<String, String> durable = Map.of("save", "3600 1", "dir", dir.toString());
        try (CachalotSpringCacheManager m = CachalotSpringCacheManager.builder().engineParameters(durable)
                .jsonValues(List.of("io.cachalot.spring")).build()) {
            m.getCache("points").put("a", new Point(3, 4));
        }
        try (CachalotSpringCacheManager m = CachalotSpringCacheManager.builder().engineParameters(durable)
                .jsonValues(List.of("io.cachalot.spring")).build()) {
            assertThat(m.getCache("points").get("a", Point.class)).isEqualTo(new Point(3, 4));
        }
    }
}
